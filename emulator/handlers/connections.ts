/**
 * Connections: create, get, list, update (patch-style), delete and sync, after ConnectionsHandler
 * (airbyte-api.md §5, §6). Deleting deprecates: `get` keeps answering with
 * `status: "deprecated"`, `list` leaves the connection out.
 */
import { randomUUID } from "node:crypto";
import { toApiCatalog, toStoredCatalog, omitUndefined } from "../catalog";
import { NO_CONTENT, nowSeconds, type HandlerContext, type RouteDefinition } from "../context";
import { conflict, notFound } from "../errors";
import { legacySchedule, SCHEDULE_TYPES, scheduleForCreate, scheduleForUpdate } from "../schedule";
import { DEFAULT_DATAPLANE_GROUP_ID, type ConnectionRecord, type StoredStream } from "../store";
import type { RequestSchema } from "../validation";
import { DESTINATION_NAMES, definitionOf, requireActor, SOURCE_NAMES } from "./actors";
import { jobInfoRead, jobStatus } from "./jobs";
import { requireWorkspace } from "./workspaces";

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
    nonBreakingChangesPreference: { type: "string", enum: ["ignore", "disable", "propagate_columns", "propagate_fully"] },
    backfillPreference: { type: "string", enum: ["enabled", "disabled"] },
    tags: { type: "array" },
    onDemandEnabled: { type: "boolean" },
};

export function requireConnection(ctx: HandlerContext, connectionId: string): ConnectionRecord {
    const connection = ctx.store.connections.get(connectionId);
    if (!connection) throw notFound("STANDARD_SYNC", connectionId);
    return connection;
}

/** ApiPojoConverters.internalToConnectionRead (+ populateConnectionReadSchedule). */
function connectionRead(connection: ConnectionRecord): Record<string, unknown> {
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
        created_at: connection.createdAt,
        backfillPreference: connection.backfillPreference,
        workspaceId: connection.workspaceId,
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
    });
}

function createConnection(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    // Tombstoned sources/destinations are accepted, like the server (airbyte-api.md §13.3).
    const source = requireActor(ctx, SOURCE_NAMES, body["sourceId"] as string);
    const destination = requireActor(ctx, DESTINATION_NAMES, body["destinationId"] as string);
    // A missing syncCatalog gives an empty catalog (a TODO in the server says it should not).
    const syncCatalog = body["syncCatalog"] == null ? [] : storedCatalog(ctx, destination.id, body["syncCatalog"]);
    const schedule = scheduleForCreate(body, undefined);
    const connection: ConnectionRecord = {
        connectionId: randomUUID(),
        workspaceId: source.workspaceId,
        name: (body["name"] as string | undefined) ?? `${source.name} <> ${destination.name}`,
        sourceId: source.id,
        destinationId: destination.id,
        status: body["status"] as ConnectionRecord["status"],
        namespaceDefinition: (body["namespaceDefinition"] as ConnectionRecord["namespaceDefinition"] | undefined) ?? "source",
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
    return connectionRead(connection);
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

function updateConnection(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    const current = requireConnection(ctx, body["connectionId"] as string);
    const schedule = scheduleForUpdate(body, current.connectionId);
    const updated: ConnectionRecord = { ...current };
    for (const field of PATCHABLE) {
        if (body[field] != null) (updated as unknown as Record<string, unknown>)[field] = body[field];
    }
    // A present catalog replaces the whole catalog.
    if (body["syncCatalog"] != null) updated.syncCatalog = storedCatalog(ctx, current.destinationId, body["syncCatalog"]);
    if (schedule) {
        updated.scheduleType = schedule.scheduleType;
        updated.scheduleData = schedule.scheduleData;
    }
    ctx.store.putConnection(updated);
    ctx.log.counters.updated.connections++;
    return connectionRead(updated);
}

function syncConnection(ctx: HandlerContext, body: Record<string, unknown>): Record<string, unknown> {
    const connection = requireConnection(ctx, body["connectionId"] as string);
    const latest = ctx.store.latestJob(connection.connectionId);
    if (latest && jobStatus(ctx, latest) === "running") throw conflict(`A sync is already running for: ${connection.connectionId}`);
    const now = ctx.now();
    const job = ctx.store.addJob({ configType: "sync", configId: connection.connectionId, createdAtMs: now, completesAtMs: now + ctx.settings.syncDurationMs });
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
        handle: (ctx, body) => connectionRead(requireConnection(ctx, body["connectionId"] as string)),
    },
    {
        operation: "connections/list",
        request: { workspaceId: { type: "uuid", required: true }, includeTombstone: { type: "boolean" } },
        handle: (ctx, body) => {
            const workspaceId = body["workspaceId"] as string;
            requireWorkspace(ctx, workspaceId);
            const includeDeprecated = body["includeTombstone"] === true;
            const connections = [...ctx.store.connections.values()].filter((c) => c.workspaceId === workspaceId && (includeDeprecated || c.status !== "deprecated"));
            return { connections: connections.map(connectionRead) };
        },
    },
    {
        operation: "connections/update",
        request: { ...COMMON_FIELDS, connectionId: { type: "uuid", required: true }, status: { type: "string", enum: STATUSES }, breakingChange: { type: "boolean" } },
        handle: updateConnection,
    },
    {
        operation: "connections/delete",
        request: { connectionId: { type: "uuid", required: true } },
        handle: (ctx, body) => {
            const connection = requireConnection(ctx, body["connectionId"] as string);
            if (connection.status !== "deprecated") ctx.log.counters.deleted.connections++;
            ctx.store.putConnection({ ...connection, status: "deprecated" });
            return NO_CONTENT;
        },
    },
    {
        operation: "connections/sync",
        request: { connectionId: { type: "uuid", required: true } },
        handle: syncConnection,
    },
];
