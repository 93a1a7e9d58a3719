/**
 * Catalog merging: from streams chosen by name to the `syncCatalog` the Config API wants, and
 * back from a connection's live catalog to the user's selections.
 *
 * Users name streams; the provider discovers the source's catalog at create and update and
 * fills in everything else (json schemas, supported modes, source-defined primary keys and
 * cursors, which are never overridden). State keeps only the selections and a digest of the
 * discovered streams, not every stream's json schema.
 */
import { distance } from "fastest-levenshtein";
import type { AirbyteCatalog, AirbyteStream, AirbyteStreamAndConfiguration, DestinationSyncMode, SyncMode } from "../client/types";
import type { Problem } from "./schedule";
import { digest, isPlainObject, isUnknown } from "./values";

export const SYNC_MODES: readonly SyncMode[] = ["full_refresh", "incremental"];
export const DESTINATION_SYNC_MODES: readonly DestinationSyncMode[] = ["append", "overwrite", "append_dedup", "overwrite_dedup", "update", "soft_delete"];

/** A stream as users select it, normalized (sorted keys, arrays of paths). */
export interface StreamSelection {
    name: string;
    namespace?: string;
    syncMode?: SyncMode;
    destinationSyncMode?: DestinationSyncMode;
    /** Path of the cursor field, e.g. ["updated_at"]. */
    cursorField?: string[];
    /** Key paths, e.g. [["id"]] or [["order_id"], ["line"]]. */
    primaryKey?: string[][];
    /** Top-level columns to sync (column selection); all columns when absent. */
    columns?: string[];
}

const SELECTION_KEYS = ["name", "namespace", "syncMode", "destinationSyncMode", "cursorField", "primaryKey", "columns"];

function streamKey(s: { name: string; namespace?: string }): string {
    return `${s.namespace ?? ""}\u0000${s.name}`;
}

export function describeStream(s: { name: string; namespace?: string }): string {
    return s.namespace ? `${s.namespace}.${s.name}` : s.name;
}

function toPath(value: unknown): string[] | undefined {
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
    return undefined;
}

function toKeyPaths(value: unknown): string[][] | undefined {
    if (typeof value === "string") return [[value]];
    if (Array.isArray(value)) {
        if (value.every((v) => typeof v === "string")) return (value as string[]).map((v) => [v]);
        if (value.every((v) => Array.isArray(v) && v.every((x) => typeof x === "string"))) return value as string[][];
    }
    return undefined;
}

/**
 * Validates the shape of `streams` and returns them normalized and sorted by namespace and
 * name, so that the order users write them in never shows up as a change. Problems name the
 * user's own index (`streams[3].syncMode`).
 */
export function normalizeStreams(raw: unknown, property = "streams"): { streams?: StreamSelection[] | unknown; problems: Problem[] } {
    const problems: Problem[] = [];
    if (raw === undefined || raw === null) return { problems };
    if (isUnknown(raw)) return { streams: raw, problems };
    if (!Array.isArray(raw)) return { problems: [{ property, reason: "must be a list of streams, e.g. [{ name: \"orders\", syncMode: \"incremental\" }]" }] };
    const out: StreamSelection[] = [];
    const seen = new Map<string, number>();
    raw.forEach((entry, i) => {
        const at = `${property}[${i}]`;
        if (typeof entry === "string") entry = { name: entry };
        if (isUnknown(entry)) {
            problems.push({ property: at, reason: "must be known before the connection can be planned" });
            return;
        }
        if (!isPlainObject(entry)) {
            problems.push({ property: at, reason: "must be a stream name or { name, namespace?, syncMode?, destinationSyncMode?, cursorField?, primaryKey?, columns? }" });
            return;
        }
        for (const key of Object.keys(entry)) {
            if (!SELECTION_KEYS.includes(key)) problems.push({ property: `${at}.${key}`, reason: `is not a stream setting; allowed: ${SELECTION_KEYS.join(", ")}` });
        }
        const s: StreamSelection = { name: entry.name as string };
        if (typeof entry.name !== "string" || entry.name === "") problems.push({ property: `${at}.name`, reason: "is required: the stream's name" });
        if (entry.namespace !== undefined && entry.namespace !== null) {
            if (typeof entry.namespace !== "string") problems.push({ property: `${at}.namespace`, reason: "must be a string" });
            else s.namespace = entry.namespace;
        }
        if (entry.syncMode !== undefined && entry.syncMode !== null) {
            if (!SYNC_MODES.includes(entry.syncMode as SyncMode)) problems.push({ property: `${at}.syncMode`, reason: `must be one of: ${SYNC_MODES.join(", ")}; got ${JSON.stringify(entry.syncMode)}` });
            else s.syncMode = entry.syncMode as SyncMode;
        }
        if (entry.destinationSyncMode !== undefined && entry.destinationSyncMode !== null) {
            if (!DESTINATION_SYNC_MODES.includes(entry.destinationSyncMode as DestinationSyncMode)) {
                problems.push({ property: `${at}.destinationSyncMode`, reason: `must be one of: ${DESTINATION_SYNC_MODES.join(", ")}; got ${JSON.stringify(entry.destinationSyncMode)}` });
            } else s.destinationSyncMode = entry.destinationSyncMode as DestinationSyncMode;
        }
        if (entry.cursorField !== undefined && entry.cursorField !== null) {
            const path = toPath(entry.cursorField);
            if (!path || path.length === 0) problems.push({ property: `${at}.cursorField`, reason: 'must be a field name or a path such as ["updated_at"]' });
            else s.cursorField = path;
        }
        if (entry.primaryKey !== undefined && entry.primaryKey !== null) {
            const keys = toKeyPaths(entry.primaryKey);
            if (!keys || keys.length === 0) problems.push({ property: `${at}.primaryKey`, reason: 'must be a field name, a list of field names, or a list of paths such as [["id"]]' });
            else s.primaryKey = keys;
        }
        if (entry.columns !== undefined && entry.columns !== null) {
            if (!Array.isArray(entry.columns) || entry.columns.length === 0 || !entry.columns.every((c) => typeof c === "string")) {
                problems.push({ property: `${at}.columns`, reason: "must be a non-empty list of column names" });
            } else s.columns = [...new Set(entry.columns as string[])].sort();
        }
        if (typeof s.name === "string") {
            const key = streamKey(s);
            if (seen.has(key)) problems.push({ property: `${at}.name`, reason: `stream "${describeStream(s)}" is selected twice (also at ${property}[${seen.get(key)}])` });
            seen.set(key, i);
        }
        out.push(s);
    });
    out.sort((a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name));
    return { streams: out, problems };
}

/** The user's index of each normalized stream, for messages after sorting. */
function originalIndex(raw: unknown[], s: StreamSelection): number {
    return raw.findIndex((r) => {
        const entry = typeof r === "string" ? { name: r } : (r as Record<string, unknown>);
        return entry?.name === s.name && (entry.namespace ?? undefined) === s.namespace;
    });
}

function topLevelColumns(stream: AirbyteStream): string[] {
    const props = (stream.jsonSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
    return props ? Object.keys(props) : [];
}

function sameKeys(a: string[][] | undefined, b: string[][] | undefined): boolean {
    return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

export interface BuiltCatalog {
    catalog: AirbyteCatalog;
    /** Digest of the discovered streams that were selected (their `stream` part). */
    catalogDigest: string;
    problems: Problem[];
}

/**
 * Builds the `syncCatalog` for `selections` from a discovered catalog. Only selected streams are
 * sent (the server stores only those). Source-defined primary keys and cursors are taken from
 * the source; a selection that contradicts them is a problem.
 */
export function buildSyncCatalog(
    discovered: AirbyteCatalog,
    selections: StreamSelection[],
    options: { supportedDestinationSyncModes?: DestinationSyncMode[]; rawStreams?: unknown[]; property?: string } = {},
): BuiltCatalog {
    const property = options.property ?? "streams";
    const problems: Problem[] = [];
    const available = discovered.streams ?? [];
    const byName = new Map<string, AirbyteStreamAndConfiguration[]>();
    for (const s of available) {
        const list = byName.get(s.stream.name) ?? [];
        list.push(s);
        byName.set(s.stream.name, list);
    }
    const streams: AirbyteStreamAndConfiguration[] = [];
    const used = new Map<string, string>();
    for (const selection of selections) {
        const index = options.rawStreams ? originalIndex(options.rawStreams, selection) : -1;
        const at = index >= 0 ? `${property}[${index}]` : `${property}["${describeStream(selection)}"]`;
        const candidates = (byName.get(selection.name) ?? []).filter((s) => selection.namespace === undefined || (s.stream.namespace ?? undefined) === selection.namespace);
        if (candidates.length === 0) {
            const names = available.map((s) => describeStream(s.stream));
            const close = names
                .map((n) => ({ n, d: distance(describeStream(selection).toLowerCase(), n.toLowerCase()) }))
                .sort((a, b) => a.d - b.d)
                .slice(0, 3)
                .map((x) => x.n);
            const list = names.length > 40 ? `${names.slice(0, 40).join(", ")}, … (${names.length} in all)` : names.join(", ");
            problems.push({
                property: `${at}.name`,
                reason: `the source has no stream "${describeStream(selection)}"${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : ""} Streams: ${list || "(none)"}`,
            });
            continue;
        }
        if (candidates.length > 1) {
            problems.push({
                property: `${at}.namespace`,
                reason: `stream "${selection.name}" exists in several namespaces (${candidates.map((c) => c.stream.namespace).join(", ")}); set namespace`,
            });
            continue;
        }
        const { stream, config: suggested } = candidates[0];
        const key = streamKey({ name: stream.name, namespace: stream.namespace });
        if (used.has(key)) {
            problems.push({ property: `${at}.name`, reason: `stream "${describeStream(stream)}" is selected twice` });
            continue;
        }
        used.set(key, at);
        const supported = stream.supportedSyncModes?.length ? stream.supportedSyncModes : (["full_refresh"] as SyncMode[]);
        const sourcePrimaryKey = stream.sourceDefinedPrimaryKey?.length ? stream.sourceDefinedPrimaryKey : undefined;
        const sourceCursor = stream.sourceDefinedCursor ? stream.defaultCursorField : undefined;
        const columns = topLevelColumns(stream);

        const syncMode: SyncMode = selection.syncMode ?? (suggested?.syncMode && supported.includes(suggested.syncMode) ? suggested.syncMode : supported.includes("incremental") && sourceCursor?.length ? "incremental" : "full_refresh");
        if (!supported.includes(syncMode)) {
            problems.push({ property: `${at}.syncMode`, reason: `stream "${describeStream(stream)}" does not support "${syncMode}"; supported: ${supported.join(", ")}` });
        }

        if (selection.primaryKey && sourcePrimaryKey && !sameKeys(selection.primaryKey, sourcePrimaryKey)) {
            problems.push({
                property: `${at}.primaryKey`,
                reason: `stream "${describeStream(stream)}" has a primary key defined by the source (${JSON.stringify(sourcePrimaryKey)}), which cannot be overridden; remove primaryKey`,
            });
        }
        const primaryKey = sourcePrimaryKey ?? selection.primaryKey ?? [];
        for (const path of selection.primaryKey ?? []) {
            if (!sourcePrimaryKey && columns.length && !columns.includes(path[0])) {
                problems.push({ property: `${at}.primaryKey`, reason: `stream "${describeStream(stream)}" has no column "${path[0]}"; columns: ${columns.join(", ")}` });
            }
        }

        if (selection.cursorField && sourceCursor?.length && JSON.stringify(selection.cursorField) !== JSON.stringify(sourceCursor)) {
            problems.push({
                property: `${at}.cursorField`,
                reason: `stream "${describeStream(stream)}" has a cursor defined by the source (${JSON.stringify(sourceCursor)}), which cannot be overridden; remove cursorField`,
            });
        }
        const cursorField = sourceCursor?.length ? sourceCursor : (selection.cursorField ?? stream.defaultCursorField ?? []);
        if (selection.cursorField && !sourceCursor?.length && columns.length && !columns.includes(selection.cursorField[0])) {
            problems.push({ property: `${at}.cursorField`, reason: `stream "${describeStream(stream)}" has no column "${selection.cursorField[0]}"; columns: ${columns.join(", ")}` });
        }
        if (syncMode === "incremental" && cursorField.length === 0) {
            problems.push({
                property: `${at}.cursorField`,
                reason: `incremental sync of stream "${describeStream(stream)}" needs a cursor field (the source defines none); e.g. cursorField: "updated_at". Columns: ${columns.join(", ")}`,
            });
        }

        const supportedDest = options.supportedDestinationSyncModes;
        let destinationSyncMode: DestinationSyncMode =
            selection.destinationSyncMode ??
            (syncMode === "incremental" ? (primaryKey.length && (!supportedDest || supportedDest.includes("append_dedup")) ? "append_dedup" : "append") : "overwrite");
        if (supportedDest && supportedDest.length && !supportedDest.includes(destinationSyncMode)) {
            if (selection.destinationSyncMode) {
                problems.push({
                    property: `${at}.destinationSyncMode`,
                    reason: `the destination does not support "${destinationSyncMode}"; supported: ${supportedDest.join(", ")}`,
                });
            } else {
                destinationSyncMode = supportedDest.includes("append") ? "append" : supportedDest[0];
            }
        }
        if ((destinationSyncMode === "append_dedup" || destinationSyncMode === "overwrite_dedup") && primaryKey.length === 0) {
            problems.push({
                property: `${at}.primaryKey`,
                reason: `"${destinationSyncMode}" of stream "${describeStream(stream)}" needs a primary key (the source defines none); set primaryKey`,
            });
        }

        let selectedFields: { fieldPath: string[] }[] | undefined;
        if (selection.columns) {
            const unknown = selection.columns.filter((c) => columns.length && !columns.includes(c));
            if (unknown.length) problems.push({ property: `${at}.columns`, reason: `stream "${describeStream(stream)}" has no column(s) ${unknown.map((c) => `"${c}"`).join(", ")}; columns: ${columns.join(", ")}` });
            // Airbyte requires the primary key and cursor columns among the selected fields.
            const required = new Set([...primaryKey.map((p) => p[0]), ...(syncMode === "incremental" ? cursorField.slice(0, 1) : [])]);
            const missing = [...required].filter((c) => !selection.columns!.includes(c));
            if (missing.length) problems.push({ property: `${at}.columns`, reason: `must include the primary key and cursor columns of stream "${describeStream(stream)}": ${missing.join(", ")}` });
            selectedFields = selection.columns.map((c) => ({ fieldPath: [c] }));
        }

        streams.push({
            stream,
            config: {
                syncMode,
                destinationSyncMode,
                cursorField,
                primaryKey,
                aliasName: stream.name,
                selected: true,
                fieldSelectionEnabled: selectedFields !== undefined,
                ...(selectedFields ? { selectedFields } : {}),
            },
        });
    }
    const catalogDigest = digest(streams.map((s) => s.stream).sort((a, b) => streamKey(a).localeCompare(streamKey(b))));
    return { catalog: { streams }, catalogDigest, problems };
}

/**
 * The selections a live catalog amounts to, shaped like the user's previous selections so that
 * an unchanged connection compares equal: settings the user left to defaults stay absent, and
 * streams the user did not select (added in Airbyte's UI) appear with their full settings.
 */
export function selectionsFromLive(live: AirbyteCatalog, previous: StreamSelection[]): StreamSelection[] {
    const out: StreamSelection[] = [];
    for (const { stream, config } of live.streams ?? []) {
        if (config.selected === false) continue;
        const prior =
            previous.find((p) => p.name === stream.name && p.namespace !== undefined && p.namespace === (stream.namespace ?? undefined)) ??
            previous.find((p) => p.name === stream.name && p.namespace === undefined);
        const s: StreamSelection = { name: stream.name };
        if (!prior) {
            if (stream.namespace) s.namespace = stream.namespace;
            s.syncMode = config.syncMode;
            s.destinationSyncMode = config.destinationSyncMode;
            if (config.cursorField?.length && !stream.sourceDefinedCursor) s.cursorField = config.cursorField;
            if (config.primaryKey?.length && !stream.sourceDefinedPrimaryKey?.length) s.primaryKey = config.primaryKey;
        } else {
            if (prior.namespace !== undefined) s.namespace = stream.namespace;
            if (prior.syncMode !== undefined) s.syncMode = config.syncMode;
            if (prior.destinationSyncMode !== undefined) s.destinationSyncMode = config.destinationSyncMode;
            if (prior.cursorField !== undefined) s.cursorField = config.cursorField;
            if (prior.primaryKey !== undefined) s.primaryKey = config.primaryKey;
        }
        const selectedColumns = config.fieldSelectionEnabled ? (config.selectedFields ?? []).map((f) => f.fieldPath[0]) : undefined;
        if (selectedColumns || prior?.columns) s.columns = selectedColumns ? [...new Set(selectedColumns)].sort() : undefined;
        if (s.columns === undefined) delete s.columns;
        out.push(s);
    }
    out.sort((a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name));
    return out;
}

/** A raw `syncCatalog` (escape hatch), with streams sorted so order never shows as a change. */
export function normalizeRawCatalog(raw: unknown, property = "syncCatalog"): { catalog?: AirbyteCatalog | unknown; problems: Problem[] } {
    if (raw === undefined || raw === null) return { problems: [] };
    if (isUnknown(raw)) return { catalog: raw, problems: [] };
    if (!isPlainObject(raw) || !Array.isArray(raw.streams)) {
        return { problems: [{ property, reason: "must be an AirbyteCatalog: { streams: [{ stream: {...}, config: {...} }] } as the Config API takes it" }] };
    }
    const problems: Problem[] = [];
    (raw.streams as unknown[]).forEach((s, i) => {
        if (!isPlainObject(s) || !isPlainObject(s.stream) || !isPlainObject(s.config)) {
            problems.push({ property: `${property}.streams[${i}]`, reason: "must be { stream: { name, jsonSchema, ... }, config: { syncMode, destinationSyncMode, selected, ... } }" });
        } else if (typeof s.stream.name !== "string") {
            problems.push({ property: `${property}.streams[${i}].stream.name`, reason: "is required" });
        }
    });
    if (problems.length) return { problems };
    const streams = [...(raw.streams as AirbyteStreamAndConfiguration[])].sort((a, b) => streamKey(a.stream).localeCompare(streamKey(b.stream)));
    return { catalog: { streams }, problems };
}

/** Projects `live` onto the shape of `template`: keeps only keys the template has, recursively; streams matched by name. */
export function projectCatalog(live: AirbyteCatalog, template: AirbyteCatalog): AirbyteCatalog {
    const project = (l: unknown, t: unknown): unknown => {
        if (isPlainObject(l) && isPlainObject(t)) {
            const out: Record<string, unknown> = {};
            for (const key of Object.keys(t)) if (key in l) out[key] = project(l[key], t[key]);
            return out;
        }
        return l;
    };
    const streams = (live.streams ?? []).map((l) => {
        const t = template.streams.find((s) => s.stream.name === l.stream.name && (s.stream.namespace ?? undefined) === (l.stream.namespace ?? undefined));
        return (t ? project(l, t) : l) as AirbyteStreamAndConfiguration;
    });
    streams.sort((a, b) => streamKey(a.stream).localeCompare(streamKey(b.stream)));
    return { streams };
}
