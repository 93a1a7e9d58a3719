/** `airbyte/source-postgres`, modelled on the real connector (SSL modes, Xmin/CDC/Standard, SSH tunnel). */
import { streamsForSchemas } from "../discovery";
import { hostField, iconUrl, jdbcUrlParams, passwordField, portField, sshTunnelMethod, usernameField } from "./shared";
import { checkSqlDatabase } from "./simulate";
import type { ConnectorDefinition, JsonSchema } from "./types";

/** Postgres `ssl_mode` branches, discriminated by `mode`; shared with the Postgres destination. */
export function postgresSslModes(order: number): JsonSchema {
    const certificateFields = {
        ca_certificate: {
            type: "string",
            title: "CA Certificate",
            description: "CA certificate",
            airbyte_secret: true,
            multiline: true,
            order: 1,
        },
        client_certificate: {
            type: "string",
            title: "Client Certificate",
            description: "Client certificate",
            airbyte_secret: false,
            multiline: true,
            order: 2,
        },
        client_key: {
            type: "string",
            title: "Client Key",
            description: "Client key",
            airbyte_secret: true,
            multiline: true,
            order: 3,
        },
        client_key_password: {
            type: "string",
            title: "Client key password",
            description:
                "Password for keystorage. If you do not add it - the password will be generated automatically.",
            airbyte_secret: true,
            order: 4,
        },
    };
    const simple = (mode: string, title: string, description: string): JsonSchema => ({
        title,
        description,
        required: ["mode"],
        additionalProperties: true,
        properties: { mode: { type: "string", const: mode, order: 0 } },
    });
    return {
        title: "SSL Modes",
        type: "object",
        description:
            'SSL connection modes. Read more <a href="https://jdbc.postgresql.org/documentation/head/ssl-client.html"> in the docs</a>.',
        order,
        oneOf: [
            simple("disable", "disable", "Disables encryption of communication between Airbyte and source database."),
            simple("allow", "allow", "Enables encryption only when required by the source database."),
            simple(
                "prefer",
                "prefer",
                "Allows unencrypted connection only if the source database does not support encryption.",
            ),
            simple(
                "require",
                "require",
                "Always require encryption. If the source database server does not support encryption, connection will fail.",
            ),
            {
                title: "verify-ca",
                description:
                    "Always require encryption and verifies that the source database server has a valid SSL certificate.",
                required: ["mode", "ca_certificate"],
                additionalProperties: true,
                properties: { mode: { type: "string", const: "verify-ca", order: 0 }, ...certificateFields },
            },
            {
                title: "verify-full",
                description:
                    "This is the most secure mode. Always require encryption and verifies the identity of the source database server.",
                required: ["mode", "ca_certificate"],
                additionalProperties: true,
                properties: { mode: { type: "string", const: "verify-full", order: 0 }, ...certificateFields },
            },
        ],
    };
}

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Postgres Source Spec",
    type: "object",
    required: ["host", "port", "database", "username"],
    properties: {
        host: hostField(0),
        port: portField(1, 5432),
        database: { title: "Database Name", description: "Name of the database.", type: "string", order: 2 },
        schemas: {
            title: "Schemas",
            description: "The list of schemas (case sensitive) to sync from. Defaults to public.",
            type: "array",
            items: { type: "string" },
            minItems: 0,
            uniqueItems: true,
            default: ["public"],
            order: 3,
            group: "db",
        },
        username: usernameField(4),
        password: passwordField(5),
        jdbc_url_params: jdbcUrlParams(6, "key1=value1&key2=value2&key3=value3"),
        ssl_mode: postgresSslModes(8),
        replication_method: {
            type: "object",
            title: "Update Method",
            description: "Configures how data is extracted from the database.",
            order: 9,
            default: "CDC",
            display_type: "radio",
            oneOf: [
                {
                    title: "Read Changes using Write-Ahead Log (CDC)",
                    description:
                        "<i>Recommended</i> - Incrementally reads new inserts, updates, and deletes using the Postgres write-ahead log (WAL).",
                    required: ["method", "replication_slot", "publication"],
                    additionalProperties: true,
                    properties: {
                        method: { type: "string", const: "CDC", order: 1 },
                        plugin: {
                            type: "string",
                            title: "Plugin",
                            description: "A logical decoding plugin installed on the PostgreSQL server.",
                            enum: ["pgoutput"],
                            default: "pgoutput",
                            order: 2,
                        },
                        replication_slot: {
                            type: "string",
                            title: "Replication Slot",
                            description:
                                'A plugin logical replication slot. Read about <a href="https://docs.airbyte.com/integrations/sources/postgres#step-3-create-replication-slot">replication slots</a>.',
                            order: 3,
                        },
                        publication: {
                            type: "string",
                            title: "Publication",
                            description:
                                'A Postgres publication used for consuming changes. Read about <a href="https://docs.airbyte.com/integrations/sources/postgres#step-4-create-publications-and-replication-identities-for-tables">publications and replication identities</a>.',
                            order: 4,
                        },
                        initial_waiting_seconds: {
                            type: "integer",
                            title: "Initial Waiting Time in Seconds (Advanced)",
                            description:
                                "The amount of time the connector will wait when it launches to determine if there is new data to sync or not. Defaults to 1200 seconds. Valid range: 120 seconds to 2400 seconds.",
                            default: 1200,
                            minimum: 120,
                            maximum: 2400,
                            order: 5,
                        },
                        queue_size: {
                            type: "integer",
                            title: "Size of the queue (Advanced)",
                            description:
                                "The size of the internal queue. This may interfere with memory consumption and efficiency of the connector, please be careful.",
                            default: 10000,
                            minimum: 1000,
                            maximum: 10000,
                            order: 6,
                        },
                        lsn_commit_behaviour: {
                            type: "string",
                            title: "LSN commit behaviour",
                            description:
                                "Determines when Airbyte should flush the LSN of processed WAL logs in the source database.",
                            enum: ["While reading Data", "After loading Data in the destination"],
                            default: "After loading Data in the destination",
                            order: 7,
                        },
                    },
                },
                {
                    title: "Detect Changes with Xmin System Column",
                    description:
                        '<i>Recommended</i> - Incrementally reads new inserts and updates via Postgres <a href="https://docs.airbyte.com/integrations/sources/postgres/#xmin">Xmin system column</a>. Suitable for databases that have low transaction pressure.',
                    required: ["method"],
                    properties: { method: { type: "string", const: "Xmin", order: 0 } },
                },
                {
                    title: "Scan Changes with User Defined Cursor",
                    description:
                        "Incrementally detects new inserts and updates using the cursor column chosen when configuring a connection (e.g. created_at, updated_at).",
                    required: ["method"],
                    properties: { method: { type: "string", const: "Standard", order: 8 } },
                },
            ],
        },
        tunnel_method: sshTunnelMethod(10),
    },
};

export const sourcePostgres: ConnectorDefinition = {
    kind: "source",
    definitionId: "decd338e-5647-4c0b-adf4-da0e75f5a750",
    name: "Postgres",
    dockerRepository: "airbyte/source-postgres",
    dockerImageTag: "3.6.28",
    documentationUrl: "https://docs.airbyte.com/integrations/sources/postgres",
    icon: iconUrl("airbyte/source-postgres"),
    releaseStage: "generally_available",
    supportLevel: "certified",
    sourceType: "database",
    language: "java",
    protocolVersion: "0.2.0",
    releaseDate: "2020-12-10",
    custom: false,
    spec,
    check: (config) => checkSqlDatabase(config, "postgres"),
    discover: (config, database) => {
        const schemas =
            Array.isArray(config["schemas"]) && config["schemas"].length > 0
                ? (config["schemas"] as string[])
                : ["public"];
        const cdc = (config["replication_method"] as { method?: string } | undefined)?.method === "CDC";
        return streamsForSchemas(schemas, database, cdc ? "postgres" : undefined);
    },
};
