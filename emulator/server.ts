/**
 * The HTTP front door: a thin router over the handler table. Per API request, in order:
 * concurrency limit → injected latency → fault rules → authentication → JSON parsing → request
 * validation → handler → persistence → answer → request log. `/_emulator/*` admin requests skip
 * everything but the admin router (no faults, latency, auth or logging).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { AdminRouter } from "./admin";
import { NO_CONTENT, type HandlerContext, type RouteDefinition } from "./context";
import { ApiError, malformedInput, rawError, renderError, unauthorized } from "./errors";
import type { FaultInjector } from "./faults";
import { maskRequestBody, maskResponseBody } from "./log-masking";
import type { RequestLogEntry } from "./request-log";
import { isPlainObject, validateRequest } from "./validation";

const API_PREFIX = "/api/v1/";
const ADMIN_PREFIX = "/_emulator";
const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Outcome {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    fault?: string;
    /** Destroy the socket instead of answering. */
    destroy?: boolean;
    /** Never answer (until the emulator closes). */
    hang?: boolean;
}

export class EmulatorServer {
    private readonly server: Server;
    private inFlight = 0;
    private closed = false;
    /** Pending sleeps and hangs, released when the emulator closes. */
    private readonly waiters = new Set<() => void>();

    constructor(
        private readonly ctx: HandlerContext,
        private readonly routes: Map<string, RouteDefinition>,
        private readonly faults: FaultInjector,
        private readonly admin: AdminRouter,
    ) {
        this.server = createServer((req, res) => {
            this.dispatch(req, res).catch((error: unknown) => {
                // Only reachable through a bug; answer like the server's uncaught handler.
                process.stderr.write(`airbyte emulator: unexpected error: ${String((error as Error)?.stack ?? error)}\n`);
                if (!res.headersSent && !res.destroyed) send(res, 500, { errorId: randomUUID() });
            });
        });
        this.server.keepAliveTimeout = 5000;
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
        const raw = await readBody(req);
        if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
            const answer = this.admin.handle(req.method ?? "GET", req.url ?? path, raw);
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
        const route = this.resolve(entry.method, path);
        if (route && !(route instanceof ApiError)) entry.operation = route.operation;

        this.inFlight++;
        const counters = this.ctx.log.counters;
        if (this.inFlight > counters.maxInFlight) counters.maxInFlight = this.inFlight;
        let outcome: Outcome;
        try {
            outcome = route instanceof ApiError ? this.errorOutcome(route) : await this.process(req, route, raw, entry);
        } finally {
            this.inFlight--;
        }
        if (this.closed && !outcome.hang) {
            req.socket.destroy();
            return;
        }

        entry.status = outcome.destroy || outcome.hang ? 0 : outcome.status;
        entry.fault = outcome.fault ?? entry.fault;
        if (this.ctx.settings.logResponseBodies && outcome.body !== undefined && entry.operation) entry.responseBody = maskResponseBody(entry.operation, outcome.body);
        entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
        this.ctx.log.record(entry);
        this.ctx.settings.onRequest?.(entry);

        if (outcome.hang) {
            await this.hangUntilClosed(req);
            req.socket.destroy();
        } else if (outcome.destroy) {
            req.socket.destroy();
        } else {
            send(res, outcome.status, outcome.body, outcome.headers);
        }
    }

    /** The route for a method + path, or the ApiError to answer (unknown path, wrong method). */
    private resolve(method: string, path: string): RouteDefinition | ApiError {
        const notFoundBody = { message: "Not Found", _links: { self: { href: path, templated: false } }, _embedded: { errors: [{ message: "Page Not Found" }] } };
        if (!path.startsWith(API_PREFIX)) return rawError(404, notFoundBody);
        const route = this.routes.get(path.slice(API_PREFIX.length));
        if (!route || (route.legacyOnly && !this.ctx.settings.legacy)) return rawError(404, notFoundBody);
        if ((route.method ?? "POST") !== method) {
            return rawError(405, { message: "Method Not Allowed", _embedded: { errors: [{ message: `Method [${method}] not allowed for URI [${path}]. Allowed methods: [${route.method ?? "POST"}]` }] } });
        }
        return route;
    }

    private async process(req: IncomingMessage, route: RouteDefinition, raw: string, entry: RequestLogEntry): Promise<Outcome> {
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
                    const body = fault.body !== undefined ? fault.body : status === 429 ? { message: "Too Many Requests" } : { errorId: randomUUID() };
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
            if (!route.anonymous && !this.ctx.auth.isAuthorized(req.headers.authorization)) {
                log.counters.authFailures++;
                throw unauthorized(this.ctx.auth.challenge());
            }
            const body = parseBody(raw);
            entry.requestBody = maskRequestBody(this.ctx, body);
            if (route.request) validateRequest(body, route.request);
            const result = route.handle(this.ctx, body);
            this.ctx.store.persist();
            if (resetAfterCommit) return { status: 0, destroy: true, fault: "reset-after-commit" };
            return result === NO_CONTENT ? { status: 204 } : { status: 200, body: result };
        } catch (error) {
            this.ctx.store.persist();
            if (resetAfterCommit) return { status: 0, destroy: true, fault: "reset-after-commit" };
            if (error instanceof ApiError) return this.errorOutcome(error);
            process.stderr.write(`airbyte emulator: handler for ${route.operation} failed: ${String((error as Error)?.stack ?? error)}\n`);
            return { status: 500, body: { errorId: randomUUID() } };
        }
    }

    private errorOutcome(error: ApiError): Outcome {
        if (error.kind === "unauthorized" && this.ctx.auth.settings.mode === "basic") {
            // The docker-compose era nginx proxy answered with its own HTML page.
            return { status: 401, body: "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", headers: error.extra.headers };
        }
        const rendered = renderError(error, this.ctx.settings.errorStyle);
        return { status: rendered.status, body: rendered.body, headers: rendered.headers };
    }
}

/** An empty body counts as `{}` (list endpoints have none); anything but a JSON object is a 422. */
function parseBody(raw: string): Record<string, unknown> {
    if (raw.trim() === "") return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch (error) {
        throw malformedInput(`Unexpected character: ${(error as Error).message}`);
    }
    if (!isPlainObject(parsed)) throw malformedInput("Cannot deserialize value: expected a JSON object");
    return parsed;
}

function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                reject(new Error("request body too large"));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
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
