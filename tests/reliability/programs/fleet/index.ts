/**
 * A fleet of shops, each with its MSSQL database synced to its own S3 prefix: `fleet:count`
 * source/destination/connection triples (3 × count resources). Used by the load and
 * interruption tests (tests/e2e/load.test.ts, tests/e2e/interruption.test.ts).
 *
 * Stack config: fleet:count, fleet:dbPassword (secret); airbyte:* for the server.
 */
import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";

const config = new pulumi.Config("fleet");
const count = config.requireNumber("count");
const dbPassword = config.requireSecret("dbPassword");

const connectionIds: pulumi.Output<string>[] = [];
for (let i = 0; i < count; i++) {
    const shop = `shop-${String(i).padStart(3, "0")}`;
    const source = new airbyte.Source(shop, {
        definition: "airbyte/source-mssql",
        configuration: {
            host: `${shop}.db.internal`,
            port: 1433,
            database: "sales",
            schemas: ["dbo"],
            username: "airbyte_reader",
            ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
            replication_method: { method: "STANDARD" },
            tunnel_method: { tunnel_method: "NO_TUNNEL" },
        },
        secrets: { password: dbPassword },
    });
    const lake = new airbyte.Destination(`${shop}-lake`, {
        definition: "airbyte/destination-s3",
        configuration: {
            s3_bucket_name: "fleet-lake",
            s3_bucket_path: `raw/${shop}`,
            s3_bucket_region: "eu-west-1",
            format: { format_type: "Parquet", compression_codec: "SNAPPY" },
        },
    });
    const connection = new airbyte.Connection(`${shop}-sync`, {
        name: `${shop} orders`,
        sourceId: source.sourceId,
        destinationId: lake.destinationId,
        streams: [{ name: "orders", namespace: "dbo", syncMode: "full_refresh", destinationSyncMode: "overwrite" }],
        schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
    });
    connectionIds.push(connection.connectionId);
}

export const connections = pulumi.all(connectionIds);
