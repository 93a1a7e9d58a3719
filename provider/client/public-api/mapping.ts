/**
 * The public API's wire shapes to domain values and back: actors, connections and their patches,
 * combined sync modes, schedules, and the enum spellings that differ from the Config API's. Each
 * mapping follows the server's own mappers in airbyte-platform
 * `airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi`
 * (`AirbyteCatalogHelper`, `ConnectionReadMapper`, `ConnectionCreateMapper`, `ConnectionHelper`).
 */
import { canonicalCron } from "../../quartz-cron";
import type {
    Actor,
    ActorKind,
    ConfiguredStream,
    Connection,
    ConnectionPatch,
    DestinationSyncMode,
    LiveStream,
    NamespaceDefinition,
    NonBreakingChangesPreference,
    Schedule,
    SyncMode,
    TimeUnit,
} from "../domain";
import type {
    ActorResponse,
    ConnectionPatchRequest,
    ConnectionResponse,
    ConnectionSyncMode,
    NamespaceDefinitionEnum,
    NonBreakingSchemaUpdatesBehaviorEnum,
    ScheduleRequest,
    StreamConfiguration,
} from "./wire";

/** `ConnectionSyncModeEnum` ↔ (syncMode, destinationSyncMode); pairs missing here have no public-API form. */
export const COMBINED_SYNC_MODES: Record<ConnectionSyncMode, [SyncMode, DestinationSyncMode]> = {
    full_refresh_overwrite: ["full_refresh", "overwrite"],
    full_refresh_overwrite_deduped: ["full_refresh", "overwrite_dedup"],
    full_refresh_append: ["full_refresh", "append"],
    full_refresh_update: ["full_refresh", "update"],
    full_refresh_soft_delete: ["full_refresh", "soft_delete"],
    incremental_append: ["incremental", "append"],
    incremental_deduped_history: ["incremental", "append_dedup"],
    incremental_update: ["incremental", "update"],
    incremental_soft_delete: ["incremental", "soft_delete"],
};

export function combinedSyncMode(
    syncMode: SyncMode,
    destinationSyncMode: DestinationSyncMode,
): ConnectionSyncMode | undefined {
    return (Object.keys(COMBINED_SYNC_MODES) as ConnectionSyncMode[]).find(
        (c) => COMBINED_SYNC_MODES[c][0] === syncMode && COMBINED_SYNC_MODES[c][1] === destinationSyncMode,
    );
}

/** What `ConnectionReadMapper` reports for a stream: a missing mode reads as full_refresh_overwrite. */
export function splitSyncMode(mode: ConnectionSyncMode | undefined): [SyncMode, DestinationSyncMode] {
    return (mode && COMBINED_SYNC_MODES[mode]) ?? ["full_refresh", "overwrite"];
}

const NAMESPACE: Record<NamespaceDefinition, NamespaceDefinitionEnum> = {
    source: "source",
    destination: "destination",
    customformat: "custom_format",
};
const NON_BREAKING: Record<NonBreakingChangesPreference, NonBreakingSchemaUpdatesBehaviorEnum> = {
    ignore: "ignore",
    disable: "disable_connection",
    propagate_columns: "propagate_columns",
    propagate_fully: "propagate_fully",
};

export const namespaceToWire = (value: NamespaceDefinition): NamespaceDefinitionEnum => NAMESPACE[value];
export const namespaceFromWire = (value: NamespaceDefinitionEnum): NamespaceDefinition =>
    (Object.keys(NAMESPACE) as NamespaceDefinition[]).find((k) => NAMESPACE[k] === value)!;
export const nonBreakingToWire = (value: NonBreakingChangesPreference): NonBreakingSchemaUpdatesBehaviorEnum =>
    NON_BREAKING[value];
export const nonBreakingFromWire = (value: NonBreakingSchemaUpdatesBehaviorEnum): NonBreakingChangesPreference =>
    (Object.keys(NON_BREAKING) as NonBreakingChangesPreference[]).find((k) => NON_BREAKING[k] === value)!;

/**
 * Writes: manual or cron. The public API has no time zone field; the server stores every cron
 * schedule in UTC (`ConnectionCreateMapper`: `cronTimeZone = "UTC"`), and no form for basic
 * schedules (see `schedulingProblem`).
 */
export function scheduleToWire(schedule: Schedule): ScheduleRequest {
    return schedule.type === "cron"
        ? { scheduleType: "cron", cronExpression: schedule.cron }
        : { scheduleType: "manual" };
}

/** A cron field value (a year, say) rather than a time zone id. */
const CRON_FIELD = /^[0-9*?,/#LW-]+$/i;

/**
 * Reads: `ConnectionReadMapper` renders cron schedules as `"<expression> <zone>"` (e.g.
 * `"0 0 12 * * ? UTC"`, or the zone a connection made through the Config API has), and basic
 * schedules as `basicTiming: "Every 24 HOURS"`.
 */
export function scheduleFromWire(schedule: ConnectionResponse["schedule"] | undefined): Schedule {
    if (schedule?.scheduleType === "cron" && schedule.cronExpression) {
        const fields = schedule.cronExpression.trim().split(/\s+/);
        const last = fields[fields.length - 1]!;
        const hasZone = fields.length > 6 && !CRON_FIELD.test(last);
        return {
            type: "cron",
            cron: canonicalCron((hasZone ? fields.slice(0, -1) : fields).join(" ")),
            timeZone: hasZone ? last : "UTC",
        };
    }
    if (schedule?.scheduleType === "basic" && schedule.basicTiming) {
        const match = /^Every\s+(\d+)\s+(\w+)$/i.exec(schedule.basicTiming.trim());
        if (match) return { type: "basic", units: Number(match[1]), timeUnit: match[2]!.toLowerCase() as TimeUnit };
    }
    return { type: "manual" };
}

/** An actor as the public API reads it, in domain terms. */
export function actorFromWire(kind: ActorKind, read: ActorResponse): Actor {
    const configuration = read.configuration ?? {};
    return {
        kind,
        id: (kind === "source" ? read.sourceId : read.destinationId)!,
        workspaceId: read.workspaceId,
        definitionId: read.definitionId,
        name: read.name,
        configuration,
        ...(typeof read.createdAt === "number" ? { createdAt: read.createdAt } : {}),
        // A deleted actor still answers GET, with no configuration (SourceServiceJooqImpl
        // does not filter tombstones); servers before 1.2 report no creation time either.
        ...(Object.keys(configuration).length === 0 || typeof read.createdAt !== "number"
            ? { possiblyDeleted: true }
            : {}),
    };
}

/** A connection as the public API reads it, in domain terms. */
export function connectionFromWire(read: ConnectionResponse): Connection {
    return {
        id: read.connectionId,
        name: read.name,
        sourceId: read.sourceId,
        destinationId: read.destinationId,
        workspaceId: read.workspaceId,
        status: read.status === "deprecated" ? "deleted" : read.status,
        schedule: scheduleFromWire(read.schedule),
        ...(read.namespaceDefinition ? { namespaceDefinition: namespaceFromWire(read.namespaceDefinition) } : {}),
        ...(read.namespaceFormat !== undefined ? { namespaceFormat: read.namespaceFormat } : {}),
        ...(read.prefix !== undefined ? { prefix: read.prefix } : {}),
        ...(read.nonBreakingSchemaUpdatesBehavior
            ? { nonBreakingChangesPreference: nonBreakingFromWire(read.nonBreakingSchemaUpdatesBehavior) }
            : {}),
        streams: (read.configurations?.streams ?? []).map((s): LiveStream => {
            const [syncMode, destinationSyncMode] = splitSyncMode(s.syncMode);
            const selected = (s.selectedFields ?? []).map((f) => f.fieldPath[0]!).filter(Boolean);
            return {
                name: s.name,
                ...(s.namespace ? { namespace: s.namespace } : {}),
                syncMode,
                destinationSyncMode,
                cursorField: s.cursorField ?? [],
                primaryKey: s.primaryKey ?? [],
                // Reads list every top-level field when field selection is on, none otherwise.
                ...(selected.length ? { columns: [...new Set(selected)].sort() } : {}),
            };
        }),
        ...(typeof read.createdAt === "number" ? { createdAt: read.createdAt } : {}),
    };
}

/** Configured streams as the public API writes them (one combined sync mode each). */
export function streamsToWire(streams: ConfiguredStream[]): StreamConfiguration[] {
    return streams.map((s) => {
        const syncMode = combinedSyncMode(s.syncMode, s.destinationSyncMode);
        if (!syncMode)
            throw new Error(`stream ${s.name}: ${s.syncMode} + ${s.destinationSyncMode} has no form in the public API`);
        return {
            name: s.name,
            ...(s.namespace ? { namespace: s.namespace } : {}),
            syncMode,
            ...(s.cursorField.length ? { cursorField: s.cursorField } : {}),
            ...(s.primaryKey.length ? { primaryKey: s.primaryKey } : {}),
            ...(s.columns ? { selectedFields: s.columns.map((c) => ({ fieldPath: [c] })) } : {}),
        };
    });
}

/** A connection patch as the public API writes it. */
export function patchToWire(patch: ConnectionPatch): ConnectionPatchRequest {
    if (patch.catalog?.kind === "raw") throw new Error("a raw syncCatalog has no form in the public API");
    return {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.catalog ? { configurations: { streams: streamsToWire(patch.catalog.streams) } } : {}),
        ...(patch.schedule ? { schedule: scheduleToWire(patch.schedule) } : {}),
        ...(patch.namespaceDefinition !== undefined
            ? { namespaceDefinition: namespaceToWire(patch.namespaceDefinition) }
            : {}),
        ...(patch.namespaceFormat !== undefined ? { namespaceFormat: patch.namespaceFormat } : {}),
        ...(patch.prefix !== undefined ? { prefix: patch.prefix } : {}),
        ...(patch.nonBreakingChangesPreference !== undefined
            ? { nonBreakingSchemaUpdatesBehavior: nonBreakingToWire(patch.nonBreakingChangesPreference) }
            : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
    };
}
