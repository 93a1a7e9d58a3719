/**
 * Streams by name: from the selections users write to the configured streams a connection
 * syncs, built from the source's discovered catalog, and back from a connection's live streams
 * to the user's selections. Backend-neutral: each backend encodes configured streams its own
 * way (the Config API's `syncCatalog`, the public API's `configurations.streams`).
 *
 * Source-defined primary keys and cursors are taken from the source and never overridden.
 * State keeps only the selections and a digest of the discovered streams.
 */
import { closeMatches, listSome } from "./hints";
import type {
    ConfiguredStream,
    DestinationSyncMode,
    DiscoveredStream,
    LiveStream,
    Problem,
    SyncMode,
} from "../client/domain";
import { DESTINATION_SYNC_MODES, SYNC_MODES } from "../client/domain";
import { digest, isPlainObject, isUnknown, type Maybe } from "./values";

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
/** Column names that usually only grow, suggested as cursors. */
const LIKELY_CURSORS = [
    "updated_at",
    "modified_at",
    "last_modified",
    "updated",
    "modified",
    "created_at",
    "inserted_at",
    "timestamp",
    "id",
];

export function streamKey(s: { name: string; namespace?: string }): string {
    return `${s.namespace ?? ""}\u0000${s.name}`;
}

export function describeStream(s: { name: string; namespace?: string }): string {
    return s.namespace ? `${s.namespace}.${s.name}` : s.name;
}

function toPath(value: unknown): string[] | undefined {
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
    return undefined;
}

function toKeyPaths(value: unknown): string[][] | undefined {
    if (typeof value === "string") return [[value]];
    if (Array.isArray(value)) {
        if (value.every((v) => typeof v === "string")) return value.map((v) => [v]);
        if (value.every((v) => Array.isArray(v) && v.every((x) => typeof x === "string"))) return value;
    }
    return undefined;
}

/**
 * Validates the shape of `streams` and returns them normalized and sorted by namespace and
 * name, so that the order users write them in never shows up as a change. Problems name the
 * user's own index (`streams[3].syncMode`).
 */
export function normalizeStreams(
    raw: unknown,
    property = "streams",
): { streams?: Maybe<StreamSelection[]>; problems: Problem[] } {
    const problems: Problem[] = [];
    if (raw === undefined || raw === null) return { problems };
    if (isUnknown(raw)) return { streams: raw, problems };
    if (!Array.isArray(raw))
        return {
            problems: [
                { property, reason: 'must be a list of streams, e.g. [{ name: "orders", syncMode: "incremental" }]' },
            ],
        };
    const out: StreamSelection[] = [];
    const seen = new Map<string, number>();
    raw.forEach((entry: unknown, i) => {
        const at = `${property}[${i}]`;
        if (typeof entry === "string") entry = { name: entry };
        if (isUnknown(entry)) {
            problems.push({ property: at, reason: "must be known before the connection can be planned" });
            return;
        }
        if (!isPlainObject(entry)) {
            problems.push({
                property: at,
                reason: "must be a stream name or { name, namespace?, syncMode?, destinationSyncMode?, cursorField?, primaryKey?, columns? }",
            });
            return;
        }
        for (const key of Object.keys(entry)) {
            if (!SELECTION_KEYS.includes(key))
                problems.push({
                    property: `${at}.${key}`,
                    reason: `is not a stream setting; allowed: ${SELECTION_KEYS.join(", ")}`,
                });
        }
        const s: StreamSelection = { name: entry.name as string };
        if (typeof entry.name !== "string" || entry.name === "")
            problems.push({ property: `${at}.name`, reason: "is required: the stream's name" });
        if (entry.namespace !== undefined && entry.namespace !== null) {
            if (typeof entry.namespace !== "string")
                problems.push({ property: `${at}.namespace`, reason: "must be a string" });
            else s.namespace = entry.namespace;
        }
        // A value still unknown at preview (an Output) is kept as it is, and judged once known, at apply.
        for (const key of ["syncMode", "destinationSyncMode", "columns"] as const) {
            if (isUnknown(entry[key]) || (Array.isArray(entry[key]) && (entry[key] as unknown[]).some(isUnknown)))
                (s as unknown as Record<string, unknown>)[key] = entry[key];
        }
        if (entry.syncMode !== undefined && entry.syncMode !== null && !isUnknown(entry.syncMode)) {
            if (!SYNC_MODES.includes(entry.syncMode as SyncMode))
                problems.push({
                    property: `${at}.syncMode`,
                    reason: `must be one of: ${SYNC_MODES.join(", ")}; got ${JSON.stringify(entry.syncMode)}`,
                });
            else s.syncMode = entry.syncMode as SyncMode;
        }
        if (
            entry.destinationSyncMode !== undefined &&
            entry.destinationSyncMode !== null &&
            !isUnknown(entry.destinationSyncMode)
        ) {
            if (!DESTINATION_SYNC_MODES.includes(entry.destinationSyncMode as DestinationSyncMode)) {
                problems.push({
                    property: `${at}.destinationSyncMode`,
                    reason: `must be one of: ${DESTINATION_SYNC_MODES.join(", ")}; got ${JSON.stringify(entry.destinationSyncMode)}`,
                });
            } else s.destinationSyncMode = entry.destinationSyncMode as DestinationSyncMode;
        }
        if (entry.cursorField !== undefined && entry.cursorField !== null) {
            const path = toPath(entry.cursorField);
            if (!path || path.length === 0)
                problems.push({
                    property: `${at}.cursorField`,
                    reason: 'must be a field name or a path such as ["updated_at"]',
                });
            else s.cursorField = path;
        }
        if (entry.primaryKey !== undefined && entry.primaryKey !== null) {
            const keys = toKeyPaths(entry.primaryKey);
            if (!keys || keys.length === 0)
                problems.push({
                    property: `${at}.primaryKey`,
                    reason: 'must be a field name, a list of field names, or a list of paths such as [["id"]]',
                });
            else s.primaryKey = keys;
        }
        if (
            entry.columns !== undefined &&
            entry.columns !== null &&
            (s as unknown as Record<string, unknown>).columns === undefined
        ) {
            if (
                !Array.isArray(entry.columns) ||
                entry.columns.length === 0 ||
                !entry.columns.every((c) => typeof c === "string")
            ) {
                problems.push({ property: `${at}.columns`, reason: "must be a non-empty list of column names" });
            } else s.columns = [...new Set(entry.columns)].sort();
        }
        if (typeof s.name === "string") {
            const key = streamKey(s);
            if (seen.has(key))
                problems.push({
                    property: `${at}.name`,
                    reason: `stream "${describeStream(s)}" is selected twice (also at ${property}[${seen.get(key)}])`,
                });
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

function sameKeys(a: string[][] | undefined, b: string[][] | undefined): boolean {
    return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** Digest of discovered streams: changes when a selected stream's columns, keys or modes change. */
export function catalogDigest(streams: DiscoveredStream[]): string {
    const described = streams.map((s) => ({
        name: s.name,
        namespace: s.namespace,
        columns: [...s.columns].sort(),
        supportedSyncModes: [...s.supportedSyncModes].sort(),
        sourceDefinedCursor: s.sourceDefinedCursor,
        defaultCursorField: s.defaultCursorField,
        sourceDefinedPrimaryKey: s.sourceDefinedPrimaryKey,
    }));
    return digest(described.sort((a, b) => streamKey(a).localeCompare(streamKey(b))));
}

/**
 * The fields a connection syncs, as Airbyte counts them (`CatalogValidator.fieldCount`): selected columns, else every
 * top-level column.
 */
export function selectedFieldCount(streams: { columns?: string[]; discovered: DiscoveredStream }[]): number {
    return streams.reduce((sum, s) => sum + (s.columns ? s.columns.length : s.discovered.columns.length), 0);
}

/** Why a selection is refused, and whether a fresh discovery could change that (an unknown stream or column). */
export interface StreamProblem extends Problem {
    unknownName?: boolean;
}

export interface BuiltStreams {
    streams: ConfiguredStream[];
    /** The discovered streams that were selected, in the same order. */
    selected: DiscoveredStream[];
    catalogDigest: string;
    problems: StreamProblem[];
}

function cursorSuggestion(stream: DiscoveredStream): string {
    const likely = LIKELY_CURSORS.find((c) => stream.columns.includes(c));
    const example = likely ? `cursorField: "${likely}"` : 'cursorField: "<a column whose values only grow>"';
    return `set ${example} (a column whose values only grow; columns: ${listSome(stream.columns)})`;
}

/**
 * The configured streams for `selections`, from a discovered catalog. Only selected streams are
 * sent (Airbyte stores only those). Source-defined primary keys and cursors are taken from the
 * source; a selection that contradicts them is a problem.
 */
export function buildStreams(
    discovered: DiscoveredStream[],
    selections: StreamSelection[],
    options: {
        supportedDestinationSyncModes?: DestinationSyncMode[];
        /** The (syncMode, destinationSyncMode) pairs the backend's API can express; all when absent. */
        allowedCombinations?: readonly (readonly [SyncMode, DestinationSyncMode])[];
        rawStreams?: unknown[];
        property?: string;
    } = {},
): BuiltStreams {
    const property = options.property ?? "streams";
    const problems: StreamProblem[] = [];
    const byName = new Map<string, DiscoveredStream[]>();
    for (const s of discovered) {
        const list = byName.get(s.name) ?? [];
        list.push(s);
        byName.set(s.name, list);
    }
    const streams: ConfiguredStream[] = [];
    const selected: DiscoveredStream[] = [];
    const used = new Set<string>();
    for (const selection of selections) {
        const index = options.rawStreams ? originalIndex(options.rawStreams, selection) : -1;
        const at = index >= 0 ? `${property}[${index}]` : `${property}["${describeStream(selection)}"]`;
        const candidates = (byName.get(selection.name) ?? []).filter(
            (s) => selection.namespace === undefined || (s.namespace ?? undefined) === selection.namespace,
        );
        if (candidates.length === 0) {
            const names = discovered.map(describeStream);
            const close = closeMatches(describeStream(selection), names, (n) => [
                n,
                n.slice(n.lastIndexOf(".") + 1),
            ]).map((n) => `"${n}"`);
            problems.push({
                property: `${at}.name`,
                reason: `the source has no stream "${describeStream(selection)}"${close.length ? `; did you mean ${close.join(" or ")}?` : ""} (${names.length} streams: ${listSome(names)})`,
                unknownName: true,
            });
            continue;
        }
        if (candidates.length > 1) {
            problems.push({
                property: `${at}.namespace`,
                reason: `stream "${selection.name}" exists in several namespaces (${candidates.map((c) => c.namespace).join(", ")}); set namespace`,
            });
            continue;
        }
        const stream = candidates[0]!;
        const key = streamKey(stream);
        if (used.has(key)) {
            problems.push({ property: `${at}.name`, reason: `stream "${describeStream(stream)}" is selected twice` });
            continue;
        }
        used.add(key);
        const supported: SyncMode[] = stream.supportedSyncModes.length ? stream.supportedSyncModes : ["full_refresh"];
        const sourcePrimaryKey = stream.sourceDefinedPrimaryKey.length ? stream.sourceDefinedPrimaryKey : undefined;
        const sourceCursor =
            stream.sourceDefinedCursor && stream.defaultCursorField.length ? stream.defaultCursorField : undefined;
        const columns = stream.columns;
        const noColumn = (column: string) => columns.length > 0 && !columns.includes(column);

        const syncMode: SyncMode =
            selection.syncMode ?? (supported.includes("incremental") && sourceCursor ? "incremental" : "full_refresh");
        if (!supported.includes(syncMode)) {
            problems.push({
                property: `${at}.syncMode`,
                reason: `stream "${describeStream(stream)}" does not support "${syncMode}"; supported: ${supported.join(", ")}`,
            });
        }

        if (selection.primaryKey && sourcePrimaryKey && !sameKeys(selection.primaryKey, sourcePrimaryKey)) {
            problems.push({
                property: `${at}.primaryKey`,
                reason: `stream "${describeStream(stream)}" has a primary key defined by the source (${JSON.stringify(sourcePrimaryKey)}), which cannot be overridden; remove primaryKey`,
            });
        }
        const primaryKey = sourcePrimaryKey ?? selection.primaryKey ?? [];
        for (const path of selection.primaryKey ?? []) {
            if (!sourcePrimaryKey && noColumn(path[0]!)) {
                problems.push({
                    property: `${at}.primaryKey`,
                    reason: `stream "${describeStream(stream)}" has no column "${path[0]}"; columns: ${listSome(columns)}`,
                    unknownName: true,
                });
            }
        }

        if (
            selection.cursorField &&
            sourceCursor &&
            JSON.stringify(selection.cursorField) !== JSON.stringify(sourceCursor)
        ) {
            problems.push({
                property: `${at}.cursorField`,
                reason: `stream "${describeStream(stream)}" has a cursor defined by the source (${JSON.stringify(sourceCursor)}), which cannot be overridden; remove cursorField`,
            });
        }
        // A cursor the source suggests without defining it (defaultCursorField) is used when the user names none.
        const cursorField = sourceCursor ?? selection.cursorField ?? stream.defaultCursorField;
        if (selection.cursorField && !sourceCursor && noColumn(selection.cursorField[0]!)) {
            problems.push({
                property: `${at}.cursorField`,
                reason: `stream "${describeStream(stream)}" has no column "${selection.cursorField[0]}"; columns: ${listSome(columns)}`,
                unknownName: true,
            });
        }
        if (syncMode === "incremental" && cursorField.length === 0) {
            // JDBC sources define a cursor only with CDC (bulk CDK `JdbcAirbyteStreamFactory`);
            // Airbyte's Config API stores such a stream, and the sync then falls back to full refresh.
            problems.push({
                property: `${at}.cursorField`,
                reason: `incremental sync of stream "${describeStream(stream)}" needs a cursor, and the source defines none for it: ${cursorSuggestion(stream)}`,
            });
        }

        const supportedDestination = options.supportedDestinationSyncModes;
        let destinationSyncMode: DestinationSyncMode =
            selection.destinationSyncMode ??
            (syncMode === "incremental"
                ? primaryKey.length && (!supportedDestination || supportedDestination.includes("append_dedup"))
                    ? "append_dedup"
                    : "append"
                : "overwrite");
        if (
            supportedDestination &&
            supportedDestination.length &&
            !supportedDestination.includes(destinationSyncMode)
        ) {
            if (selection.destinationSyncMode) {
                problems.push({
                    property: `${at}.destinationSyncMode`,
                    reason: `the destination does not support "${destinationSyncMode}"; supported: ${supportedDestination.join(", ")}`,
                });
            } else {
                destinationSyncMode = supportedDestination.includes("append") ? "append" : supportedDestination[0]!;
            }
        }
        const allowed = options.allowedCombinations;
        if (
            allowed &&
            supported.includes(syncMode) &&
            !allowed.some(([s, d]) => s === syncMode && d === destinationSyncMode)
        ) {
            const forMode = allowed.filter(([s]) => s === syncMode).map(([, d]) => d);
            problems.push({
                property: `${at}.destinationSyncMode`,
                reason: `"${syncMode}" with "${destinationSyncMode}" has no form in this server's API (the public API combines them; with "${syncMode}" it offers: ${forMode.join(", ")})`,
            });
        }
        if (
            (destinationSyncMode === "append_dedup" || destinationSyncMode === "overwrite_dedup") &&
            primaryKey.length === 0
        ) {
            problems.push({
                property: `${at}.primaryKey`,
                reason: `"${destinationSyncMode}" of stream "${describeStream(stream)}" needs a primary key (the source defines none); set primaryKey`,
            });
        }

        if (selection.columns) {
            const unknown = selection.columns.filter(noColumn);
            if (unknown.length) {
                problems.push({
                    property: `${at}.columns`,
                    reason: `stream "${describeStream(stream)}" has no column(s) ${unknown.map((c) => `"${c}"`).join(", ")}; columns: ${listSome(columns)}`,
                    unknownName: true,
                });
            }
            // Airbyte requires the primary key and cursor columns among the selected fields.
            const required = new Set([
                ...primaryKey.map((p) => p[0]!),
                ...(syncMode === "incremental" ? cursorField.slice(0, 1) : []),
            ]);
            const missing = [...required].filter((c) => !selection.columns!.includes(c));
            if (missing.length)
                problems.push({
                    property: `${at}.columns`,
                    reason: `must include the primary key and cursor columns of stream "${describeStream(stream)}": ${missing.join(", ")}`,
                });
        }

        streams.push({
            name: stream.name,
            ...(stream.namespace ? { namespace: stream.namespace } : {}),
            syncMode,
            destinationSyncMode,
            cursorField,
            primaryKey,
            ...(selection.columns ? { columns: selection.columns } : {}),
        });
        selected.push(stream);
    }
    return { streams, selected, catalogDigest: catalogDigest(selected), problems };
}

/**
 * The selections a live connection amounts to, shaped like the user's previous selections so
 * that an unchanged connection compares equal: settings the user left to defaults stay absent,
 * and streams the user did not select (added in Airbyte's UI) appear with their full settings.
 */
export function selectionsFromLive(live: LiveStream[], previous: StreamSelection[]): StreamSelection[] {
    const out: StreamSelection[] = [];
    for (const stream of live) {
        const prior =
            previous.find(
                (p) =>
                    p.name === stream.name &&
                    p.namespace !== undefined &&
                    p.namespace === (stream.namespace ?? undefined),
            ) ?? previous.find((p) => p.name === stream.name && p.namespace === undefined);
        const s: StreamSelection = { name: stream.name };
        if (!prior) {
            if (stream.namespace) s.namespace = stream.namespace;
            s.syncMode = stream.syncMode;
            s.destinationSyncMode = stream.destinationSyncMode;
            if (stream.cursorField.length && !stream.sourceDefinedCursor) s.cursorField = stream.cursorField;
            if (stream.primaryKey.length && !stream.sourceDefinedPrimaryKey) s.primaryKey = stream.primaryKey;
        } else {
            if (prior.namespace !== undefined) s.namespace = stream.namespace;
            if (prior.syncMode !== undefined) s.syncMode = stream.syncMode;
            if (prior.destinationSyncMode !== undefined) s.destinationSyncMode = stream.destinationSyncMode;
            if (prior.cursorField !== undefined) s.cursorField = stream.cursorField;
            if (prior.primaryKey !== undefined) s.primaryKey = stream.primaryKey;
        }
        if (stream.columns || prior?.columns) s.columns = stream.columns ? [...stream.columns].sort() : undefined;
        if (s.columns === undefined) delete s.columns;
        out.push(s);
    }
    out.sort((a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name));
    return out;
}

/** The digest of a live connection's streams, where the backend reports their definitions. */
export function liveCatalogDigest(live: LiveStream[]): string | undefined {
    const discovered = live.map((s) => s.discovered);
    return discovered.every((d): d is DiscoveredStream => d !== undefined) ? catalogDigest(discovered) : undefined;
}

/** A raw `syncCatalog` (Config API escape hatch), with streams sorted so order never shows as a change. */
export function normalizeRawCatalog(
    raw: unknown,
    property = "syncCatalog",
): { catalog?: unknown; problems: Problem[] } {
    if (raw === undefined || raw === null) return { problems: [] };
    if (isUnknown(raw)) return { catalog: raw, problems: [] };
    if (!isPlainObject(raw) || !Array.isArray(raw.streams)) {
        return {
            problems: [
                {
                    property,
                    reason: "must be an AirbyteCatalog: { streams: [{ stream: {...}, config: {...} }] } as the Config API takes it",
                },
            ],
        };
    }
    const problems: Problem[] = [];
    (raw.streams as unknown[]).forEach((s, i) => {
        if (!isPlainObject(s) || !isPlainObject(s.stream) || !isPlainObject(s.config)) {
            problems.push({
                property: `${property}.streams[${i}]`,
                reason: "must be { stream: { name, jsonSchema, ... }, config: { syncMode, destinationSyncMode, selected, ... } }",
            });
        } else if (typeof s.stream.name !== "string") {
            problems.push({ property: `${property}.streams[${i}].stream.name`, reason: "is required" });
        }
    });
    if (problems.length) return { problems };
    type RawStream = { stream: { name: string; namespace?: string } };
    const streams = [...(raw.streams as RawStream[])].sort((a, b) =>
        streamKey(a.stream).localeCompare(streamKey(b.stream)),
    );
    return { catalog: { streams }, problems };
}

/**
 * Projects a live raw catalog onto the shape of `template`: keeps only keys the template has, recursively; streams
 * matched by name.
 */
export function projectCatalog(live: unknown, template: unknown): unknown {
    type RawStream = { stream: { name: string; namespace?: string } };
    const project = (l: unknown, t: unknown): unknown => {
        if (isPlainObject(l) && isPlainObject(t)) {
            const out: Record<string, unknown> = {};
            for (const key of Object.keys(t)) if (key in l) out[key] = project(l[key], t[key]);
            return out;
        }
        return l;
    };
    const templateStreams = (template as { streams?: RawStream[] })?.streams ?? [];
    const streams = ((live as { streams?: RawStream[] })?.streams ?? []).map((l) => {
        const t = templateStreams.find(
            (s) =>
                s.stream.name === l.stream.name &&
                (s.stream.namespace ?? undefined) === (l.stream.namespace ?? undefined),
        );
        return (t ? project(l, t) : l) as RawStream;
    });
    streams.sort((a, b) => streamKey(a.stream).localeCompare(streamKey(b.stream)));
    return { streams };
}
