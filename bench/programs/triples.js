// Benchmark program: N source/destination/connection triples, shaped like examples/demo
// (an MSSQL source whose password is in AWS Secrets Manager, an S3 destination writing
// Parquet, a connection syncing two incremental streams on a Quartz cron schedule).
// Plain CommonJS, so no TypeScript compile step is timed. Config: bench:n, bench:secretId.
"use strict";
const pulumi = require("@pulumi/pulumi");
const airbyte = require("pulumi-airbyte-dynamic");

const config = new pulumi.Config("bench");
const n = config.requireNumber("n");
const secretId = config.require("secretId");

const ids = [];
for (let i = 0; i < n; i++) {
    const source = new airbyte.Source(`mssql-${i}`, {
        definition: "airbyte/source-mssql",
        configuration: {
            host: `mssql-${i}.sales.internal`,
            port: 1433,
            database: "sales",
            schemas: ["dbo"],
            username: "airbyte_reader",
            ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
            replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
            tunnel_method: { tunnel_method: "NO_TUNNEL" },
        },
        secrets: { password: airbyte.secretsManager({ secretId, key: "password" }) },
    });
    const destination = new airbyte.Destination(`s3-${i}`, {
        definition: "airbyte/destination-s3",
        configuration: {
            s3_bucket_name: "acme-analytics-lake",
            s3_bucket_path: `airbyte/mssql-${i}`,
            s3_bucket_region: "eu-west-1",
            format: { format_type: "Parquet", compression_codec: "SNAPPY" },
        },
    });
    const connection = new airbyte.Connection(`mssql-to-s3-${i}`, {
        sourceId: source.sourceId,
        destinationId: destination.destinationId,
        streams: [
            { name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
            { name: "customers", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
        ],
        schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
        nonBreakingChangesPreference: "propagate_columns",
    });
    ids.push(connection.connectionId);
}

exports.connections = ids.length;
