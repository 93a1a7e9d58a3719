/**
 * Error factories that reproduce what the Airbyte server answers (status + body).
 *
 * Handlers throw an `ApiError` describing *what* went wrong; the router renders it with the body
 * family of the emulated release (generations.ts `ErrorStyle`), because the shapes changed:
 *
 * - before 1.3.0 every handler used `KnownException.infoFromThrowableWithMessage`, which added the
 *   stack trace (`exceptionStack`) and, for wrapped exceptions, `rootCauseExceptionClassName` /
 *   `rootCauseExceptionStack` (airbyte-platform `airbyte-commons-server/.../errors/KnownException.java`);
 * - 1.3.0 (d4a4ebaaf3, #12785) dropped the stack traces: `{message, exceptionClassName}`; the 400
 *   of `InvalidInputExceptionHandler.infoFromConstraints` kept its `exceptionStack`;
 * - 2.0.0 (75054177f0, #17953) cut the 404 (`IdNotFoundExceptionHandler`), 500
 *   (`UncaughtExceptionHandler`), 400 constraint (`InvalidInputExceptionHandler`) and 422 JSON
 *   mapping (`InvalidJsonInputExceptionHandler`) bodies to `{errorId}`, while
 *   `KnownExceptionHandler` still serialises `getKnownExceptionInfo()`, now `{message, errorId}`
 *   (`exceptionClassName` gone).
 */
import { randomUUID } from "node:crypto";
import type { ErrorStyle, ServerGeneration } from "./generations";

/** What kind of failure this is; decides the body shape per error style. */
export type ErrorKind =
    | "not-found" // ConfigNotFoundException → IdNotFoundKnownException (404)
    | "known" // a KnownException: message kept in every style (400/409/422)
    | "constraint" // bean validation: a required field is missing (400)
    | "malformed" // Jackson could not map the body: bad JSON, bad UUID, bad enum (422)
    | "internal" // anything unmapped, e.g. Kotlin `require` / Guava `checkArgument` failures (500)
    | "problem" // problem JSON (cron/schedule validation ...)
    | "raw"; // bodies produced outside Airbyte's handlers (Micronaut, nginx, faults)

export interface ProblemBody {
    type: string;
    title: string;
    status: number;
    detail?: string;
    documentationUrl?: string;
    data?: Record<string, unknown>;
}

export class ApiError extends Error {
    override readonly name = "ApiError";
    constructor(
        readonly status: number,
        readonly kind: ErrorKind,
        message: string,
        readonly exceptionClassName: string,
        readonly extra: {
            problem?: ProblemBody;
            rawBody?: unknown;
            headers?: Record<string, string>;
            propertyPath?: string;
            /** Class of the wrapped exception (`t.getCause()`), for pre-1.3 `rootCauseExceptionClassName`. */
            rootCause?: string;
            /** not-found: the `ConfigNotFoundException`'s type and id (the public API reports them as `data`). */
            configType?: string;
            configId?: string;
            /** The wrapped `JsonValidationException`'s own message (what the public API's 422 shows). */
            validationMessage?: string;
            /** The exception's message as the server has it; `null` for Guava's message-less `checkArgument`. */
            rawMessage?: string | null;
            /** constraint: the rejected value as bean validation reports it (default "null"). */
            invalidValue?: string;
        } = {},
    ) {
        super(message);
    }
}

export interface RenderedError {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

/** `Throwables.toStringList` / `printStackTrace` lines; the frames are the emulator's own. */
function stackOf(className: string, message: string): string[] {
    return [
        `${className}: ${message}`,
        "\tat io.airbyte.server.apis.ApiHelper.execute(ApiHelper.kt)",
        "\tat airbyte-emulator (synthetic stack trace)",
    ];
}

/**
 * `KnownExceptionInfo` as `infoFromThrowableWithMessage` built it for `style`; `message` is the
 * body message (handlers prefix some with "Internal Server Error: ").
 */
function knownExceptionInfo(
    error: ApiError,
    message: string,
    generation: ServerGeneration,
    style: ErrorStyle,
): Record<string, unknown> {
    const info: Record<string, unknown> = { message, exceptionClassName: error.exceptionClassName };
    if (style !== "stack") return info;
    info["exceptionStack"] = stackOf(error.exceptionClassName, error.message);
    const cause = error.extra.rootCause;
    if (cause !== undefined) {
        info["rootCauseExceptionClassName"] = generation.rootCauseClassNameIsJavaLangClass ? "java.lang.Class" : cause;
        info["rootCauseExceptionStack"] = stackOf(cause, error.message);
    }
    return info;
}

/** Turns an ApiError into the status and JSON body the emulated Airbyte release would send. */
export function renderError(error: ApiError, generation: ServerGeneration): RenderedError {
    const style = generation.errorStyle;
    const headers = error.extra.headers;
    const answer = (body: unknown): RenderedError => ({ status: error.status, body, headers });
    switch (error.kind) {
        case "problem":
            return answer(error.extra.problem);
        case "raw":
            return answer(error.extra.rawBody);
        case "known":
            return answer(
                style === "v2"
                    ? { message: error.message, errorId: randomUUID() }
                    : knownExceptionInfo(error, error.message, generation, style),
            );
        default:
            break;
    }
    if (style === "v2") return answer({ errorId: randomUUID() });
    switch (error.kind) {
        case "constraint": {
            // InvalidInputExceptionHandler.infoFromConstraints: the stack stayed until 2.0.0.
            const body: Record<string, unknown> = {
                message: "Some properties contained invalid input.",
                exceptionClassName: error.exceptionClassName,
                exceptionStack: stackOf(error.exceptionClassName, error.message),
                validationErrors: [
                    {
                        propertyPath: error.extra.propertyPath ?? "",
                        message: error.message,
                        invalidValue: error.extra.invalidValue ?? "null",
                    },
                ],
            };
            return answer(body);
        }
        case "malformed":
            // InvalidJsonInputExceptionHandler: "Invalid json input. " + message + " " + originalMessage.
            return answer(knownExceptionInfo(error, `Invalid json input. ${error.message}`, generation, style));
        default:
            // IdNotFoundExceptionHandler and UncaughtExceptionHandler both prefix "Internal Server Error: ".
            return answer(knownExceptionInfo(error, `Internal Server Error: ${error.message}`, generation, style));
    }
}

/** The `ConfigNotFoundType` names the server puts in its not-found messages. */
export type ConfigType =
    | "STANDARD_WORKSPACE"
    | "STANDARD_SOURCE_DEFINITION"
    | "STANDARD_DESTINATION_DEFINITION"
    | "SOURCE_CONNECTION"
    | "DESTINATION_CONNECTION"
    | "STANDARD_SYNC"
    | "ORGANIZATION"
    | "JOB";

/** `ApiHelper.execute`: ConfigNotFoundException → IdNotFoundKnownException (404), the former as cause. */
export function notFound(type: ConfigType, id: string): ApiError {
    return new ApiError(
        404,
        "not-found",
        `Could not find configuration for ${type}: ${id}.`,
        "io.airbyte.commons.server.errors.IdNotFoundKnownException",
        {
            rootCause: "io.airbyte.config.persistence.ConfigNotFoundException",
            configType: type,
            configId: id,
        },
    );
}

/** `ApiHelper.execute`: JsonValidationException → BadObjectSchemaKnownException (422), message prefixed. */
export function invalidConfiguration(detail: string): ApiError {
    return new ApiError(
        422,
        "known",
        `The provided configuration does not fulfill the specification. Errors: ${detail}`,
        "io.airbyte.commons.server.errors.BadObjectSchemaKnownException",
        { rootCause: "io.airbyte.validation.json.JsonValidationException", validationMessage: detail },
    );
}

/** A required request property is missing (bean validation → 400). */
export function missingProperty(path: string): ApiError {
    return new ApiError(400, "constraint", "must not be null", "jakarta.validation.ConstraintViolationException", {
        propertyPath: path,
    });
}

/** Any other bean-validation failure (`@Min`, `@Max`, ...) → 400 (`InvalidInputExceptionHandler`). */
export function constraintViolation(path: string, message: string, invalidValue: string): ApiError {
    return new ApiError(400, "constraint", message, "jakarta.validation.ConstraintViolationException", {
        propertyPath: path,
        invalidValue,
    });
}

/** Jackson could not map the request (bad JSON, wrong type, malformed UUID, unknown enum) → 422. */
export function malformedInput(message: string): ApiError {
    return new ApiError(422, "malformed", message, "com.fasterxml.jackson.databind.exc.InvalidFormatException");
}

/**
 * An unmapped exception → 500. Guava's `Preconditions.checkArgument(condition)` (no message)
 * throws an IllegalArgumentException whose message is null: pass `null` for that.
 */
export function internalError(
    message: string | null,
    exceptionClassName = "java.lang.IllegalArgumentException",
): ApiError {
    return new ApiError(500, "internal", String(message), exceptionClassName, { rawMessage: message });
}

export function conflict(message: string): ApiError {
    return new ApiError(409, "known", message, "io.airbyte.commons.server.errors.ValueConflictKnownException");
}

export function badRequest(message: string): ApiError {
    return new ApiError(400, "known", message, "io.airbyte.commons.server.errors.BadRequestException");
}

export function problem(body: ProblemBody): ApiError {
    return new ApiError(
        body.status,
        "problem",
        body.detail ?? body.title,
        "io.airbyte.api.problems.AbstractThrowableProblem",
        { problem: body },
    );
}

/** An answer whose body is given verbatim (Micronaut's own errors, proxies, faults). */
export function rawError(status: number, body: unknown, headers?: Record<string, string>): ApiError {
    return new ApiError(status, "raw", `HTTP ${status}`, "", { rawBody: body, headers });
}

/**
 * Micronaut's JSON error body (`DefaultJsonErrorResponseBodyProvider`: `JsonError` with a self
 * link and the messages as `_embedded.errors`), used for everything Micronaut answers itself:
 * unknown routes, security rejections (`DefaultAuthorizationExceptionHandler.httpResponseWithStatus`)
 * and `ContentLengthExceededException`.
 */
export function micronautError(
    status: number,
    path: string,
    reason: string,
    messages: readonly string[] = [reason],
): ApiError {
    return rawError(status, {
        _links: { self: { href: path, templated: false } },
        _embedded: { errors: messages.map((message) => ({ message })) },
        message: reason,
    });
}
