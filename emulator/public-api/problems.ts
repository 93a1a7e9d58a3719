/**
 * The public API's problem bodies and the mapping of internal failures onto them.
 *
 * Problems are the generated throwables of airbyte-platform `airbyte-api/problems-api`
 * (`src/main/openapi/api-problems.yaml`, template `src/main/resources/templates/ThrowableProblem.kt.txt`:
 * a `*ProblemResponse` whose `status`, `type`, `title` and `detail` default to the yaml's `default`s,
 * `detail` and `data` set when given). `AbstractThrowableProblemHandler`
 * (airbyte-commons-server `errors/problems/AbstractThrowableProblemHandler.kt`) answers them with
 * `Jsons.serialize(problem)` and `application/json`; the generated jaxrs-spec POJOs have no
 * `@JsonInclude`, so `documentationUrl` and `data` are sent as `null` when unset, and so are null
 * fields inside `data`. The body shape is the one of 6251833bda "move public api problems to new
 * types" (#12500, first tag v0.62.0), used here for every release (see README, deviations).
 */
import { ApiError, problem as problemError, type ProblemBody } from "../errors";

const ERRORS = "https://reference.airbyte.com/reference/errors";

/** A full problem body: every field present, in `BaseProblemFields` order. */
export interface FullProblem {
    status: number;
    type: string;
    title: string;
    detail: string;
    documentationUrl: string | null;
    data: Record<string, unknown> | null;
}

interface ProblemType {
    status: number;
    type: string;
    title: string;
    detail: string;
}

/** The defaults of api-problems.yaml, per problem. */
export const PROBLEM_TYPES = {
    badRequest: {
        status: 400,
        type: `${ERRORS}#bad-request`,
        title: "bad-request",
        detail: "The request could not be understood by the server due to malformed syntax.",
    },
    unknownValue: {
        status: 400,
        type: ERRORS,
        title: "value-not-found",
        detail: "The submitted value could not be found.",
    },
    resourceNotFound: {
        status: 404,
        type: `${ERRORS}#resource-not-found`,
        title: "resource-not-found",
        detail: "The requested resource could not be found.",
    },
    stateConflict: {
        status: 409,
        type: `${ERRORS}#409-state-conflict`,
        title: "state-conflict",
        detail: "State conflict",
    },
    tryAgainLater: {
        status: 409,
        type: `${ERRORS}#try-again-later`,
        title: "try-again-later",
        detail: "Please try again later.",
    },
    connectionLocked: {
        status: 409,
        type: "error:connection/locked",
        title: "Connection is locked",
        detail: "The connection is locked and cannot be modified.",
    },
    unprocessableEntity: {
        status: 422,
        type: `${ERRORS}#unprocessable-entity`,
        title: "unprocessable-entity",
        detail: "The body of the request was not understood",
    },
    unexpected: {
        status: 500,
        type: ERRORS,
        title: "unexpected-problem",
        detail: "An unexpected problem has occurred. If this is an error that needs to be addressed, please submit a pull request or github issue.",
    },
} as const satisfies Record<string, ProblemType>;

export type ProblemName = keyof typeof PROBLEM_TYPES;

/** `new XxxProblem(detail?, data?)`: an ApiError the router renders as the problem body. */
export function publicProblem(
    name: ProblemName,
    data: Record<string, unknown> | null = null,
    detail?: string,
): ApiError {
    const t = PROBLEM_TYPES[name];
    const body: FullProblem = {
        status: t.status,
        type: t.type,
        title: t.title,
        detail: detail ?? t.detail,
        documentationUrl: null,
        data,
    };
    return problemError(body as unknown as ProblemBody);
}

/** `BadRequestProblem(ProblemMessageData().message(message))`. */
export function badRequestProblem(message: string): ApiError {
    return publicProblem("badRequest", { message });
}

/** `ConnectionLockedProblem(ProblemConnectionLockedData().connectionId(id).statusReason(reason))`. */
export function connectionLockedProblem(connectionId: string, statusReason: string | null = null): ApiError {
    return publicProblem("connectionLocked", { connectionId, statusReason });
}

/** `ConfigClientErrorHandler`'s DEFAULT_INTERNAL_SERVER_ERROR_MESSAGE (the message of a message-less throwable). */
export const DEFAULT_INTERNAL_SERVER_ERROR_MESSAGE = PROBLEM_TYPES.unexpected.detail;
const DEFAULT_UNPROCESSABLE_ENTITY_MESSAGE = PROBLEM_TYPES.unprocessableEntity.detail;

/** The throwable's `message` as the server has it (null for Guava's message-less `checkArgument`). */
function messageOf(error: ApiError): string | null {
    if (error.extra.rawMessage !== undefined) return error.extra.rawMessage;
    return error.message;
}

function isJsonValidation(error: ApiError): boolean {
    return error.extra.validationMessage !== undefined;
}

/**
 * `ConfigClientErrorHandler.handleError(throwable)` (airbyte-server
 * `apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt`), what every public service does
 * with a failure of the internal handler it called:
 *
 * - `ConfigNotFoundException` → 404 ResourceNotFoundProblem `{resourceType, resourceId}`;
 * - `ValueConflictKnownException` → 409 TryAgainLaterConflictProblem `{message}`;
 * - `JsonValidationException` → 422 UnprocessableEntityProblem, the message up to "\nSchema:";
 * - a problem (`AbstractThrowableProblem`) → itself;
 * - anything else (BadRequestException, IllegalArgumentException, ...) → 500 UnexpectedProblem
 *   `{message}` (the default message when the throwable has none).
 *
 * Errors that are not ApiErrors (emulator bugs) are rethrown as they are.
 */
export function handleError(error: unknown): never {
    if (!(error instanceof ApiError)) throw error;
    if (error.kind === "problem" || error.kind === "raw") throw error;
    if (error.kind === "not-found")
        throw publicProblem("resourceNotFound", {
            resourceType: error.extra.configType ?? null,
            resourceId: error.extra.configId ?? null,
        });
    if (isJsonValidation(error)) {
        const message = error.extra.validationMessage!;
        const index = message.indexOf("\nSchema:");
        throw publicProblem("unprocessableEntity", {
            message: index >= 0 ? message.slice(0, index) : message || DEFAULT_UNPROCESSABLE_ENTITY_MESSAGE,
        });
    }
    if (error.exceptionClassName === "io.airbyte.commons.server.errors.ValueConflictKnownException")
        throw publicProblem("tryAgainLater", { message: error.message });
    throw publicProblem("unexpected", { message: messageOf(error) ?? DEFAULT_INTERNAL_SERVER_ERROR_MESSAGE });
}

/**
 * `ConfigClientErrorHandler.handleCreateConnectionError(throwable, connectionCreate)`, what
 * `ConnectionServiceImpl.createConnection` throws when `ConnectionsHandler.createConnection` fails:
 * `JsonValidationException` → 500 UnexpectedProblem `{message}`; `ConfigNotFoundException` naming
 * the source or destination → 404 with resourceType `source` / `destination`; a problem → itself;
 * anything else → 500 UnexpectedProblem without data.
 */
export function handleCreateConnectionError(
    error: unknown,
    request: { sourceId: string; destinationId: string },
): never {
    if (!(error instanceof ApiError)) throw error;
    if (error.kind === "problem" || error.kind === "raw") throw error;
    if (isJsonValidation(error)) throw publicProblem("unexpected", { message: error.extra.validationMessage! });
    if (error.kind === "not-found") {
        if (error.message.includes(request.sourceId))
            throw publicProblem("resourceNotFound", { resourceType: "source", resourceId: request.sourceId });
        if (error.message.includes(request.destinationId))
            throw publicProblem("resourceNotFound", { resourceType: "destination", resourceId: request.destinationId });
        throw publicProblem("unexpected");
    }
    throw publicProblem("unexpected");
}

/**
 * Runs an internal handler call the way the public services do (`runCatching { ... }.onFailure { handleError(it) }`).
 */
export function callInternal<T>(fn: () => T): T {
    try {
        return fn();
    } catch (error) {
        return handleError(error);
    }
}
