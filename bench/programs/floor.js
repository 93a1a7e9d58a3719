// Engine floor: the same N triples, with the same user inputs, managed by a trivial dynamic
// provider that makes no HTTP call and instead sleeps, per operation, once for each call the
// minimal hand-written script makes (bench:callMs each, the latency measured for one raw call
// in the same run): create 2 (source/destination: check + create; connection: discover +
// create), read 1, delete 1, no-op diff 0. What this takes beyond the raw script
// is the Pulumi engine's own cost (program, gRPC, step execution, checkpoints).
// The file backend rewrites the whole checkpoint after every step, so the engine's cost grows
// with the bytes of state per resource: a `pad` input per type (bench:pad, JSON bytes per type,
// calibrated by bench/stacks.mjs) brings each resource to the state size of ours.
"use strict";
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config("bench");
const n = config.requireNumber("n");
const callMs = config.requireNumber("callMs");
const pad = config.getObject("pad") || {};
// bench:extraProps registers that many more (undefined) properties per resource, to measure
// what each registered property costs the program.
const extra = {};
for (let i = 0; i < (config.getNumber("extraProps") || 0); i++) extra[`unset${i}`] = undefined;
const padding = (type) => ({ ...(pad[type] > 0 ? { pad: "x".repeat(pad[type]) } : {}), ...extra });

// One small provider object for the three types, so its `__provider` text is smaller than ours
// (the padding makes up the difference). Without `diff`, the engine compares old and new inputs
// (unchanged in a no-op preview); no update is ever planned, so there is no `update`.
const provider = {
    create: async (inputs) => (await new Promise((r) => setTimeout(r, 2 * callMs)), { id: crypto.randomUUID(), outs: inputs }),
    read: async (id, props) => (await new Promise((r) => setTimeout(r, callMs)), { id, props }),
    delete: () => new Promise((r) => setTimeout(r, callMs)),
};

class Source extends pulumi.dynamic.Resource {
    constructor(name, args) {
        super(provider, name, args, {}, "floor", "Source");
    }
}
class Destination extends pulumi.dynamic.Resource {
    constructor(name, args) {
        super(provider, name, args, {}, "floor", "Destination");
    }
}
class Connection extends pulumi.dynamic.Resource {
    constructor(name, args) {
        super(provider, name, args, {}, "floor", "Connection");
    }
}

const ids = [];
for (let i = 0; i < n; i++) {
    const source = new Source(`mssql-${i}`, {
        ...padding("Source"),
        name: `mssql-${i}`,
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
        secrets: { password: { secretsManager: { secretId: "bench/mssql", key: "password" } } },
    });
    const destination = new Destination(`s3-${i}`, {
        ...padding("Destination"),
        name: `s3-${i}`,
        definition: "airbyte/destination-s3",
        configuration: {
            s3_bucket_name: "acme-analytics-lake",
            s3_bucket_path: `airbyte/mssql-${i}`,
            s3_bucket_region: "eu-west-1",
            format: { format_type: "Parquet", compression_codec: "SNAPPY" },
        },
    });
    const connection = new Connection(`mssql-to-s3-${i}`, {
        ...padding("Connection"),
        sourceId: source.id,
        destinationId: destination.id,
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
