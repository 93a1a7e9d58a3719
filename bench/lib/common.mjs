// @ts-check
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

/** The median of `values`; undefined when there are none. @param {readonly number[]} values */
export function median(values) {
    const v = [...values].sort((a, b) => a - b);
    if (!v.length) return undefined;
    const m = Math.floor(v.length / 2);
    // m < v.length, and v is not empty: v[m] exists.
    const upper = /** @type {number} */ (v[m]);
    if (v.length % 2) return upper;
    // An even length is 2 or more, so m ≥ 1: v[m - 1] exists too.
    const lower = /** @type {number} */ (v[m - 1]);
    return (lower + upper) / 2;
}

/**
 * `x` rounded to `digits` decimals; undefined, null and NaN pass through.
 * @overload
 * @param {number} x
 * @param {number} [digits]
 * @returns {number}
 */
/**
 * @overload
 * @param {number | null | undefined} x
 * @param {number} [digits]
 * @returns {number | null | undefined}
 */
/** @param {number | null | undefined} x @param {number} [digits] */
export function round(x, digits = 1) {
    return x === undefined || x === null || Number.isNaN(x) ? x : Math.round(x * 10 ** digits) / 10 ** digits;
}

/**
 * The bin directory of the Pulumi CLI built by the project's script (built on first use).
 * @type {string | undefined}
 */
let cliDir;
export function pulumiCliDir() {
    cliDir ??= execFileSync(join(ROOT, "scripts/pulumi-cli.sh"), {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    return cliDir;
}

/**
 * Renders rows (arrays of cells) as an aligned text table with a header row; an absent cell shows as "–".
 * @param {readonly string[]} header
 * @param {readonly (readonly (string | number | boolean | null | undefined)[])[]} rows
 */
export function table(header, rows) {
    const text = (/** @type {readonly (string | number | boolean | null | undefined)[]} */ r) =>
        r.map((c) => (c === undefined || c === null ? "–" : String(c)));
    const head = text(header);
    const body = rows.map(text);
    const cells = [head, ...body];
    const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
    // A cell beyond the header's columns has no width: padding to 0 leaves it as it is.
    const line = (/** @type {string[]} */ r) =>
        r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
    return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/** @param {string} message */
export function log(message) {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * `record[key]`, for a key that was filled in (each N of a run, each type and operation measured):
 * a missing one is a bug, or a results.json written by another version of the bench.
 * @template {PropertyKey} K
 * @template T
 * @param {Readonly<Partial<Record<K, T>>>} record
 * @param {K} key
 * @returns {T}
 */
export function at(record, key) {
    const value = record[key];
    if (value === undefined) throw new Error(`bench: nothing recorded for ${String(key)}`);
    return value;
}

/**
 * Sorted copy of an object's entries whose values are numbers > 0.
 * @param {Readonly<Record<string, number>> | null | undefined} counts
 * @returns {Record<string, number>}
 */
export function nonZero(counts) {
    return Object.fromEntries(
        Object.entries(counts ?? {})
            .filter(([, v]) => v > 0)
            .sort(([a], [b]) => a.localeCompare(b)),
    );
}

export const sum = (/** @type {readonly number[]} */ values) => values.reduce((a, b) => a + b, 0);
