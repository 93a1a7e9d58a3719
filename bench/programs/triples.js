// @ts-check
// Benchmark program: N source/destination/connection triples with the inputs of ./inputs.js,
// the MSSQL password in AWS Secrets Manager.
// Plain CommonJS, so no TypeScript compile step is timed. Config: bench:n, bench:secretId, and
// bench:changeStreamsOf (a triple's index) to add a stream to that connection, as a pull request would.
"use strict";
const pulumi = require("@pulumi/pulumi");
const airbyte = require("pulumi-airbyte-dynamic");
const inputs = require("./inputs");

const config = new pulumi.Config("bench");
const n = config.requireNumber("n");
const secretId = config.require("secretId");
const changed = config.getNumber("changeStreamsOf");
// bench:shape "shared": one source and one destination for all N connections.
const shared = config.get("shape") === "shared";
// bench:checkConnection false: Airbyte's connection check before create and update is skipped.
const checkConnection = config.getBoolean("checkConnection");
const check = checkConnection === undefined ? {} : { checkConnection };

/** @type {pulumi.Output<string>[]} */
const ids = [];
/** @type {airbyte.Source | undefined} */
let source;
/** @type {airbyte.Destination | undefined} */
let destination;
for (let i = 0; i < n; i++) {
    const t = inputs.triple(i);
    if (!shared || i === 0) {
        source = new airbyte.Source(t.source.name, {
            definition: "airbyte/source-mssql",
            configuration: t.source.configuration,
            secrets: { password: airbyte.secretsManager({ secretId, key: "password" }) },
            ...check,
        });
        destination = new airbyte.Destination(t.destination.name, {
            definition: "airbyte/destination-s3",
            configuration: t.destination.configuration,
            ...check,
        });
    }
    // The first triple always creates them (the shared shape keeps those for every connection).
    if (!source || !destination) throw new Error("bench program: no source or destination for the connection");
    const streams = shared ? inputs.sharedStreams(i) : inputs.STREAMS;
    const connection = new airbyte.Connection(t.connection.name, {
        sourceId: source.sourceId,
        destinationId: destination.destinationId,
        streams: i === changed ? [...streams, inputs.EXTRA_STREAM] : streams,
        schedule: inputs.SCHEDULE,
        nonBreakingChangesPreference: inputs.NON_BREAKING_CHANGES,
    });
    ids.push(connection.connectionId);
}

exports.connections = ids.length;
