#!/usr/bin/env node
// @ts-check
// Run with a cell's node from inside the cell tree (scripts/test-matrix.sh): prints, as JSON,
// the node that runs and the versions of the packages that really resolve from the cell, and
// fails if any of them resolves from outside the cell (a parent folder's node_modules) or if
// the package's self-reference (`pulumi-airbyte-dynamic/runtime`, used by the revived
// serialized providers) does not land in the cell's own dist/.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";

const cell = process.cwd();
const require = createRequire(join(cell, "package.json"));
/** @type {string[]} */
const problems = [];
/** The first line of an error's message. @param {unknown} error */
const firstLine = (error) => (error instanceof Error ? error.message : String(error)).split("\n")[0];

/**
 * The version, `engines.node` and folder of the package `name` as it resolves from the cell.
 * @param {string} name
 * @returns {{ version?: string, engines?: string, dir?: string }}
 */
function packageOf(name) {
    let file;
    try {
        file = require.resolve(name);
    } catch (error) {
        problems.push(`${name} does not resolve: ${firstLine(error)}`);
        return {};
    }
    let dir = dirname(file);
    for (;;) {
        const manifest = join(dir, "package.json");
        if (existsSync(manifest)) {
            /** @type {{ name?: string, version?: string, engines?: { node?: string } }} */
            const pkg = JSON.parse(readFileSync(manifest, "utf8"));
            if (pkg.name === name) {
                if (!dir.startsWith(join(cell, "node_modules") + sep))
                    problems.push(`${name} resolves outside the cell: ${dir}`);
                return { version: pkg.version, engines: pkg.engines?.node, dir };
            }
        }
        const parent = dirname(dir);
        if (parent === dir) {
            problems.push(`no package.json for ${name} above ${file}`);
            return {};
        }
        dir = parent;
    }
}

const pulumi = packageOf("@pulumi/pulumi");
/**
 * @type {{ node: string, pulumi?: string, pulumiEngines?: string, typescript?: string, jest?: string,
 *     "ts-jest"?: string, runtime?: string }}
 */
const out = {
    node: process.version,
    pulumi: pulumi.version,
    pulumiEngines: pulumi.engines,
    typescript: packageOf("typescript").version,
    jest: packageOf("jest").version,
    "ts-jest": packageOf("ts-jest").version,
};

// The SDK must load on this node.
try {
    const sdk = require("@pulumi/pulumi");
    if (typeof sdk.runtime?.serializeFunction !== "function")
        problems.push("@pulumi/pulumi loaded without runtime.serializeFunction");
} catch (error) {
    problems.push(`require("@pulumi/pulumi") failed on ${process.version}: ${firstLine(error)}`);
}
// The runtime the serialized providers load, through the package's exports.
try {
    const runtime = require.resolve("pulumi-airbyte-dynamic/runtime");
    if (!runtime.startsWith(join(cell, "dist") + sep))
        problems.push(`pulumi-airbyte-dynamic/runtime resolves outside the cell's dist/: ${runtime}`);
    out.runtime = runtime.slice(cell.length + 1);
} catch (error) {
    problems.push(`pulumi-airbyte-dynamic/runtime does not resolve: ${firstLine(error)}`);
}

console.log(JSON.stringify(out));
if (problems.length) {
    for (const p of problems) console.error(`cell-versions: ${p}`);
    process.exit(1);
}
