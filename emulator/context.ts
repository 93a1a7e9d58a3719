/**
 * What handlers get: the store, the definition registry, settings, the clock and the counters.
 * Handlers know nothing about HTTP; they return a result or throw an ApiError.
 */
import type { Authenticator } from "./auth";
import type { ServerGeneration } from "./generations";
import type { Settings } from "./options";
import type { DefinitionRegistry } from "./registry";
import type { RequestLog } from "./request-log";
import type { Store } from "./store";
import type { RequestSchema } from "./validation";

export interface HandlerContext {
    readonly store: Store;
    readonly registry: DefinitionRegistry;
    readonly settings: Settings;
    readonly auth: Authenticator;
    readonly log: RequestLog;
    /** Base URL the emulator answers on (for `instance_configuration.airbyteUrl`). */
    readonly baseUrl: string;
    /** The emulator's clock in epoch milliseconds (can be advanced by tests). */
    now(): number;
}

/** Returned by handlers that answer 204 with no body (every delete). */
export const NO_CONTENT = Symbol("no content");

export type Handler = (ctx: HandlerContext, body: Record<string, unknown>) => unknown;

export interface RouteDefinition {
    /** `sources/create`; the URL is `/api/v1/<operation>`. */
    operation: string;
    method?: "GET" | "POST";
    /** Top-level request fields (validated before the handler runs). */
    request?: RequestSchema;
    /** Reachable without a bearer token in `simple` mode (health, instance_configuration, applications/token). */
    anonymous?: boolean;
    /** Whether the emulated release has this route at all (default: every release). */
    servedBy?: (generation: ServerGeneration) => boolean;
    handle: Handler;
}

export function nowSeconds(ctx: HandlerContext): number {
    return Math.floor(ctx.now() / 1000);
}

/** What a route's `run` gets from the front door. */
export interface RouteInput {
    method: string;
    /** The request target (path and query) as received. */
    url: string;
    raw: string;
    contentType?: string;
    /** Records the (already masked) request body in the request log. */
    logRequestBody: (body: unknown) => void;
}

/** What a route's `run` answers (errors are thrown as ApiError). */
export interface RouteAnswer {
    status: number;
    body?: unknown;
    /** Overrides the content type (JSON bodies are `application/json`, string bodies `text/html`). */
    contentType?: string;
}

/**
 * One API operation as the front door (server.ts) sees it, whichever API serves it: the Config API
 * (`/api/v1/<operation>`, handlers/) or the public API (public-api/). The front door applies
 * nginx, the size limit, unknown-route answers, concurrency, latency, faults and authentication
 * the same way to both, then calls `run`.
 */
export interface ResolvedRoute {
    /** Name in the request log, counters and fault rules (`sources/create`, `public/sources/create`). */
    operation: string;
    /** Methods served at this path; another method gets 405 (or 401/403 with security on). */
    methods: readonly string[];
    /** Reachable without a bearer token in `simple` mode. */
    anonymous: boolean;
    run(input: RouteInput): RouteAnswer;
}
