/**
 * Sources: the shared actor endpoints plus `sources/discover_schema` and `sources/most_recent_source_actor_catalog`.
 */
import { createHash, randomUUID } from "node:crypto";
import type { RouteDefinition, HandlerContext } from "../context";
import { toApiCatalog, toProtocolCatalog } from "../discovery";
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
 * airbyte-platform `SchedulerHandler.discover` (cache since 3d9f9ec5a8 "Cache schema during
 * discoverSchema", in every tag): without `disable_cache: true`, the catalog stored for (source,
 * connector image tag, md5 of the configuration) — `CatalogServiceJooqImpl.getActorCatalog` — is
 * returned with an empty synthetic job and no catalog diff; otherwise the connector runs. A
 * connector that cannot connect yields HTTP 200 with `jobInfo.succeeded: false` and no catalog.
 * Tables added to the database since keep the cached catalog unchanged (the hash is the same).
 */
export function discoverSchema(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    const source = requireActor(ctx, SOURCE_NAMES, body["sourceId"] as string);
    const def = definitionOf(ctx, source);
    const cacheKey = `${source.id}:${def.dockerImageTag}:${md5(stableStringify(source.configuration))}`;
    const counters = ctx.log.counters.discover;

    if (body["disable_cache"] !== true) {
        const cached = ctx.store.discoveryCache.get(cacheKey);
        if (cached) {
            counters.cacheHits++;
            // The `emptyJob` SchedulerHandler.discover builds for a cache hit.
            const jobInfo = {
                id: randomUUID(),
                configType: "discover_schema",
                configId: "NoConfiguration",
                createdAt: 0,
                endedAt: 0,
                succeeded: true,
                logType: "formatted",
                logs: { logLines: [] },
            };
            return { catalog: toApiCatalog(cached.streams), jobInfo, catalogId: cached.catalogId };
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
                failure: {
                    failureOrigin: "source",
                    failureType: "config_error",
                    externalMessage: outcome.message,
                    internalMessage: outcome.message,
                },
            }),
        };
    }
    const streams = def.discover ? def.discover(source.configuration!, ctx.store) : [];
    // Identical catalogs share one actor catalog row (and id) on the server.
    const catalogHash = md5(stableStringify(streams));
    let catalogId = ctx.store.catalogIdsByHash.get(catalogHash);
    if (!catalogId) ctx.store.catalogIdsByHash.set(catalogHash, (catalogId = randomUUID()));
    ctx.store.discoveryCache.set(cacheKey, { catalogId, streams });
    // Every discover job writes an actor_catalog_fetch_event.
    ctx.store.latestCatalogs.set(source.id, { streams, fetchedAtMs: ctx.now() });
    return {
        catalog: toApiCatalog(streams),
        catalogId,
        jobInfo: synchronousJob(ctx, "discover_schema", { configId: source.id }),
    };
}

export const sourceRoutes: RouteDefinition[] = [
    ...actorRoutes(SOURCE_NAMES),
    {
        operation: "sources/discover_schema",
        request: {
            sourceId: { type: "uuid", required: true },
            connectionId: { type: "uuid" },
            disable_cache: { type: "boolean" },
            priority: { type: "string", enum: ["high", "default"] },
        },
        handle: discoverSchema,
    },
    {
        // SourceHandler.getMostRecentSourceActorCatalogWithUpdatedAt (bb84fac8d1, in every tag):
        // the latest fetch event of the source whatever its version or configuration, as the
        // stored protocol catalog plus the event time in epoch seconds; `{}` when there is none.
        operation: "sources/most_recent_source_actor_catalog",
        request: { sourceId: { type: "uuid", required: true } },
        handle: (ctx, body) => {
            const latest = ctx.store.latestCatalogs.get(body["sourceId"] as string);
            return latest
                ? { updatedAt: Math.floor(latest.fetchedAtMs / 1000), catalog: toProtocolCatalog(latest.streams) }
                : {};
        },
    },
];
