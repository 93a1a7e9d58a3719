/**
 * pulumi-airbyte-dynamic: Airbyte Sources, Destinations and Connections as Pulumi resources.
 */
export { Source } from "./resources/source";
export type { SourceArgs } from "./resources/source";
export { Destination } from "./resources/destination";
export type { DestinationArgs } from "./resources/destination";
export { Connection } from "./resources/connection";
export type { ConnectionArgs, StreamArgs, ScheduleArgs } from "./resources/connection";
export { secretsManager } from "./resources/common";
export type { SecretInput, SecretsInput, ServerArgs, SecretsManagerReferenceInput } from "./resources/common";
export type { SecretsManagerLocation, SecretsManagerReference } from "./secrets/reference";
// The domain model's own types (backend-neutral; no Config API or public API wire type is exported).
export type {
    SyncMode,
    DestinationSyncMode,
    TimeUnit,
    NamespaceDefinition,
    NonBreakingChangesPreference,
    Schedule,
} from "./client/domain";
