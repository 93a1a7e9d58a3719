/**
 * Connection catalogs (`syncCatalog`), after airbyte-platform `ConnectionsHandler.createConnection`
 * / `applyPatchToStandardSync`, `ConnectionHelper`, `CatalogValidator` and `CatalogConverter`
 * (airbyte-commons-server), in the server's order:
 *
 * - duplicate (namespace, name) pairs: `validateCatalogDoesntContainDuplicateStreamNames`, a
 *   `require` → HTTP 500;
 * - too many selected fields: `CatalogValidator.fieldCount` (from 0.58.0) → 400 BadRequestException;
 * - only streams whose `config.selected` is true are stored (`toConfiguredInternal`), with the
 *   `cursorField` and `primaryKey` the client sent (nothing is filled from the source-defined
 *   values; incremental without a cursor is accepted — the connector falls back at sync time);
 * - with field selection, only the selected top-level properties are kept;
 * - reads return the stored streams with `selected: true`, `suggested: false` and the
 *   server-filled fields (`aliasName`, `fieldSelectionEnabled`, `selectedFields`, `mappers`,
 *   `hashedFields`, `includeFiles`, `generationId`, `minimumGenerationId`, `syncId`).
 *
 * Emulator addition (documented in README): a selected stream whose `syncMode` is not in its
 * `supportedSyncModes`, or whose `destinationSyncMode` the destination does not support, is
 * rejected with 422 naming the stream.
 */
import { toAlphanumericAndUnderscore } from "./discovery";
import { DESTINATION_SYNC_MODES, SYNC_MODES, type DestinationSyncMode, type SyncMode } from "./connectors/types";
import { badRequest, internalError, invalidConfiguration, missingProperty } from "./errors";
import type { StoredStream, StoredStreamConfig } from "./store";
import { checkType, isPlainObject, normalizeEnum } from "./validation";

export interface CatalogRules {
    /** The destination's supported destination sync modes. */
    supportedDestinationSyncModes: readonly DestinationSyncMode[];
    /** Reject unsupported sync modes (emulator addition; the real server accepts them). */
    validateSyncModes: boolean;
    /** Limit on selected fields per connection; undefined when the release has no limit. */
    maxFields?: number;
}

/** Validates an API `syncCatalog` and returns the streams to store. */
export function toStoredCatalog(syncCatalog: unknown, rules: CatalogRules): StoredStream[] {
    const catalog = checkType(syncCatalog, { type: "object" }, "syncCatalog") as Record<string, unknown>;
    if (catalog["streams"] == null) throw missingProperty("syncCatalog.streams");
    const items = checkType(catalog["streams"], { type: "array" }, "syncCatalog.streams") as unknown[];
    const parsed = items.map((item, i) => parseStreamAndConfiguration(item, `syncCatalog.streams[${i}]`));

    // ConnectionHelper.validateCatalogDoesntContainDuplicateStreamNames runs over every stream.
    const seen = new Set<string>();
    for (const { stream } of parsed) {
        const key = `${stream.namespace ?? "null"}.${stream.name}`;
        if (seen.has(key)) throw internalError(`Catalog contains duplicate stream names: ${key}`);
        seen.add(key);
    }
    if (rules.maxFields !== undefined) checkFieldCount(parsed, rules.maxFields);

    return parsed.filter((p) => p.selected).map((p) => toStoredStream(p, rules));
}

/**
 * `CatalogValidator.fieldCount`: over the selected streams, `selectedFields.size` when field
 * selection is on, else the number of top-level `properties` of the stream's JSON schema.
 */
function checkFieldCount(streams: readonly ParsedStream[], limit: number): void {
    let count = 0;
    for (const { stream, config, selected } of streams) {
        if (!selected) continue;
        if (config["fieldSelectionEnabled"] === true)
            count += Array.isArray(config["selectedFields"]) ? config["selectedFields"].length : 0;
        else count += Object.keys(stream.jsonSchema.properties ?? {}).length;
    }
    if (count > limit) {
        throw badRequest(
            `Total number of selected fields (${count}) is greater than the limit (${limit}) configured for this workspace. Please de-select fields or see documentation about raising the limit.`,
        );
    }
}

interface ParsedStream {
    stream: StoredStream["stream"];
    config: Record<string, unknown>;
    syncMode: SyncMode;
    destinationSyncMode: DestinationSyncMode;
    selected: boolean;
}

function parseStreamAndConfiguration(item: unknown, path: string): ParsedStream {
    const entry = checkType(item, { type: "object" }, path) as Record<string, unknown>;
    if (entry["stream"] == null) throw missingProperty(`${path}.stream`);
    if (entry["config"] == null) throw missingProperty(`${path}.config`);
    const stream = checkType(entry["stream"], { type: "object" }, `${path}.stream`) as Record<string, unknown>;
    const config = checkType(entry["config"], { type: "object" }, `${path}.config`) as Record<string, unknown>;
    if (stream["name"] == null) throw missingProperty(`${path}.stream.name`);
    if (config["syncMode"] == null) throw missingProperty(`${path}.config.syncMode`);
    if (config["destinationSyncMode"] == null) throw missingProperty(`${path}.config.destinationSyncMode`);
    const supported =
        stream["supportedSyncModes"] == null
            ? undefined
            : (checkType(
                  stream["supportedSyncModes"],
                  { type: "array" },
                  `${path}.stream.supportedSyncModes`,
              ) as unknown[]);
    const normalizedStream: StoredStream["stream"] = {
        name: checkType(stream["name"], { type: "string" }, `${path}.stream.name`) as string,
        jsonSchema: (stream["jsonSchema"] == null
            ? {}
            : checkType(
                  stream["jsonSchema"],
                  { type: "object" },
                  `${path}.stream.jsonSchema`,
              )) as StoredStream["stream"]["jsonSchema"],
        supportedSyncModes: (supported ?? []).map((m, i) =>
            normalizeEnum(m, SYNC_MODES, `${path}.stream.supportedSyncModes[${i}]`),
        ),
        namespace:
            stream["namespace"] == null
                ? undefined
                : (checkType(stream["namespace"], { type: "string" }, `${path}.stream.namespace`) as string),
        sourceDefinedCursor: optional(
            stream["sourceDefinedCursor"],
            "boolean",
            `${path}.stream.sourceDefinedCursor`,
        ) as boolean | undefined,
        defaultCursorField: optional(stream["defaultCursorField"], "array", `${path}.stream.defaultCursorField`) as
            string[] | undefined,
        sourceDefinedPrimaryKey: optional(
            stream["sourceDefinedPrimaryKey"],
            "array",
            `${path}.stream.sourceDefinedPrimaryKey`,
        ) as string[][] | undefined,
        isResumable: optional(stream["isResumable"], "boolean", `${path}.stream.isResumable`) as boolean | undefined,
        isFileBased: optional(stream["isFileBased"], "boolean", `${path}.stream.isFileBased`) as boolean | undefined,
    };
    return {
        stream: normalizedStream,
        config,
        syncMode: normalizeEnum(config["syncMode"], SYNC_MODES, `${path}.config.syncMode`),
        destinationSyncMode: normalizeEnum(
            config["destinationSyncMode"],
            DESTINATION_SYNC_MODES,
            `${path}.config.destinationSyncMode`,
        ),
        selected: config["selected"] === true,
    };
}

function optional(value: unknown, type: "boolean" | "array", path: string): unknown {
    return value == null ? undefined : checkType(value, { type }, path);
}

function describeStream(stream: StoredStream["stream"]): string {
    return stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
}

function toStoredStream(parsed: ParsedStream, rules: CatalogRules): StoredStream {
    const { stream, config, syncMode, destinationSyncMode } = parsed;
    if (rules.validateSyncModes) {
        if (stream.supportedSyncModes.length > 0 && !stream.supportedSyncModes.includes(syncMode)) {
            throw invalidConfiguration(
                `Stream '${describeStream(stream)}' uses sync mode '${syncMode}', which the stream does not support (supported: ${stream.supportedSyncModes.join(", ")}).`,
            );
        }
        if (!rules.supportedDestinationSyncModes.includes(destinationSyncMode)) {
            throw invalidConfiguration(
                `Stream '${describeStream(stream)}' uses destination sync mode '${destinationSyncMode}', which the destination does not support (supported: ${rules.supportedDestinationSyncModes.join(", ")}).`,
            );
        }
    }
    // toConfiguredInternal: `.cursorField(s.config.cursorField)`, `.primaryKey(s.config.primaryKey ?: emptyList())`.
    const primaryKey =
        config["primaryKey"] == null
            ? []
            : (checkType(config["primaryKey"], { type: "array" }, "primaryKey") as string[][]);
    const cursorField =
        config["cursorField"] == null
            ? undefined
            : (checkType(config["cursorField"], { type: "array" }, "cursorField") as string[]);

    const stored: StoredStreamConfig = {
        syncMode,
        destinationSyncMode,
        cursorField,
        primaryKey,
        destinationObjectName:
            typeof config["destinationObjectName"] === "string" ? config["destinationObjectName"] : undefined,
        includeFiles: config["includeFiles"] === true,
        fieldSelectionEnabled: config["fieldSelectionEnabled"] === true,
        mappers: Array.isArray(config["mappers"]) ? config["mappers"] : [],
        hashedFields: Array.isArray(config["hashedFields"]) ? config["hashedFields"] : [],
    };
    if (stored.fieldSelectionEnabled)
        return { stream: selectFields(stream, stored, config["selectedFields"]), config: stored };
    return { stream, config: stored };
}

/** CatalogConverter.toConfiguredProtocol: keep only the selected top-level properties. */
function selectFields(
    stream: StoredStream["stream"],
    config: StoredStreamConfig,
    selectedFields: unknown,
): StoredStream["stream"] {
    if (!Array.isArray(selectedFields))
        throw invalidConfiguration("Requested field selection but no selected fields provided");
    const names = selectedFields.map((field) => {
        const path = isPlainObject(field) ? field["fieldPath"] : undefined;
        if (!Array.isArray(path) || path.length === 0)
            throw invalidConfiguration("Selected field path cannot be empty");
        if (path.length > 1) throw invalidConfiguration("Nested field selection not supported");
        return String(path[0]);
    });
    if (config.syncMode === "incremental" && config.cursorField?.length && !names.includes(config.cursorField[0]!)) {
        throw invalidConfiguration("Cursor field cannot be de-selected in INCREMENTAL syncs");
    }
    if (config.destinationSyncMode === "append_dedup") {
        for (const key of config.primaryKey)
            if (!names.includes(key[0]!))
                throw invalidConfiguration("Primary key field cannot be de-selected in DEDUP mode");
    }
    const properties = (stream.jsonSchema.properties ?? {}) as Record<string, unknown>;
    const retained = Object.fromEntries(Object.entries(properties).filter(([name]) => names.includes(name)));
    return { ...stream, jsonSchema: { ...stream.jsonSchema, properties: retained as never } };
}

/** CatalogConverter.toApi: the catalog as connection reads return it. */
export function toApiCatalog(streams: readonly StoredStream[]): { streams: unknown[] } {
    return {
        streams: streams.map(({ stream, config }) => ({
            stream: omitUndefined({
                name: stream.name,
                jsonSchema: stream.jsonSchema,
                supportedSyncModes: stream.supportedSyncModes,
                sourceDefinedCursor: stream.sourceDefinedCursor ?? false,
                defaultCursorField: stream.defaultCursorField ?? [],
                sourceDefinedPrimaryKey: stream.sourceDefinedPrimaryKey ?? [],
                namespace: stream.namespace,
                isFileBased: stream.isFileBased,
                isResumable: stream.isResumable,
            }),
            config: omitUndefined({
                syncMode: config.syncMode,
                cursorField: config.cursorField,
                destinationSyncMode: config.destinationSyncMode,
                primaryKey: config.primaryKey,
                aliasName: toAlphanumericAndUnderscore(stream.name),
                selected: true,
                suggested: false,
                includeFiles: config.includeFiles,
                destinationObjectName: config.destinationObjectName,
                fieldSelectionEnabled: config.fieldSelectionEnabled,
                selectedFields: config.fieldSelectionEnabled
                    ? Object.keys(stream.jsonSchema.properties ?? {}).map((name) => ({ fieldPath: [name] }))
                    : [],
                hashedFields: config.hashedFields,
                mappers: config.mappers,
                generationId: 0,
                minimumGenerationId: 0,
                syncId: 0,
            }),
        })),
    };
}

export function omitUndefined<T extends Record<string, unknown>>(record: T): T {
    for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
    return record;
}
