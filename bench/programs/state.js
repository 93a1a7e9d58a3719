// State-size program: one triple shaped like examples/demo, plus a Connection syncing all
// 200 streams of a source whose schema `generated_200` the emulator expands to 200 tables.
// Both sources read the same Secrets Manager secret (one distinct secret).
"use strict";
const pulumi = require("@pulumi/pulumi");
const airbyte = require("pulumi-airbyte-dynamic");

const config = new pulumi.Config("bench");
const secretId = config.require("secretId");

const mssqlConfiguration = (host, schemas) => ({
    host,
    port: 1433,
    database: "sales",
    schemas,
    username: "airbyte_reader",
    ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
    replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
    tunnel_method: { tunnel_method: "NO_TUNNEL" },
});
const password = airbyte.secretsManager({ secretId, key: "password" });

const source = new airbyte.Source("mssql", { definition: "airbyte/source-mssql", configuration: mssqlConfiguration("mssql.sales.internal", ["dbo"]), secrets: { password } });
const destination = new airbyte.Destination("s3", {
    definition: "airbyte/destination-s3",
    configuration: { s3_bucket_name: "acme-analytics-lake", s3_bucket_path: "airbyte/mssql", s3_bucket_region: "eu-west-1", format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
});
const connection = new airbyte.Connection("mssql-to-s3", {
    sourceId: source.sourceId,
    destinationId: destination.destinationId,
    streams: [
        { name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
        { name: "customers", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
    ],
    schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
    nonBreakingChangesPreference: "propagate_columns",
});

const wide = new airbyte.Source("mssql-200", { definition: "airbyte/source-mssql", configuration: mssqlConfiguration("mssql-wide.sales.internal", ["generated_200"]), secrets: { password } });
const streams = [];
for (let i = 0; i < 200; i++) streams.push({ name: `table_${String(i).padStart(3, "0")}`, namespace: "generated_200", syncMode: "incremental", destinationSyncMode: "append" });
const wideConnection = new airbyte.Connection("mssql-200-to-s3", {
    sourceId: wide.sourceId,
    destinationId: destination.destinationId,
    streams,
    schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
});

exports.connectionId = connection.connectionId;
exports.wideConnectionId = wideConnection.connectionId;
exports.wideSourceId = wide.sourceId;
exports.streamCount = wideConnection.streamCount;
