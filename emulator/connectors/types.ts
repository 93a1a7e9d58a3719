/**
 * The shape of a connector in the emulator's catalog: its registry metadata (what
 * `*_definitions/get` returns), its `connectionSpecification` (draft-07 JSON Schema with Airbyte's
 * extra keywords) and the behaviour the emulator simulates for `check` and `discover`.
 */

/** A JSON Schema node as connectors publish it (draft-07 plus `airbyte_secret`, `order`, ...). */
export interface JsonSchema {
    type?: string | string[];
    title?: string;
    description?: string;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    oneOf?: JsonSchema[];
    anyOf?: JsonSchema[];
    allOf?: JsonSchema[];
    items?: JsonSchema;
    enum?: unknown[];
    const?: unknown;
    default?: unknown;
    examples?: unknown[];
    airbyte_secret?: boolean;
    order?: number;
    [keyword: string]: unknown;
}

export type ConnectorConfiguration = Record<string, unknown>;

/** Column types of the simulated databases (each maps to the JSON schema a JDBC source reports). */
export type ColumnType = "integer" | "decimal" | "string" | "timestamp" | "date" | "boolean";
export const COLUMN_TYPES: readonly ColumnType[] = ["integer", "decimal", "string", "timestamp", "date", "boolean"];

/** A table (or view) of a simulated database. */
export interface DatabaseTable {
    name: string;
    columns: Readonly<Record<string, ColumnType>>;
    primaryKey: readonly string[];
    view?: boolean;
}

/** What discover sees of the database beyond its fixed schemas: tables created since (see discovery.ts). */
export interface SimulatedDatabase {
    tablesAddedTo(namespace: string): readonly DatabaseTable[];
}

export type SyncMode = "full_refresh" | "incremental";
export const SYNC_MODES: readonly SyncMode[] = ["full_refresh", "incremental"];

export type DestinationSyncMode =
    "append" | "overwrite" | "append_dedup" | "overwrite_dedup" | "update" | "soft_delete";
export const DESTINATION_SYNC_MODES: readonly DestinationSyncMode[] = [
    "append",
    "overwrite",
    "append_dedup",
    "overwrite_dedup",
    "update",
    "soft_delete",
];

/** `AirbyteStream` as a source reports it during discovery. */
export interface DiscoveredStream {
    name: string;
    namespace?: string;
    jsonSchema: JsonSchema;
    supportedSyncModes: SyncMode[];
    sourceDefinedCursor: boolean;
    defaultCursorField: string[];
    sourceDefinedPrimaryKey: string[][];
    isResumable?: boolean;
    isFileBased?: boolean;
}

/** Outcome of a simulated `check`: either fine or the connector's failure message. */
export type CheckOutcome = { ok: true } | { ok: false; message: string };

export type ActorKind = "source" | "destination";
export type ReleaseStage = "alpha" | "beta" | "generally_available" | "custom";
export type SupportLevel = "community" | "certified" | "archived" | "none";

export interface ConnectorDefinition {
    kind: ActorKind;
    definitionId: string;
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl: string;
    icon?: string;
    releaseStage: ReleaseStage;
    supportLevel: SupportLevel;
    /** Sources only: api | file | database | custom. */
    sourceType?: "api" | "file" | "database" | "custom";
    language?: string;
    protocolVersion: string;
    releaseDate?: string;
    /** True for definitions added to one workspace (`addCustomDefinition`). */
    custom: boolean;
    /** The workspace that owns a custom definition. */
    workspaceId?: string;
    spec: JsonSchema;
    /** Destinations only. */
    supportedDestinationSyncModes?: DestinationSyncMode[];
    /** Simulated `check`; the configuration is the stored, unmasked one. */
    check(config: ConnectorConfiguration): CheckOutcome;
    /**
     * Sources only: simulated `discover` (called after a successful check); database sources also list tables added
     * since start.
     */
    discover?(config: ConnectorConfiguration, database: SimulatedDatabase): DiscoveredStream[];
}
