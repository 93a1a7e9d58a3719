/**
 * Connections: create, get, list, list_paginated, update (patch-style), delete and sync, after
 * airbyte-platform `ConnectionsHandler` (airbyte-commons-server). Deleting deprecates: `get` keeps
 * answering with `status: "deprecated"`, `list` leaves the connection out, and an update may
 * revive it (`applyPatchToStandardSync` copies `patch.status`; `updateConnection` refuses only
 * LOCKED connections, and only after v2.0.0). Neither create nor update looks at the tombstones of
 * the source and destination (`getSourceConnection` returns deleted actors too). The public API's
 * connection endpoints (public-api/handlers/connections.ts) call the same functions.
 */
import { randomUUID } from "node:crypto";
import { toApiCatalog, toStoredCatalog, omitUndefined } from "../catalog";
import { NO_CONTENT, nowSeconds, type HandlerContext, type RouteDefinition } from "../context";
import { conflict, internalError, notFound } from "../errors";
import { connectionLockedProblem } from "../public-api/problems";
import { legacySchedule, SCHEDULE_TYPES, scheduleForCreate, scheduleForUpdate } from "../schedule";
import { DEFAULT_DATAPLANE_GROUP_ID, type ConnectionRecord, type StoredStream } from "../store";
import { checkType, type RequestSchema } from "../validation";
import { DESTINATION_NAMES, definitionOf, requireActor, SOURCE_NAMES } from "./actors";
import { jobInfoRead, jobStatus } from "./jobs";

const STATUSES = ["active", "inactive", "deprecated", "locked"] as const;

/** Fields ConnectionCreate and ConnectionUpdate share. */
const COMMON_FIELDS: RequestSchema = {
    name: { type: "string" },
    namespaceDefinition: { type: "string", enum: ["source", "destination", "customformat"] },
    namespaceFormat: { type: "string" },
    prefix: { type: "string" },
    operationIds: { type: "array" },
    syncCatalog: { type: "object" },
    schedule: { type: "object" },
    scheduleType: { type: "string", enum: SCHEDULE_TYPES },
    scheduleData: { type: "object" },
    resourceRequirements: { type: "object" },
    sourceCatalogId: { type: "uuid" },
    destinationCatalogId: { type: "uuid" },
    dataplaneGroupId: { type: "uuid" },
    notifySchemaChanges: { type: "boolean" },
    notifySchemaChangesByEmail: { type: "boolean" },
    nonBreakingChangesPreference: {
        type: "string",
        enum: ["ignore", "disable", "propagate_columns", "propagate_fully"],
    },
    backfillPreference: { type: "string", enum: ["enabled", "disabled"] },
    tags: { type: "array" },
    onDemandEnabled: { type: "boolean" },
};

export function requireConnection(ctx: HandlerContext, connectionId: string): ConnectionRecord {
    const connection = ctx.store.connections.get(connectionId);
    if (!connection) throw notFound("STANDARD_SYNC", connectionId);
    return connection;
}

/**
 * `ApiPojoConverters.internalToConnectionRead` (+ `populateConnectionReadSchedule`). It never sets
 * `workspaceId`; only `listConnectionsForWorkspaces` (list_paginated) adds it afterwards.
 */
export function connectionRead(ctx: HandlerContext, connection: ConnectionRecord): Record<string, unknown> {
    return omitUndefined({
        connectionId: connection.connectionId,
        name: connection.name,
        namespaceDefinition: connection.namespaceDefinition,
        namespaceFormat: connection.namespaceFormat,
        prefix: connection.prefix,
        sourceId: connection.sourceId,
        destinationId: connection.destinationId,
        operationIds: connection.operationIds,
        syncCatalog: toApiCatalog(connection.syncCatalog),
        // Both the legacy schedule (basic only) and the new pair, like the server.
        schedule: legacySchedule(connection),
        scheduleType: connection.scheduleType,
        scheduleData: connection.scheduleData,
        status: connection.status,
        resourceRequirements: connection.resourceRequirements,
        sourceCatalogId: connection.sourceCatalogId,
        destinationCatalogId: connection.destinationCatalogId,
        breakingChange: connection.breakingChange,
        notifySchemaChanges: connection.notifySchemaChanges,
        notifySchemaChangesByEmail: connection.notifySchemaChangesByEmail,
        nonBreakingChangesPreference: connection.nonBreakingChangesPreference,
        // `.createdAt(standardSync.createdAt)`, JSON key `created_at`: 609d3dd4f6 (#10966), first tag v0.50.46.
        created_at: ctx.settings.generation.reportsConnectionCreatedAt ? connection.createdAt : undefined,
        backfillPreference: connection.backfillPreference,
        dataplaneGroupId: connection.dataplaneGroupId,
        tags: connection.tags,
        onDemandEnabled: connection.onDemandEnabled,
    });
}

function storedCatalog(ctx: HandlerContext, destinationId: string, syncCatalog: unknown): StoredStream[] {
    const destination = requireActor(ctx, DESTINATION_NAMES, destinationId);
    return toStoredCatalog(syncCatalog, {
        supportedDestinationSyncModes: definitionOf(ctx, destination).supportedDestinationSyncModes ?? [],
        validateSyncModes: ctx.settings.validateSyncModes,
        // CatalogValidator.fieldCount, a139a0d396 (#12197), first tag v0.58.0.
        maxFields: ctx.settings.generation.limitsCatalogFields ? ctx.settings.maxFieldsPerConnection : undefined,
    });
}

/**
 * `ConnectionHelper.validateWorkspace`: a Guava `checkArgument` (a Kotlin `require` after 2.0.0),
 * which no exception handler maps → 500.
 */
function validateWorkspace(
    sourceId: string,
    sourceWorkspace: string,
    destinationId: string,
    destinationWorkspace: string,
): void {
    if (sourceWorkspace === destinationWorkspace) return;
    throw internalError(
        `Source and destination do not belong to the same workspace. Source id: ${sourceId}, Source workspace id: ${sourceWorkspace}, Destination id: ${destinationId}, Destination workspace id: ${destinationWorkspace}`,
    );
}

/** `ConnectionsHandler.createConnection` on a ConnectionCreate body (enums canonical). */
export function createConnection(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    // ConnectionsHandler.createConnection: every check runs before `writeStandardSync`, so a
    // failure stores nothing. Tombstoned sources/destinations are accepted.
    const source = requireActor(ctx, SOURCE_NAMES, body["sourceId"] as string);
    const destination = requireActor(ctx, DESTINATION_NAMES, body["destinationId"] as string);
    validateWorkspace(source.id, source.workspaceId, destination.id, destination.workspaceId);
    // A missing syncCatalog gives an empty catalog (a TODO in the server says it should not).
    const syncCatalog = body["syncCatalog"] == null ? [] : storedCatalog(ctx, destination.id, body["syncCatalog"]);
    // The id is assigned before the schedule is checked, so cron problems name it.
    const connectionId = randomUUID();
    const schedule = scheduleForCreate(body, connectionId, ctx.settings.generation);
    const connection: ConnectionRecord = {
        connectionId,
        workspaceId: source.workspaceId,
        name: (body["name"] as string | undefined) ?? `${source.name} <> ${destination.name}`,
        sourceId: source.id,
        destinationId: destination.id,
        status: body["status"] as ConnectionRecord["status"],
        namespaceDefinition:
            (body["namespaceDefinition"] as ConnectionRecord["namespaceDefinition"] | undefined) ?? "source",
        namespaceFormat: (body["namespaceFormat"] as string | undefined) ?? "${SOURCE_NAMESPACE}",
        prefix: (body["prefix"] as string | undefined) ?? "",
        syncCatalog,
        ...schedule,
        sourceCatalogId: body["sourceCatalogId"] as string | undefined,
        destinationCatalogId: body["destinationCatalogId"] as string | undefined,
        nonBreakingChangesPreference: (body["nonBreakingChangesPreference"] as string | undefined) ?? "ignore",
        backfillPreference: (body["backfillPreference"] as string | undefined) ?? "disabled",
        notifySchemaChanges: (body["notifySchemaChanges"] as boolean | undefined) ?? false,
        notifySchemaChangesByEmail: (body["notifySchemaChangesByEmail"] as boolean | undefined) ?? false,
        breakingChange: false,
        resourceRequirements: body["resourceRequirements"] as Record<string, unknown> | undefined,
        operationIds: (body["operationIds"] as string[] | undefined) ?? [],
        tags: (body["tags"] as unknown[] | undefined) ?? [],
        onDemandEnabled: (body["onDemandEnabled"] as boolean | undefined) ?? false,
        createdAt: nowSeconds(ctx),
        dataplaneGroupId: (body["dataplaneGroupId"] as string | undefined) ?? DEFAULT_DATAPLANE_GROUP_ID,
    };
    ctx.store.putConnection(connection);
    ctx.log.counters.created.connections++;
    return connectionRead(ctx, connection);
}

/** Fields a ConnectionUpdate may set as-is; absent (or null) means unchanged. */
const PATCHABLE = [
    "name",
    "namespaceDefinition",
    "namespaceFormat",
    "prefix",
    "status",
    "operationIds",
    "resourceRequirements",
    "sourceCatalogId",
    "destinationCatalogId",
    "dataplaneGroupId",
    "notifySchemaChanges",
    "notifySchemaChangesByEmail",
    "nonBreakingChangesPreference",
    "backfillPreference",
    "breakingChange",
    "tags",
    "onDemandEnabled",
] as const;

/** `ConnectionsHandler.updateConnection` on a ConnectionUpdate body: absent (or null) fields stay as they are. */
export function updateConnection(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    // A deprecated (deleted) connection is patched like any other, `status` included.
    const current = requireConnection(ctx, body["connectionId"] as string);
    // 37d38e81fb (#18040, after v2.0.0): `if (sync.status == LOCKED) throw ConnectionLockedProblem(...)`.
    if (ctx.settings.generation.refusesLockedConnectionUpdates && current.status === "locked")
        throw connectionLockedProblem(current.connectionId);
    const schedule = scheduleForUpdate(body, current.connectionId, ctx.settings.generation);
    const updated: ConnectionRecord = { ...current };
    for (const field of PATCHABLE) {
        if (body[field] != null) (updated as unknown as Record<string, unknown>)[field] = body[field];
    }
    // A present catalog replaces the whole catalog.
    if (body["syncCatalog"] != null)
        updated.syncCatalog = storedCatalog(ctx, current.destinationId, body["syncCatalog"]);
    if (schedule) {
        updated.scheduleType = schedule.scheduleType;
        updated.scheduleData = schedule.scheduleData;
    }
    ctx.store.putConnection(updated);
    ctx.log.counters.updated.connections++;
    return connectionRead(ctx, updated);
}

/**
 * `ConnectionsHandler.listConnectionsForWorkspaces` (list_paginated, cede9f6da3, first tag
 * v0.50.13): `listWorkspaceStandardSyncsLimitOffsetPaginated` — connections whose source is in one
 * of the workspaces, without ORDER BY, `LIMIT pageSize OFFSET rowOffset` (20 / 0 by default,
 * `PaginationHelper`), deprecated ones only with `includeDeleted` — grouped by workspace, each
 * read with `workspaceId` set.
 */
function listConnectionsPaginated(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    const workspaceIds = (body["workspaceIds"] as unknown[]).map(
        (id, i) => checkType(id, { type: "uuid" }, `workspaceIds[${i}]`) as string,
    );
    const pagination = (body["pagination"] ?? {}) as { pageSize?: unknown; rowOffset?: unknown };
    const pageSize = typeof pagination.pageSize === "number" ? pagination.pageSize : 20;
    const rowOffset = typeof pagination.rowOffset === "number" ? pagination.rowOffset : 0;
    return {
        connections: listConnectionsForWorkspaces(ctx, {
            workspaceIds,
            includeDeleted: body["includeDeleted"] === true,
            pageSize,
            rowOffset,
        }),
    };
}

/**
 * `ConnectionsHandler.listConnectionsForWorkspaces` (shared by list_paginated and the public API's
 * `GET /connections`): see `listConnectionsPaginated`. `tagIds` keeps connections carrying one of
 * the tags (`listWorkspaceStandardSyncsLimitOffsetPaginated`'s tag filter); list_paginated passes none.
 */
export function listConnectionsForWorkspaces(
    ctx: HandlerContext,
    query: {
        workspaceIds: readonly string[];
        tagIds?: readonly string[];
        includeDeleted: boolean;
        pageSize: number;
        rowOffset: number;
    },
): Record<string, unknown>[] {
    const tagIds = query.tagIds ?? [];
    const hasTag = (c: ConnectionRecord): boolean =>
        tagIds.length === 0 ||
        c.tags.some(
            (t) => typeof t === "object" && t !== null && tagIds.includes((t as { tagId?: string }).tagId ?? ""),
        );
    const page = [...ctx.store.connections.values()]
        .filter(
            (c) =>
                query.workspaceIds.includes(c.workspaceId) &&
                (query.includeDeleted || c.status !== "deprecated") &&
                hasTag(c),
        )
        .slice(query.rowOffset, query.rowOffset + Math.max(query.pageSize, 0));
    const byWorkspace = new Map<string, ConnectionRecord[]>();
    for (const c of page) {
        const group = byWorkspace.get(c.workspaceId);
        if (group) group.push(c);
        else byWorkspace.set(c.workspaceId, [c]);
    }
    return [...byWorkspace].flatMap(([workspaceId, connections]) =>
        connections.map((c) => ({ ...connectionRead(ctx, c), workspaceId })),
    );
}

/** `ConnectionsHandler.deleteConnection`: deprecates (again, if already deleted). */
export function deleteConnection(ctx: HandlerContext, connectionId: string): void {
    const connection = requireConnection(ctx, connectionId);
    if (connection.status !== "deprecated") ctx.log.counters.deleted.connections++;
    ctx.store.putConnection({ ...connection, status: "deprecated" });
}

function syncConnection(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    const connection = requireConnection(ctx, body["connectionId"] as string);
    const latest = ctx.store.latestJob(connection.connectionId);
    if (latest && jobStatus(ctx, latest) === "running")
        throw conflict(`A sync is already running for: ${connection.connectionId}`);
    const now = ctx.now();
    const job = ctx.store.addJob({
        configType: "sync",
        configId: connection.connectionId,
        createdAtMs: now,
        completesAtMs: now + ctx.settings.syncDurationMs,
    });
    ctx.log.counters.syncs++;
    return jobInfoRead(ctx, job);
}

export const connectionRoutes: RouteDefinition[] = [
    {
        operation: "connections/create",
        request: {
            ...COMMON_FIELDS,
            sourceId: { type: "uuid", required: true },
            destinationId: { type: "uuid", required: true },
            status: { type: "string", enum: STATUSES, required: true },
        },
        handle: createConnection,
    },
    {
        operation: "connections/get",
        request: { connectionId: { type: "uuid", required: true }, withRefreshedCatalog: { type: "boolean" } },
        handle: (ctx, body) => connectionRead(ctx, requireConnection(ctx, body["connectionId"] as string)),
    },
    {
        // The controller calls `listConnectionsForWorkspace(body)`, i.e. includeDeleted = false:
        // `includeTombstone` is ignored. No workspace lookup: an unknown workspace has no connections.
        operation: "connections/list",
        request: { workspaceId: { type: "uuid", required: true }, includeTombstone: { type: "boolean" } },
        handle: (ctx, body) => {
            const workspaceId = body["workspaceId"] as string;
            const connections = [...ctx.store.connections.values()].filter(
                (c) => c.workspaceId === workspaceId && c.status !== "deprecated",
            );
            return { connections: connections.map((c) => connectionRead(ctx, c)) };
        },
    },
    {
        operation: "connections/list_paginated",
        servedBy: (g) => g.hasListConnectionsPaginated,
        // `ListConnectionsForWorkspacesRequestBody` requires workspaceIds and userId.
        request: {
            workspaceIds: { type: "array", required: true },
            userId: { type: "uuid", required: true },
            pagination: { type: "object" },
            includeDeleted: { type: "boolean" },
            tagIds: { type: "array" },
        },
        handle: listConnectionsPaginated,
    },
    {
        operation: "connections/update",
        request: {
            ...COMMON_FIELDS,
            connectionId: { type: "uuid", required: true },
            status: { type: "string", enum: STATUSES },
            breakingChange: { type: "boolean" },
        },
        handle: updateConnection,
    },
    {
        operation: "connections/delete",
        request: { connectionId: { type: "uuid", required: true } },
        handle: (ctx, body) => {
            deleteConnection(ctx, body["connectionId"] as string);
            return NO_CONTENT;
        },
    },
    {
        operation: "connections/sync",
        request: { connectionId: { type: "uuid", required: true } },
        handle: syncConnection,
    },
];
