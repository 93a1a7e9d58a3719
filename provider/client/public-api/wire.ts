/**
 * Request and response models of Airbyte's public API (`/api/public/v1` on self-managed
 * servers, `https://api.airbyte.com/v1` on Cloud), for the subset this package uses.
 * Source: airbyte-platform `airbyte-api/server-api/src/main/openapi/api.yaml`; behaviour the
 * spec leaves open follows `airbyte-server/.../apis/publicapi` (controllers and mappers).
 * Successful answers omit null fields (`jackson.serialization-inclusion: NON_ABSENT`).
 */
import type { ConnectorConfiguration } from "../domain";

/** `GET` list answers: `next`/`previous` are absolute URLs built from the server's AIRBYTE_API_HOST, or "". */
export interface Page<T> {
    data: T[];
    next?: string;
    previous?: string;
}

export interface WorkspaceResponse {
    workspaceId: string;
    name: string;
    dataResidency?: string;
}

/** `GET /connector_definitions` (from Airbyte 1.2.0). */
export interface ConnectorDefinitionResponse {
    id: string;
    name: string;
    connectorDefinitionType: "source" | "destination";
    /** The docker image tag. */
    version: string;
}

/** `GET /workspaces/{id}/definitions/{sources|destinations}` (from Airbyte 1.6.0). */
export interface DefinitionResponse {
    id: string;
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl?: string;
}

/** SourceResponse / DestinationResponse (the id field differs). */
export interface ActorResponse {
    sourceId?: string;
    destinationId?: string;
    name: string;
    definitionId: string;
    workspaceId: string;
    /** Secrets masked; null for a deleted actor. */
    configuration: ConnectorConfiguration | null;
    /** Epoch seconds; from Airbyte 1.2.0. */
    createdAt?: number;
}

/** The combined source and destination sync mode (`ConnectionSyncModeEnum`). */
export type ConnectionSyncMode =
    | "full_refresh_overwrite"
    | "full_refresh_overwrite_deduped"
    | "full_refresh_append"
    | "full_refresh_update"
    | "full_refresh_soft_delete"
    | "incremental_append"
    | "incremental_deduped_history"
    | "incremental_update"
    | "incremental_soft_delete";

/** `GET /streams`: one entry per stream the source offers (a bare array). */
export interface StreamProperties {
    streamName: string;
    /** All lower case in the spec and on the wire. */
    streamnamespace?: string;
    /** Only when a destinationId was given. */
    syncModes?: ConnectionSyncMode[];
    defaultCursorField?: string[];
    sourceDefinedCursorField?: boolean;
    sourceDefinedPrimaryKey?: string[][];
    propertyFields?: string[][];
}

export interface StreamConfiguration {
    name: string;
    /** Honoured from Airbyte 1.7.0; older servers match streams by name. */
    namespace?: string;
    syncMode?: ConnectionSyncMode;
    cursorField?: string[];
    primaryKey?: string[][];
    selectedFields?: { fieldPath: string[] }[];
}

export type NamespaceDefinitionEnum = "source" | "destination" | "custom_format";
export type NonBreakingSchemaUpdatesBehaviorEnum =
    "ignore" | "disable_connection" | "propagate_columns" | "propagate_fully";
export type ConnectionStatusEnum = "active" | "inactive" | "deprecated" | "locked";

export interface ScheduleRequest {
    scheduleType: "manual" | "cron";
    cronExpression?: string;
}

export interface ConnectionCreateRequest {
    sourceId: string;
    destinationId: string;
    name?: string;
    configurations?: { streams: StreamConfiguration[] };
    schedule?: ScheduleRequest;
    namespaceDefinition?: NamespaceDefinitionEnum;
    namespaceFormat?: string;
    prefix?: string;
    nonBreakingSchemaUpdatesBehavior?: NonBreakingSchemaUpdatesBehaviorEnum;
    status?: ConnectionStatusEnum;
}

export type ConnectionPatchRequest = Omit<ConnectionCreateRequest, "sourceId" | "destinationId">;

export interface ConnectionResponse {
    connectionId: string;
    name: string;
    sourceId: string;
    destinationId: string;
    workspaceId: string;
    status: ConnectionStatusEnum;
    schedule: { scheduleType: "manual" | "cron" | "basic"; cronExpression?: string; basicTiming?: string };
    nonBreakingSchemaUpdatesBehavior?: NonBreakingSchemaUpdatesBehaviorEnum;
    namespaceDefinition?: NamespaceDefinitionEnum;
    namespaceFormat?: string;
    prefix?: string;
    configurations?: { streams?: StreamConfiguration[] };
    /** Epoch seconds; from Airbyte 1.2.0. */
    createdAt?: number;
}
