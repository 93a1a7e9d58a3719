// @ts-check
// The inputs of one benchmark triple, shaped like examples/demo (an MSSQL source with CDC, an S3
// destination writing Parquet, a connection syncing two incremental streams on a Quartz cron
// schedule). Our programs (triples.js, state.js), the engine floor (floor.js), the raw `got`
// baseline (raw.mjs) and the per-operation counts (calls.mjs) all take them from here, so every
// side of a comparison sends the same thing. Data only: the floor must not load our package.
// bench/lib/pulumi.mjs `linkedProject` copies this file next to each program.
"use strict";

/**
 * @import { DestinationSyncMode, NonBreakingChangesPreference, SyncMode } from "pulumi-airbyte-dynamic"
 * @typedef {{ name: string, namespace: string, syncMode: SyncMode, destinationSyncMode: DestinationSyncMode }} Stream
 */

/** @param {string} host */
const mssqlConfiguration = (host, schemas = ["dbo"]) => ({
    host,
    port: 1433,
    database: "sales",
    schemas,
    username: "airbyte_reader",
    ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
    replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
    tunnel_method: { tunnel_method: "NO_TUNNEL" },
});

/** @param {string} path */
const s3Configuration = (path) => ({
    s3_bucket_name: "acme-analytics-lake",
    s3_bucket_path: path,
    s3_bucket_region: "eu-west-1",
    format: { format_type: "Parquet", compression_codec: "SNAPPY" },
});

/** @type {Stream[]} */
const STREAMS = [
    { name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
    { name: "customers", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
];
/** The stream a pull request adds to one connection (bench:changeStreamsOf). @type {Stream} */
const EXTRA_STREAM = { name: "products", namespace: "dbo", syncMode: "full_refresh", destinationSyncMode: "overwrite" };
const SCHEDULE = { cron: "0 0 * * * ?", timeZone: "UTC" };
/** bench:shape "shared": one source and one destination, and N connections of one stream each (these tables). */
const SHARED_STREAM_NAMES = [
    "orders",
    "customers",
    "products",
    "suppliers",
    "warehouses",
    "invoices",
    "payments",
    "shipments",
    "returns",
    "order_items",
];
/**
 * Connection `i`'s one stream in the shared shape.
 * @param {number} i
 * @returns {Stream[]}
 */
const sharedStreams = (i) => {
    const name = SHARED_STREAM_NAMES[i % SHARED_STREAM_NAMES.length];
    if (name === undefined) throw new Error(`sharedStreams: ${i} is not a connection index`);
    return [{ name, namespace: "dbo", syncMode: "full_refresh", destinationSyncMode: "overwrite" }];
};
/** @type {NonBreakingChangesPreference} */
const NON_BREAKING_CHANGES = "propagate_columns";

/** Triple `i`: resource names (also the Airbyte names) and the host and path that vary with it. @param {number} i */
const triple = (i) => ({
    source: { name: `mssql-${i}`, configuration: mssqlConfiguration(`mssql-${i}.sales.internal`) },
    destination: { name: `s3-${i}`, configuration: s3Configuration(`airbyte/mssql-${i}`) },
    connection: { name: `mssql-to-s3-${i}` },
});

module.exports = {
    mssqlConfiguration,
    s3Configuration,
    STREAMS,
    EXTRA_STREAM,
    SCHEDULE,
    NON_BREAKING_CHANGES,
    SHARED_STREAM_NAMES,
    sharedStreams,
    triple,
};
