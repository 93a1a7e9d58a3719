/**
 * Request and response models of the Airbyte Config API (`/api/v1`), for the subset this
 * package uses. Field names follow the wire format (camelCase, with Airbyte's few snake_case
 * exceptions). Responses omit null fields, so most response fields are optional.
 * Source: airbyte-platform `airbyte-api/server-api/src/main/openapi/config.yaml`.
 */

import type {
    ConnectorConfiguration,
    DestinationSyncMode,
    JsonSchema,
    NamespaceDefinition,
    NonBreakingChangesPreference,
    SyncMode,
    TimeUnit,
} from "../domain";

export type Uuid = string;

// ---------------------------------------------------------------------------------------------
// Instance and workspaces

/**
 * `GET /api/v1/instance_configuration` (anonymous; from Airbyte 0.50.9). The spec marks more
 * fields required than servers send: `defaultWorkspaceId` is sent only by 0.50.24 to 0.50.50
 * (airbyte-platform 1f09d1698f removed it from `InstanceConfigurationHandler`), `version` from
 * 0.57.4, `licenseStatus` never by the community edition.
 */
export interface InstanceConfiguration {
    edition?: string;
    version?: string;
    defaultWorkspaceId?: Uuid;
    defaultOrganizationId?: Uuid;
    defaultUserId?: Uuid;
    /** "none", "simple" or "oidc" in the versions we know; later servers may add modes. */
    auth?: { mode?: string };
    initialSetupComplete?: boolean;
}

export interface WorkspaceRead {
    workspaceId: Uuid;
    customerId?: Uuid;
    name: string;
    slug: string;
    organizationId?: Uuid;
    initialSetupComplete?: boolean;
    tombstone?: boolean;
    email?: string;
    dataplaneGroupId?: Uuid;
}

export interface WorkspaceReadList {
    workspaces: WorkspaceRead[];
}

// ---------------------------------------------------------------------------------------------
// Connector definitions and specifications

export interface SourceDefinitionRead {
    sourceDefinitionId: Uuid;
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl?: string;
    custom?: boolean;
    releaseStage?: string;
    supportLevel?: string;
    sourceType?: string;
}

export interface DestinationDefinitionRead {
    destinationDefinitionId: Uuid;
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl?: string;
    custom?: boolean;
    releaseStage?: string;
    supportLevel?: string;
}

export interface SynchronousJobRead {
    id: Uuid;
    configType: string;
    configId?: string;
    createdAt: number;
    endedAt: number;
    succeeded: boolean;
    connectorConfigurationUpdated?: boolean;
    failureReason?: {
        failureOrigin?: string;
        failureType?: string;
        externalMessage?: string;
        internalMessage?: string;
    };
}

export type ConnectorSpecSchema = JsonSchema;

export interface SourceDefinitionSpecificationRead {
    sourceDefinitionId: Uuid;
    documentationUrl?: string;
    connectionSpecification?: ConnectorSpecSchema;
    jobInfo?: SynchronousJobRead;
}

export interface DestinationDefinitionSpecificationRead {
    destinationDefinitionId: Uuid;
    documentationUrl?: string;
    connectionSpecification?: ConnectorSpecSchema;
    supportedDestinationSyncModes?: DestinationSyncMode[];
    jobInfo?: SynchronousJobRead;
}

// ---------------------------------------------------------------------------------------------
// Sources and destinations ("actors")

export interface SourceCreate {
    workspaceId: Uuid;
    name: string;
    sourceDefinitionId: Uuid;
    connectionConfiguration: ConnectorConfiguration;
}

export interface SourceUpdate {
    sourceId: Uuid;
    name: string;
    /** Full replacement; a secret sent as `**********` keeps the stored value. */
    connectionConfiguration: ConnectorConfiguration;
}

export interface SourceRead {
    sourceId: Uuid;
    sourceDefinitionId: Uuid;
    workspaceId: Uuid;
    name: string;
    /** Secrets come back masked as `**********`. */
    connectionConfiguration: ConnectorConfiguration;
    sourceName?: string;
    /** Epoch seconds; from Airbyte 1.2.0 (airbyte-platform 7f2287865a). */
    createdAt?: number;
    status?: string;
    icon?: string;
}

export interface SourceReadList {
    sources: SourceRead[];
    page_size?: number;
    num_connections?: number;
}

export interface DestinationCreate {
    workspaceId: Uuid;
    name: string;
    destinationDefinitionId: Uuid;
    connectionConfiguration: ConnectorConfiguration;
}

export interface DestinationUpdate {
    destinationId: Uuid;
    name: string;
    connectionConfiguration: ConnectorConfiguration;
}

export interface DestinationRead {
    destinationId: Uuid;
    destinationDefinitionId: Uuid;
    workspaceId: Uuid;
    name: string;
    connectionConfiguration: ConnectorConfiguration;
    destinationName?: string;
    createdAt?: number;
    status?: string;
    icon?: string;
}

export interface DestinationReadList {
    destinations: DestinationRead[];
    page_size?: number;
    num_connections?: number;
}

/**
 * `POST /api/v1/{sources,destinations}/list` on servers ≥ 1.8 (cursor pagination); older servers ignore the extra
 * fields.
 */
export interface ActorListCursorPaginatedRequestBody {
    workspaceId: Uuid;
    cursor?: Uuid;
    pageSize?: number;
}

export interface CheckConnectionRead {
    status?: "succeeded" | "failed";
    message?: string;
    jobInfo: SynchronousJobRead;
}

// ---------------------------------------------------------------------------------------------
// Catalogs

export interface AirbyteStream {
    name: string;
    namespace?: string;
    jsonSchema?: Record<string, unknown>;
    supportedSyncModes?: SyncMode[];
    sourceDefinedCursor?: boolean;
    defaultCursorField?: string[];
    sourceDefinedPrimaryKey?: string[][];
    isResumable?: boolean;
    isFileBased?: boolean;
}

export interface AirbyteStreamConfiguration {
    syncMode: SyncMode;
    destinationSyncMode: DestinationSyncMode;
    cursorField?: string[];
    primaryKey?: string[][];
    aliasName?: string;
    selected?: boolean;
    suggested?: boolean;
    fieldSelectionEnabled?: boolean;
    selectedFields?: { fieldPath: string[] }[];
    destinationObjectName?: string;
    includeFiles?: boolean;
    mappers?: unknown[];
    generationId?: number;
    minimumGenerationId?: number;
    syncId?: number;
    namespace?: string;
}

export interface AirbyteStreamAndConfiguration {
    stream: AirbyteStream;
    config: AirbyteStreamConfiguration;
}

export interface AirbyteCatalog {
    streams: AirbyteStreamAndConfiguration[];
}

export interface SourceDiscoverSchemaRequestBody {
    sourceId: Uuid;
    disable_cache?: boolean;
    connectionId?: Uuid;
}

export interface SourceDiscoverSchemaRead {
    jobInfo: SynchronousJobRead;
    catalog?: AirbyteCatalog;
    catalogId?: Uuid;
}

// ---------------------------------------------------------------------------------------------
// Connections

export type ConnectionStatus = "active" | "inactive" | "deprecated" | "locked";
export type ScheduleType = "manual" | "basic" | "cron";

export interface ConnectionScheduleData {
    basicSchedule?: { timeUnit: TimeUnit; units: number };
    cron?: { cronExpression: string; cronTimeZone: string };
}

export interface ConnectionCreate {
    sourceId: Uuid;
    destinationId: Uuid;
    status: ConnectionStatus;
    name?: string;
    namespaceDefinition?: NamespaceDefinition;
    namespaceFormat?: string;
    prefix?: string;
    syncCatalog?: AirbyteCatalog;
    scheduleType?: ScheduleType;
    scheduleData?: ConnectionScheduleData;
    sourceCatalogId?: Uuid;
    nonBreakingChangesPreference?: NonBreakingChangesPreference;
}

/**
 * Patch-style: absent fields are left unchanged; a present `syncCatalog` replaces the whole
 * catalog. Never carries the legacy `schedule` (the server rejects it with HTTP 500).
 */
export type ConnectionUpdate = { connectionId: Uuid } & Partial<Omit<ConnectionCreate, "sourceId" | "destinationId">>;

export interface ConnectionRead {
    connectionId: Uuid;
    name: string;
    sourceId: Uuid;
    destinationId: Uuid;
    syncCatalog: AirbyteCatalog;
    status: ConnectionStatus;
    breakingChange?: boolean;
    /** Only `connections/list_paginated` sets it (`ApiPojoConverters.internalToConnectionRead` never does). */
    workspaceId?: Uuid;
    namespaceDefinition?: NamespaceDefinition;
    namespaceFormat?: string;
    prefix?: string;
    /** Legacy schedule, echoed next to `scheduleType`/`scheduleData` for basic schedules. */
    schedule?: { units: number; timeUnit: TimeUnit };
    scheduleType?: ScheduleType;
    scheduleData?: ConnectionScheduleData;
    sourceCatalogId?: Uuid;
    nonBreakingChangesPreference?: NonBreakingChangesPreference;
    /** Epoch seconds; from Airbyte 0.50.46 (airbyte-platform 609d3dd4f6). */
    created_at?: number;
}

export interface ConnectionReadList {
    connections: ConnectionRead[];
}
