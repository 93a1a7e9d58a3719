/**
 * The HTTP front door: a thin router over the Config API's handler table and, through one hook
 * (`publicApi.resolve`), the public API (public-api/). Per API request, in order:
 * what nginx answers itself (502 while the server is "starting", basic-auth 401) → request size
 * limit (413) → unknown routes (404, or 401/403 with security on) → concurrency limit → injected
 * latency → fault rules → bearer authentication → body parsing → request validation → handler →
 * persistence → answer → request log. `/_emulator/*` admin requests skip everything but the
 * admin router (no faults, latency, auth or logging). In Cloud mode only the public API is
 * served (under `/v1`); the Config API and `/api/public` paths are 404s.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { AdminRouter } from "./admin";
import { NO_CONTENT, type HandlerContext, type ResolvedRoute, type RouteDefinition } from "./context";
import { ApiError, micronautError, renderError } from "./errors";
import type { FaultInjector } from "./faults";
import { maskRequestBody, maskResponseBody } from "./log-masking";
import { badGateway, basicAuthDenied } from "./proxy";
import type { PublicApiRouter } from "./public-api";
import type { EmulatorCounters, RequestLogEntry } from "./request-log";
import type { JobLatencies } from "./options";
import { parseJsonObjectBody, validateRequest } from "./validation";

const API_PREFIX = "/api/v1/";
const ADMIN_PREFIX = "/_emulator";
/** The Config API for tests, in every mode (see `internalApi`). */
const INTERNAL_API_PREFIX = `${ADMIN_PREFIX}/config-api/`;
/** Admin requests are not subject to the server's request size limit, but still bounded. */
const MAX_ADMIN_BODY_BYTES = 64 * 1024 * 1024;

interface Outcome {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    /** Overrides the content type of the answer. */
    contentType?: string;
    fault?: string;
    /** Destroy the socket instead of answering. */
    destroy?: boolean;
    /** Never answer (until the emulator closes). */
    hang?: boolean;
}

interface RequestBody {
    raw: string;
    /** Set when the body exceeded the limit: the length Micronaut reports (declared, else received). */
    tooLarge?: number;
}

export class EmulatorServer {
    private readonly server: Server;
    /** Until this emulator-clock time every API request gets nginx's 502 (`unavailableForMs`). */
    private readonly availableAtMs: number;
    private inFlight = 0;
    private closed = false;
    /** Pending sleeps and hangs, released when the emulator closes. */
    private readonly waiters = new Set<() => void>();

    constructor(
        private readonly ctx: HandlerContext,
        private readonly routes: Map<string, RouteDefinition>,
        private readonly faults: FaultInjector,
        private readonly admin: AdminRouter,
        private readonly publicApi?: PublicApiRouter,
    ) {
        this.server = createServer((req, res) => {
            this.dispatch(req, res).catch((error: unknown) => {
                // Only reachable through a bug; answer like the server's uncaught handler.
                process.stderr.write(
                    `airbyte emulator: unexpected error: ${String((error as Error)?.stack ?? error)}\n`,
                );
                if (!res.headersSent && !res.destroyed) send(res, 500, { errorId: randomUUID() });
            });
        });
        this.server.keepAliveTimeout = 5000;
        this.availableAtMs = ctx.now() + ctx.settings.unavailableForMs;
    }

    listen(port: number, host: string): Promise<number> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, host, () => {
                this.server.off("error", reject);
                resolve((this.server.address() as AddressInfo).port);
            });
        });
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        for (const release of [...this.waiters]) release();
        this.waiters.clear();
        await new Promise<void>((resolve) => {
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
    }

    /** Resolves after `ms`, or immediately when the emulator closes. */
    private sleep(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const release = (): void => {
                clearTimeout(timer);
                this.waiters.delete(release);
                resolve();
            };
            const timer = setTimeout(release, ms);
            this.waiters.add(release);
        });
    }

    /** Resolves when the emulator closes or the client gives up (closes its socket). */
    private hangUntilClosed(req: IncomingMessage): Promise<void> {
        return new Promise((resolve) => {
            // The client may have given up already (e.g. during injected latency): its "close" has fired.
            if (req.socket.destroyed) return resolve();
            const release = (): void => {
                this.waiters.delete(release);
                req.socket.off("close", release);
                resolve();
            };
            this.waiters.add(release);
            req.socket.once("close", release);
        });
    }

    private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const path = (req.url ?? "/").split("?")[0]!;
        const isAdmin = path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
        const body = await readBody(req, isAdmin ? MAX_ADMIN_BODY_BYTES : this.ctx.settings.maxRequestBytes);
        if (path.startsWith(INTERNAL_API_PREFIX)) {
            const answer = this.internalApi(path.slice(INTERNAL_API_PREFIX.length), body.raw);
            send(res, answer.status, answer.body, answer.headers);
            return;
        }
        if (isAdmin) {
            const answer =
                body.tooLarge === undefined
                    ? this.admin.handle(req.method ?? "GET", req.url ?? path, body.raw)
                    : { status: 413, body: { message: "admin request body too large" } };
            send(res, answer.status, answer.body);
            return;
        }

        const started = performance.now();
        const entry: RequestLogEntry = {
            seq: this.ctx.log.seq(),
            method: req.method ?? "GET",
            path,
            status: 0,
            durationMs: 0,
            timestamp: new Date(this.ctx.now()).toISOString(),
        };
        const route = this.routeFor(entry.method, req.url ?? path);
        if (route) entry.operation = route.operation;

        this.inFlight++;
        const counters = this.ctx.log.counters;
        if (this.inFlight > counters.maxInFlight) counters.maxInFlight = this.inFlight;
        let outcome: Outcome;
        try {
            outcome = this.frontDoor(req, path, route, body) ?? (await this.process(req, route!, body.raw, entry));
        } finally {
            this.inFlight--;
        }
        if (this.closed && !outcome.hang) {
            req.socket.destroy();
            return;
        }

        entry.status = outcome.destroy || outcome.hang ? 0 : outcome.status;
        entry.fault = outcome.fault ?? entry.fault;
        if (this.ctx.settings.logResponseBodies && outcome.body !== undefined && entry.operation)
            entry.responseBody = maskResponseBody(entry.operation, outcome.body);
        entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
        this.ctx.log.record(entry);
        this.ctx.settings.onRequest?.(entry);

        if (outcome.hang) {
            await this.hangUntilClosed(req);
            req.socket.destroy();
        } else if (outcome.destroy) {
            req.socket.destroy();
        } else {
            send(
                res,
                outcome.status,
                outcome.body,
                outcome.contentType ? { ...outcome.headers, "content-type": outcome.contentType } : outcome.headers,
            );
        }
    }

    /**
     * The Config API, for tests and tools only, whatever the mode: Airbyte Cloud's web app has it
     * (at cloud.airbyte.com) but API users do not, so in Cloud mode `/api/v1` is a 404 and this
     * is how a test makes "a change in the UI" or reads what the server stores. No auth, no faults,
     * no request log: it is not traffic of the client under test.
     */
    private internalApi(operation: string, raw: string): Outcome {
        const route = this.routes.get(operation);
        if (!route)
            return this.errorOutcome(
                micronautError(404, `${INTERNAL_API_PREFIX}${operation}`, "Not Found", ["Page Not Found"]),
            );
        try {
            const answer = this.configApiRoute(route).run({
                method: route.method ?? "POST",
                url: operation,
                raw,
                contentType: "application/json",
                logRequestBody: () => undefined,
            });
            this.ctx.store.persist();
            return answer.status === 204 ? { status: 204 } : { status: answer.status, body: answer.body };
        } catch (error) {
            if (error instanceof ApiError) return this.errorOutcome(error);
            throw error;
        }
    }

    /** The route the emulated release serves at `url`, if any (whatever the method). */
    private routeFor(method: string, url: string): ResolvedRoute | undefined {
        const publicRoute = this.publicApi?.resolve(method, url);
        if (publicRoute) return publicRoute;
        const path = url.split("?")[0]!;
        // Airbyte Cloud exposes no Config API.
        if (this.ctx.settings.cloud || !path.startsWith(API_PREFIX)) return undefined;
        const route = this.routes.get(path.slice(API_PREFIX.length));
        return route && (route.servedBy?.(this.ctx.settings.generation) ?? true)
            ? this.configApiRoute(route)
            : undefined;
    }

    /** A Config API route: a JSON body (empty = `{}`), declarative validation, the handler; 200 or 204. */
    private configApiRoute(route: RouteDefinition): ResolvedRoute {
        return {
            operation: route.operation,
            methods: [route.method ?? "POST"],
            anonymous: route.anonymous === true,
            run: ({ raw, logRequestBody }) => {
                const body = parseJsonObjectBody(raw);
                logRequestBody(maskRequestBody(this.ctx, body));
                if (route.request) validateRequest(body, route.request);
                const result = route.handle(this.ctx, body);
                return result === NO_CONTENT ? { status: 204 } : { status: 200, body: result };
            },
        };
    }

    /**
     * Answers that come before any handler: from nginx (still starting, basic auth), from
     * Micronaut (request too large, no such route). Undefined when the request goes on to the route.
     */
    private frontDoor(
        req: IncomingMessage,
        path: string,
        route: ResolvedRoute | undefined,
        body: RequestBody,
    ): Outcome | undefined {
        const { auth, log } = this.ctx;
        const mode = this.ctx.settings.auth;
        const authorized = auth.isAuthorized(req.headers.authorization);
        // nginx checks basic credentials (access phase) before it proxies anything.
        if (mode === "basic" && !authorized) {
            log.counters.authFailures++;
            return this.errorOutcome(basicAuthDenied());
        }
        if (this.ctx.now() < this.availableAtMs) return { ...this.errorOutcome(badGateway()), fault: "unavailable" };
        if (body.tooLarge !== undefined) {
            // Micronaut `ContentLengthExceededException` → `ContentLengthExceededHandler` (413); the
            // limit is `micronaut.server.max-request-size` (airbyte-server application.yml, 1aa0dc7417, v0.58.0; the
            // same Micronaut default before).
            const max = this.ctx.settings.maxRequestBytes;
            return this.errorOutcome(
                micronautError(413, path, "Request Entity Too Large", [
                    `The content length [${body.tooLarge}] exceeds the maximum allowed content length [${max}]`,
                ]),
            );
        }
        const method = req.method ?? "GET";
        if (route && route.methods.includes(method)) return undefined;
        // Cloud serves nothing but `/v1`: the Config API and `/api/public` are plain 404s there.
        if (this.ctx.settings.cloud && !route && !path.startsWith("/v1/"))
            return this.errorOutcome(micronautError(404, path, "Not Found", ["Page Not Found"]));
        if (mode === "simple" && path.split("/").filter(Boolean).length > 1) {
            // micronaut-security `SecurityFilter.checkRules`: no RouteMatch and `reject-not-found`
            // (default true, `SecurityConfigurationProperties.DEFAULT_REJECT_NOT_FOUND`; Airbyte does
            // not override it) → 401 when unauthenticated, 403 when authenticated. A wrong method has
            // no RouteMatch either. Single-segment paths match the anonymous `/*` intercept-url rule.
            if (!authorized) log.counters.authFailures++;
            return this.errorOutcome(
                authorized ? micronautError(403, path, "Forbidden") : micronautError(401, path, "Unauthorized"),
            );
        }
        if (route) {
            return this.errorOutcome(
                micronautError(405, path, "Method Not Allowed", [
                    `Method [${method}] not allowed for URI [${path}]. Allowed methods: [${route.methods.join(", ")}]`,
                ]),
            );
        }
        return this.errorOutcome(micronautError(404, path, "Not Found", ["Page Not Found"]));
    }

    private async process(
        req: IncomingMessage,
        route: ResolvedRoute,
        raw: string,
        entry: RequestLogEntry,
    ): Promise<Outcome> {
        const { settings, log } = this.ctx;
        if (settings.maxConcurrency !== undefined && this.inFlight > settings.maxConcurrency) {
            log.counters.concurrencyRejections++;
            return {
                status: 429,
                body: { message: `Too many concurrent requests (limit ${settings.maxConcurrency}); retry later.` },
                headers: { "retry-after": "1" },
                fault: "max-concurrency",
            };
        }
        if (settings.latencyMs > 0) await this.sleep(settings.latencyMs);
        if (this.closed) return { status: 0, destroy: true };

        let resetAfterCommit = false;
        const fault = this.faults.next(route.operation);
        if (fault) {
            entry.fault = fault.fault;
            switch (fault.fault) {
                case "status": {
                    const status = fault.status ?? 500;
                    const headers: Record<string, string> = {};
                    if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
                    const body =
                        fault.body !== undefined
                            ? fault.body
                            : status === 429
                              ? { message: "Too Many Requests" }
                              : { errorId: randomUUID() };
                    return { status, body, headers, fault: fault.fault };
                }
                case "timeout":
                    if (fault.delayMs === undefined) return { status: 0, hang: true, fault: fault.fault };
                    await this.sleep(fault.delayMs);
                    if (this.closed) return { status: 0, destroy: true };
                    break;
                case "reset-before-commit":
                    return { status: 0, destroy: true, fault: fault.fault };
                case "reset-after-commit":
                    resetAfterCommit = true;
                    break;
                case "expire-token":
                    this.ctx.auth.expireAll();
                    break;
            }
        }

        try {
            if (
                settings.auth === "simple" &&
                !route.anonymous &&
                !this.ctx.auth.isAuthorized(req.headers.authorization)
            ) {
                // `DefaultAuthorizationExceptionHandler.httpResponseWithStatus`: Micronaut's JSON error.
                log.counters.authFailures++;
                throw micronautError(401, entry.path, "Unauthorized");
            }
            const jobsBefore = jobCounts(log.counters);
            const answer = route.run({
                method: entry.method,
                url: req.url ?? entry.path,
                raw,
                contentType: req.headers["content-type"],
                logRequestBody: (masked) => {
                    entry.requestBody = masked;
                },
            });
            this.ctx.store.persist();
            // The connector jobs this request ran (their counters moved): it is answered when they end.
            const jobMs = jobTime(jobsBefore, jobCounts(log.counters), settings.jobLatency);
            if (jobMs > 0) {
                await this.sleep(jobMs);
                if (this.closed) return { status: 0, destroy: true };
            }
            if (resetAfterCommit) return { status: 0, destroy: true, fault: "reset-after-commit" };
            return answer.status === 204
                ? { status: 204 }
                : { status: answer.status, body: answer.body, contentType: answer.contentType };
        } catch (error) {
            this.ctx.store.persist();
            if (resetAfterCommit) return { status: 0, destroy: true, fault: "reset-after-commit" };
            if (error instanceof ApiError) return this.errorOutcome(error);
            process.stderr.write(
                `airbyte emulator: handler for ${route.operation} failed: ${String((error as Error)?.stack ?? error)}\n`,
            );
            return { status: 500, body: { errorId: randomUUID() } };
        }
    }

    private errorOutcome(error: ApiError): Outcome {
        const rendered = renderError(error, this.ctx.settings.generation);
        return { status: rendered.status, body: rendered.body, headers: rendered.headers };
    }
}

/**
 * Reads the request body. Past `limit` bytes nothing more is kept: the rest is drained (so the
 * client can read the 413) and only counted.
 */
function readBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= limit) chunks.push(chunk);
            else chunks.length = 0;
        });
        req.on("end", () => {
            if (size <= limit) return resolve({ raw: Buffer.concat(chunks).toString("utf8") });
            const declared = Number(req.headers["content-length"]);
            resolve({ raw: "", tooLarge: Number.isFinite(declared) && declared > 0 ? declared : size });
        });
        req.on("error", reject);
    });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    if (body === undefined || status === 204) {
        res.writeHead(status, headers);
        res.end();
        return;
    }
    const isText = typeof body === "string";
    const payload = isText ? body : JSON.stringify(body);
    res.writeHead(status, {
        "content-type": isText ? "text/html" : "application/json",
        "content-length": String(Buffer.byteLength(payload)),
        ...headers,
    });
    res.end(payload);
}

type JobCounts = { checks: number; discoverRuns: number; discoverHits: number };

function jobCounts(counters: EmulatorCounters): JobCounts {
    return {
        checks: counters.checks.runs,
        discoverRuns: counters.discover.runs,
        discoverHits: counters.discover.cacheHits,
    };
}

/** The time the jobs run between two counter readings take (one request's jobs run one after another). */
function jobTime(before: JobCounts, after: JobCounts, latency: JobLatencies): number {
    return (
        (after.checks - before.checks) * latency.check +
        (after.discoverRuns - before.discoverRuns) * latency.discoverMiss +
        (after.discoverHits - before.discoverHits) * latency.discoverHit
    );
}
