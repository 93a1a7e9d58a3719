/** `airbyte/source-mysql`, modelled on the real connector. MySQL has no schemas: the database is the namespace. */
import { streamsForSchemas } from "../discovery";
import { hostField, iconUrl, jdbcUrlParams, passwordField, portField, sshTunnelMethod, usernameField } from "./shared";
import { checkSqlDatabase, textOf } from "./simulate";
import type { ConnectorDefinition, JsonSchema } from "./types";

const certificateFields: Record<string, JsonSchema> = {
    ca_certificate: {
        type: "string",
        title: "CA certificate",
        description: "CA certificate",
        airbyte_secret: true,
        multiline: true,
        order: 1,
    },
    client_certificate: {
        type: "string",
        title: "Client certificate",
        description:
            "Client certificate (this is not a required field, but if you want to use it, you will need to add the <b>Client key</b> as well)",
        airbyte_secret: true,
        multiline: true,
        order: 2,
    },
    client_key: {
        type: "string",
        title: "Client key",
        description:
            "Client key (this is not a required field, but if you want to use it, you will need to add the <b>Client certificate</b> as well)",
        airbyte_secret: true,
        multiline: true,
        order: 3,
    },
    client_key_password: {
        type: "string",
        title: "Client key password",
        description:
            "Password for keystorage. This field is optional. If you do not add it - the password will be generated automatically.",
        airbyte_secret: true,
        order: 4,
    },
};

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "MySql Source Spec",
    type: "object",
    required: ["host", "port", "database", "username", "replication_method"],
    properties: {
        host: hostField(0),
        port: portField(1, 3306),
        database: { title: "Database", description: "The database name.", type: "string", order: 2 },
        username: usernameField(3),
        password: passwordField(4),
        jdbc_url_params: jdbcUrlParams(5, "key1=value1&key2=value2&key3=value3"),
        ssl_mode: {
            title: "SSL modes",
            description:
                'SSL connection modes. Read more <a href="https://dev.mysql.com/doc/connector-j/8.0/en/connector-j-reference-using-ssl.html"> in the docs</a>.',
            type: "object",
            order: 7,
            oneOf: [
                {
                    title: "preferred",
                    description:
                        "Automatically attempt SSL connection. If the MySQL server does not support SSL, continue with a regular connection.",
                    required: ["mode"],
                    properties: { mode: { type: "string", const: "preferred", order: 0 } },
                },
                {
                    title: "required",
                    description:
                        "Always connect with SSL. If the MySQL server doesn’t support SSL, the connection will not be established.",
                    required: ["mode"],
                    properties: { mode: { type: "string", const: "required", order: 0 } },
                },
                {
                    title: "Verify CA",
                    description:
                        "Always connect with SSL. Verifies CA, but allows connection even if Hostname does not match.",
                    required: ["mode", "ca_certificate"],
                    properties: { mode: { type: "string", const: "verify_ca", order: 0 }, ...certificateFields },
                },
                {
                    title: "Verify Identity",
                    description: "Always connect with SSL. Verify both CA and Hostname.",
                    required: ["mode", "ca_certificate"],
                    properties: { mode: { type: "string", const: "verify_identity", order: 0 }, ...certificateFields },
                },
            ],
        },
        replication_method: {
            type: "object",
            title: "Update Method",
            description: "Configures how data is extracted from the database.",
            order: 8,
            display_type: "radio",
            oneOf: [
                {
                    title: "Read Changes using Binary Log (CDC)",
                    description:
                        "<i>Recommended</i> - Incrementally reads new inserts, updates, and deletes using the MySQL binary log. This must be enabled on your database.",
                    required: ["method"],
                    properties: {
                        method: { type: "string", const: "CDC", order: 0 },
                        initial_waiting_seconds: {
                            type: "integer",
                            title: "Initial Waiting Time in Seconds (Advanced)",
                            description:
                                "The amount of time the connector will wait when it launches to determine if there is new data to sync or not. Defaults to 300 seconds. Valid range: 120 seconds to 1200 seconds.",
                            default: 300,
                            minimum: 120,
                            maximum: 1200,
                            order: 1,
                        },
                        server_time_zone: {
                            type: "string",
                            title: "Configured server timezone for the MySQL source (Advanced)",
                            description:
                                "Enter the configured MySQL server timezone. This should only be done if the configured timezone in your MySQL instance does not conform to IANNA standard.",
                            order: 2,
                        },
                        invalid_cdc_cursor_position_behavior: {
                            type: "string",
                            title: "Invalid CDC position behavior (Advanced)",
                            description:
                                "Determines whether Airbyte should fail or re-sync data in case of an stale/invalid cursor value into the WAL. If 'Fail sync' is chosen, a user will have to manually reset the connection before being able to continue syncing data. If 'Re-sync data' is chosen, Airbyte will automatically trigger a refresh but could lead to higher cloud costs and data loss.",
                            enum: ["Fail sync", "Re-sync data"],
                            default: "Fail sync",
                            order: 3,
                        },
                    },
                },
                {
                    title: "Scan Changes with User Defined Cursor",
                    description:
                        "Incrementally detects new inserts and updates using the cursor column chosen when configuring a connection (e.g. created_at, updated_at).",
                    required: ["method"],
                    properties: { method: { type: "string", const: "STANDARD", order: 0 } },
                },
            ],
        },
        tunnel_method: sshTunnelMethod(9),
    },
};

export const sourceMysql: ConnectorDefinition = {
    kind: "source",
    definitionId: "435bb9a5-7887-4809-aa58-28c27df0d7ad",
    name: "MySQL",
    dockerRepository: "airbyte/source-mysql",
    dockerImageTag: "3.11.21",
    documentationUrl: "https://docs.airbyte.com/integrations/sources/mysql",
    icon: iconUrl("airbyte/source-mysql"),
    releaseStage: "generally_available",
    supportLevel: "certified",
    sourceType: "database",
    language: "java",
    protocolVersion: "0.2.0",
    releaseDate: "2020-12-10",
    custom: false,
    spec,
    check: (config) => checkSqlDatabase(config, "mysql"),
    discover: (config, database) => {
        const cdc = (config["replication_method"] as { method?: string } | undefined)?.method === "CDC";
        return streamsForSchemas([textOf(config["database"])], database, cdc ? "mysql" : undefined);
    },
};
