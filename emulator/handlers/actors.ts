/**
 * What sources and destinations ("actors") share: create, get, list, update, partial_update,
 * delete, check_connection, check_connection_for_update and the scheduler's check of a bare
 * configuration. sources.ts and destinations.ts only add names (and discovery for sources).
 *
 * Behaviour after SourceHandler / DestinationHandler / SchedulerHandler (airbyte-api.md §3, §4,
 * §9, §13): reads mask secrets; deleted actors stay readable (tombstoned, configuration blanked)
 * but leave `list`; deleting an actor deprecates its connections; `list` pages by cursor.
 */
import { randomUUID } from "node:crypto";
import type { ActorKind, CheckOutcome, ConnectorConfiguration, ConnectorDefinition } from "../connectors/types";
import { NO_CONTENT, nowSeconds, type HandlerContext, type RouteDefinition } from "../context";
import { type ConfigType, notFound } from "../errors";
import { copySecrets, maskSecrets, mergeConfigurations } from "../secrets";
import { ensureMatchesSpec, specProblems } from "../spec-validation";
import { compareActors, type ActorRecord } from "../store";
import { synchronousJob } from "../synchronous-job";
import { requireDefinition } from "./definitions";
import { requireWorkspace } from "./workspaces";

export interface ActorNames {
    kind: ActorKind;
    /** `sourceId` */
    id: string;
    /** `sourceDefinitionId` */
    definitionId: string;
    /** `sourceName`: the definition's name in reads */
    definitionName: string;
    /** `sources`: the list property and counter key */
    plural: "sources" | "destinations";
    missing: ConfigType;
    checkConfigType: "check_connection_source" | "check_connection_destination";
}

export const SOURCE_NAMES: ActorNames = {
    kind: "source",
    id: "sourceId",
    definitionId: "sourceDefinitionId",
    definitionName: "sourceName",
    plural: "sources",
    missing: "SOURCE_CONNECTION",
    checkConfigType: "check_connection_source",
};

export const DESTINATION_NAMES: ActorNames = {
    kind: "destination",
    id: "destinationId",
    definitionId: "destinationDefinitionId",
    definitionName: "destinationName",
    plural: "destinations",
    missing: "DESTINATION_CONNECTION",
    checkConfigType: "check_connection_destination",
};

export const DEFAULT_PAGE_SIZE = 20;

export function requireActor(ctx: HandlerContext, names: ActorNames, id: string): ActorRecord {
    const actor = ctx.store.actors(names.kind).get(id);
    if (!actor) throw notFound(names.missing, id);
    return actor;
}

/** Like requireActor, but a tombstoned actor counts as missing (writes to deleted actors). */
function requireLiveActor(ctx: HandlerContext, names: ActorNames, id: string): ActorRecord {
    const actor = requireActor(ctx, names, id);
    if (actor.tombstone) throw notFound(names.missing, id);
    return actor;
}

export function definitionOf(ctx: HandlerContext, actor: ActorRecord): ConnectorDefinition {
    return requireDefinition(ctx, actor.kind, actor.definitionId);
}

export function actorRead(ctx: HandlerContext, names: ActorNames, actor: ActorRecord, extra?: Record<string, unknown>): Record<string, unknown> {
    const def = definitionOf(ctx, actor);
    const read: Record<string, unknown> = {
        [names.definitionId]: actor.definitionId,
        [names.id]: actor.id,
        workspaceId: actor.workspaceId,
        connectionConfiguration: maskSecrets(actor.configuration, def.spec),
        name: actor.name,
        [names.definitionName]: def.name,
        icon: def.icon,
        createdAt: actor.createdAt,
        isVersionOverrideApplied: false,
        isEntitled: true,
        supportState: "supported",
        resourceAllocation: actor.resourceAllocation,
        ...extra,
    };
    for (const key of Object.keys(read)) if (read[key] === undefined) delete read[key];
    return read;
}

/** `numConnections` and `status` as `list` adds them. */
function listExtras(ctx: HandlerContext, actor: ActorRecord): Record<string, unknown> {
    const live = ctx.store.connectionsOfActor(actor.id).filter((c) => c.status !== "deprecated");
    return { numConnections: live.length, status: live.some((c) => c.status === "active") ? "active" : "inactive" };
}

/** Runs the connector's simulated check on an (unmasked) configuration. */
export function simulateCheck(def: ConnectorDefinition, config: ConnectorConfiguration): CheckOutcome {
    // A connector handed a configuration its own spec rejects fails to start.
    const problems = specProblems(def.spec, config);
    if (problems.length > 0) return { ok: false, message: `Could not connect with provided configuration. Error: invalid configuration: ${problems.join(", ")}` };
    return def.check(config);
}

/** CheckConnectionRead: HTTP 200 whatever the outcome; a failed check is `status: "failed"`. */
function checkConnectionRead(ctx: HandlerContext, names: ActorNames, def: ConnectorDefinition, config: ConnectorConfiguration, configId?: string): Record<string, unknown> {
    ctx.log.counters.checks.runs++;
    const outcome = simulateCheck(def, config);
    if (!outcome.ok) ctx.log.counters.checks.failures++;
    const read: Record<string, unknown> = { status: outcome.ok ? "succeeded" : "failed" };
    if (!outcome.ok) read["message"] = outcome.message;
    read["jobInfo"] = synchronousJob(ctx, names.checkConfigType, { configId });
    return read;
}

function configurationOf(body: Record<string, unknown>): Record<string, unknown> {
    return body["connectionConfiguration"] as Record<string, unknown>;
}

/** Connections of an actor are deleted (deprecated) before the actor itself (SourceHandler.deleteSource). */
function deprecateConnections(ctx: HandlerContext, actorId: string): void {
    for (const connection of ctx.store.connectionsOfActor(actorId)) {
        if (connection.status === "deprecated") continue;
        ctx.store.putConnection({ ...connection, status: "deprecated" });
        ctx.log.counters.deleted.connections++;
    }
}

function listActors(ctx: HandlerContext, names: ActorNames, body: Record<string, unknown>): Record<string, unknown> {
    const workspaceId = body["workspaceId"] as string;
    requireWorkspace(ctx, workspaceId);
    const sorted = ctx.store.sortedActiveActors(names.kind, workspaceId);
    // ≤ 1.7 servers return every actor in one answer.
    if (ctx.settings.legacy) return { [names.plural]: sorted.map((a) => actorRead(ctx, names, a, listExtras(ctx, a))) };

    const pageSize = typeof body["pageSize"] === "number" && body["pageSize"] > 0 ? body["pageSize"] : DEFAULT_PAGE_SIZE;
    let start = 0;
    if (typeof body["cursor"] === "string") {
        // The cursor is the id of the last item of the previous page; it may since have been
        // deleted or renamed, so position by its current sort key rather than by index.
        const cursor = requireActor(ctx, names, body["cursor"]);
        start = upperBound(sorted, cursor);
    }
    const page = sorted.slice(start, start + pageSize);
    return {
        [names.plural]: page.map((a) => actorRead(ctx, names, a, listExtras(ctx, a))),
        page_size: pageSize,
        num_connections: sorted.length,
    };
}

/** Index of the first actor that sorts after `cursor`. */
function upperBound(sorted: readonly ActorRecord[], cursor: ActorRecord): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
        const mid = (low + high) >>> 1;
        if (compareActors(sorted[mid]!, cursor) <= 0) low = mid + 1;
        else high = mid;
    }
    return low;
}

export function actorRoutes(names: ActorNames): RouteDefinition[] {
    const { kind, plural } = names;
    const idRequest = { [names.id]: { type: "uuid", required: true } } as const;
    const updateRequest = {
        [names.id]: { type: "uuid", required: true },
        name: { type: "string", required: true },
        connectionConfiguration: { type: "object", required: true },
        resourceAllocation: { type: "object" },
    } as const;
    return [
        {
            operation: `${plural}/create`,
            request: {
                workspaceId: { type: "uuid", required: true },
                name: { type: "string", required: true },
                [names.definitionId]: { type: "uuid", required: true },
                connectionConfiguration: { type: "object", required: true },
                resourceAllocation: { type: "object" },
                secretId: { type: "string" },
            },
            handle: (ctx, body) => {
                const workspaceId = body["workspaceId"] as string;
                requireWorkspace(ctx, workspaceId);
                const def = requireDefinition(ctx, kind, body[names.definitionId] as string, workspaceId);
                const configuration = configurationOf(body);
                ensureMatchesSpec(def.spec, configuration);
                const actor: ActorRecord = {
                    kind,
                    id: randomUUID(),
                    definitionId: def.definitionId,
                    workspaceId,
                    name: body["name"] as string,
                    configuration: structuredClone(configuration),
                    tombstone: false,
                    createdAt: nowSeconds(ctx),
                    resourceAllocation: body["resourceAllocation"],
                };
                ctx.store.putActor(actor);
                ctx.log.counters.created[plural]++;
                return actorRead(ctx, names, actor);
            },
        },
        {
            operation: `${plural}/get`,
            request: idRequest,
            // Tombstoned actors are still returned (airbyte-api.md §13.1).
            handle: (ctx, body) => actorRead(ctx, names, requireActor(ctx, names, body[names.id] as string)),
        },
        {
            operation: `${plural}/list`,
            request: { workspaceId: { type: "uuid", required: true }, cursor: { type: "uuid" }, pageSize: { type: "integer" }, sortKey: { type: "string" }, filters: { type: "object" } },
            handle: (ctx, body) => listActors(ctx, names, body),
        },
        {
            operation: `${plural}/update`,
            request: updateRequest,
            handle: (ctx, body) => {
                const actor = requireLiveActor(ctx, names, body[names.id] as string);
                const def = definitionOf(ctx, actor);
                // Full replacement; a secret sent back as the mask keeps its stored value.
                const configuration = copySecrets(actor.configuration, configurationOf(body), def.spec) as Record<string, unknown>;
                ensureMatchesSpec(def.spec, configuration);
                const updated: ActorRecord = { ...actor, name: body["name"] as string, configuration: structuredClone(configuration) };
                if (body["resourceAllocation"] !== undefined) updated.resourceAllocation = body["resourceAllocation"];
                ctx.store.putActor(updated);
                ctx.log.counters.updated[plural]++;
                return actorRead(ctx, names, updated);
            },
        },
        {
            operation: `${plural}/partial_update`,
            request: { [names.id]: { type: "uuid", required: true }, name: { type: "string" }, connectionConfiguration: { type: "object" }, resourceAllocation: { type: "object" } },
            handle: (ctx, body) => {
                const actor = requireLiveActor(ctx, names, body[names.id] as string);
                const def = definitionOf(ctx, actor);
                // Merged over the stored configuration without a mask check (airbyte-api.md §9).
                const configuration =
                    body["connectionConfiguration"] === undefined ? actor.configuration : (mergeConfigurations(actor.configuration, configurationOf(body)) as Record<string, unknown>);
                ensureMatchesSpec(def.spec, configuration);
                const updated: ActorRecord = { ...actor, name: (body["name"] as string | undefined) ?? actor.name, configuration: structuredClone(configuration) };
                if (body["resourceAllocation"] !== undefined) updated.resourceAllocation = body["resourceAllocation"];
                ctx.store.putActor(updated);
                ctx.log.counters.updated[plural]++;
                return actorRead(ctx, names, updated);
            },
        },
        {
            operation: `${plural}/delete`,
            request: idRequest,
            handle: (ctx, body) => {
                // Deleting a tombstoned actor again succeeds: the server re-reads it (tombstones
                // stay readable), finds no live connections and tombstones it once more.
                const actor = requireActor(ctx, names, body[names.id] as string);
                deprecateConnections(ctx, actor.id);
                if (!actor.tombstone) ctx.log.counters.deleted[plural]++;
                ctx.store.putActor({ ...actor, tombstone: true, configuration: {} });
                return NO_CONTENT;
            },
        },
        {
            operation: `${plural}/check_connection`,
            request: idRequest,
            handle: (ctx, body) => {
                const actor = requireActor(ctx, names, body[names.id] as string);
                return checkConnectionRead(ctx, names, definitionOf(ctx, actor), actor.configuration, actor.id);
            },
        },
        {
            operation: `${plural}/check_connection_for_update`,
            request: updateRequest,
            handle: (ctx, body) => {
                const actor = requireActor(ctx, names, body[names.id] as string);
                const def = definitionOf(ctx, actor);
                const configuration = copySecrets(actor.configuration, configurationOf(body), def.spec) as Record<string, unknown>;
                ensureMatchesSpec(def.spec, configuration);
                return checkConnectionRead(ctx, names, def, configuration, actor.id);
            },
        },
        {
            // SourceCoreConfig / DestinationCoreConfig: check a configuration before anything exists.
            operation: `scheduler/${plural}/check_connection`,
            request: {
                [names.definitionId]: { type: "uuid", required: true },
                connectionConfiguration: { type: "object", required: true },
                workspaceId: { type: "uuid", required: true },
                [names.id]: { type: "uuid" },
            },
            handle: (ctx, body) => {
                const workspaceId = body["workspaceId"] as string;
                requireWorkspace(ctx, workspaceId);
                const def = requireDefinition(ctx, kind, body[names.definitionId] as string, workspaceId);
                let configuration = configurationOf(body);
                // With an actor id (editing an existing actor), masked secrets come from storage.
                if (typeof body[names.id] === "string") {
                    const actor = requireActor(ctx, names, body[names.id] as string);
                    configuration = copySecrets(actor.configuration, configuration, def.spec) as Record<string, unknown>;
                }
                ensureMatchesSpec(def.spec, configuration);
                return checkConnectionRead(ctx, names, def, configuration);
            },
        },
    ];
}
