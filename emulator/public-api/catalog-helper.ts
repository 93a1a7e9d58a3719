/**
 * airbyte-server `apis/publicapi/helpers/AirbyteCatalogHelper.kt` (v2.0.0 unless noted): turns
 * the public API's `configurations.streams` into the Config API `syncCatalog` the connection
 * handler stores, validating each stream against the discovered catalog, and validates cron
 * schedules. Every failure is a `BadRequestProblem` (400, message in `data.message`).
 *
 * Kotlin renders lists and sets as `[a, b]` (nested: `[[a], [b, c]]`) in messages. Two sets are
 * Java HashSets/HashMaps whose iteration order is the hash order: the valid combined sync modes
 * (enum hash codes are identity hashes, so a server's order varies per run; declaration order
 * here) and, before v1.7.0, the stream names of "Invalid stream found" (String hashes: emulated).
 */
import type { DestinationSyncMode, DiscoveredStream, SyncMode } from "../connectors/types";
import type { DefaultStreamConfiguration } from "../discovery";
import type { ServerGeneration } from "../generations";
import { quartzCronProblems } from "../../provider/quartz-cron";
import { badRequestProblem } from "./problems";
import { combinedSyncMode, CONNECTION_SYNC_MODES, splitSyncMode, type ConnectionSyncMode } from "./mappers";

/** A stream of the discovered catalog with the server's default configuration (`SourceDiscoverSchemaRead.catalog`). */
export interface ReferenceStream {
    stream: DiscoveredStream;
    config: DefaultStreamConfiguration & Record<string, unknown>;
}

/** `StreamConfiguration` of a request, after validation. */
export interface StreamConfiguration {
    name: string;
    namespace?: string;
    syncMode?: ConnectionSyncMode;
    cursorField?: string[];
    primaryKey?: string[][];
    selectedFields?: { fieldPath?: string[] }[];
    mappers?: unknown[];
    includeFiles?: boolean;
    destinationObjectName?: string;
}

/** `AirbyteApiConnectionSchedule` of a request. */
export interface ApiSchedule {
    scheduleType: "manual" | "cron";
    cronExpression?: string;
}

const QUARTZ_DOCS = "https://www.quartz-scheduler.org/documentation/quartz-2.3.0/tutorials/crontrigger.html";

/** Kotlin's `toString()` of (nested) lists. */
export function kotlinList(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(kotlinList).join(", ")}]`;
    return String(value);
}

/** `hasStreamConfigurations`: `!configurations?.streams.isNullOrEmpty()`. */
export function hasStreamConfigurations(configurations: { streams?: unknown[] } | undefined): boolean {
    return Array.isArray(configurations?.streams) && configurations.streams.length > 0;
}

/**
 * `normalizeCronExpression`: an expression ending in "UTC" loses every "UTC" and is trimmed
 * (d76ffcef49, v0.63.1; before, the expression was used as sent).
 */
export function normalizeCronExpression<T extends ApiSchedule | undefined>(
    schedule: T,
    generation: ServerGeneration,
): T {
    if (!schedule || schedule.cronExpression == null || !generation.publicCronStripsUtc) return schedule;
    const cron = schedule.cronExpression;
    return cron.endsWith("UTC") ? { ...schedule, cronExpression: cron.replaceAll("UTC", "").trim() } : schedule;
}

/**
 * `validateCronConfiguration`: a cron schedule needs an expression ("Missing cron expression in the
 * schedule."); the (normalised) expression must parse as Quartz (cron-utils `CronParser(QUARTZ)`;
 * the emulator checks with `quartzCronProblems`, whose wording differs from cron-utils'), and its
 * first field (seconds), and with a year also its second (minutes), must be a plain integer
 * (`Integer.valueOf`): the "one hour minimum" message.
 */
export function validateCronConfiguration(schedule: ApiSchedule, generation: ServerGeneration): void {
    if (schedule.scheduleType !== "cron") return;
    if (schedule.cronExpression == null) throw badRequestProblem("Missing cron expression in the schedule.");
    const expression = normalizeCronExpression(schedule, generation).cronExpression!;
    const problems = quartzCronProblems(expression);
    if (problems.length > 0) {
        throw badRequestProblem(
            `The cron expression ${schedule.cronExpression} is not valid. Error: ${problems.join("; ")}. Please check the cron expression format at ${QUARTZ_DOCS}`,
        );
    }
    const fields = expression.trim().split(/\s+/);
    const isInteger = (field: string | undefined): boolean =>
        field !== undefined && /^[+-]?\d+$/.test(field) && Math.abs(Number(field)) <= 2147483647;
    if (!isInteger(fields[0]) || (fields.length === 7 && !isInteger(fields[1]))) {
        throw badRequestProblem(
            `The cron expression ${schedule.cronExpression} is not valid or is less than the one hour minimum. The seconds and minutes values cannot be \`*\`.`,
        );
    }
}

/**
 * `getStreamFields` (also `StreamsController.getStreamFields`): every path of `properties`,
 * recursively — `[id]`, `[address]`, `[address, city]`, ...
 */
export function streamFields(schema: unknown): string[][] {
    const fields: string[][] = [];
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return fields;
    const properties = (schema as Record<string, unknown>)["properties"];
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return fields;
    for (const [name, nested] of Object.entries(properties)) {
        fields.push([name]);
        for (const entry of streamFields(nested)) if (entry.length > 0) fields.push([name, ...entry]);
    }
    return fields;
}

/** `CatalogConfigDiffHelper.getStreamTopLevelFields`: the names of the top-level properties. */
function topLevelFields(schema: DiscoveredStream["jsonSchema"]): string[] {
    return Object.keys(schema.properties ?? {});
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** `validCombinedSyncModes`: stream modes × destination modes that have a combined mode. */
export function validCombinedSyncModes(
    sourceSyncModes: readonly SyncMode[],
    destinationSyncModes: readonly DestinationSyncMode[],
): ConnectionSyncMode[] {
    const valid = new Set<ConnectionSyncMode>();
    for (const s of sourceSyncModes)
        for (const d of destinationSyncModes) {
            const combined = combinedSyncMode(s, d);
            if (combined) valid.add(combined);
        }
    return CONNECTION_SYNC_MODES.filter((m) => valid.has(m));
}

function selectCursorField(stream: DiscoveredStream, sc: StreamConfiguration): string[] {
    if (stream.sourceDefinedCursor) return stream.defaultCursorField;
    if (sc.cursorField && sc.cursorField.length > 0) return sc.cursorField;
    return stream.defaultCursorField;
}

function selectPrimaryKey(stream: DiscoveredStream, sc: StreamConfiguration): string[][] | undefined {
    return stream.sourceDefinedPrimaryKey.length > 0 ? stream.sourceDefinedPrimaryKey : sc.primaryKey;
}

/** `validateFieldSelection`. */
function validateFieldSelection(sc: StreamConfiguration, stream: DiscoveredStream): void {
    if (sc.selectedFields == null) return;
    const allTopLevel = topLevelFields(stream.jsonSchema);
    if (sc.selectedFields.length === 0) {
        throw badRequestProblem(
            `No fields selected for stream ${stream.name}. The list of valid field names includes: ${kotlinList(allTopLevel)}.`,
        );
    }
    const selected = sc.selectedFields.map((field) => {
        const path = field.fieldPath;
        if (!path || path.length === 0)
            throw badRequestProblem(`Selected field path cannot be empty for stream:  ${stream.name}.`);
        if (path.length > 1) throw badRequestProblem(`Nested field selection not supported for stream ${stream.name}.`);
        return path[0]!;
    });
    const selectedSet = new Set(selected);
    if (selected.length !== selectedSet.size)
        throw badRequestProblem(`Duplicate fields selected in configuration for stream: ${stream.name}.`);
    if (!selected.every((f) => allTopLevel.includes(f))) {
        throw badRequestProblem(
            `Invalid fields selected for stream ${stream.name}. The list of valid field names includes: ${kotlinList(allTopLevel)}.`,
        );
    }
    const primaryKeyModes: readonly ConnectionSyncMode[] = [
        "incremental_deduped_history",
        "full_refresh_overwrite_deduped",
        "incremental_update",
        "full_refresh_update",
    ];
    if (sc.syncMode !== undefined && primaryKeyModes.includes(sc.syncMode)) {
        const keyFields = (selectPrimaryKey(stream, sc) ?? [])
            .map((key) => key[0])
            .filter((f): f is string => f !== undefined);
        if (!keyFields.every((f) => selectedSet.has(f))) {
            throw badRequestProblem(
                `Primary key fields are not selected properly for stream: ${stream.name}. Please include primary key(s) in the configuration for this stream.`,
            );
        }
    }
    const incrementalModes: readonly ConnectionSyncMode[] = [
        "incremental_deduped_history",
        "incremental_append",
        "incremental_update",
        "incremental_soft_delete",
    ];
    if (sc.syncMode !== undefined && incrementalModes.includes(sc.syncMode)) {
        const cursor = selectCursorField(stream, sc);
        if (cursor.length > 0 && !selectedSet.has(cursor[0]!)) {
            throw badRequestProblem(
                `Cursor field is not selected properly for stream: ${stream.name}. Please include the cursor field in selected fields for this stream.`,
            );
        }
    }
}

/** `validateCursorField`. */
function validateCursorField(cursorField: string[] | undefined, stream: DiscoveredStream): void {
    if (stream.sourceDefinedCursor) {
        if (cursorField && cursorField.length > 0) {
            const given = new Set(cursorField);
            const defined = new Set(stream.defaultCursorField);
            const equal = given.size === defined.size && [...given].every((f) => defined.has(f));
            if (!equal) {
                throw badRequestProblem(
                    `Cursor Field ${kotlinList(cursorField)} is already defined by source for stream: ${stream.name}. Do not include a cursor field configuration for this stream.`,
                );
            }
        }
        return;
    }
    if (cursorField && cursorField.length > 0) {
        const valid = streamFields(stream.jsonSchema);
        if (!valid.some((f) => sameList(f, cursorField))) {
            throw badRequestProblem(
                `Invalid cursor field for stream: ${stream.name}. The list of valid cursor fields include: ${kotlinList(valid)}.`,
            );
        }
    } else if (stream.defaultCursorField.length === 0) {
        throw badRequestProblem(
            `No default cursor field for stream: ${stream.name}. Please include a cursor field configuration for this stream.`,
        );
    }
}

/** `validatePrimaryKey`. */
function validatePrimaryKey(primaryKey: string[][] | undefined, stream: DiscoveredStream): void {
    const sourceDefined = stream.sourceDefinedPrimaryKey.length > 0;
    const configured = primaryKey !== undefined && primaryKey.length > 0;
    if (sourceDefined && configured && !sameList(stream.sourceDefinedPrimaryKey, primaryKey)) {
        throw badRequestProblem(
            `Primary key for stream: ${stream.name} is already pre-defined. Please remove the primaryKey or provide the value as ${kotlinList(stream.sourceDefinedPrimaryKey)}.`,
        );
    }
    if (!configured && !sourceDefined) {
        throw badRequestProblem(
            `No default primary key for stream: ${stream.name}. Please include a primary key configuration for this stream.`,
        );
    }
    const valid = streamFields(stream.jsonSchema);
    for (const key of primaryKey ?? []) {
        if (!valid.some((f) => sameList(f, key))) {
            throw badRequestProblem(
                `Invalid primary key for stream: ${stream.name}. The list of valid primary keys fields: ${kotlinList(valid)}.`,
            );
        }
        if (new Set(key).size !== key.length) {
            throw badRequestProblem(
                `Duplicate primary key detected for stream: ${stream.name}, please don't provide the same column more than once. Key: ${kotlinList(primaryKey)}`,
            );
        }
    }
}

/**
 * `validateStreamConfig`: field selection first; a stream without a sync mode, or with
 * `full_refresh_overwrite`, is not checked further ("Not passing in a sync mode gets mapped to
 * FULL_REFRESH_OVERWRITE"); otherwise the mode must be one of the valid combined modes, then the
 * cursor (incremental append / deduped) and primary key (deduped, update) are checked.
 */
export function validateStreamConfig(
    sc: StreamConfiguration,
    destinationSyncModes: readonly DestinationSyncMode[],
    stream: DiscoveredStream,
): void {
    validateFieldSelection(sc, stream);
    if (sc.syncMode === undefined || sc.syncMode === "full_refresh_overwrite") return;
    const valid = validCombinedSyncModes(stream.supportedSyncModes, destinationSyncModes);
    if (!valid.includes(sc.syncMode)) {
        throw badRequestProblem(
            `Cannot set sync mode to ${sc.syncMode} for stream ${sc.name}. Valid sync modes are: ${kotlinList(valid)}`,
        );
    }
    switch (sc.syncMode) {
        case "incremental_append":
            validateCursorField(sc.cursorField, stream);
            break;
        case "incremental_deduped_history":
            validateCursorField(sc.cursorField, stream);
            validatePrimaryKey(sc.primaryKey, stream);
            break;
        case "full_refresh_update":
        case "incremental_update":
            validatePrimaryKey(sc.primaryKey, stream);
            break;
        default:
            break;
    }
}

/** `toAirbyteStreamConfiguration`: the Config API stream configuration of a validated request stream. */
function toAirbyteStreamConfiguration(
    reference: ReferenceStream,
    sc: StreamConfiguration,
    generation: ServerGeneration,
): Record<string, unknown> {
    const defaults = reference.config;
    const stream = reference.stream;
    const config: Record<string, unknown> = {
        selected: true,
        aliasName: defaults.aliasName,
        fieldSelectionEnabled: defaults["fieldSelectionEnabled"],
        selectedFields: defaults["selectedFields"],
        includeFiles: sc.includeFiles ?? defaults["includeFiles"],
        suggested: defaults.suggested,
        destinationObjectName: sc.destinationObjectName ?? defaults["destinationObjectName"],
        mappers: sc.mappers ?? defaults["mappers"],
    };
    if (sc.selectedFields != null) {
        config["fieldSelectionEnabled"] = true;
        config["selectedFields"] = sc.selectedFields.map((f) => ({ fieldPath: f.fieldPath }));
    }
    // 511bfd5373 (v1.7.0): "Set namespace from StreamConfiguration if provided".
    if (generation.publicStreamNamespace) config["namespace"] = sc.namespace ?? defaults["namespace"];
    const mode = sc.syncMode ?? "full_refresh_overwrite";
    const { syncMode, destinationSyncMode } = splitSyncMode(mode);
    config["syncMode"] = syncMode;
    config["destinationSyncMode"] = destinationSyncMode;
    switch (mode) {
        case "incremental_append":
        case "incremental_deduped_history":
        case "incremental_update":
        case "incremental_soft_delete":
            config["cursorField"] = selectCursorField(stream, sc);
            config["primaryKey"] = selectPrimaryKey(stream, sc);
            break;
        case "full_refresh_overwrite_deduped":
        case "full_refresh_update":
        case "full_refresh_soft_delete":
            config["cursorField"] = defaults.cursorField;
            config["primaryKey"] = selectPrimaryKey(stream, sc);
            break;
        default:
            config["cursorField"] = defaults.cursorField;
            config["primaryKey"] = defaults.primaryKey;
    }
    for (const key of Object.keys(config)) if (config[key] === undefined) delete config[key];
    return config;
}

/**
 * `getValidConfiguredStreams` (v1.7.0+, 511bfd5373): per requested stream, in order: find it in
 * the discovered catalog (by name; when several share the name, by name and namespace), validate
 * it, map it, and refuse a second (name, namespace). Only the listed streams end up in the
 * catalog, all selected.
 *
 * Before v1.7.0 (`validateStreams`, then per stream `validateStreamConfig` and
 * `updateAirbyteStreamConfiguration`): streams are looked up by name only, all names are checked
 * first ("Invalid stream found. ...", "Duplicate stream found in configuration for: X."), and
 * `namespace` is an unknown property (ignored).
 */
export function getValidConfiguredStreams(
    catalog: readonly ReferenceStream[],
    streams: readonly StreamConfiguration[],
    destinationSyncModes: readonly DestinationSyncMode[],
    generation: ServerGeneration,
): { stream: DiscoveredStream; config: Record<string, unknown> }[] {
    if (!generation.publicStreamNamespace) {
        // `getValidStreams`: a HashMap by name (a later stream of the same name wins).
        const byName = new Map<string, ReferenceStream>();
        for (const reference of catalog) byName.set(reference.stream.name, reference);
        const seen = new Set<string>();
        for (const sc of streams) {
            if (!byName.has(sc.name))
                throw badRequestProblem(
                    `Invalid stream found. The list of valid streams include: ${kotlinList(javaHashMapKeyOrder([...byName.keys()]))}.`,
                );
            if (seen.has(sc.name)) throw badRequestProblem(`Duplicate stream found in configuration for: ${sc.name}.`);
            seen.add(sc.name);
        }
        return streams.map((sc) => {
            const reference = byName.get(sc.name)!;
            validateStreamConfig(sc, destinationSyncModes, reference.stream);
            return { stream: reference.stream, config: toAirbyteStreamConfiguration(reference, sc, generation) };
        });
    }
    const configured = new Set<string>();
    return streams.map((sc) => {
        const reference = findStream(catalog, sc.name, sc.namespace);
        validateStreamConfig(sc, destinationSyncModes, reference.stream);
        const config = toAirbyteStreamConfiguration(reference, sc, generation);
        const key = JSON.stringify([sc.name, sc.namespace ?? null]);
        if (configured.has(key))
            throw badRequestProblem(
                `Duplicate stream found in configuration for stream name [${sc.name}] in namespace [${sc.namespace ?? "null"}].`,
            );
        configured.add(key);
        return { stream: reference.stream, config };
    });
}

/** `findAndValidateCatalogStreamAndConfiguration`. */
function findStream(catalog: readonly ReferenceStream[], name: string, namespace: string | undefined): ReferenceStream {
    const byName = catalog.filter((r) => r.stream.name === name);
    if (byName.length === 1) return byName[0]!;
    const matches = byName.filter((r) => (r.stream.namespace ?? undefined) === namespace);
    const hint =
        "Please call the https://reference.airbyte.com/reference/getstreamproperties endpoint to see the valid stream name and namespace combinations.";
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1)
        throw badRequestProblem(
            `Multiple streams found with name [${name}] and namespace [${namespace ?? "null"}]. ${hint}`,
        );
    throw badRequestProblem(`No streams found with name [${name}] and namespace [${namespace ?? "null"}]. ${hint}`);
}

/**
 * `updateAllStreamsFullRefreshOverwrite` / `updateConfigDefaultFullRefreshOverwrite`: every
 * discovered stream, its default configuration's alias, cursor, field selection, `selected`,
 * `includeFiles` and `suggested` kept (no primary key), full refresh + overwrite. With several
 * streams and no suggested ones nothing is selected, so the connection gets no streams.
 */
export function updateAllStreamsFullRefreshOverwrite(
    catalog: readonly ReferenceStream[],
): { stream: DiscoveredStream; config: Record<string, unknown> }[] {
    return catalog.map(({ stream, config }) => {
        const updated: Record<string, unknown> = {
            aliasName: config.aliasName,
            cursorField: config.cursorField,
            fieldSelectionEnabled: config["fieldSelectionEnabled"],
            selected: config.selected,
            includeFiles: config["includeFiles"],
            selectedFields: config["selectedFields"],
            suggested: config.suggested,
            destinationSyncMode: "overwrite",
            syncMode: "full_refresh",
        };
        for (const key of Object.keys(updated)) if (updated[key] === undefined) delete updated[key];
        return { stream, config: updated };
    });
}

/** `String.hashCode()`. */
function javaStringHash(value: string): number {
    let h = 0;
    for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0;
    return h;
}

/**
 * The iteration order of a `java.util.HashMap` holding these keys (inserted in this order):
 * buckets by `(h ^ (h >>> 16)) & (capacity - 1)`, capacity 16 doubled while size > 0.75 × capacity,
 * insertion order within a bucket.
 */
export function javaHashMapKeyOrder(keys: readonly string[]): string[] {
    const unique = [...new Set(keys)];
    let capacity = 16;
    while (unique.length > capacity * 0.75) capacity *= 2;
    const bucket = (key: string): number => {
        const h = javaStringHash(key);
        return (h ^ (h >>> 16)) & (capacity - 1);
    };
    return unique
        .map((key, index) => ({ key, index, b: bucket(key) }))
        .sort((a, b) => a.b - b.b || a.index - b.index)
        .map((e) => e.key);
}
