/**
 * The HTTP layer under every backend: one `got` instance per server and credentials, with
 * authentication, retries, timeouts, TLS settings, a per-server concurrency bound, a wait for a
 * server that is still starting, and errors translated into the typed errors of `./errors`.
 * It speaks plain REST (any method, path parameters, query strings, JSON bodies); what the paths
 * and bodies mean is the backends' business.
 *
 * `got` is ESM-only, so it is loaded with a dynamic `import()` the first time a request is made
 * (TypeScript's `node16` module setting keeps the `import()` in the CommonJS output). That also
 * keeps `got` out of Pulumi's closure serialization.
 */
import { rootCertificates } from "node:tls";
import type { Got, RequestError } from "got" with { "resolution-mode": "import" };
import { log } from "../log";
import { registerSecret } from "../redact";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version";
import { AuthSettings, getAccessToken, registerAuthSecrets, tokenCacheKey } from "./auth";
import {
    AirbyteApiError,
    AirbyteAuthError,
    CallContext,
    errorFromNetwork,
    errorFromResponse,
    SOCKET_NEVER_CONNECTED,
} from "./errors";
import { looksNotUp, ServerReadiness } from "./readiness";
import { gotRetryPolicy, PUSHBACK_STATUS, pushbackWaitMs, retryAfterMs } from "./retry-policy";
import { limiterFor, Semaphore } from "./semaphore";

/** Where and how a backend exchanges client credentials for an access token. */
export interface TokenEndpoint {
    /** Path relative to the server URL, e.g. `api/v1/applications/token`. */
    path: string;
    /** The JSON body for a client id and secret. */
    body(clientId: string, clientSecret: string): Record<string, string>;
}

export interface TransportSettings {
    /** Base URL every path is relative to, e.g. `http://localhost:8000` (normalized by the settings). */
    serverUrl: string;
    auth: AuthSettings;
    /** Required with client credentials. */
    tokenEndpoint?: TokenEndpoint;
    /** Path of an anonymous health endpoint (for the readiness wait), e.g. `api/v1/health`. */
    healthPath?: string;
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
    /**
     * How long, during `pulumi up`/`refresh`/`destroy`, to wait for a server that does not answer
     * yet (refused connections, a proxy's 502/503/504) before failing. 0 turns the wait off.
     */
    serverReadyTimeoutMs?: number;
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
    method: HttpMethod;
    /** Relative to the server URL; `{name}` segments are filled from `pathParams` (URL-encoded). */
    path: string;
    pathParams?: Record<string, string>;
    /** Arrays are sent as repeated parameters (`workspaceIds=a&workspaceIds=b`), OpenAPI's default. */
    query?: Record<string, QueryValue>;
    /** Sent as JSON. */
    body?: unknown;
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
    /** Names the call in messages, e.g. `sources/create`; default `METHOD path`. */
    operation?: string;
}

/** Debug lines stay readable: long bodies are cut (they are redacted first by the logger). */
function truncate(text: string, max = 2000): string {
    return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** `path` with its `{name}` segments filled in, and the query string. */
export function buildUrlPath(
    path: string,
    pathParams: Record<string, string> = {},
    query: Record<string, QueryValue> = {},
): string {
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = pathParams[name];
        if (value === undefined) throw new Error(`no value for path parameter {${name}} of ${path}`);
        return encodeURIComponent(value);
    });
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
        if (value === undefined) continue;
        // (Array.isArray widens a readonly string[] to any[].)
        if (Array.isArray(value)) for (const item of value as readonly string[]) search.append(key, item);
        else search.append(key, String(value));
    }
    const text = search.toString();
    return text ? `${filled}?${text}` : filled;
}

type Attempt<T> =
    { done: true; value: T } | { done: false; error: AirbyteApiError; retryAfterMs?: number; notUp?: boolean };

export class AirbyteTransport {
    readonly serverUrl: string;
    private readonly settings: Required<Omit<TransportSettings, "caBundle" | "tokenEndpoint" | "healthPath">> &
        Pick<TransportSettings, "caBundle" | "tokenEndpoint" | "healthPath">;
    private instance?: Promise<Got>;
    private readonly readiness: ServerReadiness;

    constructor(settings: TransportSettings) {
        this.serverUrl = settings.serverUrl.replace(/\/+$/, "");
        this.settings = {
            requestTimeoutMs: 60_000,
            connectorTimeoutMs: 600_000,
            retryLimit: 5,
            maxRetryAfterMs: 60_000,
            backoffLimitMs: 10_000,
            maxConcurrentRequests: 8,
            insecureSkipTlsVerify: false,
            serverReadyTimeoutMs: 0,
            // Unset settings keep their defaults.
            ...(Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as TransportSettings),
            serverUrl: this.serverUrl,
        };
        if (settings.auth.kind === "client-credentials" && !settings.tokenEndpoint)
            throw new Error("client credentials need the backend's token endpoint");
        registerAuthSecrets(settings.auth);
        this.readiness = new ServerReadiness(
            this.serverUrl,
            this.settings.serverReadyTimeoutMs,
            this.settings.healthPath === undefined ? undefined : () => this.probeHealth(),
        );
        // Once per client, i.e. once per server and credentials in a provider process.
        if (this.settings.insecureSkipTlsVerify) {
            log.warn(
                `TLS certificate verification is disabled for ${this.serverUrl} (airbyte:insecureSkipTlsVerify): the connection is encrypted but the server is not authenticated. Use airbyte:caBundle to trust a private CA instead.`,
            );
        }
    }

    /**
     * One API call, answered with the parsed JSON body (undefined for 204 or an empty body).
     *
     * A 429 or 503 says the server did nothing and wants less: the call then leaves its slot of
     * the per-server limiter, which lowers its bound (see ./semaphore), waits for the server's
     * `Retry-After` (or a backoff) plus jitter, and queues again. Retrying inside the slot instead
     * would keep every rejected request in flight and send them all back at the same moment: a
     * server that admits 4 requests, with 32 waiting on it, would keep refusing most of them
     * until their retries ran out. Such pushback is retried up to twice `retryLimit` times, for
     * creates too (nothing was processed).
     *
     * During apply, a server that does not answer at all yet (being installed, restarting) is
     * waited for, up to `serverReadyTimeoutMs`, before the call is given up (see ./readiness).
     */
    async request<T>(options: RequestOptions): Promise<T> {
        const client = await this.client();
        const operation = options.operation ?? `${options.method} /${options.path}`;
        const context: CallContext = { operation, resource: options.resource };
        const limiter = limiterFor(this.serverUrl, this.settings.maxConcurrentRequests);
        const budget = this.settings.retryLimit * 2;
        const body = options.body === undefined ? undefined : JSON.stringify(options.body);
        let waitedForReady = false;
        for (let pushedBack = 0; ; pushedBack++) {
            const outcome: Attempt<T> = await limiter.run(() =>
                this.attempt<T>(client, options, body, context, limiter),
            );
            if (outcome.done) return outcome.value;
            const { error } = outcome;
            if (outcome.notUp && !waitedForReady && this.readiness.mayWait()) {
                waitedForReady = true;
                await this.readiness.wait(error);
                pushedBack = -1;
                continue;
            }
            // Pushback (429/503) may be retried twice as often as a connection that never opened.
            if (pushedBack >= (error.statusCode ? budget : this.settings.retryLimit)) throw error;
            if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.settings.maxRetryAfterMs) {
                throw new AirbyteApiError({
                    kind: error.kind,
                    context,
                    statusCode: error.statusCode,
                    serverMessage: `the server asks to retry in ${Math.round(outcome.retryAfterMs / 1000)} s, longer than the ${Math.round(this.settings.maxRetryAfterMs / 1000)} s the provider waits`,
                });
            }
            const wait = pushbackWaitMs(pushedBack, outcome.retryAfterMs, this.settings);
            log.debug(
                `${operation}: ${error.statusCode ? `HTTP ${error.statusCode}` : "connection refused"}, retrying in ${wait} ms (${pushedBack + 1} of ${budget}); ${limiter.inUse} in flight, bound ${limiter.bound}`,
            );
            await new Promise((resolve) => setTimeout(resolve, wait));
        }
    }

    /** One request (with got's own retries of network errors and 502/504 for idempotent calls). */
    private async attempt<T>(
        client: Got,
        options: RequestOptions,
        body: string | undefined,
        context: CallContext,
        limiter: Semaphore,
    ): Promise<Attempt<T>> {
        const started = Date.now();
        const url = buildUrlPath(options.path, options.pathParams, options.query);
        try {
            // Config API operations are named by path (`sources/create`), public ones by method and path (`POST
            // /sources`).
            log.debug(
                () =>
                    `→ ${context.operation.startsWith(`${options.method} `) ? context.operation : `${options.method} ${context.operation}`}${body !== undefined ? ` ${truncate(body)}` : ""}`,
            );
            const response = await client(url, {
                method: options.method,
                body,
                headers: body !== undefined ? { "content-type": "application/json" } : undefined,
                retry: gotRetryPolicy(this.settings, options.idempotent),
                timeout: {
                    request: options.connector ? this.settings.connectorTimeoutMs : this.settings.requestTimeoutMs,
                },
                context: { operation: context.operation },
            });
            limiter.recover();
            this.readiness.confirm();
            const text = response.body;
            log.debug(() => `← ${context.operation} ${response.statusCode} in ${Date.now() - started} ms`);
            if (response.statusCode === 204 || !text) return { done: true, value: undefined as T };
            try {
                return { done: true, value: JSON.parse(text) as T };
            } catch {
                throw new AirbyteApiError({
                    kind: "unexpected",
                    context,
                    statusCode: response.statusCode,
                    serverMessage: "the response is not JSON",
                });
            }
        } catch (error) {
            const translated = this.translate(error, context, body);
            log.debug(() => `← ${context.operation} failed in ${Date.now() - started} ms: ${translated.message}`);
            if (!(translated instanceof AirbyteApiError)) throw translated;
            const response = (error as RequestError)?.response;
            // `translated` also covers a token request that failed inside the auth hook.
            const status = translated.statusCode;
            const code = translated.code ?? (error as { code?: string })?.code;
            const notUp = looksNotUp(code, status);
            if (status === 429 || status === 503) {
                limiter.backOff(started);
                return {
                    done: false,
                    error: translated,
                    retryAfterMs: retryAfterMs(response?.headers["retry-after"]),
                    notUp,
                };
            }
            // got 14 on Node ≥ 24.20 rejects a refused connection with this raw error and skips its
            // own retries (sindresorhus/got#2469); nothing was sent, so `request` retries it with backoff.
            if (code === SOCKET_NEVER_CONNECTED) return { done: false, error: translated, notUp: true };
            // A refused connection or a proxy's 502/504 with nothing behind it: during apply, wait
            // for the server, then send again (got already retried what it could). A call that
            // may have reached Airbyte is not repeated here; creates reconcile such failures.
            if (notUp && (options.idempotent || !translated.mayHaveReachedServer) && this.readiness.mayWait()) {
                return { done: false, error: translated, notUp: true };
            }
            throw translated;
        }
    }

    /** Resolves once the server answers its health endpoint (see ./readiness); at once if it already did. */
    waitUntilReady(): Promise<void> {
        return this.readiness.wait();
    }

    /** One look at the health endpoint (anonymous, not retried), for the readiness wait. */
    private async probeHealth(): Promise<string | undefined> {
        const client = await this.client();
        try {
            const response = await client(this.settings.healthPath!, {
                method: "GET",
                retry: { limit: 0 },
                timeout: { request: 10_000 },
                context: { operation: "health", anonymous: true },
            });
            return response.statusCode === 200 ? undefined : `HTTP ${response.statusCode}`;
        } catch (error) {
            const e = error as RequestError;
            return e.response ? `HTTP ${e.response.statusCode}` : (e.code ?? e.message);
        }
    }

    private translate(error: unknown, context: CallContext, body?: string): Error {
        if (error instanceof AirbyteApiError) return error;
        // An error thrown in a hook (e.g. a refused token request) arrives wrapped by got.
        const cause = (error as { cause?: unknown })?.cause;
        if (cause instanceof AirbyteApiError) return cause;
        const e = error as RequestError;
        if (e?.response) {
            const bytes = body === undefined ? undefined : Buffer.byteLength(body);
            return errorFromResponse(
                e.response.statusCode,
                e.response.body,
                context,
                this.hintFor(e.response.statusCode, context.operation, bytes),
            );
        }
        if (e && typeof e === "object" && "code" in e) return errorFromNetwork(e.code, e.message, context);
        return errorFromNetwork(undefined, String((error as Error)?.message ?? error), context);
    }

    /** What the user can do about an error status: which setting to check, what to shrink. */
    private hintFor(statusCode: number, operation: string, requestBytes: number | undefined): string | undefined {
        if (statusCode === 413) {
            const size = requestBytes === undefined ? "" : ` (${(requestBytes / 1048576).toFixed(1)} MiB)`;
            return `The request body${size} is larger than the server accepts: Airbyte refuses requests over 10 MiB (micronaut.server.max-request-size) and abctl's ingress does too (proxy-body-size 10m). Sync fewer streams per connection, select fewer columns, or raise both limits on the server`;
        }
        if (operation === "applications/token") return undefined;
        if (statusCode === 403)
            return "The credentials are valid but not allowed to do this; check the permissions of the Airbyte user or application";
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
                certificateAuthority: this.settings.caBundle
                    ? [...rootCertificates, this.settings.caBundle]
                    : undefined,
                rejectUnauthorized: !this.settings.insecureSkipTlsVerify,
            },
            hooks: {
                beforeRequest: [
                    async (options) => {
                        const context = options.context as { anonymous?: boolean };
                        if (context.anonymous) return;
                        const header = await this.authorizationHeader();
                        if (header) options.headers.authorization = header;
                    },
                ],
                afterResponse: [
                    async (response, retryWithMergedOptions) => {
                        const context = response.request.options.context as {
                            operation?: string;
                            authRetried?: boolean;
                            anonymous?: boolean;
                        };
                        // A 401 with client credentials: the token expired or was revoked early.
                        // Fetch a new one and repeat the request once; the server did not process it.
                        if (
                            response.statusCode === 401 &&
                            auth.kind === "client-credentials" &&
                            !context.authRetried &&
                            !context.anonymous
                        ) {
                            const rejected = String(response.request.options.headers.authorization ?? "").replace(
                                /^Bearer /,
                                "",
                            );
                            const token = await this.accessToken({ forceRefresh: true, rejected });
                            log.debug(`${context.operation}: 401, retrying once with a fresh access token`);
                            return retryWithMergedOptions({
                                headers: { authorization: `Bearer ${token}` },
                                context: { authRetried: true },
                            });
                        }
                        return response;
                    },
                ],
                beforeRetry: [
                    (error, retryCount) => {
                        const operation = (error.options.context as { operation?: string }).operation;
                        const why = error.response
                            ? `HTTP ${error.response.statusCode}`
                            : (error.code ?? error.message);
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

    /**
     * Exchanges client credentials for an access token at the backend's token endpoint. Token
     * requests run outside the per-server limiter: they are issued from inside a request that
     * already holds a slot, and must not wait for a slot themselves.
     */
    private async requestToken(
        clientId: string,
        clientSecret: string,
    ): Promise<{ accessToken: string; expiresInSeconds?: number }> {
        const endpoint = this.settings.tokenEndpoint!;
        const context: CallContext = { operation: "applications/token" };
        const client = await this.client();
        let response: { access_token?: unknown; expires_in?: unknown };
        try {
            const answer = await client(endpoint.path, {
                method: "POST",
                json: endpoint.body(clientId, clientSecret),
                retry: gotRetryPolicy(this.settings, true, PUSHBACK_STATUS),
                timeout: { request: this.settings.requestTimeoutMs },
                context: { operation: context.operation, anonymous: true },
            });
            response = JSON.parse(answer.body) as typeof response;
        } catch (error) {
            const e = this.translate(error, context) as AirbyteApiError;
            if (e.kind === "validation" || e.kind === "auth") {
                throw new AirbyteAuthError({
                    kind: "auth",
                    context: { operation: context.operation, resource: `client id "${clientId}"` },
                    statusCode: e.statusCode,
                    serverMessage: `the server refused the client credentials${e.serverMessage ? ` (${e.serverMessage})` : ""}; check airbyte:clientId and airbyte:clientSecret`,
                });
            }
            throw e;
        }
        if (!response || typeof response.access_token !== "string" || !response.access_token) {
            throw new AirbyteAuthError({ kind: "auth", context, serverMessage: "the answer carried no access_token" });
        }
        registerSecret(response.access_token);
        return {
            accessToken: response.access_token,
            expiresInSeconds: typeof response.expires_in === "number" ? response.expires_in : undefined,
        };
    }
}
