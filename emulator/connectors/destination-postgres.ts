/** `airbyte/destination-postgres`, modelled on the real connector. */
import { hostField, iconUrl, jdbcUrlParams, passwordField, portField, sshTunnelMethod, usernameField } from "./shared";
import { postgresSslModes } from "./source-postgres";
import { checkSqlDatabase } from "./simulate";
import type { ConnectorDefinition, JsonSchema } from "./types";

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Postgres Destination Spec",
    type: "object",
    required: ["host", "port", "username", "database", "schema"],
    properties: {
        host: hostField(0),
        port: portField(1, 5432),
        database: { title: "DB Name", description: "Name of the database.", type: "string", order: 2 },
        schema: {
            title: "Default Schema",
            description:
                'The default schema tables are written to if the source does not specify a namespace. The usual value for this field is "public".',
            type: "string",
            examples: ["public"],
            default: "public",
            order: 3,
        },
        username: usernameField(4),
        password: passwordField(5),
        ssl: {
            title: "SSL Connection",
            description: "Encrypt data using SSL. When activating SSL, please select one of the connection modes.",
            type: "boolean",
            default: false,
            order: 6,
        },
        ssl_mode: postgresSslModes(7),
        jdbc_url_params: jdbcUrlParams(8, "key1=value1&key2=value2&key3=value3"),
        raw_data_schema: {
            type: "string",
            description: "The schema to write raw tables into (default: airbyte_internal)",
            title: "Airbyte Internal Schema",
            order: 9,
        },
        disable_type_dedupe: {
            type: "boolean",
            default: false,
            description:
                "Disable Writing Final Tables. WARNING! The data format in _airbyte_data is likely stable but there are no guarantees that other metadata columns will remain the same in future versions",
            title: "Disable Final Tables. (WARNING! Unstable option; Columns in raw table schema might change between versions)",
            order: 10,
        },
        drop_cascade: {
            type: "boolean",
            default: false,
            description:
                "Drop tables with CASCADE. WARNING! This will delete all data in all dependent objects (views, etc.). Use with caution. This option is intended for usecases which can easily rebuild the dependent objects.",
            title: "Drop tables with CASCADE. (WARNING! Risk of unrecoverable data loss)",
            order: 11,
        },
        tunnel_method: sshTunnelMethod(12),
    },
};

export const destinationPostgres: ConnectorDefinition = {
    kind: "destination",
    definitionId: "25c5221d-dce2-4163-ade9-739ef790f503",
    name: "Postgres",
    dockerRepository: "airbyte/destination-postgres",
    dockerImageTag: "2.4.7",
    documentationUrl: "https://docs.airbyte.com/integrations/destinations/postgres",
    icon: iconUrl("airbyte/destination-postgres"),
    releaseStage: "generally_available",
    supportLevel: "certified",
    language: "java",
    protocolVersion: "0.2.0",
    releaseDate: "2020-12-10",
    custom: false,
    spec,
    supportedDestinationSyncModes: ["overwrite", "append", "append_dedup"],
    check: (config) => checkSqlDatabase(config, "postgres"),
};
