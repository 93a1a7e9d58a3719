/**
 * The HTTP layer under every Airbyte API call: one `got` instance per client, with
 * authentication, retries, timeouts, TLS settings, a per-server concurrency bound, and errors
 * translated into the typed errors of `./errors`.
 *
 * `got` is ESM-only, so it is loaded with a dynamic `import()` the first time a request is made
 * (TypeScript's `node16` module setting keeps the `import()` in the CommonJS output). That also
 * keeps `got` out of Pulumi's closure serialization.
 */
import { rootCertificates } from "node:tls";
import type { Got, OptionsInit, RequestError } from "got" with { "resolution-mode": "import" };
import { log } from "../log";
import { registerSecret } from "../redact";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version";
import { AuthSettings, getAccessToken, registerAuthSecrets, tokenCacheKey } from "./auth";
import { AirbyteApiError, CallContext, errorFromNetwork, errorFromResponse, AirbyteAuthError, SOCKET_NEVER_CONNECTED } from "./errors";
import { limiterFor, Semaphore } from "./semaphore";
import type { AccessTokenResponse } from "./types";

export interface TransportSettings {
    /** Base URL of the Airbyte server, e.g. `http://localhost:8000` (a trailing `/api` or `/api/v1` is accepted). */
    serverUrl: string;
    auth: AuthSettings;
    /** Per-attempt timeout of ordinary calls. Default 60 s. */
    requestTimeoutMs?: number;
    /** Per-attempt timeout of calls that run a connector (check, discover). Default 10 min. */
    connectorTimeoutMs?: number;
    /** Retries of a retryable failure. Default 5. */
    retryLimit?: number;
    /** Longest `Retry-After` honoured; a longer one fails the call. Default 60 s. */
    maxRetryAfterMs?: number;
    /** Upper bound of the exponential backoff. Default 10 s. */
    backoffLimitMs?: number;
    /** Requests in flight at once against this server, across the whole provider process. Default 8. */
    maxConcurrentRequests?: number;
    /** PEM text of extra certificate authorities to trust (self-signed or private CA). */
    caBundle?: string;
    /** Skip TLS certificate verification. Opt-in only; logs a warning. */
    insecureSkipTlsVerify?: boolean;
}

export interface CallOptions {
    /**
     * Safe to repeat: retried on network errors, 429, 502, 503 and 504. A non-idempotent call
     * (a create, a sync) is retried only when the server certainly did not process it: 429, 503,
     * or a connection that was never established.
     */
    idempotent: boolean;
    /** Names the resource in error messages, e.g. `source "mssql"`. */
    resource?: string;
    /** Runs a connector (check, discover): longer timeout. */
    connector?: boolean;
    method?: "GET" | "POST";
}

/** Retried by got for idempotent calls; 429 and 503 are retried by `call` (see there). */
const RETRYABLE_STATUS = [502, 504];
const PUSHBACK_STATUS = [429, 503];
const RETRYABLE_NETWORK_CODES = ["ETIMEDOUT", "ECONNRESET", "EADDRINUSE", "ECONNREFUSED", "EPIPE", "ENOTFOUND", "ENETUNREACH", "EAI_AGAIN", "EHOSTUNREACH"];
const NEVER_SENT_NETWORK_CODES = ["ECONNREFUSED", "ENOTFOUND", "ENETUNREACH", "EAI_AGAIN", "EHOSTUNREACH"];

/** Validates and normalizes a server URL: `https://host/airbyte/api/v1/` → `https://host/airbyte`. */
export function normalizeServerUrl(raw: string, settingName = "serverUrl"): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new Error(`${settingName} must be an absolute http(s) URL such as "http://localhost:8000"; got "${raw}"`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Error(`${settingName} must use http or https; got "${url.protocol}"`);
    }
    if (url.username || url.password) {
        throw new Error(`${settingName} must not contain credentials; use the clientId/clientSecret, token or basic-auth settings`);
    }
    if (url.search || url.hash) throw new Error(`${settingName} must not contain a query string or fragment`);
    const path = url.pathname.replace(/\/+$/, "").replace(/\/api(\/v1)?$/, "");
    return `${url.origin}${path}`;
}

/** `Retry-After` in ms: seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined || value.trim() === "") return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Debug lines stay readable: long bodies are cut (they are redacted first by the logger). */
function truncate(text: string, max = 2000): string {
    return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

export class AirbyteTransport {
    readonly serverUrl: string;
    private readonly settings: Required<Omit<TransportSettings, "caBundle">> & { caBundle?: string };
    private instance?: Promise<Got>;

    constructor(settings: TransportSettings) {
        this.serverUrl = normalizeServerUrl(settings.serverUrl);
        this.settings = {
            requestTimeoutMs: 60_000,
            connectorTimeoutMs: 600_000,
            retryLimit: 5,
            maxRetryAfterMs: 60_000,
            backoffLimitMs: 10_000,
            maxConcurrentRequests: 8,
            insecureSkipTlsVerify: false,
            // Unset settings keep their defaults.
            ...(Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as TransportSettings),
            serverUrl: this.serverUrl,
        };
        registerAuthSecrets(settings.auth);
        // Once per client, i.e. once per server and credentials in a provider process.
        if (this.settings.insecureSkipTlsVerify) {
            log.warn(`TLS certificate verification is disabled for ${this.serverUrl} (airbyte:insecureSkipTlsVerify): the connection is encrypted but the server is not authenticated. Use airbyte:caBundle to trust a private CA instead.`);
        }
    }

    /**
     * `POST /api/v1/<operation>` with a JSON body (or `GET` for the two anonymous GET endpoints).
     *
     * A 429 or 503 says the server did nothing and wants less: the call then leaves its slot of
     * the per-server limiter, which lowers its bound (see ./semaphore), waits for the server's
     * `Retry-After` (or a backoff) plus jitter, and queues again. Retrying inside the slot instead
     * would keep every rejected request in flight and send them all back at the same moment: a
     * server that admits 4 requests, with 32 waiting on it, would keep refusing most of them
     * until their retries ran out. Such pushback is retried up to twice `retryLimit` times, for
     * creates too (nothing was processed).
     */
    async call<T>(operation: string, body: unknown, options: CallOptions): Promise<T> {
        const client = await this.client();
        const context: CallContext = { operation, resource: options.resource };
        const limiter = limiterFor(this.serverUrl, this.settings.maxConcurrentRequests);
        const budget = this.settings.retryLimit * 2;
        for (let pushedBack = 0; ; pushedBack++) {
            const outcome = await limiter.run(() => this.attempt<T>(client, operation, body, options, context, limiter));
            if (outcome.done) return outcome.value;
            const { error, retryAfterMs } = outcome;
            // Pushback (429/503) may be retried twice as often as a connection that never opened.
            if (pushedBack >= (error.statusCode ? budget : this.settings.retryLimit)) throw error;
            if (retryAfterMs !== undefined && retryAfterMs > this.settings.maxRetryAfterMs) {
                throw new AirbyteApiError({
                    kind: error.kind,
                    context,
                    statusCode: error.statusCode,
                    serverMessage: `the server asks to retry in ${Math.round(retryAfterMs / 1000)} s, longer than the ${Math.round(this.settings.maxRetryAfterMs / 1000)} s the provider waits`,
                });
            }
            const delay = retryAfterMs ?? Math.min(1000 * 2 ** pushedBack, this.settings.backoffLimitMs);
            const wait = Math.round(delay + Math.random() * Math.max(100, delay / 2));
            log.debug(`${operation}: ${error.statusCode ? `HTTP ${error.statusCode}` : "connection refused"}, retrying in ${wait} ms (${pushedBack + 1} of ${budget}); ${limiter.inUse} in flight, bound ${limiter.bound}`);
            await new Promise((resolve) => setTimeout(resolve, wait));
        }
    }

    /** One request (with got's own retries of network errors and 502/504 for idempotent calls). */
    private async attempt<T>(
        client: Got,
        operation: string,
        body: unknown,
        options: CallOptions,
        context: CallContext,
        limiter: Semaphore,
    ): Promise<{ done: true; value: T } | { done: false; error: AirbyteApiError; retryAfterMs?: number }> {
        const started = Date.now();
        try {
            const method = options.method ?? "POST";
            log.debug(() => `→ ${method} ${operation}${method === "POST" ? ` ${truncate(JSON.stringify(body ?? {}))}` : ""}`);
            const response = await client(`api/v1/${operation}`, {
                method,
                json: method === "POST" ? (body ?? {}) : undefined,
                retry: this.retryPolicy(options.idempotent),
                timeout: { request: options.connector ? this.settings.connectorTimeoutMs : this.settings.requestTimeoutMs },
                context: { operation },
            });
            limiter.recover();
            const text = response.body as string;
            log.debug(() => `← ${operation} ${response.statusCode} in ${Date.now() - started} ms`);
            if (response.statusCode === 204 || !text) return { done: true, value: undefined as T };
            try {
                return { done: true, value: JSON.parse(text) as T };
            } catch {
                throw new AirbyteApiError({ kind: "unexpected", context, statusCode: response.statusCode, serverMessage: "the response is not JSON" });
            }
        } catch (error) {
            const translated = this.translate(error, context);
            log.debug(() => `← ${operation} failed in ${Date.now() - started} ms: ${translated.message}`);
            const status = (error as RequestError)?.response?.statusCode;
            if (translated instanceof AirbyteApiError && (status === 429 || status === 503)) {
                limiter.backOff(started);
                return { done: false, error: translated, retryAfterMs: retryAfterMs((error as RequestError).response?.headers["retry-after"]) };
            }
            // got 14 on Node ≥ 24.20 rejects a refused connection with this raw error and skips its
            // own retries (sindresorhus/got#2469); nothing was sent, so `call` retries it with backoff.
            if ((error as { code?: string })?.code === SOCKET_NEVER_CONNECTED && translated instanceof AirbyteApiError) {
                return { done: false, error: translated };
            }
            throw translated;
        }
    }

    /**
     * got's retry policy. 429 and 503 are not retried here but by `call` (outside the limiter
     * slot), except for token requests, which run outside the limiter anyway.
     */
    private retryPolicy(idempotent: boolean, pushback: number[] = []): OptionsInit["retry"] {
        const common = {
            limit: this.settings.retryLimit,
            methods: ["GET", "POST"] as const,
            maxRetryAfter: this.settings.maxRetryAfterMs,
            backoffLimit: this.settings.backoffLimitMs,
            noise: 100,
        };
        return idempotent
            ? { ...common, methods: [...common.methods], statusCodes: [...RETRYABLE_STATUS, ...pushback], errorCodes: RETRYABLE_NETWORK_CODES }
            : { ...common, methods: [...common.methods], statusCodes: pushback, errorCodes: NEVER_SENT_NETWORK_CODES };
    }

    private translate(error: unknown, context: CallContext): Error {
        if (error instanceof AirbyteApiError) return error;
        // An error thrown in a hook (e.g. a refused token request) arrives wrapped by got.
        const cause = (error as { cause?: unknown })?.cause;
        if (cause instanceof AirbyteApiError) return cause;
        const e = error as RequestError;
        if (e?.response) return errorFromResponse(e.response.statusCode, e.response.body, context, this.authHint(e.response.statusCode, context.operation));
        if (e && typeof e === "object" && "code" in e) return errorFromNetwork(e.code, e.message, context);
        return errorFromNetwork(undefined, String((error as Error)?.message ?? error), context);
    }

    /** For 401/403: which setting to look at, by authentication method. */
    private authHint(statusCode: number, operation: string): string | undefined {
        if (operation === "applications/token") return undefined;
        if (statusCode === 403) return "The credentials are valid but not allowed to do this; check the permissions of the Airbyte user or application";
        if (statusCode !== 401) return undefined;
        switch (this.settings.auth.kind) {
            case "none":
                return "The server requires authentication; set airbyte:clientId and airbyte:clientSecret (or airbyte:token)";
            case "bearer":
                return "The server refused the access token in airbyte:token; it may have expired or been revoked (client credentials, airbyte:clientId/airbyte:clientSecret, are refreshed automatically)";
            case "basic":
                return "The server refused airbyte:username/airbyte:password";
            case "client-credentials":
                return "The server refused a freshly issued access token for airbyte:clientId; check that the application still exists and may use this server";
        }
    }

    private client(): Promise<Got> {
        this.instance ??= this.createClient();
        return this.instance;
    }

    private async createClient(): Promise<Got> {
        const { default: got } = await import("got");
        const auth = this.settings.auth;
        return got.extend({
            prefixUrl: this.serverUrl,
            responseType: "text",
            headers: { "user-agent": `${PACKAGE_NAME}/${PACKAGE_VERSION}`, accept: "application/json" },
            https: {
                // A custom bundle is trusted in addition to Node's built-in roots, not instead.
                certificateAuthority: this.settings.caBundle ? [...rootCertificates, this.settings.caBundle] : undefined,
                rejectUnauthorized: !this.settings.insecureSkipTlsVerify,
            },
            hooks: {
                beforeRequest: [
                    async (options) => {
                        const operation = (options.context as { operation?: string }).operation;
                        if (operation === "applications/token") return;
                        const header = await this.authorizationHeader();
                        if (header) options.headers.authorization = header;
                    },
                ],
                afterResponse: [
                    async (response, retryWithMergedOptions) => {
                        const context = response.request.options.context as { operation?: string; authRetried?: boolean };
                        // A 401 with client credentials: the token expired or was revoked early.
                        // Fetch a new one and repeat the request once; the server did not process it.
                        if (response.statusCode === 401 && auth.kind === "client-credentials" && !context.authRetried && context.operation !== "applications/token") {
                            const rejected = String(response.request.options.headers.authorization ?? "").replace(/^Bearer /, "");
                            const token = await this.accessToken({ forceRefresh: true, rejected });
                            log.debug(`${context.operation}: 401, retrying once with a fresh access token`);
                            return retryWithMergedOptions({ headers: { authorization: `Bearer ${token}` }, context: { authRetried: true } });
                        }
                        return response;
                    },
                ],
                beforeRetry: [
                    (error, retryCount) => {
                        const operation = (error.options.context as { operation?: string }).operation;
                        const why = error.response ? `HTTP ${error.response.statusCode}` : (error.code ?? error.message);
                        log.debug(`retrying ${operation} after ${why} (retry ${retryCount})`);
                    },
                ],
            },
        });
    }

    private async authorizationHeader(): Promise<string | undefined> {
        const auth = this.settings.auth;
        switch (auth.kind) {
            case "none":
                return undefined;
            case "bearer":
                return `Bearer ${auth.token}`;
            case "basic":
                return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
            case "client-credentials":
                return `Bearer ${await this.accessToken()}`;
        }
    }

    private accessToken(options: { forceRefresh?: boolean; rejected?: string } = {}): Promise<string> {
        const auth = this.settings.auth;
        if (auth.kind !== "client-credentials") throw new Error("accessToken() needs client credentials");
        const key = tokenCacheKey(this.serverUrl, auth.clientId, auth.clientSecret);
        return getAccessToken(key, () => this.requestToken(auth.clientId, auth.clientSecret), options);
    }

    /** `POST /api/v1/applications/token`: exchanges client credentials for an access token. */
    private async requestToken(clientId: string, clientSecret: string): Promise<{ accessToken: string; expiresInSeconds?: number }> {
        let response: AccessTokenResponse;
        try {
            response = await this.callWithoutLimiter<AccessTokenResponse>("applications/token", { client_id: clientId, client_secret: clientSecret });
        } catch (error) {
            const e = error as AirbyteApiError;
            if (e.kind === "validation" || e.kind === "auth") {
                throw new AirbyteAuthError({
                    kind: "auth",
                    context: { operation: "applications/token", resource: `client id "${clientId}"` },
                    statusCode: e.statusCode,
                    serverMessage: `the server refused the client credentials${e.serverMessage ? ` (${e.serverMessage})` : ""}; check airbyte:clientId and airbyte:clientSecret`,
                });
            }
            throw error;
        }
        if (!response || typeof response.access_token !== "string" || !response.access_token) {
            throw new AirbyteAuthError({ kind: "auth", context: { operation: "applications/token" }, serverMessage: "the answer carried no access_token" });
        }
        registerSecret(response.access_token);
        return { accessToken: response.access_token, expiresInSeconds: response.expires_in };
    }

    /**
     * Token requests run outside the per-server limiter: they are issued from inside a request
     * that already holds a slot, and must not wait for a slot themselves.
     */
    private async callWithoutLimiter<T>(operation: string, body: unknown): Promise<T> {
        const client = await this.client();
        const context: CallContext = { operation };
        try {
            const response = await client(`api/v1/${operation}`, {
                method: "POST",
                json: body,
                retry: this.retryPolicy(true, PUSHBACK_STATUS),
                timeout: { request: this.settings.requestTimeoutMs },
                context: { operation },
            });
            return JSON.parse(response.body as string) as T;
        } catch (error) {
            throw this.translate(error, context);
        }
    }
}
