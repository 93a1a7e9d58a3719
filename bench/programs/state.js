// @ts-check
// State-size program: one triple with the inputs of ./inputs.js, plus a Connection syncing all
// 200 streams of a source whose schema `generated_200` the emulator expands to 200 tables.
// Both sources read the same Secrets Manager secret (one distinct secret).
"use strict";
const pulumi = require("@pulumi/pulumi");
const airbyte = require("pulumi-airbyte-dynamic");
const { mssqlConfiguration, s3Configuration, STREAMS, SCHEDULE, NON_BREAKING_CHANGES } = require("./inputs");
/** @import { Stream } from "./inputs" */

const config = new pulumi.Config("bench");
const secretId = config.require("secretId");

const password = airbyte.secretsManager({ secretId, key: "password" });

const source = new airbyte.Source("mssql", {
    definition: "airbyte/source-mssql",
    configuration: mssqlConfiguration("mssql.sales.internal", ["dbo"]),
    secrets: { password },
});
const destination = new airbyte.Destination("s3", {
    definition: "airbyte/destination-s3",
    configuration: s3Configuration("airbyte/mssql"),
});
const connection = new airbyte.Connection("mssql-to-s3", {
    sourceId: source.sourceId,
    destinationId: destination.destinationId,
    streams: STREAMS,
    schedule: SCHEDULE,
    nonBreakingChangesPreference: NON_BREAKING_CHANGES,
});

const wide = new airbyte.Source("mssql-200", {
    definition: "airbyte/source-mssql",
    configuration: mssqlConfiguration("mssql-wide.sales.internal", ["generated_200"]),
    secrets: { password },
});
/** @type {Stream[]} */
const streams = [];
for (let i = 0; i < 200; i++)
    streams.push({
        name: `table_${String(i).padStart(3, "0")}`,
        namespace: "generated_200",
        syncMode: "incremental",
        destinationSyncMode: "append",
    });
const wideConnection = new airbyte.Connection("mssql-200-to-s3", {
    sourceId: wide.sourceId,
    destinationId: destination.destinationId,
    streams,
    schedule: SCHEDULE,
});

exports.connectionId = connection.connectionId;
exports.wideConnectionId = wideConnection.connectionId;
exports.wideSourceId = wide.sourceId;
exports.streamCount = wideConnection.streamCount;
