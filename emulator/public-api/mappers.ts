/**
 * Config API reads → public API responses, after airbyte-server `apis/publicapi/mappers`
 * (`SourceReadMapper`, `DestinationReadMapper`, `ConnectionReadMapper`, `WorkspaceResponseMapper`)
 * and `helpers/ConnectionHelper`. Success bodies are serialised with `NON_ABSENT` (airbyte-server
 * `application.yml` `jackson.serialization-inclusion`): null fields are left out, empty lists and
 * strings kept; a voided configuration (a Jackson `NullNode`, not a Java null) is sent as `null`.
 */
import type { DestinationSyncMode, SyncMode } from "../connectors/types";
import type { HandlerContext } from "../context";
import type { ActorNames } from "../handlers/actors";
import type { WorkspaceRecord } from "../store";
import { DEFINITION_ID_TO_DESTINATION_NAME, DEFINITION_ID_TO_SOURCE_NAME } from "./definition-names";

/** `ConnectionSyncModeEnum` of api.yaml, in its declaration order. */
export const CONNECTION_SYNC_MODES = [
    "full_refresh_overwrite",
    "full_refresh_overwrite_deduped",
    "full_refresh_append",
    "full_refresh_update",
    "full_refresh_soft_delete",
    "incremental_append",
    "incremental_deduped_history",
    "incremental_update",
    "incremental_soft_delete",
] as const;
export type ConnectionSyncMode = (typeof CONNECTION_SYNC_MODES)[number];

/**
 * `ConnectionReadMapper.syncModesToConnectionSyncModeEnum`: the combined mode of a
 * (syncMode, destinationSyncMode) pair; a missing mode → `full_refresh_overwrite`; a pair without
 * a combined mode (incremental + overwrite, full_refresh + append_dedup) → undefined.
 */
export function combinedSyncMode(
    syncMode: SyncMode | undefined,
    destinationSyncMode: DestinationSyncMode | undefined,
): ConnectionSyncMode | undefined {
    if (syncMode === undefined || destinationSyncMode === undefined) return "full_refresh_overwrite";
    const table: Record<SyncMode, Partial<Record<DestinationSyncMode, ConnectionSyncMode>>> = {
        full_refresh: {
            overwrite: "full_refresh_overwrite",
            append: "full_refresh_append",
            overwrite_dedup: "full_refresh_overwrite_deduped",
            update: "full_refresh_update",
            soft_delete: "full_refresh_soft_delete",
        },
        incremental: {
            append: "incremental_append",
            append_dedup: "incremental_deduped_history",
            update: "incremental_update",
            soft_delete: "incremental_soft_delete",
        },
    };
    return table[syncMode][destinationSyncMode];
}

/** `AirbyteCatalogHelper.toAirbyteStreamConfiguration`'s `when`: the internal pair of a combined mode. */
export function splitSyncMode(mode: ConnectionSyncMode): {
    syncMode: SyncMode;
    destinationSyncMode: DestinationSyncMode;
} {
    switch (mode) {
        case "full_refresh_append":
            return { syncMode: "full_refresh", destinationSyncMode: "append" };
        case "full_refresh_overwrite_deduped":
            return { syncMode: "full_refresh", destinationSyncMode: "overwrite_dedup" };
        case "full_refresh_update":
            return { syncMode: "full_refresh", destinationSyncMode: "update" };
        case "full_refresh_soft_delete":
            return { syncMode: "full_refresh", destinationSyncMode: "soft_delete" };
        case "incremental_append":
            return { syncMode: "incremental", destinationSyncMode: "append" };
        case "incremental_deduped_history":
            return { syncMode: "incremental", destinationSyncMode: "append_dedup" };
        case "incremental_update":
            return { syncMode: "incremental", destinationSyncMode: "update" };
        case "incremental_soft_delete":
            return { syncMode: "incremental", destinationSyncMode: "soft_delete" };
        default:
            return { syncMode: "full_refresh", destinationSyncMode: "overwrite" };
    }
}

/** Drops undefined (Java null) fields, like `NON_ABSENT`; `null` values (NullNodes) stay. */
export function nonAbsent<T extends Record<string, unknown>>(record: T): T {
    for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
    return record;
}

/**
 * `SourceReadMapper.from` / `DestinationReadMapper.from` over the Config API read (`actorRead`):
 * `sourceType` / `destinationType` from `NameToDefinitionMapper` (`""` for other definitions),
 * the masked configuration as read, `definitionId` (d57c69188f, v1.2.0) and `createdAt` (7f2287865a, v1.2.0).
 */
export function actorResponse(
    ctx: HandlerContext,
    names: ActorNames,
    read: Record<string, unknown>,
): Record<string, unknown> {
    const generation = ctx.settings.generation;
    const definitionId = read[names.definitionId] as string;
    const typeNames = names.kind === "source" ? DEFINITION_ID_TO_SOURCE_NAME : DEFINITION_ID_TO_DESTINATION_NAME;
    return nonAbsent({
        [names.id]: read[names.id],
        name: read["name"],
        [`${names.kind}Type`]: typeNames.get(definitionId) ?? "",
        workspaceId: read["workspaceId"],
        configuration: read["connectionConfiguration"],
        definitionId: generation.publicActorResponsesHaveDefinitionId ? definitionId : undefined,
        createdAt: generation.publicResponsesHaveCreatedAt ? read["createdAt"] : undefined,
        resourceAllocation: read["resourceAllocation"] ?? undefined,
    });
}

/**
 * `ConnectionReadMapper.from(connectionRead, workspaceId)` over the Config API `ConnectionRead`
 * (`connectionRead()`):
 * - `configurations.streams`: per stored stream `name`, `namespace` (of the stream), `primaryKey`,
 *   `cursorField`, `mappers`, `includeFiles`, the combined `syncMode`, `selectedFields`, and from
 *   v2.0.0 `destinationObjectName` (ffd51c029b);
 * - `schedule` (`ConnectionScheduleResponse`): `scheduleType` (`basic` when the legacy `schedule` is
 *   set), `cronExpression` = "<expression> <time zone>", `basicTiming` = "Every <units> <TIMEUNIT>"
 *   for basic schedules;
 * - `nonBreakingSchemaUpdatesBehavior`: `disable` → `disable_connection`; `namespaceDefinition`:
 *   `customformat` → `custom_format`;
 * - `createdAt` from v1.2.0 (7f2287865a), `tags` (`[]` when none) from v1.6.0 (4cc1f2ece3).
 */
export function connectionResponse(
    ctx: HandlerContext,
    read: Record<string, unknown>,
    workspaceId: string,
): Record<string, unknown> {
    const generation = ctx.settings.generation;
    const catalog = read["syncCatalog"] as
        { streams: { stream: Record<string, unknown>; config: Record<string, unknown> }[] } | undefined;
    const streams = (catalog?.streams ?? []).map(({ stream, config }) =>
        nonAbsent({
            name: stream["name"],
            destinationObjectName: generation.publicReadsDestinationObjectName
                ? config["destinationObjectName"]
                : undefined,
            namespace: stream["namespace"],
            primaryKey: config["primaryKey"],
            cursorField: config["cursorField"],
            mappers: convertMappers(config["mappers"]),
            includeFiles: config["includeFiles"],
            syncMode: combinedSyncMode(
                config["syncMode"] as SyncMode | undefined,
                config["destinationSyncMode"] as DestinationSyncMode | undefined,
            ),
            selectedFields: config["selectedFields"],
        }),
    );
    const scheduleType = read["scheduleType"] as string | undefined;
    const scheduleData = read["scheduleData"] as
        | {
              cron?: { cronExpression: string; cronTimeZone: string };
              basicSchedule?: { units: number; timeUnit: string };
          }
        | undefined;
    // `getScheduleType`: the legacy `schedule` wins (basic), then manual / cron / basic; anything else basic.
    const readScheduleType =
        read["schedule"] != null
            ? "basic"
            : scheduleType === "manual"
              ? "manual"
              : scheduleType === "cron"
                ? "cron"
                : "basic";
    const cron = scheduleData?.cron;
    const basic = scheduleData?.basicSchedule;
    const schedule = nonAbsent({
        scheduleType: readScheduleType,
        cronExpression: cron ? `${cron.cronExpression} ${cron.cronTimeZone}` : undefined,
        // `b.timeUnit.name`: the Java enum constant (HOURS, DAYS, ...).
        basicTiming:
            scheduleType === "basic" && basic ? `Every ${basic.units} ${basic.timeUnit.toUpperCase()}` : undefined,
    });
    const nonBreaking = read["nonBreakingChangesPreference"] as string | undefined;
    const namespaceDefinition = read["namespaceDefinition"] as string | undefined;
    return nonAbsent({
        connectionId: read["connectionId"],
        name: read["name"],
        sourceId: read["sourceId"],
        destinationId: read["destinationId"],
        workspaceId,
        status: read["status"],
        schedule,
        configurations: { streams },
        nonBreakingSchemaUpdatesBehavior:
            nonBreaking === undefined ? undefined : nonBreaking === "disable" ? "disable_connection" : nonBreaking,
        namespaceDefinition:
            namespaceDefinition === undefined
                ? undefined
                : namespaceDefinition === "customformat"
                  ? "custom_format"
                  : namespaceDefinition,
        namespaceFormat: read["namespaceFormat"],
        prefix: read["prefix"],
        createdAt: generation.publicResponsesHaveCreatedAt ? read["created_at"] : undefined,
        tags: generation.publicConnectionTags
            ? ((read["tags"] as unknown[] | undefined) ?? []).map(convertTag)
            : undefined,
    });
}

function convertMappers(mappers: unknown): unknown[] | undefined {
    if (!Array.isArray(mappers)) return undefined;
    return mappers.map((m) => {
        const mapper = (m ?? {}) as Record<string, unknown>;
        return nonAbsent({
            id: mapper["id"] ?? undefined,
            type: mapper["type"],
            mapperConfiguration: mapper["mapperConfiguration"],
        });
    });
}

function convertTag(tag: unknown): Record<string, unknown> {
    const t = (tag ?? {}) as Record<string, unknown>;
    return nonAbsent({ tagId: t["tagId"], name: t["name"], color: t["color"], workspaceId: t["workspaceId"] });
}

/**
 * `WorkspaceResponseMapper.from(workspaceRead, dataplaneGroupName)`: `dataResidency` is the
 * dataplane group's name lower-cased (the community default group "AUTO" → "auto"); each
 * notification as `{email: {enabled: CUSTOMERIO in types}, webhook: {enabled: SLACK in types}}`.
 * Workspaces here carry the server's default notification settings
 * (airbyte-config `NotificationSettingsHelpers.patchNotificationSettingsWithDefaultValue`, applied by
 * `WorkspacesHandler.createWorkspace`): an empty item for success, a CUSTOMERIO (email) item for the rest.
 */
export function workspaceResponse(workspace: WorkspaceRecord): Record<string, unknown> {
    const email = { email: { enabled: true }, webhook: { enabled: false } };
    return {
        workspaceId: workspace.workspaceId,
        name: workspace.name,
        dataResidency: "auto",
        notifications: {
            failure: email,
            success: { email: { enabled: false }, webhook: { enabled: false } },
            connectionUpdate: email,
            connectionUpdateActionRequired: email,
            syncDisabled: email,
            syncDisabledWarning: email,
        },
    };
}
