/**
 * What sources and destinations ("actors") share: create, get, list, update, partial_update,
 * delete, check_connection, check_connection_for_update and the scheduler's check of a bare
 * configuration. sources.ts and destinations.ts only add names (and discovery for sources).
 *
 * Behaviour after airbyte-platform `SourceHandler` / `DestinationHandler` / `SchedulerHandler` /
 * `ConfigurationUpdate` (airbyte-commons-server): reads mask secrets (secrets.ts); deleted actors
 * stay readable (`getSourceConnection` does not filter tombstones) but leave `list`; deleting an
 * actor first deletes (deprecates) its connections (`deleteSource`); `list` pages by cursor from
 * 1.8.0. Nothing checks the tombstone on writes: what a write to a deleted actor does follows
 * from what delete left in its configuration (see `deleteVoidsActorConfiguration`).
 */
import { randomUUID } from "node:crypto";
import type { ActorKind, CheckOutcome, ConnectorConfiguration, ConnectorDefinition } from "../connectors/types";
import { NO_CONTENT, nowSeconds, type HandlerContext, type RouteDefinition } from "../context";
import { badRequest, type ConfigType, notFound } from "../errors";
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

/** `WorkspaceResourceCursorPagination.DEFAULT_PAGE_SIZE`. */
const DEFAULT_PAGE_SIZE = 20;

/** The actor, deleted or not (`getSourceConnection` reads tombstones too); unknown → 404. */
export function requireActor(ctx: HandlerContext, names: ActorNames, id: string): ActorRecord {
    const actor = ctx.store.actors(names.kind).get(id);
    if (!actor) throw notFound(names.missing, id);
    return actor;
}

export function definitionOf(ctx: HandlerContext, actor: ActorRecord): ConnectorDefinition {
    return requireDefinition(ctx, actor.kind, actor.definitionId);
}

/** `SourceHandler.toSourceRead` / `DestinationHandler.toDestinationRead`. */
export function actorRead(
    ctx: HandlerContext,
    names: ActorNames,
    actor: ActorRecord,
    extra?: Record<string, unknown>,
): Record<string, unknown> {
    const def = definitionOf(ctx, actor);
    const read: Record<string, unknown> = {
        [names.definitionId]: actor.definitionId,
        [names.id]: actor.id,
        workspaceId: actor.workspaceId,
        // A voided configuration (a JSON null in the actor row) is read back as a NullNode and
        // serialised as `null`: NON_NULL only drops Java nulls.
        connectionConfiguration: actor.configuration === null ? null : maskSecrets(actor.configuration, def.spec),
        name: actor.name,
        [names.definitionName]: def.name,
        icon: def.icon,
        // 7f2287865a (#14509), first tag v1.2.0.
        createdAt: ctx.settings.generation.reportsActorCreatedAt ? actor.createdAt : undefined,
        isVersionOverrideApplied: false,
        isEntitled: true,
        supportState: "supported",
        resourceAllocation: actor.resourceAllocation,
        ...extra,
    };
    for (const key of Object.keys(read)) if (read[key] === undefined) delete read[key];
    return read;
}

/**
 * What `list` adds to each read: `status` (`buildSourceReadWithStatus`), and from 1.8.0
 * `numConnections` (`listWorkspaceSourceConnectionsWithCounts`).
 */
function listExtras(ctx: HandlerContext, actor: ActorRecord): Record<string, unknown> {
    const live = ctx.store.connectionsOfActor(actor.id).filter((c) => c.status !== "deprecated");
    const status = live.some((c) => c.status === "active") ? "active" : "inactive";
    return ctx.settings.generation.paginatesActorLists ? { numConnections: live.length, status } : { status };
}

/** Runs the connector's simulated check on an (unmasked) configuration; a voided one is `null`. */
export function simulateCheck(def: ConnectorDefinition, config: ConnectorConfiguration | null): CheckOutcome {
    // A connector handed a configuration its own spec rejects fails to start.
    const problems = specProblems(def.spec, config);
    if (problems.length > 0 || config === null)
        return {
            ok: false,
            message: `Could not connect with provided configuration. Error: invalid configuration: ${problems.join(", ")}`,
        };
    return def.check(config);
}

/** CheckConnectionRead: HTTP 200 whatever the outcome; a failed check is `status: "failed"`. */
function checkConnectionRead(
    ctx: HandlerContext,
    names: ActorNames,
    def: ConnectorDefinition,
    config: ConnectorConfiguration | null,
    configId?: string,
): Record<string, unknown> {
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
    // No workspace lookup: an unknown workspace simply has no actors.
    const workspaceId = body["workspaceId"] as string;
    const read = (a: ActorRecord): Record<string, unknown> => actorRead(ctx, names, a, listExtras(ctx, a));
    // Before 1.8.0: `listWorkspaceSourceConnection`, every actor, no ORDER BY; pageSize/cursor are unknown fields
    // (ignored).
    if (!ctx.settings.generation.paginatesActorLists)
        return { [names.plural]: ctx.store.activeActors(names.kind, workspaceId).map(read) };

    // c742220ed8 (#17021), first tag v1.8.0: `listSourcesForWorkspace` with `ActorServicePaginationHelper`.
    const sorted = ctx.store.sortedActiveActors(names.kind, workspaceId);
    const pageSize = typeof body["pageSize"] === "number" ? body["pageSize"] : DEFAULT_PAGE_SIZE;
    let start = 0;
    if (typeof body["cursor"] === "string") {
        // The cursor is the id of the last actor of the previous page. `getCursorActor` looks it up
        // with `tombstone = false AND actor_type = ...` (any workspace); a deleted, unknown or
        // wrong-kind id → ConfigNotFoundException → 404. Paging continues after its (name, id).
        const cursor = ctx.store.actors(names.kind).get(body["cursor"]);
        if (!cursor || cursor.tombstone) throw notFound(names.missing, body["cursor"]);
        start = upperBound(sorted, cursor);
    }
    return {
        [names.plural]: sorted.slice(start, start + Math.max(pageSize, 0)).map(read),
        page_size: pageSize,
        // `countWorkspaceSourcesFiltered`: every matching actor, whatever the cursor.
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

/** What SourceCreate / DestinationCreate carry into `createSource` / `createDestination`. */
export interface ActorCreate {
    workspaceId: string;
    name: string;
    definitionId: string;
    configuration: Record<string, unknown>;
    resourceAllocation?: unknown;
}

/**
 * `SourceHandler.createSource` / `DestinationHandler.createDestination`: resource allocation is
 * refused on Cloud (BadRequestException "Setting resource allocation is not permitted on CLOUD"),
 * the configuration is validated against the definition's spec, then persisted. Shared by
 * `sources/create` and the public API's `POST /sources`.
 */
export function createActor(ctx: HandlerContext, names: ActorNames, input: ActorCreate): Record<string, unknown> {
    refuseCloudResourceAllocation(ctx, input.resourceAllocation);
    requireWorkspace(ctx, input.workspaceId);
    const def = requireDefinition(ctx, names.kind, input.definitionId, input.workspaceId);
    ensureMatchesSpec(def.spec, input.configuration);
    const actor: ActorRecord = {
        kind: names.kind,
        id: randomUUID(),
        definitionId: def.definitionId,
        workspaceId: input.workspaceId,
        name: input.name,
        configuration: structuredClone(input.configuration),
        tombstone: false,
        createdAt: nowSeconds(ctx),
        resourceAllocation: input.resourceAllocation,
    };
    // Built first: a spec the secret traversal rejects fails `persistSourceConnection`
    // (`processConfigSecrets`, 500) before the actor row is written.
    const read = actorRead(ctx, names, actor);
    ctx.store.putActor(actor);
    ctx.log.counters.created[names.plural]++;
    return read;
}

/**
 * `SourceHandler.updateSource` → `ConfigurationUpdate.source`: full replacement; a secret sent back
 * as the mask keeps its stored value. A voided configuration makes `copySecrets` fail (500); a kept
 * one (servers < 0.63.5) updates the deleted actor, which stays deleted.
 */
export function updateActor(
    ctx: HandlerContext,
    names: ActorNames,
    input: { id: string; name: string; configuration: Record<string, unknown>; resourceAllocation?: unknown },
): Record<string, unknown> {
    refuseCloudResourceAllocation(ctx, input.resourceAllocation);
    const actor = requireActor(ctx, names, input.id);
    const def = definitionOf(ctx, actor);
    const configuration = copySecrets(actor.configuration, input.configuration, def.spec) as Record<string, unknown>;
    ensureMatchesSpec(def.spec, configuration);
    const updated: ActorRecord = { ...actor, name: input.name, configuration: structuredClone(configuration) };
    if (input.resourceAllocation !== undefined) updated.resourceAllocation = input.resourceAllocation;
    ctx.store.putActor(updated);
    ctx.log.counters.updated[names.plural]++;
    return actorRead(ctx, names, updated);
}

/**
 * `SourceHandler.partialUpdateSource` → `ConfigurationUpdate.partialSource`: merged over the stored
 * configuration without a mask check, then validated. A voided configuration stays null and fails
 * the spec (422).
 */
export function partialUpdateActor(
    ctx: HandlerContext,
    names: ActorNames,
    input: { id: string; name?: string; configuration?: unknown; resourceAllocation?: unknown },
): Record<string, unknown> {
    refuseCloudResourceAllocation(ctx, input.resourceAllocation);
    const actor = requireActor(ctx, names, input.id);
    const def = definitionOf(ctx, actor);
    const configuration = mergeConfigurations(
        actor.configuration,
        input.configuration ?? actor.configuration,
    ) as Record<string, unknown> | null;
    ensureMatchesSpec(def.spec, configuration);
    const updated: ActorRecord = {
        ...actor,
        name: input.name ?? actor.name,
        configuration: structuredClone(configuration),
    };
    if (input.resourceAllocation !== undefined) updated.resourceAllocation = input.resourceAllocation;
    ctx.store.putActor(updated);
    ctx.log.counters.updated[names.plural]++;
    return actorRead(ctx, names, updated);
}

/**
 * `SourceHandler.deleteSource`: deprecates the actor's connections, then tombstones it. Deleting a
 * tombstoned actor again succeeds: the server re-reads it (tombstones stay readable), finds no
 * live connections and tombstones it once more.
 */
export function deleteActor(ctx: HandlerContext, names: ActorNames, id: string): void {
    const actor = requireActor(ctx, names, id);
    deprecateConnections(ctx, actor.id);
    if (!actor.tombstone) ctx.log.counters.deleted[names.plural]++;
    // `tombstoneSource` "Tombstone source and void config" (275832edb0, v0.63.5); before,
    // `deleteSource` persisted the full configuration with `tombstone = true`.
    const configuration = ctx.settings.generation.deleteVoidsActorConfiguration ? null : actor.configuration;
    ctx.store.putActor({ ...actor, tombstone: true, configuration });
}

/**
 * `SourceHandler.listSourcesForWorkspaces` (`ListResourcesForWorkspacesRequestBody`, what the public
 * API lists with) → `SourceServiceJooqImpl.listWorkspacesSourceConnections`: actors of the given
 * workspaces, tombstoned ones only with `includeDeleted`, `LIMIT pageSize OFFSET rowOffset`, no
 * ORDER BY (creation order here); each read with its `status` (`buildSourceReadWithStatus`).
 */
export function listActorsForWorkspaces(
    ctx: HandlerContext,
    names: ActorNames,
    query: { workspaceIds: readonly string[]; includeDeleted: boolean; pageSize: number; rowOffset: number },
): Record<string, unknown>[] {
    const workspaces = new Set(query.workspaceIds);
    const matching = [...ctx.store.actors(names.kind).values()].filter(
        (a) => workspaces.has(a.workspaceId) && (query.includeDeleted || !a.tombstone),
    );
    return matching
        .slice(query.rowOffset, query.rowOffset + Math.max(query.pageSize, 0))
        .map((a) => actorRead(ctx, names, a, { status: listExtras(ctx, a)["status"] }));
}

/**
 * `Setting resource allocation is not permitted on CLOUD` (SourceHandler / DestinationHandler, BadRequestException).
 */
function refuseCloudResourceAllocation(ctx: HandlerContext, resourceAllocation: unknown): void {
    if (resourceAllocation != null && ctx.settings.cloud)
        throw badRequest("Setting resource allocation is not permitted on CLOUD");
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
            handle: (ctx, body) =>
                createActor(ctx, names, {
                    workspaceId: body["workspaceId"] as string,
                    name: body["name"] as string,
                    definitionId: body[names.definitionId] as string,
                    configuration: configurationOf(body),
                    resourceAllocation: body["resourceAllocation"],
                }),
        },
        {
            operation: `${plural}/get`,
            request: idRequest,
            // Tombstoned actors are still returned.
            handle: (ctx, body) => actorRead(ctx, names, requireActor(ctx, names, body[names.id] as string)),
        },
        {
            operation: `${plural}/list`,
            request: {
                workspaceId: { type: "uuid", required: true },
                cursor: { type: "uuid" },
                pageSize: { type: "integer" },
                sortKey: { type: "string" },
                filters: { type: "object" },
            },
            handle: (ctx, body) => listActors(ctx, names, body),
        },
        {
            operation: `${plural}/update`,
            request: updateRequest,
            handle: (ctx, body) =>
                updateActor(ctx, names, {
                    id: body[names.id] as string,
                    name: body["name"] as string,
                    configuration: configurationOf(body),
                    resourceAllocation: body["resourceAllocation"],
                }),
        },
        {
            operation: `${plural}/partial_update`,
            request: {
                [names.id]: { type: "uuid", required: true },
                name: { type: "string" },
                connectionConfiguration: { type: "object" },
                resourceAllocation: { type: "object" },
            },
            handle: (ctx, body) =>
                partialUpdateActor(ctx, names, {
                    id: body[names.id] as string,
                    name: body["name"] as string | undefined,
                    configuration: body["connectionConfiguration"] ?? undefined,
                    resourceAllocation: body["resourceAllocation"],
                }),
        },
        {
            operation: `${plural}/delete`,
            request: idRequest,
            handle: (ctx, body) => {
                deleteActor(ctx, names, body[names.id] as string);
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
                // SchedulerHandler.checkSourceConnectionFromSourceIdForUpdate: ConfigurationUpdate.source first (500 on
                // a voided configuration).
                const actor = requireActor(ctx, names, body[names.id] as string);
                const def = definitionOf(ctx, actor);
                const configuration = copySecrets(actor.configuration, configurationOf(body), def.spec) as Record<
                    string,
                    unknown
                >;
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
                    configuration = copySecrets(actor.configuration, configuration, def.spec) as Record<
                        string,
                        unknown
                    >;
                }
                ensureMatchesSpec(def.spec, configuration);
                return checkConnectionRead(ctx, names, def, configuration);
            },
        },
    ];
}
