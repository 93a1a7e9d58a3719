// @ts-check
// Counts the properties each resource class registers with Pulumi (the keys it passes to
// `pulumi.dynamic.Resource`, `__provider` aside), for one triple of a bench program, so the
// no-op preview note quotes what the code does today rather than a hand-kept number.
// Run as a child process (node bench/lib/registered-properties.cjs <program.js>): it replaces
// `pulumi.dynamic.Resource` before the program and our package load, under runtime mocks.
"use strict";
const path = require("node:path");

// The floor program's `pad` input is set in the real runs (bench/stacks.mjs calibrates it), so here too.
const pad = JSON.stringify({ Source: 1, Destination: 1, Connection: 1 });
process.env.PULUMI_CONFIG = JSON.stringify({
    "bench:n": "1",
    "bench:secretId": "bench/mssql",
    "bench:callMs": "0",
    "bench:pad": pad,
});
const pulumi = require("@pulumi/pulumi");
// setMocks installs the mocks synchronously; its promise has nothing left to wait for.
void pulumi.runtime.setMocks(
    { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
    "bench",
    "count",
    true,
);

/** @type {Record<string, { registered: number, unsetAtRegistration: number, unsetKeys: string[] }>} */
const counts = {};
const Original = pulumi.dynamic.Resource;
pulumi.dynamic.Resource = class CountingResource extends Original {
    /**
     * @param {pulumi.dynamic.ResourceProvider} provider
     * @param {string} name
     * @param {pulumi.Inputs} props
     * @param {pulumi.CustomResourceOptions} [opts]
     * @param {string} [module]
     * @param {string} [type]
     */
    constructor(provider, name, props, opts, module, type) {
        const keys = Object.keys(props ?? {});
        const unset = keys.filter((k) => props[k] === undefined);
        counts[type ?? "Resource"] = { registered: keys.length, unsetAtRegistration: unset.length, unsetKeys: unset };
        super(provider, name, props, opts, module, type);
    }
};

const program = process.argv[2];
if (!program) throw new Error("usage: node bench/lib/registered-properties.cjs <program.js>");
require(path.resolve(program));
// Give the mocked registrations a turn to settle before exiting.
setTimeout(() => process.stdout.write(JSON.stringify(counts)), 50);
