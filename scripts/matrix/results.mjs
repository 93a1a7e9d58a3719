#!/usr/bin/env node
// @ts-check
// Results of the supported-versions matrix (scripts/test-matrix.sh).
//
//   results.mjs record <runs/<cell>> <results.json>   judge one cell from its facts.tsv and jest
//                                                    JSON, store it in results.json; exit 1 if it failed
//   results.mjs finish <results.json> <startedAt> <seconds> "<cell ids>"   note the run
//   results.mjs render <results.json> <README.md>    rewrite the table between the markers
//   results.mjs print  <results.json>                a plain-text summary
//
// A cell passes only if every stage ran, each of its suites ran at least one test and none
// failed, and, where e2e was requested, the e2e suite exists and passed (or MATRIX_SKIP_E2E=1).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * @typedef {ReturnType<typeof blank>} SuiteCounts
 * @typedef {{ status: "not run" | "skipped" | "not present" }
 *     | ({ status: "pass" | "fail" | "no tests" } & SuiteCounts)} Suite
 * @typedef {{ name: string, status?: string, message?: string,
 *             assertionResults?: { status: string, fullName: string }[] }} JestFileResult
 * @typedef {{ success?: boolean, testResults?: JestFileResult[] }} JestReport
 *   what `jest --json` writes (the parts read here)
 * @typedef {{ pulumiEngines?: string, typescript?: string, jest?: string, "ts-jest"?: string }} CellVersions
 *   what cell-versions.mjs prints
 * @typedef {{ id: string, label: string | undefined, status: "pass" | "fail", problems: string[],
 *             node: string | null, nodeSource: string | null, npm: string | null, pulumi: string | null,
 *             pulumiRequested: string | undefined, pulumiEngines: string | null, cli: string | null,
 *             cliEngineModule: string | undefined, cliLanguageHost: string | undefined, typescript: string | null,
 *             jest: string | null, tsJest: string | null, dependencies: string | null,
 *             ebadengineWarnings: number | undefined, source: string | undefined, startedAt: string | undefined,
 *             durationSeconds: number, stageSeconds: Record<string, number>, suites: Record<string, Suite>,
 *             warnings: string[], logs: string }} Cell  one cell of results.json
 * @typedef {{ startedAt: string, durationSeconds: number, cells: string[] }} LastRun
 * @typedef {{ description: string, lastRun: LastRun | null, cells: Record<string, Cell> }} MatrixResults
 *   .matrix/results.json
 */

const CELL_ORDER = ["node20", "node22", "node24"];
const START = "<!-- tested-versions:start -->";
const END = "<!-- tested-versions:end -->";

const [command, ...args] = process.argv.slice(2);
/** A JSON file's value, or `fallback` when there is no such file. @param {string} file @param {unknown} fallback */
const readJson = (file, fallback) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : fallback);
/** @returns {MatrixResults} */
const emptyResults = () => ({
    description: "Written by scripts/test-matrix.sh; rendered into README.md.",
    lastRun: null,
    cells: {},
});

/** The facts.tsv of a cell's run: one `key<TAB>value` per line. @param {string} dir */
function readFacts(dir) {
    /** @type {Record<string, string>} */
    const facts = {};
    for (const line of readFileSync(join(dir, "facts.tsv"), "utf8").split("\n")) {
        const tab = line.indexOf("\t");
        if (tab < 0) continue;
        const key = line.slice(0, tab);
        const value = line.slice(tab + 1);
        if (key === "failed_stage" && facts[key]) continue; // the first failure is the cause
        facts[key] = value;
    }
    return facts;
}

/**
 * Which suite a test file belongs to: its folder under tests/ (tests/secrets is part of the integration
 * project, see jest.config.cjs).
 * @param {string} file
 */
function suiteOf(file) {
    const dir = /(?:^|\/)tests\/([^/]+)\//.exec(file)?.[1];
    if (!dir) return "other";
    return dir === "secrets" ? "integration" : dir;
}
/** Suites every cell must run (a cell where one ran no test fails). */
const BASE_SUITES = ["unit", "integration", "serialize", "emulator", "reliability"];
/** @type {Record<string, string>} */
const LABELS = {
    unit: "Unit",
    integration: "Integration",
    serialize: "Serialize round trip",
    emulator: "Emulator",
    reliability: "Reliability",
    e2e: "End-to-end",
};
const labelOf = (/** @type {string} */ name) => LABELS[name] ?? name.charAt(0).toUpperCase() + name.slice(1);

const blank = () => ({
    files: 0,
    total: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    suiteErrors: 0,
    /** @type {string[]} */
    failures: [],
});

/**
 * Counts per suite from jest's --json output; the serialize round trip is counted on its own too.
 * @param {string} file
 * @param {string} cellDir
 */
function countJest(file, cellDir) {
    /** @type {JestReport | null} */
    const report = readJson(file, null);
    if (!report) return null;
    /** @type {Record<string, SuiteCounts>} */
    const suites = {};
    const add = (/** @type {string} */ name, /** @type {JestFileResult} */ result) => {
        const s = (suites[name] ??= blank());
        s.files++;
        for (const a of result.assertionResults ?? []) {
            s.total++;
            if (a.status === "passed") s.passed++;
            else if (a.status === "failed") {
                s.failed++;
                if (s.failures.length < 20) s.failures.push(`${relative(cellDir, result.name)}: ${a.fullName}`);
            } else s.skipped++;
        }
        // A file that could not run (syntax, import or setup error) has no assertions.
        if (result.status === "failed" && !(result.assertionResults ?? []).some((a) => a.status === "failed")) {
            s.suiteErrors++;
            if (s.failures.length < 20)
                s.failures.push(
                    `${relative(cellDir, result.name)}: ${(result.message || "suite failed to run").split("\n").find((l) => l.trim()) ?? ""}`.slice(
                        0,
                        300,
                    ),
                );
        }
    };
    for (const result of report.testResults ?? []) {
        const rel = relative(cellDir, result.name);
        add(suiteOf(rel), result);
        if (/(^|\/)tests\/integration\/serialization\.test\.ts$/.test(rel)) add("serialize", result);
    }
    return { suites, success: report.success === true };
}

/** Distinct process warnings (e.g. ExperimentalWarning for --experimental-vm-modules) in a log. @param {string} file */
function warningsIn(file) {
    if (!existsSync(file)) return [];
    const seen = new Set();
    for (const line of readFileSync(file, "utf8").split("\n")) {
        const m = /\(node:\d+\) (\[[A-Z0-9_]+\] )?(\w*Warning: .*)$/.exec(line);
        if (m) seen.add(`${m[1] ?? ""}${m[2]}`.trim());
    }
    return [...seen];
}

/**
 * Judges one cell from its facts and jest reports, stores it in results.json, prints a line, and
 * exits: 0 when the cell passed, 1 when it failed.
 * @param {string} runDir
 * @param {string} resultsFile
 */
function record(runDir, resultsFile) {
    runDir = resolve(runDir);
    const facts = readFacts(runDir);
    const id = facts.id;
    if (id === undefined) throw new Error(`${join(runDir, "facts.tsv")} names no cell id`);
    const cellDir = join(dirname(dirname(runDir)), "cells", id);
    /** @type {string[]} */
    const problems = [];
    const times = Object.fromEntries(
        Object.entries(facts)
            .filter(([k]) => k.startsWith("time."))
            .map(([k, v]) => [k.slice(5), Number(v)]),
    );
    /** @type {CellVersions} */
    let versions = {};
    try {
        versions = facts.versions ? JSON.parse(facts.versions) : {};
    } catch {
        // Not JSON (the cell's versions step failed): its versions stay unknown.
    }

    if (facts.failed_stage) problems.push(`stage "${facts.failed_stage}" failed (see .matrix/runs/${id}/)`);
    const main = countJest(join(runDir, "jest.json"), cellDir);
    /** @type {Record<string, Suite>} */
    const suites = {};
    for (const name of BASE_SUITES) {
        const s = main?.suites[name];
        if (!main) suites[name] = { status: "not run" };
        else if (!s || s.total === 0) {
            suites[name] = { status: "no tests", ...(s ?? blank()) };
            problems.push(`${name}: no tests ran`);
        } else {
            const ok = s.failed === 0 && s.suiteErrors === 0;
            suites[name] = { status: ok ? "pass" : "fail", ...s };
            if (!ok) problems.push(`${name}: ${s.failed} failed, ${s.suiteErrors} suite(s) could not run`);
        }
    }
    // Any further suite `npm test` runs (e.g. a new tests/<folder>) is recorded and judged too.
    for (const [name, s] of Object.entries(main?.suites ?? {})) {
        if (BASE_SUITES.includes(name) || name === "e2e") continue;
        const ok = s.failed === 0 && s.suiteErrors === 0;
        suites[name] = { status: s.total === 0 ? "no tests" : ok ? "pass" : "fail", ...s };
        if (!ok) problems.push(`${name}: ${s.failed} failed, ${s.suiteErrors} suite(s) could not run`);
    }
    if (main && !main.success && problems.length === 0) problems.push("jest reported failure");
    if (main && facts["tests.exit"] !== "0" && problems.length === 0)
        problems.push(`jest exited ${facts["tests.exit"]}`);

    if (facts["e2e.requested"] === "1") {
        if (facts.e2e === "skipped") suites.e2e = { status: "skipped" };
        else if (facts.e2e === "not present") {
            suites.e2e = { status: "not present" };
            problems.push("e2e: not present (no tests/e2e/**/*.test.ts)");
        } else {
            const e2e = countJest(join(runDir, "jest-e2e.json"), cellDir);
            const s = e2e?.suites.e2e;
            if (!e2e) {
                suites.e2e = { status: "not run" };
                if (!facts.failed_stage) problems.push("e2e: did not run");
            } else if (!s || s.total === 0) {
                suites.e2e = { status: "no tests", ...(s ?? blank()) };
                problems.push("e2e: no tests ran");
            } else {
                const ok = s.failed === 0 && s.suiteErrors === 0 && facts["e2e.exit"] === "0";
                suites.e2e = { status: ok ? "pass" : "fail", ...s };
                if (!ok)
                    problems.push(
                        `e2e: ${s.failed} failed, ${s.suiteErrors} suite(s) could not run${facts["e2e.exit"] !== "0" ? `, jest exited ${facts["e2e.exit"]}` : ""}`,
                    );
            }
        }
    }
    if (facts.exit !== "0" && problems.length === 0) problems.push(`cell exited ${facts.exit}`);

    /** @type {Cell} */
    const entry = {
        id,
        label: facts.label,
        status: problems.length === 0 ? "pass" : "fail",
        problems,
        node: facts.node ?? null,
        nodeSource: facts["node.source"] ?? null,
        npm: facts.npm ?? null,
        pulumi: facts.pulumi ?? null,
        pulumiRequested: facts["pulumi.expected"],
        pulumiEngines: versions.pulumiEngines ?? null,
        cli: facts.cli ?? null,
        cliEngineModule: facts["cli.engine"] || undefined,
        cliLanguageHost: facts["cli.languageHost"] || undefined,
        typescript: versions.typescript ?? null,
        jest: versions.jest ?? null,
        tsJest: versions["ts-jest"] ?? null,
        dependencies: facts.install ?? null,
        ebadengineWarnings: facts["install.ebadengine"] !== undefined ? Number(facts["install.ebadengine"]) : undefined,
        source: facts.source,
        startedAt: facts.started_at,
        durationSeconds: Number(facts.duration ?? 0),
        stageSeconds: times,
        suites,
        warnings: [...new Set([...warningsIn(join(runDir, "jest.log")), ...warningsIn(join(runDir, "jest-e2e.log"))])],
        logs: relative(dirname(resolve(resultsFile)), runDir),
    };
    /** @type {MatrixResults} */
    const results = readJson(resultsFile, emptyResults());
    results.cells[id] = entry;
    writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
    const counts = Object.entries(suites)
        .map(([k, s]) => `${k} ${"total" in s ? `${s.passed}/${s.total}` : s.status}`)
        .join(", ");
    console.error(
        `matrix: [${entry.label}] ${entry.status.toUpperCase()} in ${fmtDuration(entry.durationSeconds)}: ${counts}${problems.length ? `\n    ${problems.join("\n    ")}` : ""}`,
    );
    process.exit(entry.status === "pass" ? 0 : 1);
}

/**
 * Notes the run in results.json.
 * @param {string} resultsFile
 * @param {string} startedAt
 * @param {string} seconds
 * @param {string} cells  the cell ids, space-separated
 */
function finish(resultsFile, startedAt, seconds, cells) {
    /** @type {MatrixResults} */
    const results = readJson(resultsFile, emptyResults());
    results.lastRun = { startedAt, durationSeconds: Number(seconds), cells: cells.split(/\s+/).filter(Boolean) };
    writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
}

/** @param {number} s */
function fmtDuration(s) {
    s = Math.round(s);
    return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** @param {Suite | undefined} s */
function cellText(s) {
    if (!s) return "—";
    switch (s.status) {
        case "pass":
            return `✅ ${s.passed}${s.skipped ? ` (+${s.skipped} skipped)` : ""}`;
        case "fail":
            return `❌ ${s.failed + s.suiteErrors} of ${s.total} failed`;
        case "skipped":
            return "skipped";
        case "not present":
            return "❌ not present";
        case "no tests":
            return "❌ no tests";
        default:
            return s.status;
    }
}

/** The cells, the usual ones first. @param {MatrixResults} results */
function ordered(results) {
    const ids = Object.keys(results.cells);
    return [...CELL_ORDER.filter((id) => ids.includes(id)), ...ids.filter((id) => !CELL_ORDER.includes(id)).sort()].map(
        // Every id is a key of results.cells.
        (id) => /** @type {Cell} */ (results.cells[id]),
    );
}

/**
 * Rewrites the tested-versions table between the markers of the README.
 * @param {string} resultsFile
 * @param {string} readme
 */
function render(resultsFile, readme) {
    /** @type {MatrixResults | null} */
    const results = readJson(resultsFile, null);
    if (!results) throw new Error(`no ${resultsFile}`);
    /** @type {{ engines?: { node?: string }, peerDependencies?: Record<string, string> }} */
    const pkg = readJson(join(dirname(readme), "package.json"), {});
    const cells = ordered(results);
    const last = results.lastRun;
    const columns = suiteColumns(cells);
    let text = existsSync(readme) ? readFileSync(readme, "utf8") : "";
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    const hasMarkers = start >= 0 && end > start;
    const lines = [
        START,
        // A heading just above the markers belongs to the README; otherwise the section brings its own.
        ...(hasMarkers && /^#{1,6} .*$/m.test(text.slice(0, start).trimEnd().split("\n").pop() ?? "")
            ? []
            : ["## Tested versions", ""]),
        `<!-- Generated by \`npm run test:matrix\` (scripts/test-matrix.sh) from .matrix/results.json. Do not edit by hand. -->`,
        `Supported: Node.js ${pkg.engines?.node ?? "?"} and \`@pulumi/pulumi\` ${pkg.peerDependencies?.["@pulumi/pulumi"] ?? "?"} (\`engines\` and \`peerDependencies\` in package.json). ` +
            `\`npm run test:matrix\` runs the suites below on each combination (end-to-end where a CLI column is filled), each in its own install, with the numbers of passing tests:`,
        "",
        `| Node.js | \`@pulumi/pulumi\` | Pulumi CLI | ${columns.map(labelOf).join(" | ")} | Result | Tested |`,
        `|---|---|---|${columns.map(() => "---|").join("")}---|---|`,
    ];
    for (const c of cells) {
        const date = (c.startedAt ?? "").slice(0, 10);
        lines.push(
            `| ${c.node ?? "?"} | ${c.pulumi ?? c.pulumiRequested ?? "?"} | ${c.cli ?? "—"} | ${columns.map((k) => cellText(c.suites[k])).join(" | ")} | ${c.status === "pass" ? "**pass**" : "**FAIL**"} (${fmtDuration(c.durationSeconds)}) | ${date} |`,
        );
    }
    lines.push("");
    const notes = [];
    const newest = cells
        .filter(/** @returns {c is Cell & { pulumi: string }} */ (c) => Boolean(c.pulumiEngines && c.pulumi))
        .sort((a, b) => cmpVersion(b.pulumi, a.pulumi))[0];
    const node20 = cells.find((c) => c.id === "node20");
    if (newest && node20?.pulumi && newest.pulumi !== node20.pulumi) {
        notes.push(
            `\`@pulumi/pulumi\` ${newest.pulumi} declares \`engines.node ${newest.pulumiEngines}\`, so on Node.js 20 the newest usable release is the ${node20.pulumi.replace(/\.\d+$/, ".x")} line (tested above).`,
        );
    }
    for (const c of cells.filter(/** @returns {c is Cell & { cli: string }} */ (c) => Boolean(c.cli))) {
        const same = c.cli.replace(/^v/, "") === c.pulumi;
        const host = c.cliLanguageHost ? /@(v[\d.]+)$/.exec(c.cliLanguageHost)?.[1] : undefined;
        notes.push(
            `End-to-end on Node.js ${c.node}: the real Pulumi CLI and engine ${c.cli} (built from Go modules by scripts/pulumi-cli.sh${same ? ", the same release as the SDK" : `; the SDK is ${c.pulumi}`}) with a local file backend` +
                (host && host !== c.cli
                    ? `; the Node.js language host is built from sdk/v3 ${host} (the Go proxy does not serve its own module), it only starts \`@pulumi/pulumi/cmd/run\` of the SDK above.`
                    : "."),
        );
    }
    notes.push(
        "Integration includes the serialize round trip (every integration test revives serialized providers that load `pulumi-airbyte-dynamic/runtime` from the built package); the column repeats tests/integration/serialization.test.ts.",
    );
    if (last) {
        const sources = [...new Set(cells.map((c) => c.source).filter(Boolean))];
        notes.push(
            `Last run: ${last.startedAt.replace("T", " ").replace(/:\d\dZ$/, " UTC")}, cells ${last.cells.join(", ")}, ${fmtDuration(last.durationSeconds)}; source ${sources.map((s) => `\`${s}\``).join(", ")}.`,
        );
    }
    lines.push(...notes.map((n) => `- ${n}`), END);
    const block = lines.join("\n");

    if (hasMarkers) text = text.slice(0, start) + block + text.slice(end + END.length);
    else text = `${text}${text && !text.endsWith("\n") ? "\n" : ""}${text ? "\n" : ""}${block}\n`;
    writeFileSync(readme, text);
}

/** The suite columns: the usual ones, then any other suite a cell recorded, e2e last. @param {Cell[]} cells */
function suiteColumns(cells) {
    /** @type {Set<string>} */
    const extra = new Set();
    for (const c of cells)
        for (const k of Object.keys(c.suites ?? {})) if (!BASE_SUITES.includes(k) && k !== "e2e") extra.add(k);
    return [...BASE_SUITES, ...[...extra].sort(), "e2e"];
}

/**
 * x.y.z order; a missing part compares as NaN (as it did when it was undefined).
 * @param {string} a @param {string} b
 */
function cmpVersion(a, b) {
    const [a0 = NaN, a1 = NaN, a2 = NaN] = a.split(".").map(Number);
    const [b0 = NaN, b1 = NaN, b2 = NaN] = b.split(".").map(Number);
    return a0 - b0 || a1 - b1 || a2 - b2;
}

/** A plain-text summary of results.json (nothing when there is none). @param {string} resultsFile */
function print(resultsFile) {
    /** @type {MatrixResults | null} */
    const results = readJson(resultsFile, null);
    if (!results) return;
    const cells = ordered(results);
    const columns = suiteColumns(cells);
    const header = ["cell", "node", "@pulumi/pulumi", "cli", ...columns, "result", "time"];
    const rows = [header];
    const short = (/** @type {Suite | undefined} */ s) =>
        !s
            ? "-"
            : "total" in s && s.status !== "no tests"
              ? `${s.status === "pass" ? "ok" : "FAIL"} ${s.passed}/${s.total}`
              : s.status;
    for (const c of cells) {
        rows.push([
            c.label ?? "?",
            c.node ?? "?",
            c.pulumi ?? "?",
            c.cli ?? "-",
            ...columns.map((k) => short(c.suites[k])),
            c.status,
            fmtDuration(c.durationSeconds),
        ]);
    }
    // Every row has the header's columns.
    const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    for (const r of rows) console.log(r.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  "));
    for (const c of ordered(results)) for (const p of c.problems) console.log(`${c.label}: ${p}`);
}

/** The command's i-th argument (from 0), which it needs. @param {number} i */
function arg(i) {
    const value = args[i];
    if (value === undefined) throw new Error(`results.mjs ${command}: argument ${i + 1} is missing`);
    return value;
}

switch (command) {
    case "record":
        record(arg(0), arg(1));
        break;
    case "finish":
        finish(arg(0), arg(1), arg(2), args[3] ?? "");
        break;
    case "render":
        render(resolve(arg(0)), resolve(arg(1)));
        break;
    case "print":
        print(arg(0));
        break;
    default:
        console.error("usage: results.mjs record|finish|render|print ...");
        process.exit(2);
}
