/**
 * A minimal pulumi-airbyte-dynamic program: a Postgres source, a Postgres destination and a
 * connection between them, against a local Airbyte (the emulator: `npm run airbyte:local`).
 * The password is a Pulumi secret from stack config: encrypted in state, shown as [secret].
 * Both connectors use the typed helpers (pulumi-airbyte-dynamic/sources/<name>, .../destinations/<name>):
 * a misspelled key, a secret under `configuration` or a wrong option is a compile error.
 */
import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";
import { destinationPostgres } from "pulumi-airbyte-dynamic/destinations/postgres";
import { sourcePostgres } from "pulumi-airbyte-dynamic/sources/postgres";

const config = new pulumi.Config();

const shop = new airbyte.Source(
    "shop-db",
    sourcePostgres({
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
    }),
);

const warehouse = new airbyte.Destination(
    "warehouse",
    destinationPostgres({
        configuration: {
            host: "warehouse.internal",
            port: 5432,
            database: "analytics",
            schema: "raw_shop",
            username: "loader",
        },
        secrets: { password: config.requireSecret("warehousePassword") },
    }),
);

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
