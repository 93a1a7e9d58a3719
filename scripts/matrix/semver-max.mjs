#!/usr/bin/env node
// @ts-check
// Prints the highest plain x.y.z version read from stdin: npm's `view --json` output (a string
// or an array) or, with --lines, one version per line. --max X drops versions above X.
// Used by scripts/test-matrix.sh.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const input = readFileSync(0, "utf8").trim();
/** @type {unknown[]} */
let versions = [];
if (args.includes("--lines")) versions = input.split(/\s+/);
else if (input) {
    const parsed = JSON.parse(input);
    versions = Array.isArray(parsed) ? parsed : [parsed];
}
/** @typedef {[number, number, number]} Version */
/** [x, y, z] of a plain x.y.z version, else []. @param {unknown} v */
const parse = (v) => (/^v?(\d+)\.(\d+)\.(\d+)$/.exec(String(v).trim()) ?? []).slice(1).map(Number);
/** @param {number[]} p @returns {p is Version} */
const isVersion = (p) => p.length === 3;
/** @param {Version} a @param {Version} b */
const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const maxIndex = args.indexOf("--max");
const max = maxIndex >= 0 ? parse(args[maxIndex + 1]) : undefined;
// A --max that is not x.y.z admits no version (every comparison with it was NaN): nothing to print.
if (max && !isVersion(max)) process.exit(1);
const best = versions
    .map(parse)
    .filter(isVersion)
    .filter((p) => !max || cmp(p, max) <= 0)
    .sort(cmp)
    .pop();
if (!best) process.exit(1);
console.log(best.join("."));
