/**
 * The domain model the provider runtime works in: Airbyte's objects as the resources see them,
 * independent of the API that carries them. Each backend (`./config-api`, `./public-api`) maps
 * its own wire shapes to these types and back; nothing outside a backend's folder knows a wire
 * field name.
 */

export type ActorKind = "source" | "destination";
export type SyncMode = "full_refresh" | "incremental";
export type DestinationSyncMode =
    "append" | "overwrite" | "append_dedup" | "overwrite_dedup" | "update" | "soft_delete";
export type TimeUnit = "minutes" | "hours" | "days" | "weeks" | "months";
export type NamespaceDefinition = "source" | "destination" | "customformat";
export type NonBreakingChangesPreference = "ignore" | "disable" | "propagate_columns" | "propagate_fully";
export type ConnectionStatus = "active" | "inactive";

export const SYNC_MODES: readonly SyncMode[] = ["full_refresh", "incremental"];
export const DESTINATION_SYNC_MODES: readonly DestinationSyncMode[] = [
    "append",
    "overwrite",
    "append_dedup",
    "overwrite_dedup",
    "update",
    "soft_delete",
];
export const TIME_UNITS: readonly TimeUnit[] = ["minutes", "hours", "days", "weeks", "months"];
export const NAMESPACE_DEFINITIONS: readonly NamespaceDefinition[] = ["source", "destination", "customformat"];
export const NON_BREAKING_CHANGES_PREFERENCES: readonly NonBreakingChangesPreference[] = [
    "ignore",
    "disable",
    "propagate_columns",
    "propagate_fully",
];

/** A connector configuration as JSON. In reads, secrets are masked (`**********`). */
export type ConnectorConfiguration = Record<string, unknown>;

/** The value Airbyte returns in place of every secret (`AirbyteSecretConstants.SECRETS_MASK`). */
export const SECRET_MASK = "**********";

/** A JSON Schema node as connectors publish it (draft-07 plus `airbyte_secret`, `order`, ...). */
export interface JsonSchema {
    type?: string | string[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    oneOf?: JsonSchema[];
    anyOf?: JsonSchema[];
    allOf?: JsonSchema[];
    items?: JsonSchema | JsonSchema[];
    airbyte_secret?: boolean;
    [keyword: string]: unknown;
}

export interface Workspace {
    id: string;
    name: string;
}

export interface Definition {
    id: string;
    name: string;
    /** `airbyte/source-postgres`; absent where the API does not report it. */
    dockerRepository?: string;
    dockerImageTag?: string;
    custom?: boolean;
}

export interface ConnectorSpec {
    schema: JsonSchema;
    /** For destinations: the destination sync modes the connector supports. */
    supportedDestinationSyncModes?: DestinationSyncMode[];
}

/** A source or destination ("actor" in Airbyte's code). */
export interface Actor {
    kind: ActorKind;
    id: string;
    workspaceId: string;
    definitionId: string;
    name: string;
    /** As the server returns it: secrets masked; `{}` for an actor the server has deleted. */
    configuration: ConnectorConfiguration;
    /** Creation time in epoch seconds, where the server reports one. */
    createdAt?: number;
    /**
     * The answer cannot tell a live actor from a deleted one (Airbyte answers reads of deleted
     * actors with 200); the caller confirms with a listing.
     */
    possiblyDeleted?: boolean;
}

export interface ActorWrite {
    workspaceId: string;
    definitionId: string;
    name: string;
    /** The full configuration, secrets in clear. */
    configuration: ConnectorConfiguration;
}

export interface CheckOutcome {
    succeeded: boolean;
    /** The connector's message when it failed. */
    message?: string;
}

/** A stream the source offers, as discovery reports it. */
export interface DiscoveredStream {
    name: string;
    namespace?: string;
    /** Empty when the source says nothing (then only full_refresh). */
    supportedSyncModes: SyncMode[];
    sourceDefinedCursor: boolean;
    defaultCursorField: string[];
    sourceDefinedPrimaryKey: string[][];
    /** Top-level column names. */
    columns: string[];
    /** The backend's own description of the stream (e.g. its JSON schema), opaque to the runtime. */
    wire?: unknown;
}

export interface DiscoveredCatalog {
    streams: DiscoveredStream[];
    /** The server's id for this discovery, passed back on connection writes where the API takes it. */
    catalogId?: string;
    /** The destination sync modes the destination supports, where the discovery was made for one. */
    supportedDestinationSyncModes?: DestinationSyncMode[];
}

/** How one stream of a connection syncs. */
export interface ConfiguredStream {
    name: string;
    namespace?: string;
    syncMode: SyncMode;
    destinationSyncMode: DestinationSyncMode;
    cursorField: string[];
    primaryKey: string[][];
    /** Top-level columns to sync; all when absent. */
    columns?: string[];
}

/** A stream of a live connection, with what the source defines for it where the API reports that. */
export interface LiveStream extends ConfiguredStream {
    sourceDefinedCursor?: boolean;
    sourceDefinedPrimaryKey?: boolean;
    /** The stream as discovered, where the API returns it (for digests). */
    discovered?: DiscoveredStream;
}

/** Schedules in canonical form (also what state keeps). */
export type Schedule =
    | { type: "manual" }
    | { type: "basic"; units: number; timeUnit: TimeUnit }
    | { type: "cron"; cron: string; timeZone: string };

/**
 * The catalog a connection write carries: streams built from a discovery, or a raw catalog (Config API escape hatch).
 */
export type CatalogWrite =
    { kind: "streams"; streams: ConfiguredStream[]; discovered: DiscoveredCatalog } | { kind: "raw"; catalog: unknown };

export interface ConnectionOptions {
    namespaceDefinition?: NamespaceDefinition;
    namespaceFormat?: string;
    prefix?: string;
    nonBreakingChangesPreference?: NonBreakingChangesPreference;
}

export interface ConnectionCreate extends ConnectionOptions {
    sourceId: string;
    destinationId: string;
    name?: string;
    status: ConnectionStatus;
    schedule: Schedule;
    catalog: CatalogWrite;
}

/** A patch: absent fields stay as they are. */
export interface ConnectionPatch extends ConnectionOptions {
    name?: string;
    status?: ConnectionStatus;
    schedule?: Schedule;
    catalog?: CatalogWrite;
}

export interface Connection extends ConnectionOptions {
    id: string;
    name: string;
    sourceId: string;
    destinationId: string;
    /** Absent where the API does not report it (the Config API's `connections/get`). */
    workspaceId?: string;
    /** `deleted`: Airbyte keeps answering reads of deleted connections (status `deprecated`). */
    status: ConnectionStatus | "deleted" | "locked";
    schedule: Schedule;
    streams: LiveStream[];
    /** The catalog in the backend's wire form, for the raw-catalog escape hatch. */
    rawCatalog?: unknown;
    createdAt?: number;
}

/** What a property of the inputs cannot be, and why (check failures). */
export interface Problem {
    property: string;
    reason: string;
}
