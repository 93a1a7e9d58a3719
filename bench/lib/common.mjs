/**
 * Small shared helpers of the benchmark: paths, timing, statistics, table printing.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = resolve(BENCH_DIR, "..");
/** Scratch space (git-ignored): projects, Pulumi homes and backends, logs. */
export const WORK_DIR = join(BENCH_DIR, ".work");
/** `require` from the repository root (CommonJS packages and the compiled dist/). */
export const requireRoot = createRequire(join(ROOT, "package.json"));

export const now = () => performance.now();

export function median(values) {
    const v = [...values].sort((a, b) => a - b);
    if (!v.length) return undefined;
    const m = Math.floor(v.length / 2);
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export const round = (x, digits = 1) =>
    x === undefined || x === null || Number.isNaN(x) ? x : Math.round(x * 10 ** digits) / 10 ** digits;

/** The bin directory of the Pulumi CLI built by the project's script (built on first use). */
let cliDir;
export function pulumiCliDir() {
    cliDir ??= execFileSync(join(ROOT, "scripts/pulumi-cli.sh"), {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    return cliDir;
}

/** Renders rows (arrays of cells) as an aligned text table with a header row. */
export function table(header, rows) {
    const cells = [header, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? "–" : String(c))));
    const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
    const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function log(message) {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Sorted copy of an object's entries whose values are numbers > 0. */
export function nonZero(counts) {
    return Object.fromEntries(
        Object.entries(counts ?? {})
            .filter(([, v]) => v > 0)
            .sort(([a], [b]) => a.localeCompare(b)),
    );
}

export const sum = (values) => values.reduce((a, b) => a + b, 0);
