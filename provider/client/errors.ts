/**
 * Typed errors of the Airbyte API client.
 *
 * The kind is decided by HTTP status alone, never by the body's shape: since Airbyte 2.0 most
 * error bodies are just `{errorId}`, older servers send `KnownExceptionInfo` with a message, cron
 * problems arrive as problem JSON. The body only contributes text to the message.
 *
 * Every message names the operation and the resource it was for, and passes through `redact`.
 */
import { redact } from "../redact";

export type AirbyteErrorKind =
    | "not_found" // 404
    | "validation" // 400, 413, 422: the request was understood and refused
    | "auth" // 401, 403
    | "conflict" // 409, 423
    | "rate_limited" // 429 (after retries)
    | "server" // 5xx
    | "network" // no HTTP answer: timeout, reset, refused
    | "unexpected"; // anything else (e.g. an unparseable 200)

/** Which call failed, for messages: `sources/create` for `source "mssql"`. */
export interface CallContext {
    operation: string;
    resource?: string;
}

export class AirbyteApiError extends Error {
    override name = "AirbyteApiError";
    readonly kind: AirbyteErrorKind;
    readonly operation: string;
    readonly resource?: string;
    readonly statusCode?: number;
    /** Airbyte's error id (server logs), when the body had one. */
    readonly errorId?: string;
    /** The server's own explanation, redacted. */
    readonly serverMessage?: string;
    /**
     * For network errors: whether the request may have reached the server. A create that failed
     * this way must be reconciled, never blindly retried.
     */
    readonly mayHaveReachedServer: boolean;
    /** For network errors: Node's error code (ETIMEDOUT, ECONNRESET, ...). */
    readonly code?: string;

    constructor(args: {
        kind: AirbyteErrorKind;
        context: CallContext;
        statusCode?: number;
        errorId?: string;
        serverMessage?: string;
        detail?: string;
        mayHaveReachedServer?: boolean;
        /** What the user can do about it, e.g. which setting to check. */
        hint?: string;
        code?: string;
    }) {
        const target = args.context.resource ? ` for ${args.context.resource}` : "";
        const status = args.statusCode !== undefined ? `HTTP ${args.statusCode}` : (args.detail ?? "no response");
        const what = args.serverMessage ? `: ${args.serverMessage}` : "";
        const id = args.errorId ? ` (Airbyte errorId ${args.errorId})` : "";
        const hint = args.hint ? `. ${args.hint}` : "";
        super(redact(`Airbyte ${args.context.operation}${target} failed: ${status}${what}${id}${hint}`));
        this.kind = args.kind;
        this.operation = args.context.operation;
        this.resource = args.context.resource;
        this.statusCode = args.statusCode;
        this.errorId = args.errorId;
        this.serverMessage = args.serverMessage ? redact(args.serverMessage) : undefined;
        this.mayHaveReachedServer = args.mayHaveReachedServer ?? args.statusCode !== undefined;
        this.code = args.code;
    }
}

export class AirbyteNotFoundError extends AirbyteApiError {
    override name = "AirbyteNotFoundError";
}
export class AirbyteValidationError extends AirbyteApiError {
    override name = "AirbyteValidationError";
}
export class AirbyteAuthError extends AirbyteApiError {
    override name = "AirbyteAuthError";
}
export class AirbyteConflictError extends AirbyteApiError {
    override name = "AirbyteConflictError";
}
export class AirbyteRateLimitError extends AirbyteApiError {
    override name = "AirbyteRateLimitError";
}
export class AirbyteServerError extends AirbyteApiError {
    override name = "AirbyteServerError";
}
export class AirbyteNetworkError extends AirbyteApiError {
    override name = "AirbyteNetworkError";
}

export function kindOfStatus(statusCode: number): AirbyteErrorKind {
    if (statusCode === 404) return "not_found";
    if (statusCode === 400 || statusCode === 413 || statusCode === 422) return "validation";
    if (statusCode === 401 || statusCode === 403) return "auth";
    if (statusCode === 409 || statusCode === 423) return "conflict";
    if (statusCode === 429) return "rate_limited";
    if (statusCode >= 500) return "server";
    return "unexpected";
}

const CLASS_OF_KIND: Record<AirbyteErrorKind, typeof AirbyteApiError> = {
    not_found: AirbyteNotFoundError,
    validation: AirbyteValidationError,
    auth: AirbyteAuthError,
    conflict: AirbyteConflictError,
    rate_limited: AirbyteRateLimitError,
    server: AirbyteServerError,
    network: AirbyteNetworkError,
    unexpected: AirbyteApiError,
};

/**
 * The human part of an error body, whatever its shape: the Config API's KnownExceptionInfo
 * (`message`, `validationErrors`), the public API's problem JSON (`title`, `detail`,
 * `data.message`), Micronaut's JSON errors (`_embedded.errors[].message`), a proxy's HTML page
 * (its `<title>`), or text.
 */
function messageOfBody(body: unknown): { message?: string; errorId?: string } {
    if (body === undefined || body === null || body === "") return {};
    if (typeof body === "string") {
        try {
            return messageOfBody(JSON.parse(body));
        } catch {
            const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
            if (title) return { message: title };
            return { message: body.length > 500 ? `${body.slice(0, 500)}…` : body };
        }
    }
    if (typeof body !== "object") return {};
    const b = body as Record<string, unknown>;
    const errorId = typeof b.errorId === "string" ? b.errorId : undefined;
    const parts: string[] = [];
    for (const key of ["message", "title", "detail"]) {
        const v = b[key];
        if (typeof v === "string" && v && !parts.includes(v)) parts.push(v);
    }
    const data = b.data as Record<string, unknown> | undefined;
    if (
        data &&
        typeof data === "object" &&
        typeof data.message === "string" &&
        data.message &&
        !parts.includes(data.message)
    )
        parts.push(data.message.trim());
    const embedded = (b._embedded as { errors?: { message?: unknown }[] } | undefined)?.errors;
    if (Array.isArray(embedded)) {
        for (const e of embedded)
            if (typeof e?.message === "string" && !parts.includes(e.message)) parts.push(e.message);
    }
    if (Array.isArray(b.validationErrors)) {
        for (const e of b.validationErrors as Record<string, unknown>[]) {
            if (e && typeof e.propertyPath === "string")
                parts.push(`${e.propertyPath}: ${typeof e.message === "string" ? e.message : "invalid"}`);
        }
    }
    return { message: parts.length ? parts.join(" — ") : undefined, errorId };
}

/** Builds the typed error for an HTTP error answer. */
export function errorFromResponse(
    statusCode: number,
    body: unknown,
    context: CallContext,
    hint?: string,
): AirbyteApiError {
    const kind = kindOfStatus(statusCode);
    const { message, errorId } = messageOfBody(body);
    const Class = CLASS_OF_KIND[kind];
    return new Class({ kind, context, statusCode, errorId, serverMessage: message, hint });
}

/**
 * Certificate verification failures (Node's `err.code` is OpenSSL's verify error). The TLS
 * handshake failed, so no request was sent.
 */
export const TLS_VERIFY_CODES = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "CERT_SIGNATURE_FAILURE",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * Network error codes for which the request certainly never reached the server.
 * ERR_SOCKET_CLOSED_BEFORE_CONNECTION: on Node ≥ 24.20, got 14 surfaces a refused connection as
 * this raw `node:net` error instead of ECONNREFUSED (sindresorhus/got#2469, fixed in got 16,
 * which needs Node 22): the socket never connected.
 */
export const SOCKET_NEVER_CONNECTED = "ERR_SOCKET_CLOSED_BEFORE_CONNECTION";
const NEVER_SENT_CODES = new Set([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "ERR_INVALID_URL",
    SOCKET_NEVER_CONNECTED,
    ...TLS_VERIFY_CODES,
]);

/** Whether a failed request (with no HTTP answer) could have been processed by the server. */
export function mayHaveReachedServer(code: string | undefined): boolean {
    return !(code && NEVER_SENT_CODES.has(code));
}

/** Builds the typed error for a request that got no HTTP answer. */
export function errorFromNetwork(code: string | undefined, message: string, context: CallContext): AirbyteNetworkError {
    if (code && TLS_VERIFY_CODES.has(code)) {
        return new AirbyteNetworkError({
            kind: "network",
            context,
            detail: `TLS certificate verification failed: ${code} (${message})`,
            hint: "To trust a private or self-signed CA, set airbyte:caBundle to its PEM certificate (text or file path); airbyte:insecureSkipTlsVerify=true turns verification off (testing only)",
            mayHaveReachedServer: false,
            code,
        });
    }
    const detail = code === "ETIMEDOUT" ? "timed out" : code ? `${code} (${message})` : message;
    return new AirbyteNetworkError({
        kind: "network",
        context,
        detail,
        mayHaveReachedServer: mayHaveReachedServer(code),
        code,
    });
}

/**
 * A backend cannot do what it was asked after all (e.g. a self-managed server's Config API,
 * which lends connector specs to the public API backend, is not reachable). The runtime skips
 * what needed it and says so, as for a backend without the capability.
 */
export class CapabilityUnavailableError extends Error {
    override name = "CapabilityUnavailableError";
}
