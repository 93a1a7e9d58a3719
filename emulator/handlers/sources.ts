/** Sources: the shared actor endpoints plus `sources/discover_schema`. */
import { createHash, randomUUID } from "node:crypto";
import type { RouteDefinition, HandlerContext } from "../context";
import { toApiCatalog } from "../discovery";
import { synchronousJob } from "../synchronous-job";
import { actorRoutes, definitionOf, requireActor, simulateCheck, SOURCE_NAMES } from "./actors";

/** JSON with sorted keys, so equal configurations hash equally whatever their key order. */
function stableStringify(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
    if (value !== null && typeof value === "object") {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

function md5(text: string): string {
    return createHash("md5").update(text).digest("hex");
}

/**
 * SchedulerHandler.discover: without `disable_cache: true`, a catalog cached for (source, connector
 * image tag, md5 of the configuration) is returned with a synthetic successful jobInfo; otherwise
 * the connector runs. A connector that cannot connect yields HTTP 200 with
 * `jobInfo.succeeded: false` and no catalog.
 */
function discoverSchema(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    const source = requireActor(ctx, SOURCE_NAMES, body["sourceId"] as string);
    const def = definitionOf(ctx, source);
    const cacheKey = `${source.id}:${def.dockerImageTag}:${md5(stableStringify(source.configuration))}`;
    const counters = ctx.log.counters.discover;

    if (body["disable_cache"] !== true) {
        const cached = ctx.store.discoveryCache.get(cacheKey);
        if (cached) {
            counters.cacheHits++;
            return { catalog: toApiCatalog(cached.streams), catalogId: cached.catalogId, jobInfo: synchronousJob(ctx, "discover_schema") };
        }
    }

    counters.runs++;
    const outcome = simulateCheck(def, source.configuration);
    if (!outcome.ok) {
        counters.failures++;
        return {
            jobInfo: synchronousJob(ctx, "discover_schema", {
                configId: source.id,
                succeeded: false,
                failure: { failureOrigin: "source", failureType: "config_error", externalMessage: outcome.message, internalMessage: outcome.message },
            }),
        };
    }
    const streams = def.discover ? def.discover(source.configuration) : [];
    // Identical catalogs share one actor catalog row (and id) on the server.
    const catalogHash = md5(stableStringify(streams));
    let catalogId = ctx.store.catalogIdsByHash.get(catalogHash);
    if (!catalogId) ctx.store.catalogIdsByHash.set(catalogHash, (catalogId = randomUUID()));
    ctx.store.discoveryCache.set(cacheKey, { catalogId, streams });
    return { catalog: toApiCatalog(streams), catalogId, jobInfo: synchronousJob(ctx, "discover_schema", { configId: source.id }) };
}

export const sourceRoutes: RouteDefinition[] = [
    ...actorRoutes(SOURCE_NAMES),
    {
        operation: "sources/discover_schema",
        request: { sourceId: { type: "uuid", required: true }, connectionId: { type: "uuid" }, disable_cache: { type: "boolean" }, priority: { type: "string", enum: ["high", "default"] } },
        handle: discoverSchema,
    },
];
