/**
 * Routing of the public API: `/api/public/v1/<resource>` on self-managed servers (airbyte-server
 * `apis/publicapi/constants/ServerConstants.kt`: `@Controller(API_PATH = "/api")` with paths
 * `"/public/v1/..."`; `HealthController` at `/api/public/v1/health`), `/v1/<resource>` in Cloud
 * mode (api.yaml `servers: https://api.airbyte.com/v1`). Routes a release does not have are
 * unknown routes (see generations.ts for the gates).
 *
 * Each route turns the HTTP request into the call the real controller makes: query and path
 * parameters, the JSON body (a form body too where the spec allows it), validated like the
 * generated Kotlin models (a wrong type or a malformed uuid in the body → 422, a missing required
 * field or a bad query parameter → 400, both `{errorId}` from v2.0.0), then a handler that calls
 * the Config API's internal logic and maps its answer and its failures.
 */
import type { HandlerContext, ResolvedRoute, RouteAnswer, RouteInput } from "../context";
import type { ServerGeneration } from "../generations";
import { maskLikelySecrets } from "../secrets";
import { parseJsonObjectBody, validateRequest, type RequestSchema } from "../validation";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface PublicRequest {
    params: Record<string, string>;
    query: URLSearchParams;
    /** The parsed body (`{}` when there is none). */
    body: Record<string, unknown>;
}

export interface PublicRoute {
    /** `public/sources/create` ... (request log, counters, fault rules). */
    operation: string;
    method: HttpMethod;
    /** Path below the prefix, with `{param}` segments: `sources/{sourceId}`. */
    path: string;
    /** `@Secured(SecurityRule.IS_ANONYMOUS)`. */
    anonymous?: boolean;
    /** Whether the emulated release has the route (default: every release with the public API). */
    servedBy?: (generation: ServerGeneration) => boolean;
    /** The route reads a JSON body with these top-level fields. */
    body?: RequestSchema;
    /** Also accept `application/x-www-form-urlencoded` bodies. */
    acceptsForm?: boolean;
    /** The request body as logged (already masked); default: masked by key names. */
    maskBody?: (ctx: HandlerContext, request: PublicRequest) => unknown;
    handle(ctx: HandlerContext, request: PublicRequest): RouteAnswer;
}

/** Self-managed prefix (`API_PATH` + `ROOT_PATH` + `/v1`). */
export const SELF_MANAGED_PREFIX = "/api/public/v1/";
/** Cloud prefix. */
export const CLOUD_PREFIX = "/v1/";

export class PublicApiRouter {
    constructor(
        private readonly ctx: HandlerContext,
        private readonly routes: readonly PublicRoute[],
    ) {}

    /** The public route at `url` (whatever the method), or undefined when the public API has none. */
    resolve(method: string, url: string): ResolvedRoute | undefined {
        const { generation, cloud } = this.ctx.settings;
        if (!generation.hasPublicApi) return undefined;
        const path = url.split("?")[0]!;
        const prefix = cloud ? CLOUD_PREFIX : SELF_MANAGED_PREFIX;
        if (!path.startsWith(prefix)) return undefined;
        const segments = path.slice(prefix.length).split("/");
        const candidates: { route: PublicRoute; params: Record<string, string> }[] = [];
        for (const route of this.routes) {
            if (route.servedBy && !route.servedBy(generation)) continue;
            const params = matchPath(route.path, segments);
            if (params) candidates.push({ route, params });
        }
        if (candidates.length === 0) return undefined;
        const match = candidates.find((c) => c.route.method === method) ?? candidates[0]!;
        return {
            operation: match.route.operation,
            methods: candidates.map((c) => c.route.method),
            anonymous: match.route.anonymous === true,
            run: (input) => this.run(match.route, match.params, input),
        };
    }

    private run(route: PublicRoute, params: Record<string, string>, input: RouteInput): RouteAnswer {
        const query = new URL(input.url, "http://emulator").searchParams;
        const request: PublicRequest = { params, query, body: {} };
        if (route.body) {
            request.body = parseBody(
                input.raw,
                route.acceptsForm === true && /application\/x-www-form-urlencoded/i.test(input.contentType ?? ""),
            );
            input.logRequestBody(route.maskBody ? route.maskBody(this.ctx, request) : maskLikelySecrets(request.body));
            validateRequest(request.body, route.body);
        }
        return route.handle(this.ctx, request);
    }
}

/** Path parameters when `pattern` matches the segments (decoded), else undefined. */
function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
    const parts = pattern.split("/");
    if (parts.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const segment = segments[i]!;
        if (part.startsWith("{") && part.endsWith("}")) {
            if (segment === "") return undefined;
            try {
                params[part.slice(1, -1)] = decodeURIComponent(segment);
            } catch {
                return undefined;
            }
        } else if (part !== segment) {
            return undefined;
        }
    }
    return params;
}

/**
 * The body as the generated model sees it: JSON (an empty body counts as `{}`), or a form for
 * routes that accept one; anything but a JSON object → 422 (`InvalidJsonExceptionHandler` /
 * `InvalidJsonInputExceptionHandler`).
 */
function parseBody(raw: string, form: boolean): Record<string, unknown> {
    return form ? Object.fromEntries(new URLSearchParams(raw)) : parseJsonObjectBody(raw);
}

/** 200 with a JSON body. */
export function ok(body: unknown): RouteAnswer {
    return { status: 200, body };
}

/** 204 without a body (`Response.Status.NO_CONTENT`). */
export function noContent(): RouteAnswer {
    return { status: 204 };
}
