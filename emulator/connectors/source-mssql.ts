/** `airbyte/source-mssql`, modelled on the real connector's spec (SSL methods, CDC options, SSH tunnel). */
import { streamsForSchemas } from "../discovery";
import { hostField, iconUrl, jdbcUrlParams, passwordField, portField, sshTunnelMethod, usernameField } from "./shared";
import { checkSqlDatabase } from "./simulate";
import type { ConnectorDefinition, JsonSchema } from "./types";

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "MSSQL Source Spec",
    type: "object",
    required: ["host", "port", "database", "username", "password"],
    properties: {
        host: hostField(0),
        port: portField(1, 1433),
        database: {
            title: "Database",
            description: "The name of the database.",
            type: "string",
            examples: ["master"],
            order: 2,
        },
        schemas: {
            title: "Schemas",
            description: "The list of schemas to sync from. Defaults to user. Case sensitive.",
            type: "array",
            items: { type: "string" },
            minItems: 0,
            uniqueItems: true,
            default: ["dbo"],
            order: 3,
        },
        username: usernameField(4),
        password: passwordField(5),
        jdbc_url_params: jdbcUrlParams(6, "key1=value1&key2=value2&key3=value3"),
        ssl_method: {
            title: "SSL Method",
            type: "object",
            description: "The encryption method which is used when communicating with the database.",
            order: 7,
            oneOf: [
                {
                    title: "Unencrypted",
                    description: "Data transfer will not be encrypted.",
                    required: ["ssl_method"],
                    properties: { ssl_method: { type: "string", const: "unencrypted" } },
                },
                {
                    title: "Encrypted (trust server certificate)",
                    description:
                        "Use the certificate provided by the server without verification. (For testing purposes only!)",
                    required: ["ssl_method"],
                    properties: { ssl_method: { type: "string", const: "encrypted_trust_server_certificate" } },
                },
                {
                    title: "Encrypted (verify certificate)",
                    description: "Verify and use the certificate provided by the server.",
                    required: ["ssl_method"],
                    properties: {
                        ssl_method: { type: "string", const: "encrypted_verify_certificate" },
                        hostNameInCertificate: {
                            title: "Host Name In Certificate",
                            type: "string",
                            description:
                                "Specifies the host name of the server. The value of this property must match the subject property of the certificate.",
                            order: 0,
                        },
                        certificate: {
                            title: "Certificate",
                            type: "string",
                            description: "certificate of the server, or of the CA that signed the server certificate",
                            airbyte_secret: true,
                            multiline: true,
                            order: 1,
                        },
                    },
                },
            ],
        },
        replication_method: {
            type: "object",
            title: "Update Method",
            description: "Configures how data is extracted from the database.",
            display_type: "radio",
            order: 8,
            oneOf: [
                {
                    title: "Read Changes using Change Data Capture (CDC)",
                    description:
                        "<i>Recommended</i> - Incrementally reads new inserts, updates, and deletes using the SQL Server's change data capture feature. This must be enabled on your database.",
                    required: ["method"],
                    properties: {
                        method: { type: "string", const: "CDC", order: 0 },
                        data_to_sync: {
                            title: "Data to Sync",
                            type: "string",
                            default: "Existing and New",
                            enum: ["Existing and New", "New Changes Only"],
                            description:
                                'What data should be synced under the CDC. "Existing and New" will read existing data as a snapshot, and sync new changes through CDC. "New Changes Only" will skip the initial snapshot, and only sync new changes through CDC.',
                            order: 1,
                        },
                        snapshot_isolation: {
                            title: "Initial Snapshot Isolation Level",
                            type: "string",
                            default: "Snapshot",
                            enum: ["Snapshot", "Read Committed"],
                            description:
                                "Existing data in the database are synced through an initial snapshot. This parameter controls the isolation level that will be used during the initial snapshotting.",
                            order: 2,
                        },
                        initial_waiting_seconds: {
                            title: "Initial Waiting Time in Seconds (Advanced)",
                            type: "integer",
                            default: 300,
                            minimum: 120,
                            maximum: 3600,
                            description:
                                "The amount of time the connector will wait when it launches to determine if there is new data to sync or not. Defaults to 300 seconds. Valid range: 120 seconds to 3600 seconds.",
                            order: 3,
                        },
                    },
                },
                {
                    title: "Scan Changes with User Defined Cursor",
                    description:
                        'Incrementally detects new inserts and updates using the <a href="https://docs.airbyte.com/understanding-airbyte/connections/incremental-append/#user-defined-cursor">cursor column</a> chosen when configuring a connection (e.g. created_at, updated_at).',
                    required: ["method"],
                    properties: { method: { type: "string", const: "STANDARD", order: 0 } },
                },
            ],
        },
        tunnel_method: sshTunnelMethod(9),
    },
};

export const sourceMssql: ConnectorDefinition = {
    kind: "source",
    definitionId: "b5ea17b1-f170-46dc-bc31-cc744ca984c1",
    name: "Microsoft SQL Server (MSSQL)",
    dockerRepository: "airbyte/source-mssql",
    dockerImageTag: "4.1.15",
    documentationUrl: "https://docs.airbyte.com/integrations/sources/mssql",
    icon: iconUrl("airbyte/source-mssql"),
    releaseStage: "generally_available",
    supportLevel: "certified",
    sourceType: "database",
    language: "java",
    protocolVersion: "0.2.0",
    releaseDate: "2021-05-12",
    custom: false,
    spec,
    check: (config) => checkSqlDatabase(config, "mssql"),
    discover: (config, database) => {
        const schemas =
            Array.isArray(config["schemas"]) && config["schemas"].length > 0
                ? (config["schemas"] as string[])
                : ["dbo"];
        const cdc = (config["replication_method"] as { method?: string } | undefined)?.method === "CDC";
        return streamsForSchemas(schemas, database, cdc ? "mssql" : undefined);
    },
};
