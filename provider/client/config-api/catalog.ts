/**
 * Catalogs on the Config API: discovered streams (`AirbyteStream`, with their JSON schema) to
 * domain streams and back, and the `syncCatalog` of connection writes and reads.
 *
 * Only selected streams are stored by the server (`CatalogConverter.toConfiguredInternal` in
 * airbyte-platform `airbyte-commons-server/.../handlers/helpers/CatalogConverter.kt`), so a
 * write sends exactly the configured streams, each with `selected: true`, and the cursor and
 * primary key it should use: the server stores what it is given and fills nothing in.
 */
import type { ConfiguredStream, DiscoveredStream, LiveStream, SyncMode } from "../domain";
import type { AirbyteCatalog, AirbyteStream, AirbyteStreamAndConfiguration } from "./wire";

export function streamFromWire(stream: AirbyteStream): DiscoveredStream {
    const properties = (stream.jsonSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
    return {
        name: stream.name,
        ...(stream.namespace ? { namespace: stream.namespace } : {}),
        supportedSyncModes: stream.supportedSyncModes ?? [],
        sourceDefinedCursor: stream.sourceDefinedCursor === true,
        defaultCursorField: stream.defaultCursorField ?? [],
        sourceDefinedPrimaryKey: stream.sourceDefinedPrimaryKey ?? [],
        columns: properties ? Object.keys(properties) : [],
        wire: stream,
    };
}

/** A stream as the Airbyte protocol stores it (snake_case; `actor_catalog.catalog`). */
export interface ProtocolStream {
    name: string;
    namespace?: string | null;
    json_schema?: { properties?: Record<string, unknown> };
    supported_sync_modes?: SyncMode[];
    source_defined_cursor?: boolean;
    default_cursor_field?: string[];
    source_defined_primary_key?: string[][];
}

/**
 * A stored protocol stream in domain terms: the same reading as `streamFromWire` after renaming
 * its fields, without `wire` (it validates streams; writes carry a discovered `AirbyteStream`).
 */
export function streamFromProtocol(stream: ProtocolStream): DiscoveredStream {
    const { wire: _, ...domain } = streamFromWire({
        name: stream.name,
        ...(stream.namespace ? { namespace: stream.namespace } : {}),
        jsonSchema: stream.json_schema,
        supportedSyncModes: stream.supported_sync_modes,
        sourceDefinedCursor: stream.source_defined_cursor,
        defaultCursorField: stream.default_cursor_field,
        sourceDefinedPrimaryKey: stream.source_defined_primary_key,
    });
    return domain;
}

/** `Names.toAlphanumericAndUnderscore`, what the server and its web app use for `aliasName`. */
function aliasName(name: string): string {
    return name
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/\s+/g, "_")
        .replace(/[^A-Za-z0-9_]/g, "_");
}

/** The `syncCatalog` for configured streams, each with its discovered `AirbyteStream`. */
export function syncCatalogFor(streams: ConfiguredStream[], discovered: DiscoveredStream[]): AirbyteCatalog {
    const key = (s: { name: string; namespace?: string }) => `${s.namespace ?? ""}\u0000${s.name}`;
    const byKey = new Map(discovered.map((d) => [key(d), d]));
    return {
        streams: streams.map((s): AirbyteStreamAndConfiguration => {
            const found = byKey.get(key(s));
            if (!found)
                throw new Error(
                    `stream ${s.namespace ? `${s.namespace}.` : ""}${s.name} is not in the discovered catalog`,
                );
            const stream = (found.wire as AirbyteStream | undefined) ?? { name: s.name, namespace: s.namespace };
            return {
                stream,
                config: {
                    syncMode: s.syncMode,
                    destinationSyncMode: s.destinationSyncMode,
                    cursorField: s.cursorField,
                    primaryKey: s.primaryKey,
                    aliasName: aliasName(s.name),
                    selected: true,
                    fieldSelectionEnabled: s.columns !== undefined,
                    ...(s.columns ? { selectedFields: s.columns.map((c) => ({ fieldPath: [c] })) } : {}),
                },
            };
        }),
    };
}

/** The streams of a connection's `syncCatalog` (only selected streams are stored). */
export function liveStreamsFromWire(catalog: AirbyteCatalog | undefined): LiveStream[] {
    return (catalog?.streams ?? [])
        .filter(({ config }) => config.selected !== false)
        .map(({ stream, config }) => ({
            name: stream.name,
            ...(stream.namespace ? { namespace: stream.namespace } : {}),
            syncMode: config.syncMode,
            destinationSyncMode: config.destinationSyncMode,
            cursorField: config.cursorField ?? [],
            primaryKey: config.primaryKey ?? [],
            ...(config.fieldSelectionEnabled
                ? { columns: [...new Set((config.selectedFields ?? []).map((f) => f.fieldPath[0]!))].sort() }
                : {}),
            sourceDefinedCursor: stream.sourceDefinedCursor === true,
            sourceDefinedPrimaryKey: (stream.sourceDefinedPrimaryKey?.length ?? 0) > 0,
            discovered: streamFromWire(stream),
        }));
}
