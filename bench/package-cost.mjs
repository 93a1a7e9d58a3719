#!/usr/bin/env node
// @ts-check
/**
 * What the typed connector configurations (provider/connectors, 600 generated declaration
 * modules) cost users:
 *
 *  1. install size: `npm pack --dry-run --json` of the package as published (tarball size,
 *     unpacked size, file count), next to the same package without provider/connectors;
 *  2. compile time: `tsc --noEmit` wall time (median of 5 after a warm-up) of a user program
 *     with 5 typed connectors (sources postgres, mssql, mysql; destinations s3, postgres), next
 *     to the same program written untyped. The program lives in a temporary project set up like
 *     `pulumi new typescript` (strict, commonjs, moduleResolution node, no skipLibCheck), with
 *     node_modules symlinks to this repository (as `pulumi-airbyte-dynamic`) and to its
 *     @pulumi/pulumi and @types/node. Target: typed ≤ 1.5 × untyped.
 *
 *   node bench/package-cost.mjs [--runs 5]
 *
 * Prints a small table; `measurePackageCost()` returns the figures as JSON (see its JSDoc).
 * Needs dist/ built (the typed modules import dist/provider); it never builds it, and runs npm
 * with --ignore-scripts so `prepack` does not build either.
 */
import { execFileSync } from "node:child_process";
import {
    cpSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { log, median, round, ROOT, table } from "./lib/common.mjs";

const CONNECTORS_DIR = "provider/connectors";
const TSC = join(ROOT, "node_modules/typescript/lib/tsc.js");
const TARGET_RATIO = 1.5;

/** The modules the typed program imports (the README's example connectors). */
const TYPED_MODULES = [
    "sources/postgres",
    "sources/mssql",
    "sources/mysql",
    "destinations/s3",
    "destinations/postgres",
];

/**
 * @typedef {{ tarballBytes: number, unpackedBytes: number, files: number }} PackSize
 * @typedef {{ runs: number, typedMs: number, untypedMs: number, ratio: number, target: number, withinTarget: boolean,
 *          typedRunsMs: number[], untypedRunsMs: number[], modules: string[], compilerOptions: Record<string, unknown>,
 *          typedProgram: ProgramSize, untypedProgram: ProgramSize }} TscCost
 * @typedef {{ files: number, definitionLines: number, types: number, instantiations: number }} ProgramSize
 *   what tsc loaded and built (deterministic, unlike times)
 * @typedef {{
 *   install: { withConnectors: PackSize, withoutConnectors: PackSize, connectors: PackSize },
 *   connectors: { sources: number, destinations: number, files: number, bytes: number },
 *   tsc: TscCost,
 *   tscSkipLibCheck: TscCost
 * }} PackageCost
 */

// ---------------------------------------------------------------------------------------------
// Install size
// ---------------------------------------------------------------------------------------------

/**
 * `npm pack --dry-run --json` of the package in `dir`.
 * @param {string} dir
 * @returns {PackSize & { paths: string[] }}
 */
function pack(dir) {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    const [info] = JSON.parse(out);
    return {
        tarballBytes: info.size,
        unpackedBytes: info.unpackedSize,
        files: info.entryCount ?? info.files.length,
        paths: info.files.map((/** @type {{ path: string }} */ f) => f.path),
    };
}

/**
 * The package as published, and the same without provider/connectors: the second is packed
 * from a staging copy of exactly the published files minus the connectors, with `files` and
 * `exports` to match, so npm computes both tarballs the same way.
 */
function installSize() {
    const full = pack(ROOT);
    const stage = mkdtempSync(join(tmpdir(), "airbyte-pack-"));
    try {
        for (const path of full.paths) {
            if (path.startsWith(`${CONNECTORS_DIR}/`) || path === "package.json") continue;
            mkdirSync(dirname(join(stage, path)), { recursive: true });
            cpSync(join(ROOT, path), join(stage, path));
        }
        const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
        manifest.files = manifest.files.filter((/** @type {string} */ f) => f !== CONNECTORS_DIR);
        for (const key of ["./sources/*", "./destinations/*"]) delete manifest.exports?.[key];
        delete manifest.typesVersions;
        writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        const bare = pack(stage);
        const strip = (/** @type {PackSize & { paths: string[] }} */ p) => ({
            tarballBytes: p.tarballBytes,
            unpackedBytes: p.unpackedBytes,
            files: p.files,
        });
        const withConnectors = strip(full);
        const withoutConnectors = strip(bare);
        return {
            withConnectors,
            withoutConnectors,
            connectors: {
                tarballBytes: withConnectors.tarballBytes - withoutConnectors.tarballBytes,
                unpackedBytes: withConnectors.unpackedBytes - withoutConnectors.unpackedBytes,
                files: withConnectors.files - withoutConnectors.files,
            },
        };
    } finally {
        rmSync(stage, { recursive: true, force: true });
    }
}

/** Files and bytes under provider/connectors, and the connectors generated. */
function connectorsOnDisk() {
    let files = 0;
    let bytes = 0;
    const walk = (/** @type {string} */ dir) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = join(dir, entry.name);
            if (entry.isDirectory()) walk(path);
            else {
                files++;
                bytes += statSync(path).size;
            }
        }
    };
    walk(join(ROOT, CONNECTORS_DIR));
    const count = (/** @type {string} */ dir) =>
        readdirSync(join(ROOT, CONNECTORS_DIR, dir)).filter((f) => f.endsWith(".d.ts")).length;
    return { sources: count("sources"), destinations: count("destinations"), files, bytes };
}

// ---------------------------------------------------------------------------------------------
// Compile time
// ---------------------------------------------------------------------------------------------

/** `pulumi new typescript`'s tsconfig (no skipLibCheck: the template has none). */
const COMPILER_OPTIONS = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: false,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
};

const PROLOGUE = `import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";

const host = pulumi.output("10.0.1.23"); // e.g. an EC2 instance's private IP
const secretId = pulumi.output("arn:aws:secretsmanager:eu-west-1:123456789012:secret:airbyte");
const password = airbyte.secretsManager({ secretId, key: "password" });
`;

/** The user program with the typed helpers. */
const TYPED_PROGRAM = `${PROLOGUE}import { sourcePostgres } from "pulumi-airbyte-dynamic/sources/postgres";
import { sourceMssql } from "pulumi-airbyte-dynamic/sources/mssql";
import { sourceMysql } from "pulumi-airbyte-dynamic/sources/mysql";
import { destinationS3 } from "pulumi-airbyte-dynamic/destinations/s3";
import { destinationPostgres } from "pulumi-airbyte-dynamic/destinations/postgres";

const pg = new airbyte.Source("pg", sourcePostgres({
    configuration: { host, port: 5432, database: "app", username: "reader", schemas: ["public"], ssl_mode: { mode: "prefer" },
        replication_method: { method: "CDC", publication: "airbyte", replication_slot: "airbyte" } },
    secrets: { password },
}));
const mssql = new airbyte.Source("mssql", sourceMssql({
    configuration: { host, port: 1433, database: "sales", username: "airbyte", schemas: ["dbo"], replication_method: { method: "STANDARD" },
        ssl_method: { ssl_method: "encrypted_trust_server_certificate" } },
    secrets: { password },
}));
const mysql = new airbyte.Source("mysql", sourceMysql({
    configuration: { host, port: 3306, database: "shop", username: "airbyte", replication_method: { method: "STANDARD" }, ssl_mode: { mode: "preferred" } },
    secrets: { password },
}));
const lake = new airbyte.Destination("lake", destinationS3({
    configuration: { s3_bucket_name: "lake", s3_bucket_path: "airbyte", s3_bucket_region: "eu-west-1", format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
    secrets: { access_key_id: "AKIAEXAMPLE", secret_access_key: airbyte.secretsManager({ secretId, key: "secret_access_key" }) },
}));
const warehouse = new airbyte.Destination("warehouse", destinationPostgres({
    configuration: { host, port: 5432, database: "dwh", schema: "public", username: "loader", ssl_mode: { mode: "require" } },
    secrets: { password },
}));
export const ids = [pg.sourceId, mssql.sourceId, mysql.sourceId, lake.destinationId, warehouse.destinationId];
`;

/** The same program without the helpers: `definition` and untyped configuration. */
const UNTYPED_PROGRAM = `${PROLOGUE}
const pg = new airbyte.Source("pg", {
    definition: "airbyte/source-postgres",
    configuration: { host, port: 5432, database: "app", username: "reader", schemas: ["public"], ssl_mode: { mode: "prefer" },
        replication_method: { method: "CDC", publication: "airbyte", replication_slot: "airbyte" } },
    secrets: { password },
});
const mssql = new airbyte.Source("mssql", {
    definition: "airbyte/source-mssql",
    configuration: { host, port: 1433, database: "sales", username: "airbyte", schemas: ["dbo"], replication_method: { method: "STANDARD" },
        ssl_method: { ssl_method: "encrypted_trust_server_certificate" } },
    secrets: { password },
});
const mysql = new airbyte.Source("mysql", {
    definition: "airbyte/source-mysql",
    configuration: { host, port: 3306, database: "shop", username: "airbyte", replication_method: { method: "STANDARD" }, ssl_mode: { mode: "preferred" } },
    secrets: { password },
});
const lake = new airbyte.Destination("lake", {
    definition: "airbyte/destination-s3",
    configuration: { s3_bucket_name: "lake", s3_bucket_path: "airbyte", s3_bucket_region: "eu-west-1", format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
    secrets: { access_key_id: "AKIAEXAMPLE", secret_access_key: airbyte.secretsManager({ secretId, key: "secret_access_key" }) },
});
const warehouse = new airbyte.Destination("warehouse", {
    definition: "airbyte/destination-postgres",
    configuration: { host, port: 5432, database: "dwh", schema: "public", username: "loader", ssl_mode: { mode: "require" } },
    secrets: { password },
});
export const ids = [pg.sourceId, mssql.sourceId, mysql.sourceId, lake.destinationId, warehouse.destinationId];
`;

/**
 * A user project: tsconfig, one program, node_modules links.
 * @param {string} dir @param {string} program @param {Record<string, unknown>} compilerOptions
 */
function userProject(dir, program, compilerOptions) {
    mkdirSync(join(dir, "node_modules/@pulumi"), { recursive: true });
    mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
    symlinkSync(ROOT, join(dir, "node_modules/pulumi-airbyte-dynamic"), "dir");
    symlinkSync(join(ROOT, "node_modules/@pulumi/pulumi"), join(dir, "node_modules/@pulumi/pulumi"), "dir");
    // `pulumi new typescript` installs @types/node; tsc then loads it (types are auto-included).
    symlinkSync(join(ROOT, "node_modules/@types/node"), join(dir, "node_modules/@types/node"), "dir");
    writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions, files: ["index.ts"] }, null, 2)}\n`);
    writeFileSync(join(dir, "index.ts"), program);
}

/**
 * Wall time of one `tsc --noEmit` in `dir`; fails on a compile error (the two programs must compile).
 * @param {string} dir
 */
function tscOnce(dir) {
    const start = performance.now();
    try {
        execFileSync(process.execPath, [TSC, "-p", dir, "--noEmit"], {
            cwd: dir,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (error) {
        const e = /** @type {{ stdout?: string }} */ (error);
        throw new Error(`tsc failed in ${dir}:\n${e.stdout ?? String(error)}`, { cause: error });
    }
    return performance.now() - start;
}

/**
 * What tsc loads and builds for the program in `dir` (`--extendedDiagnostics`).
 * @param {string} dir
 * @returns {ProgramSize}
 */
function programSize(dir) {
    const out = execFileSync(process.execPath, [TSC, "-p", dir, "--noEmit", "--extendedDiagnostics"], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    const figure = (/** @type {string} */ name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(out)?.[1]);
    return {
        files: figure("Files"),
        definitionLines: figure("Lines of Definitions"),
        types: figure("Types"),
        instantiations: figure("Instantiations"),
    };
}

/**
 * Typed vs untyped compile time: a warm-up of each, then `runs` alternating runs.
 * @param {number} runs @param {Record<string, unknown>} compilerOptions
 */
function compileTime(runs, compilerOptions) {
    const base = mkdtempSync(join(tmpdir(), "airbyte-tsc-"));
    try {
        const typedDir = join(base, "typed");
        const untypedDir = join(base, "untyped");
        userProject(typedDir, TYPED_PROGRAM, compilerOptions);
        userProject(untypedDir, UNTYPED_PROGRAM, compilerOptions);
        tscOnce(typedDir);
        tscOnce(untypedDir);
        /** @type {number[]} */
        const typed = [];
        /** @type {number[]} */
        const untyped = [];
        for (let i = 0; i < runs; i++) {
            // Alternating, so drift of the machine's load falls on both.
            typed.push(tscOnce(typedDir));
            untyped.push(tscOnce(untypedDir));
        }
        const typedMs = /** @type {number} */ (median(typed));
        const untypedMs = /** @type {number} */ (median(untyped));
        const ratio = typedMs / untypedMs;
        return {
            runs,
            typedMs: round(typedMs, 0),
            untypedMs: round(untypedMs, 0),
            ratio: round(ratio, 3),
            target: TARGET_RATIO,
            withinTarget: ratio <= TARGET_RATIO,
            typedRunsMs: typed.map((t) => round(t, 0)),
            untypedRunsMs: untyped.map((t) => round(t, 0)),
            modules: TYPED_MODULES,
            compilerOptions,
            typedProgram: programSize(typedDir),
            untypedProgram: programSize(untypedDir),
        };
    } finally {
        rmSync(base, { recursive: true, force: true });
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * Measures the install size and compile-time cost of the typed connector configurations.
 * @param {{ runs?: number }} [options] `runs`: timed tsc runs per program (default 5)
 * @returns {PackageCost}
 */
export function measurePackageCost({ runs = 5 } = {}) {
    if (!existsSync(join(ROOT, "dist/provider/index.d.ts")))
        throw new Error("dist/ is missing: build the package first (npm run build)");
    if (!existsSync(join(ROOT, CONNECTORS_DIR, "catalog.json")))
        throw new Error(`${CONNECTORS_DIR} is missing: npm run generate:connectors`);
    log("package cost: npm pack --dry-run, with and without provider/connectors");
    const install = installSize();
    log(`package cost: tsc --noEmit of a 5-connector program, typed and untyped (1 warm-up + ${runs} runs each)`);
    const tsc = compileTime(runs, COMPILER_OPTIONS);
    // The template checks every library's declarations, which dominates; with skipLibCheck (a
    // common setting) the connectors' share shows more.
    log("package cost: the same with skipLibCheck");
    const tscSkipLibCheck = compileTime(runs, { ...COMPILER_OPTIONS, skipLibCheck: true });
    return { install, connectors: connectorsOnDisk(), tsc, tscSkipLibCheck };
}

/** @param {PackageCost} cost */
export function renderPackageCost(cost) {
    const kb = (/** @type {number} */ b) => `${round(b / 1024, 1)} KB`;
    const { withConnectors: w, withoutConnectors: wo, connectors: c } = cost.install;
    return [
        table(
            ["package", "tarball", "unpacked", "files"],
            [
                ["with provider/connectors", kb(w.tarballBytes), kb(w.unpackedBytes), w.files],
                ["without (untyped only)", kb(wo.tarballBytes), kb(wo.unpackedBytes), wo.files],
                ["connectors add", kb(c.tarballBytes), kb(c.unpackedBytes), c.files],
            ],
        ),
        "",
        `provider/connectors: ${cost.connectors.sources} sources + ${cost.connectors.destinations} destinations, ${cost.connectors.files} files, ${kb(cost.connectors.bytes)}`,
        "",
        table(
            [`tsc --noEmit, 5 connectors (median of ${cost.tsc.runs})`, "ms", "runs (ms)", "typed/untyped"],
            [
                ["pulumi template: untyped", cost.tsc.untypedMs, cost.tsc.untypedRunsMs.join(" "), ""],
                ["pulumi template: typed", cost.tsc.typedMs, cost.tsc.typedRunsMs.join(" "), `${cost.tsc.ratio}×`],
                [
                    "+ skipLibCheck: untyped",
                    cost.tscSkipLibCheck.untypedMs,
                    cost.tscSkipLibCheck.untypedRunsMs.join(" "),
                    "",
                ],
                [
                    "+ skipLibCheck: typed",
                    cost.tscSkipLibCheck.typedMs,
                    cost.tscSkipLibCheck.typedRunsMs.join(" "),
                    `${cost.tscSkipLibCheck.ratio}×`,
                ],
            ],
        ),
        "",
        `the typed program loads ${cost.tsc.typedProgram.files - cost.tsc.untypedProgram.files} more declaration files (${cost.tsc.typedProgram.definitionLines - cost.tsc.untypedProgram.definitionLines} lines) and builds ${cost.tsc.typedProgram.types - cost.tsc.untypedProgram.types} more types`,
        `target typed/untyped ≤ ${cost.tsc.target}×: ${cost.tsc.withinTarget && cost.tscSkipLibCheck.withinTarget ? "met" : "MISSED"}`,
    ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
    const cost = measurePackageCost({ runs: Number(values.runs) });
    console.log(renderPackageCost(cost));
    if (!cost.tsc.withinTarget || !cost.tscSkipLibCheck.withinTarget) process.exitCode = 1;
}
