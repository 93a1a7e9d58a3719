/**
 * Connections in the public API (airbyte-server `apis/publicapi/controllers/ConnectionsController.kt`,
 * `services/ConnectionService.kt`, `mappers/ConnectionCreateMapper.kt`, `ConnectionUpdateMapper.kt`,
 * `ConnectionReadMapper.kt`, `helpers/ConnectionHelper.kt`), on the Config API's own handlers
 * (handlers/connections.ts):
 *
 * - `POST /connections` → 200: the cron schedule is validated and normalised first
 *   (`AirbyteCatalogHelper.validateCronConfiguration`); then the destination is read (404
 *   DESTINATION_CONNECTION), the source discovered through the cache (404 SOURCE_CONNECTION, or 500
 *   when the discover fails) and the destination's sync modes taken from its spec. With
 *   `configurations.streams` the catalog is the listed streams only (`getValidConfiguredStreams`,
 *   400 problems); without, every discovered stream as full_refresh/overwrite keeping the default
 *   `selected` (`updateAllStreamsFullRefreshOverwrite`: no streams when the source has several).
 *   `ConnectionCreateMapper`: model defaults `namespaceDefinition: destination`, `prefix: ""`,
 *   `nonBreakingSchemaUpdatesBehavior: ignore`; status ACTIVE when absent; the schedule's cron with
 *   `cronTimeZone "UTC"` (no schedule → manual); `disable_connection` → `disable`, `custom_format` →
 *   `customformat`; `dataResidency` ignored. `ConnectionsHandler.createConnection` failures go
 *   through `handleCreateConnectionError` (e.g. source and destination in different workspaces, or
 *   too many selected fields → 500 unexpected-problem without data).
 * - `GET /connections/{id}` → `ConnectionsHandler.getConnection` (a deleted connection answers
 *   200 with status `deprecated`), `workspaceId` from the source.
 * - `PATCH /connections/{id}` → only non-null fields (`ConnectionUpdateMapper`); the catalog is
 *   replaced only when `configurations.streams` is non-empty; manual drops the schedule data.
 * - `DELETE` → 204. `GET /connections` → `listConnectionsForWorkspaces` (deprecated ones only with
 *   `includeDeleted`), links from `ConnectionsResponseMapper`. There is no PUT.
 */
import type { HandlerContext } from "../../context";
import { checkType, normalizeEnum } from "../../validation";
import { missingProperty } from "../../errors";
import { requireActor, SOURCE_NAMES } from "../../handlers/actors";
import {
    connectionRead,
    createConnection,
    deleteConnection,
    listConnectionsForWorkspaces,
    requireConnection,
    updateConnection,
} from "../../handlers/connections";
import { workspaceIdsForUser } from "../../handlers/workspaces";
import type { ServerGeneration } from "../../generations";
import {
    getValidConfiguredStreams,
    hasStreamConfigurations,
    normalizeCronExpression,
    updateAllStreamsFullRefreshOverwrite,
    validateCronConfiguration,
    type ApiSchedule,
    type StreamConfiguration,
} from "../catalog-helper";
import { CONNECTION_SYNC_MODES, connectionResponse } from "../mappers";
import { listQuery, pageLinks, uuidListParam } from "../pagination";
import { callInternal, handleCreateConnectionError } from "../problems";
import { noContent, ok, type PublicRoute } from "../router";
import { uuidPathParam } from "./common";
import { destinationSyncModes, sourceSchema } from "./streams";

const NAMESPACE_DEFINITIONS = ["source", "destination", "custom_format"] as const;
const NON_BREAKING = ["ignore", "disable_connection", "propagate_columns", "propagate_fully"] as const;
const STATUSES = ["active", "inactive", "deprecated", "locked"] as const;

/** Fields ConnectionCreateRequest and ConnectionPatchRequest share (checked like the generated models). */
const COMMON_FIELDS = {
    name: { type: "string" },
    configurations: { type: "object" },
    schedule: { type: "object" },
    dataResidency: { type: "string" },
    namespaceDefinition: { type: "string", enum: NAMESPACE_DEFINITIONS },
    namespaceFormat: { type: "string" },
    prefix: { type: "string" },
    nonBreakingSchemaUpdatesBehavior: { type: "string", enum: NON_BREAKING },
    status: { type: "string", enum: STATUSES },
    tags: { type: "array" },
} as const;

/** `AirbyteApiConnectionSchedule`: `scheduleType` (manual | cron) required. */
function parseSchedule(value: unknown): ApiSchedule | undefined {
    if (value == null) return undefined;
    const schedule = value as Record<string, unknown>;
    if (schedule["scheduleType"] == null) throw missingProperty("schedule.scheduleType");
    const scheduleType = normalizeEnum(schedule["scheduleType"], ["manual", "cron"] as const, "schedule.scheduleType");
    const cronExpression =
        schedule["cronExpression"] == null
            ? undefined
            : (checkType(schedule["cronExpression"], { type: "string" }, "schedule.cronExpression") as string);
    return { scheduleType, cronExpression };
}

/** `StreamConfigurations.streams`: each `StreamConfiguration` (`name` required; `namespace` known from v1.7.0). */
function parseStreams(value: unknown, generation: ServerGeneration): StreamConfiguration[] | undefined {
    if (value == null) return undefined;
    const streams = (value as Record<string, unknown>)["streams"];
    if (streams == null) return undefined;
    return (checkType(streams, { type: "array" }, "configurations.streams") as unknown[]).map((item, i) => {
        const path = `configurations.streams[${i}]`;
        const s = checkType(item, { type: "object" }, path) as Record<string, unknown>;
        const optional = <T>(key: string, type: "string" | "array" | "boolean"): T | undefined =>
            s[key] == null ? undefined : (checkType(s[key], { type }, `${path}.${key}`) as T);
        if (s["name"] == null) throw missingProperty(`${path}.name`);
        const selectedFields = optional<unknown[]>("selectedFields", "array")?.map((f, j) => {
            const field = checkType(f, { type: "object" }, `${path}.selectedFields[${j}]`) as Record<string, unknown>;
            return {
                fieldPath:
                    field["fieldPath"] == null
                        ? undefined
                        : (checkType(
                              field["fieldPath"],
                              { type: "array" },
                              `${path}.selectedFields[${j}].fieldPath`,
                          ) as string[]),
            };
        });
        const mappers = optional<unknown[]>("mappers", "array")?.map((m, j) => {
            const mapper = checkType(m, { type: "object" }, `${path}.mappers[${j}]`) as Record<string, unknown>;
            if (mapper["type"] == null) throw missingProperty(`${path}.mappers[${j}].type`);
            if (mapper["mapperConfiguration"] == null)
                throw missingProperty(`${path}.mappers[${j}].mapperConfiguration`);
            return mapper;
        });
        return {
            name: checkType(s["name"], { type: "string" }, `${path}.name`) as string,
            namespace: generation.publicStreamNamespace ? optional<string>("namespace", "string") : undefined,
            syncMode:
                s["syncMode"] == null
                    ? undefined
                    : normalizeEnum(s["syncMode"], CONNECTION_SYNC_MODES, `${path}.syncMode`),
            cursorField: optional<string[]>("cursorField", "array"),
            primaryKey: optional<string[][]>("primaryKey", "array"),
            selectedFields,
            mappers,
            includeFiles: optional<boolean>("includeFiles", "boolean"),
            destinationObjectName: optional<string>("destinationObjectName", "string"),
        };
    });
}

/** `Tag` objects (`tagId`, `name`, `color`, `workspaceId` required); unknown before v1.6.0. */
function parseTags(value: unknown, generation: ServerGeneration): Record<string, unknown>[] | undefined {
    if (value == null || !generation.publicConnectionTags) return undefined;
    return (value as unknown[]).map((item, i) => {
        const tag = checkType(item, { type: "object" }, `tags[${i}]`) as Record<string, unknown>;
        for (const [key, type] of [
            ["tagId", "uuid"],
            ["name", "string"],
            ["color", "string"],
            ["workspaceId", "uuid"],
        ] as const) {
            if (tag[key] == null) throw missingProperty(`tags[${i}].${key}`);
            checkType(tag[key], { type }, `tags[${i}].${key}`);
        }
        return { tagId: tag["tagId"], name: tag["name"], color: tag["color"], workspaceId: tag["workspaceId"] };
    });
}

/** `ConnectionHelper.convertNamespaceDefinitionEnum` / `convertNonBreakingSchemaUpdatesBehaviorEnum`. */
const toInternalNamespaceDefinition = (value: string): string => (value === "custom_format" ? "customformat" : value);
const toInternalNonBreaking = (value: string): string => (value === "disable_connection" ? "disable" : value);

/** The schedule part of ConnectionCreate / ConnectionUpdate (`ConnectionCreateMapper` / `ConnectionUpdateMapper`). */
function internalSchedule(schedule: ApiSchedule, forUpdate: boolean): Record<string, unknown> {
    if (forUpdate && schedule.scheduleType === "manual") return { scheduleType: "manual" };
    return {
        scheduleType: schedule.scheduleType,
        scheduleData: { cron: { cronExpression: schedule.cronExpression, cronTimeZone: "UTC" } },
    };
}

/** `ConnectionServiceImpl.getConnection`: the read and the workspace of its source. */
function getConnection(
    ctx: HandlerContext,
    connectionId: string,
): { read: Record<string, unknown>; workspaceId: string } {
    return callInternal(() => {
        const read = connectionRead(ctx, requireConnection(ctx, connectionId));
        const source = requireActor(ctx, SOURCE_NAMES, read["sourceId"] as string);
        return { read, workspaceId: source.workspaceId };
    });
}

export const connectionRoutes: PublicRoute[] = [
    {
        operation: "public/connections/create",
        method: "POST",
        path: "connections",
        body: {
            ...COMMON_FIELDS,
            sourceId: { type: "uuid", required: true },
            destinationId: { type: "uuid", required: true },
        },
        handle: (ctx, { body }) => {
            const generation = ctx.settings.generation;
            const sourceId = (body["sourceId"] as string).toLowerCase();
            const destinationId = (body["destinationId"] as string).toLowerCase();
            const streams = parseStreams(body["configurations"], generation);
            const tags = parseTags(body["tags"], generation);
            let schedule = parseSchedule(body["schedule"]);
            if (schedule) validateCronConfiguration(schedule, generation);
            schedule = normalizeCronExpression(schedule, generation);
            const destination = destinationSyncModes(ctx, destinationId);
            const { catalog, catalogId } = sourceSchema(ctx, sourceId, false);
            const configured = hasStreamConfigurations({ streams })
                ? getValidConfiguredStreams(catalog, streams!, destination.modes, generation)
                : updateAllStreamsFullRefreshOverwrite(catalog);
            const create: Record<string, unknown> = {
                sourceId,
                destinationId,
                name: body["name"] ?? undefined,
                nonBreakingChangesPreference: toInternalNonBreaking(
                    (body["nonBreakingSchemaUpdatesBehavior"] as string | undefined) ?? "ignore",
                ),
                namespaceDefinition: toInternalNamespaceDefinition(
                    (body["namespaceDefinition"] as string | undefined) ?? "destination",
                ),
                namespaceFormat: body["namespaceFormat"] ?? undefined,
                prefix: body["prefix"] ?? "",
                ...(schedule ? internalSchedule(schedule, false) : { scheduleType: "manual" }),
                sourceCatalogId: catalogId,
                syncCatalog: { streams: configured },
                status: body["status"] ?? "active",
                tags,
            };
            for (const key of Object.keys(create)) if (create[key] === undefined) delete create[key];
            let read: Record<string, unknown>;
            try {
                read = createConnection(ctx, create);
            } catch (error) {
                handleCreateConnectionError(error, { sourceId, destinationId });
            }
            return ok(connectionResponse(ctx, read, destination.workspaceId));
        },
    },
    {
        operation: "public/connections/get",
        method: "GET",
        path: "connections/{connectionId}",
        handle: (ctx, { params }) => {
            const { read, workspaceId } = getConnection(ctx, uuidPathParam(params["connectionId"]!));
            return ok(connectionResponse(ctx, read, workspaceId));
        },
    },
    {
        operation: "public/connections/list",
        method: "GET",
        path: "connections",
        handle: (ctx, { query }) => {
            const q = listQuery(query, "listConnections");
            const tagIds = ctx.settings.generation.publicConnectionTags
                ? uuidListParam(query, "tagIds", "listConnections")
                : [];
            const workspaceIds = q.workspaceIds.length > 0 ? q.workspaceIds : workspaceIdsForUser(ctx);
            const reads = callInternal(() =>
                listConnectionsForWorkspaces(ctx, {
                    workspaceIds,
                    tagIds,
                    includeDeleted: q.includeDeleted,
                    pageSize: q.limit,
                    rowOffset: q.offset,
                }),
            );
            return ok({
                ...pageLinks(ctx, "connections", q, reads.length),
                data: reads.map((read) => connectionResponse(ctx, read, read["workspaceId"] as string)),
            });
        },
    },
    {
        operation: "public/connections/patch",
        method: "PATCH",
        path: "connections/{connectionId}",
        body: COMMON_FIELDS,
        handle: (ctx, { params, body }) => {
            const generation = ctx.settings.generation;
            const connectionId = uuidPathParam(params["connectionId"]!);
            const streams = parseStreams(body["configurations"], generation);
            const tags = parseTags(body["tags"], generation);
            let schedule = parseSchedule(body["schedule"]);
            if (schedule) validateCronConfiguration(schedule, generation);
            schedule = normalizeCronExpression(schedule, generation);
            const current = getConnection(ctx, connectionId).read;
            const destination = destinationSyncModes(ctx, current["destinationId"] as string);
            const update: Record<string, unknown> = {
                connectionId,
                name: body["name"] ?? undefined,
                nonBreakingChangesPreference:
                    body["nonBreakingSchemaUpdatesBehavior"] == null
                        ? undefined
                        : toInternalNonBreaking(body["nonBreakingSchemaUpdatesBehavior"] as string),
                namespaceDefinition:
                    body["namespaceDefinition"] == null
                        ? undefined
                        : toInternalNamespaceDefinition(body["namespaceDefinition"] as string),
                namespaceFormat: body["namespaceFormat"] ?? undefined,
                prefix: body["prefix"] ?? undefined,
                ...(schedule ? internalSchedule(schedule, true) : {}),
                status: body["status"] ?? undefined,
                tags,
            };
            if (hasStreamConfigurations({ streams })) {
                const { catalog, catalogId } = sourceSchema(ctx, current["sourceId"] as string, false);
                update["sourceCatalogId"] = catalogId;
                update["syncCatalog"] = {
                    streams: getValidConfiguredStreams(catalog, streams!, destination.modes, generation),
                };
            }
            for (const key of Object.keys(update)) if (update[key] === undefined) delete update[key];
            const read = callInternal(() => updateConnection(ctx, update));
            return ok(connectionResponse(ctx, read, destination.workspaceId));
        },
    },
    {
        operation: "public/connections/delete",
        method: "DELETE",
        path: "connections/{connectionId}",
        handle: (ctx, { params }) => {
            const connectionId = uuidPathParam(params["connectionId"]!);
            callInternal(() => deleteConnection(ctx, connectionId));
            return noContent();
        },
    },
];
