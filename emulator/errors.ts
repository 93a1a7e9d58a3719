/**
 * Error factories that reproduce what the Airbyte server answers (status + body).
 *
 * Handlers throw an `ApiError` describing *what* went wrong; the router renders it with the
 * body shape of the selected error style, because the shape changed between releases
 * (airbyte-api.md §7): since v2.0.0 the 404 / 400 (constraint) / 422 (malformed JSON) / 500
 * bodies are just `{errorId}`, before that they were `KnownExceptionInfo` objects with a message.
 * Known exceptions (422 spec violations, 409 conflicts, 400 bad requests) carry a message in both.
 */
import { randomUUID } from "node:crypto";

/** `v2` = Airbyte ≥ 2.0 (bodies cut down to `{errorId}`); `legacy` = the older KnownExceptionInfo bodies. */
export type ErrorStyle = "v2" | "legacy";

/** What kind of failure this is; decides the body shape per error style. */
export type ErrorKind =
    | "not-found" // ConfigNotFoundException → IdNotFoundKnownException (404)
    | "known" // a KnownException: message kept in every style (400/409/422)
    | "constraint" // bean validation: a required field is missing (400)
    | "malformed" // Jackson could not map the body: bad JSON, bad UUID, bad enum (422)
    | "internal" // anything unmapped, e.g. Kotlin `require` failures (500)
    | "problem" // problem JSON (cron/schedule validation ...)
    | "unauthorized" // Micronaut security: 401 with no body
    | "raw"; // emulator-specific answers (faults, unknown routes)

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
        readonly extra: { problem?: ProblemBody; rawBody?: unknown; headers?: Record<string, string>; propertyPath?: string } = {},
    ) {
        super(message);
    }
}

export interface RenderedError {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

/** Turns an ApiError into the status and JSON body the selected Airbyte release would send. */
export function renderError(error: ApiError, style: ErrorStyle): RenderedError {
    const headers = error.extra.headers;
    switch (error.kind) {
        case "problem":
            return { status: error.status, body: error.extra.problem, headers };
        case "unauthorized":
            return { status: 401, body: undefined, headers };
        case "raw":
            return { status: error.status, body: error.extra.rawBody, headers };
        case "known":
            return {
                status: error.status,
                body: style === "v2" ? { message: error.message, errorId: randomUUID() } : { message: error.message, exceptionClassName: error.exceptionClassName },
                headers,
            };
        default:
            break;
    }
    if (style === "v2") return { status: error.status, body: { errorId: randomUUID() }, headers };
    switch (error.kind) {
        case "not-found":
            return { status: 404, body: { message: `Internal Server Error: ${error.message}`, exceptionClassName: error.exceptionClassName }, headers };
        case "constraint":
            return {
                status: 400,
                body: {
                    message: "Some properties contained invalid input.",
                    exceptionClassName: error.exceptionClassName,
                    validationErrors: [{ propertyPath: error.extra.propertyPath ?? "", message: error.message, invalidValue: "null" }],
                },
                headers,
            };
        case "malformed":
            return { status: 422, body: { message: `Invalid json input. ${error.message}`, exceptionClassName: error.exceptionClassName }, headers };
        default:
            return { status: error.status, body: { message: `Internal Server Error: ${error.message}`, exceptionClassName: error.exceptionClassName }, headers };
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

export function notFound(type: ConfigType, id: string): ApiError {
    return new ApiError(404, "not-found", `Could not find configuration for ${type}: ${id}.`, "io.airbyte.commons.server.errors.IdNotFoundKnownException");
}

/** JsonValidationException → BadObjectSchemaKnownException (422), message prefixed like ApiHelper.execute does. */
export function invalidConfiguration(detail: string): ApiError {
    return new ApiError(
        422,
        "known",
        `The provided configuration does not fulfill the specification. Errors: ${detail}`,
        "io.airbyte.commons.server.errors.BadObjectSchemaKnownException",
    );
}

/** A required request property is missing (bean validation → 400). */
export function missingProperty(path: string): ApiError {
    return new ApiError(400, "constraint", "must not be null", "jakarta.validation.ConstraintViolationException", { propertyPath: path });
}

/** Jackson could not map the request (bad JSON, wrong type, malformed UUID, unknown enum) → 422. */
export function malformedInput(message: string): ApiError {
    return new ApiError(422, "malformed", message, "com.fasterxml.jackson.databind.exc.InvalidFormatException");
}

/** An unmapped exception, e.g. a Kotlin `require` failing → 500. */
export function internalError(message: string, exceptionClassName = "java.lang.IllegalArgumentException"): ApiError {
    return new ApiError(500, "internal", message, exceptionClassName);
}

export function conflict(message: string): ApiError {
    return new ApiError(409, "known", message, "io.airbyte.commons.server.errors.ValueConflictKnownException");
}

export function badRequest(message: string): ApiError {
    return new ApiError(400, "known", message, "io.airbyte.commons.server.errors.BadRequestException");
}

export function problem(body: ProblemBody): ApiError {
    return new ApiError(body.status, "problem", body.detail ?? body.title, "io.airbyte.api.problems.AbstractThrowableProblem", { problem: body });
}

export function unauthorized(headers?: Record<string, string>): ApiError {
    return new ApiError(401, "unauthorized", "Unauthorized", "io.micronaut.security.authentication.AuthorizationException", { headers });
}

/** An emulator-specific answer whose body is given verbatim. */
export function rawError(status: number, body: unknown, headers?: Record<string, string>): ApiError {
    return new ApiError(status, "raw", `HTTP ${status}`, "", { rawBody: body, headers });
}
