// @ts-check
// Engine floor: the same N triples, with the same user inputs (./inputs.js), managed by a trivial dynamic
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
const inputs = require("./inputs");

const config = new pulumi.Config("bench");
const n = config.requireNumber("n");
const callMs = config.requireNumber("callMs");
/** @type {Record<string, number>} */
const pad = config.getObject("pad") || {};
// bench:jobs ({ checkMs, discoverMs, sharedSource }) adds the connector jobs a hand-written script
// also waits for: a check before each source and destination create, a discovery before each
// connection create; with sharedSource, one discovery in total, made with the source.
/** @type {{ checkMs: number, discoverMs: number, sharedSource?: boolean }} */
const jobs = config.getObject("jobs") || { checkMs: 0, discoverMs: 0 };
const changed = config.getNumber("changeStreamsOf");
const shared = config.get("shape") === "shared";
// No comment inside the functions the provider captures (sleep, create, read, delete): the closure
// serializer would copy it into `__provider`, so their types are stated outside them.
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// bench:extraProps registers that many more (undefined) properties per resource, to measure
// what each registered property costs the program.
/** @type {Record<string, undefined>} */
const extra = {};
for (let i = 0; i < (config.getNumber("extraProps") || 0); i++) extra[`unset${i}`] = undefined;
const padding = (/** @type {string} */ type) => {
    const bytes = pad[type] ?? 0;
    return { ...(bytes > 0 ? { pad: "x".repeat(bytes) } : {}), ...extra };
};

// One small provider object for the three types, so its `__provider` text is smaller than ours
// (the padding makes up the difference). Without `diff`, the engine compares old and new inputs
// (unchanged in a no-op preview); no update is ever planned, so there is no `update`.
// The job times travel as inputs (`job`), so one provider object serves every type.
/** @type {pulumi.dynamic.ResourceProvider<{ job?: number }>} */
const provider = {
    create: async (inputs) => (await sleep(2 * callMs + (inputs.job || 0)), { id: crypto.randomUUID(), outs: inputs }),
    read: async (id, props) => (await sleep(callMs), { id, props }),
    delete: () => sleep(callMs),
};
const sourceJob = jobs.checkMs + (jobs.sharedSource ? jobs.discoverMs : 0);
const connectionJob = jobs.sharedSource ? 0 : jobs.discoverMs;

class Source extends pulumi.dynamic.Resource {
    /** @param {string} name @param {pulumi.Inputs} args */
    constructor(name, args) {
        super(provider, name, args, {}, "floor", "Source");
    }
}
class Destination extends pulumi.dynamic.Resource {
    /** @param {string} name @param {pulumi.Inputs} args */
    constructor(name, args) {
        super(provider, name, args, {}, "floor", "Destination");
    }
}
class Connection extends pulumi.dynamic.Resource {
    /** @param {string} name @param {pulumi.Inputs} args */
    constructor(name, args) {
        super(provider, name, args, {}, "floor", "Connection");
    }
}

/** @type {pulumi.Output<string>[]} */
const ids = [];
/** @type {Source | undefined} */
let source;
/** @type {Destination | undefined} */
let destination;
for (let i = 0; i < n; i++) {
    const t = inputs.triple(i);
    if (!shared || i === 0) {
        source = new Source(t.source.name, {
            ...padding("Source"),
            ...(sourceJob ? { job: sourceJob } : {}),
            name: t.source.name,
            definition: "airbyte/source-mssql",
            configuration: t.source.configuration,
            secrets: { password: { secretsManager: { secretId: "bench/mssql", key: "password" } } },
        });
        destination = new Destination(t.destination.name, {
            ...padding("Destination"),
            ...(jobs.checkMs ? { job: jobs.checkMs } : {}),
            name: t.destination.name,
            definition: "airbyte/destination-s3",
            configuration: t.destination.configuration,
        });
    }
    // The first triple always creates them (the shared shape keeps those for every connection).
    if (!source || !destination) throw new Error("floor program: no source or destination for the connection");
    const streams = shared ? inputs.sharedStreams(i) : inputs.STREAMS;
    const connection = new Connection(t.connection.name, {
        ...padding("Connection"),
        ...(connectionJob ? { job: connectionJob } : {}),
        sourceId: source.id,
        destinationId: destination.id,
        streams: i === changed ? [...streams, inputs.EXTRA_STREAM] : streams,
        schedule: inputs.SCHEDULE,
        nonBreakingChangesPreference: inputs.NON_BREAKING_CHANGES,
    });
    ids.push(connection.id);
}

exports.connections = ids.length;
