/**
 * The demo stack (the root Pulumi.yaml): a data team moving sales data from MSSQL to S3.
 *
 * - an MSSQL source with CDC replication, whose password lives in AWS Secrets Manager;
 * - an S3 destination writing Parquet with Snappy compression;
 * - a connection syncing two incremental streams every hour (Quartz cron).
 *
 * Stack config (set by `npm run demo` and the end-to-end tests):
 *   airbyte:serverUrl            the Airbyte server (the local emulator in the demo)
 *   demo:mssqlPasswordSecretId   name or ARN of the Secrets Manager secret holding {"password": ...}
 *   demo:database, demo:cron, demo:bucket, demo:adoptSourceId   optional knobs the demo and tests turn
 */
import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";

const config = new pulumi.Config("demo");

const mssql = new airbyte.Source("mssql", {
    definition: "airbyte/source-mssql",
    configuration: {
        host: config.get("mssqlHost") ?? "mssql.sales.internal",
        port: 1433,
        database: config.get("database") ?? "sales",
        schemas: ["dbo"],
        username: "airbyte_reader",
        ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
        replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
    },
    secrets: {
        password: airbyte.secretsManager({ secretId: config.require("mssqlPasswordSecretId"), key: "password" }),
    },
    adoptId: config.get("adoptSourceId"),
});

const lake = new airbyte.Destination("s3", {
    definition: "airbyte/destination-s3",
    configuration: {
        s3_bucket_name: config.get("bucket") ?? "acme-analytics-lake",
        s3_bucket_path: "airbyte/mssql",
        s3_bucket_region: "eu-west-1",
        format: { format_type: "Parquet", compression_codec: "SNAPPY" },
    },
});

const connection = new airbyte.Connection("mssql-to-s3", {
    sourceId: mssql.sourceId,
    destinationId: lake.destinationId,
    streams: [
        { name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
        { name: "customers", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
    ],
    schedule: { cron: config.get("cron") ?? "0 0 * * * ?", timeZone: "UTC" },
    nonBreakingChangesPreference: "propagate_columns",
});

export const sourceId = mssql.sourceId;
export const destinationId = lake.destinationId;
export const connectionId = connection.connectionId;
export const workspaceId = connection.workspaceId;
export const streams = connection.streamCount;
