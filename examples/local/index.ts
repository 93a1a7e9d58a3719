/**
 * A minimal pulumi-airbyte-dynamic program: a Postgres source, a Postgres destination and a
 * connection between them, against a local Airbyte (the emulator: `npm run airbyte:local`).
 * The password is a Pulumi secret from stack config: encrypted in state, shown as [secret].
 */
import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";

const config = new pulumi.Config();

const shop = new airbyte.Source("shop-db", {
    definition: "airbyte/source-postgres",
    configuration: {
        host: "shop-db.internal",
        port: 5432,
        database: "shop",
        schemas: ["public"],
        username: "airbyte",
        ssl_mode: { mode: "prefer" },
        replication_method: { method: "Standard" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
    },
    secrets: { password: config.requireSecret("shopDbPassword") },
});

const warehouse = new airbyte.Destination("warehouse", {
    definition: "airbyte/destination-postgres",
    configuration: { host: "warehouse.internal", port: 5432, database: "analytics", schema: "raw_shop", username: "loader" },
    secrets: { password: config.requireSecret("warehousePassword") },
});

const sync = new airbyte.Connection("shop-to-warehouse", {
    sourceId: shop.sourceId,
    destinationId: warehouse.destinationId,
    streams: [
        // Standard (non-CDC) replication defines no cursor: incremental streams name the column
        // whose values only grow. The primary key comes from the source.
        { name: "orders", syncMode: "incremental", destinationSyncMode: "append_dedup", cursorField: "updated_at" },
        { name: "customers", syncMode: "incremental", destinationSyncMode: "append_dedup", cursorField: "updated_at" },
        { name: "products" },
    ],
    schedule: { units: 6, timeUnit: "hours" },
});

export const sourceId = shop.sourceId;
export const destinationId = warehouse.destinationId;
export const connectionId = sync.connectionId;
