// Benchmark program: N source/destination/connection triples with the inputs of ./inputs.js,
// the MSSQL password in AWS Secrets Manager.
// Plain CommonJS, so no TypeScript compile step is timed. Config: bench:n, bench:secretId.
"use strict";
const pulumi = require("@pulumi/pulumi");
const airbyte = require("pulumi-airbyte-dynamic");
const inputs = require("./inputs");

const config = new pulumi.Config("bench");
const n = config.requireNumber("n");
const secretId = config.require("secretId");

const ids = [];
for (let i = 0; i < n; i++) {
    const t = inputs.triple(i);
    const source = new airbyte.Source(t.source.name, {
        definition: "airbyte/source-mssql",
        configuration: t.source.configuration,
        secrets: { password: airbyte.secretsManager({ secretId, key: "password" }) },
    });
    const destination = new airbyte.Destination(t.destination.name, { definition: "airbyte/destination-s3", configuration: t.destination.configuration });
    const connection = new airbyte.Connection(t.connection.name, {
        sourceId: source.sourceId,
        destinationId: destination.destinationId,
        streams: inputs.STREAMS,
        schedule: inputs.SCHEDULE,
        nonBreakingChangesPreference: inputs.NON_BREAKING_CHANGES,
    });
    ids.push(connection.connectionId);
}

exports.connections = ids.length;
