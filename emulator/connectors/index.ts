/**
 * The emulator's connector catalog: the built-in definitions plus helpers to turn a stored custom
 * definition (plain data, persisted with the store) into a working ConnectorDefinition.
 */
import { singleStream, streamsForSchemas } from "../discovery";
import { destinationBigquery } from "./destination-bigquery";
import { destinationPostgres } from "./destination-postgres";
import { destinationS3 } from "./destination-s3";
import { checkGeneric } from "./simulate";
import { sourceFaker } from "./source-faker";
import { sourceFile } from "./source-file";
import { sourceMssql } from "./source-mssql";
import { sourceMysql } from "./source-mysql";
import { sourcePostgres } from "./source-postgres";
import type { ActorKind, ConnectorDefinition, DestinationSyncMode, JsonSchema } from "./types";

export * from "./types";

export const BUILT_IN_SOURCES: readonly ConnectorDefinition[] = [
    sourceMssql,
    sourcePostgres,
    sourceMysql,
    sourceFaker,
    sourceFile,
];
export const BUILT_IN_DESTINATIONS: readonly ConnectorDefinition[] = [
    destinationS3,
    destinationPostgres,
    destinationBigquery,
];

/** A workspace-scoped custom definition as stored (and persisted). */
export interface StoredCustomDefinition {
    kind: ActorKind;
    definitionId: string;
    workspaceId: string;
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl: string;
    spec: JsonSchema;
    supportedDestinationSyncModes?: DestinationSyncMode[];
}

/**
 * Custom connectors have no hand-written behaviour, so they follow the generic conventions:
 * `.invalid` hosts and `wrong-password` fail `check`; a `schemas` array (or a `database`) is
 * discovered like a database, anything else yields a single `records` stream.
 */
export function customConnector(stored: StoredCustomDefinition): ConnectorDefinition {
    return {
        ...stored,
        icon: undefined,
        releaseStage: "custom",
        supportLevel: "none",
        sourceType: stored.kind === "source" ? "custom" : undefined,
        protocolVersion: "0.2.0",
        custom: true,
        check: checkGeneric,
        discover:
            stored.kind === "source"
                ? (config, database) => {
                      if (Array.isArray(config["schemas"]) && config["schemas"].length > 0)
                          return streamsForSchemas(config["schemas"] as string[], database);
                      if (typeof config["database"] === "string" && config["database"] !== "")
                          return streamsForSchemas([config["database"]], database);
                      return [singleStream("records")];
                  }
                : undefined,
    };
}
