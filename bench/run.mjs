#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`: what users pay, next to the least that could be paid.
 *
 *   node bench/run.mjs [--n 10,50,200] [--parallel P] [--reps K] [--skip-readme] [--skip-jobs]
 *                      [--only package-cost|jobs]
 *
 * Defaults: N = 10, 50, 200; P = 4 × cores (Pulumi 3.248's own default); K = 3 for N ≤ 10, else 1.
 * Takes about 11 minutes on 2 cores (N = 200 is most of it), plus about 20 for the runs at real
 * job latencies (bench/jobs.mjs; --skip-jobs keeps the last ones).
 *
 * 1. calls per operation and resource type, cold and warm caches (in-process, bench/calls.mjs);
 * 2. state size: `__provider` and state bytes per resource, and a 200-stream connection
 *    (`pulumi stack export` of a real stack);
 * 3. wall time of `pulumi up`, a no-op `preview`, `refresh` and `destroy` for N triples against
 *    the emulator with 20 ms latency per request, next to a raw `got` baseline (bench/raw.mjs)
 *    and an engine floor (the same stack with a provider that only sleeps; programs/floor.js);
 * 4. peak memory of the dynamic-provider process (VmHWM) at the largest N;
 * 5. the same commands at real connector-job latencies, with the jobs launched and the time in
 *    serial `check` (bench/jobs.mjs);
 * 6. what the typed connector modules cost: install size, tsc time (bench/package-cost.mjs).
 *
 * Prints tables, writes bench/results.json, and renders the README section between
 * `<!-- bench:start -->` and `<!-- bench:end -->` (bench/render-readme.mjs).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureCalls } from "./calls.mjs";
import { at, BENCH_DIR, log, median, pulumiCliDir, requireRoot, round, ROOT, sum, table } from "./lib/common.mjs";
import { pulumiVersion } from "./lib/pulumi.mjs";
import { startCountingProxy, startEmulatorProcess, startMoto } from "../scripts/lib/services.mjs";
import { rawBaseline } from "./raw.mjs";
import { explain } from "./explain.mjs";
import { measurePackageCost, renderPackageCost } from "./package-cost.mjs";
import { measureJobs, renderJobs } from "./jobs.mjs";
import { renderReadme } from "./render-readme.mjs";
import { calibrateFloorPadding, runFloorStack, runOursStack, runStateStack } from "./stacks.mjs";

/**
 * @import { CommandName } from "./stacks.mjs"
 * @import { OperationCalls } from "./calls.mjs"
 */
/**
 * @typedef {Awaited<ReturnType<typeof rawBaseline>> & { secretsManager: Record<string, number> }} RawRun
 * @typedef {Awaited<ReturnType<typeof runOursStack>>} OursRun
 * @typedef {Awaited<ReturnType<typeof runFloorStack>>} FloorRun
 * @typedef {typeof walltime} Walltime  per N, the median runs of the raw baseline, ours and the floor
 * @typedef {ReturnType<typeof verdicts>} Verdicts  per type and operation, whether its calls are at the minimum
 * @typedef {typeof results} Results  what bench/results.json holds
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const { values: flags } = parseArgs({
    options: {
        n: { type: "string" },
        parallel: { type: "string" },
        reps: { type: "string" },
        "skip-readme": { type: "boolean" },
        "skip-jobs": { type: "boolean" },
        only: { type: "string" },
    },
});

const NS = (flags.n ?? "10,50,200").split(",").map(Number);
// split gives at least one element, so there is a largest N.
const largest = /** @type {number} */ (NS[NS.length - 1]);
const CORES = cpus().length;
/** Pulumi 3.248's default --parallel is 4 × GOMAXPROCS (pkg/cmd/pulumi/operations/up.go, defaultParallel). */
const PARALLEL = Number(flags.parallel ?? 4 * CORES);

// `--only package-cost`: re-measure what the typed connectors cost (install size, tsc time) into
// the last results.json and README, without the 8-minute stack runs.
// `--only jobs`: the same for the runs at real job latencies (bench/jobs.mjs, about 15 minutes).
if (flags.only === "package-cost" || flags.only === "jobs") {
    /** @type {Results} */
    const previous = JSON.parse(readFileSync(join(BENCH_DIR, "results.json"), "utf8"));
    if (flags.only === "package-cost") {
        previous.packageCost = measurePackageCost();
        console.log(renderPackageCost(previous.packageCost));
    } else {
        previous.jobs = await measureJobs({ parallel: PARALLEL });
        console.log(renderJobs(previous.jobs));
    }
    writeFileSync(join(BENCH_DIR, "results.json"), `${JSON.stringify(previous, null, 2)}\n`);
    if (!flags["skip-readme"]) renderReadme(join(ROOT, "README.md"), previous);
    process.exit(0);
} else if (flags.only !== undefined) {
    throw new Error(`--only accepts "package-cost" or "jobs"; got "${flags.only}"`);
}
const LATENCY_MS = 20;
const EXTRA_PROPS = 10;
const TARGETS = {
    noopPreviewAirbyteCalls: 0,
    describeSecretPerDistinctSecret: 1,
    providerBytesMax: 2048,
    ratioMaxAtLargestN: 1.5,
};

const started = Date.now();
const loadAtStart = round(loadavg()[0], 2);
log(`N = ${NS.join(", ")}; --parallel ${PARALLEL} (4 × ${CORES} cores); emulator latency ${LATENCY_MS} ms`);
const cliBin = pulumiCliDir();
/** The version a package.json states. @param {string} manifest @returns {string} */
const versionIn = (manifest) => requireRoot(manifest).version;
const versions = {
    node: process.version,
    pulumiCli: await pulumiVersion(),
    pulumiSdk: versionIn("@pulumi/pulumi/package.json"),
    package: versionIn("./package.json"),
};

// 1. Calls per operation (in-process, cold/warm caches).
const moto = await startMoto();
const calls = await measureCalls({ moto });
const callsPublicApi = await measureCalls({ moto, api: "public" });

// 2-4. CLI runs against one emulator process with 20 ms latency, moto behind a counting proxy.
const emulator = await startEmulatorProcess({ latencyMs: LATENCY_MS, auth: "simple" });
const proxy = await startCountingProxy(moto.endpoint);
/** @type {typeof import("@aws-sdk/client-secrets-manager")} */
const sm = requireRoot("@aws-sdk/client-secrets-manager");
const smClient = new sm.SecretsManagerClient({
    region: "us-east-1",
    endpoint: proxy.url,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
});
const secretArn = (
    await smClient.send(
        new sm.CreateSecretCommand({
            Name: "bench/mssql",
            SecretString: JSON.stringify({ username: "airbyte_reader", password: "Bench-Mssql-Passw0rd" }),
        }),
    )
).ARN;
if (secretArn === undefined) throw new Error("CreateSecret answered without an ARN");
/** The password the raw baseline reads from Secrets Manager. @returns {Promise<string>} */
const readPassword = async () => {
    const { SecretString } = await smClient.send(new sm.GetSecretValueCommand({ SecretId: secretArn }));
    if (SecretString === undefined) throw new Error(`${secretArn} has no SecretString`);
    return JSON.parse(SecretString).password;
};

/** Repetitions per N: small stacks are dominated by start-up noise, so they run three times (median). */
const repsFor = (/** @type {number} */ n) => Number(flags.reps ?? (n <= 10 ? 3 : 1));
/**
 * The run whose figures are kept, with each command's wall time replaced by the median over the repetitions.
 * @template {{ commands: Record<string, { ms: number, msRuns?: number[] }> }} R
 * @param {readonly R[]} runs
 * @returns {R}
 */
function medianRun(runs) {
    const [first] = runs;
    if (!first) throw new Error("no run to take the median of (--reps must be 1 or more)");
    const kept = structuredClone(first);
    for (const [c, command] of Object.entries(kept.commands)) {
        const all = runs.map((r) => at(r.commands, c).ms);
        // runs is not empty, so neither is all: it has a median.
        command.ms = /** @type {number} */ (median(all));
        if (runs.length > 1) command.msRuns = all;
    }
    return kept;
}

let state;
/** @type {Awaited<ReturnType<typeof calibrateFloorPadding>> | undefined} */
let padding;
/** @type {Record<number, { raw: RawRun, ours: OursRun, floor: FloorRun }>} */
const walltime = {};
/**
 * The runs at the largest N without intermediate checkpoints.
 * @type {{ n: number, ours: OursRun, floor: FloorRun,
 *          floorExtraProps: Awaited<ReturnType<typeof runFloorStack<"up" | "preview" | "destroy">>> }}
 */
let withoutCheckpoints;
const rawArgs = {
    url: emulator.url,
    clientId: "airbyte-emulator-client",
    clientSecret: "airbyte-emulator-secret",
    workspaceId: emulator.defaultWorkspaceId,
    parallel: PARALLEL,
    readPassword,
};
try {
    state = await runStateStack({ emulator, proxy, secretArn, parallel: PARALLEL });
    // Warm-up of the raw client (module load, JIT, connection pool), not recorded.
    await emulator.reset();
    await rawBaseline({ ...rawArgs, n: 10 });
    for (const n of NS) {
        const reps = repsFor(n);
        const raws = [];
        const ourRuns = [];
        const floorRuns = [];
        for (let rep = 0; rep < reps; rep++) {
            await emulator.reset();
            proxy.reset();
            const raw = { ...(await rawBaseline({ ...rawArgs, n })), secretsManager: proxy.counts() };
            raws.push(raw);
            log(
                `raw N=${n}: up ${Math.round(raw.commands.up.ms)} ms, refresh ${Math.round(raw.commands.refresh.ms)} ms, destroy ${Math.round(raw.commands.destroy.ms)} ms; mean call ${raw.meanCallMs.toFixed(1)} ms`,
            );
            const ours = await runOursStack({ n, emulator, proxy, secretArn, parallel: PARALLEL });
            ourRuns.push(ours);
            // Calibrated once, on the first run of ours (this one, while there is no padding yet).
            padding ??= await calibrateFloorPadding({
                emulator,
                parallel: PARALLEL,
                oursPerResource: ours.state.perResource,
            });
            floorRuns.push(
                await runFloorStack({ n, emulator, callMs: raw.meanCallMs, parallel: PARALLEL, pad: padding.pad }),
            );
        }
        walltime[n] = { raw: medianRun(raws), ours: medianRun(ourRuns), floor: medianRun(floorRuns) };
    }
    // Where the engine's time goes at the largest N: the same runs without intermediate checkpoints.
    const n = largest;
    const skip = { PULUMI_SKIP_CHECKPOINTS: "true" };
    if (!padding) throw new Error("no floor padding: no N was run");
    const { pad } = padding;
    withoutCheckpoints = {
        n,
        ours: await runOursStack({
            n,
            emulator,
            proxy,
            secretArn,
            parallel: PARALLEL,
            env: skip,
            label: "ours, PULUMI_SKIP_CHECKPOINTS",
        }),
        floor: await runFloorStack({
            n,
            emulator,
            callMs: at(walltime, n).raw.meanCallMs,
            parallel: PARALLEL,
            pad,
            env: skip,
            label: "floor, PULUMI_SKIP_CHECKPOINTS",
        }),
        // What each property a resource registers costs the program: the floor with 10 more (unset) properties.
        floorExtraProps: await runFloorStack({
            n,
            emulator,
            callMs: at(walltime, n).raw.meanCallMs,
            parallel: PARALLEL,
            pad,
            env: skip,
            extraProps: EXTRA_PROPS,
            commands: ["up", "preview", "destroy"],
            label: `floor + ${EXTRA_PROPS} properties, PULUMI_SKIP_CHECKPOINTS`,
        }),
    };
} finally {
    smClient.destroy();
    await proxy.stop();
    await moto.stop();
    await emulator.stop();
}

// ---------------------------------------------------------------------------------------------
// Analysis

const COMMAND_NAMES = /** @type {const} */ (["up", "preview", "refresh", "destroy"]);
/**
 * One entry per command, made in the order of COMMAND_NAMES.
 * @template T
 * @param {(c: CommandName) => T} f
 * @returns {Record<CommandName, T>}
 */
const byCommand = (f) => ({ up: f("up"), preview: f("preview"), refresh: f("refresh"), destroy: f("destroy") });
/**
 * Each element with the one after it.
 * @template T
 * @param {readonly T[]} list
 * @returns {[T, T][]}
 */
const consecutive = (list) =>
    // `next` is list[i + 1], so list[i] exists.
    list.slice(1).map((next, i) => [/** @type {T} */ (list[i]), next]);
/** @type {Record<number, Record<CommandName, ReturnType<typeof analyse>>>} */
const analysis = {};
/**
 * One command at N: ours, the floor and raw, and where the difference goes.
 * @param {number} n
 * @param {CommandName} c
 */
function analyse(n, c) {
    const { raw, floor, ours } = at(walltime, n);
    const r = raw.commands[c].ms;
    const f = floor.commands[c].ms;
    const o = ours.commands[c].ms;
    const resources = 3 * n;
    return {
        oursMs: o,
        floorMs: f,
        rawMs: round(r, 1),
        ratio: r >= 1 ? round(o / r, 2) : null,
        floorRatio: r >= 1 ? round(f / r, 2) : null,
        overheadPerResourceMs: round((o - r) / resources, 1),
        engineOverheadMs: Math.round(f - r),
        engineOverheadPerResourceMs: round((f - r) / resources, 1),
        providerOverheadMs: Math.round(o - f),
        providerOverheadPerResourceMs: round((o - f) / resources, 1),
        airbyteCalls: { ours: ours.commands[c].airbyteCalls, raw: raw.commands[c].calls },
        dynamicProviderCpuMs: {
            ours: ours.commands[c].processes.dynamicProvider?.cpuMs ?? null,
            floor: floor.commands[c].processes.dynamicProvider?.cpuMs ?? null,
        },
        programCpuMs: {
            ours: ours.commands[c].processes.program?.cpuMs ?? null,
            floor: floor.commands[c].processes.program?.cpuMs ?? null,
        },
        engineCpuMs: {
            ours: ours.commands[c].processes.engine?.cpuMs ?? null,
            floor: floor.commands[c].processes.engine?.cpuMs ?? null,
        },
    };
}
for (const n of NS) analysis[n] = byCommand((c) => analyse(n, c));
// Growth with N: marginal cost per added triple between consecutive N, and the exponent k in t ∝ N^k.
const growth = byCommand((c) => {
    const ofSeries = (/** @type {"ours" | "floor" | "raw"} */ series) => {
        const points = NS.map((n) => ({ n, ms: at(walltime, n)[series].commands[c].ms }));
        const marginal = consecutive(points).map(([previous, point]) => ({
            from: previous.n,
            to: point.n,
            msPerTriple: round((point.ms - previous.ms) / (point.n - previous.n), 1),
        }));
        const first = points[0];
        const last = points[points.length - 1];
        const exponent =
            points.length > 1 && first && last && first.ms > 1 && last.ms > 1
                ? round(Math.log(last.ms / first.ms) / Math.log(last.n / first.n), 2)
                : null;
        return { marginal, exponent };
    };
    const ours = ofSeries("ours");
    const floor = ofSeries("floor");
    const raw = ofSeries("raw");
    const overhead = NS.map((n) => at(analysis, n)[c].overheadPerResourceMs);
    return { ours, floor, raw, overheadPerResourceMs: Object.fromEntries(NS.map((n, i) => [n, overhead[i]])) };
});

// Where the time goes at the largest N: the trivial provider (engine floor) and ours, each with
// and without intermediate checkpoints (PULUMI_SKIP_CHECKPOINTS=true).
const decomposition = byCommand((c) => {
    const raw = at(walltime, largest).raw.commands[c].ms;
    const floor = at(walltime, largest).floor.commands[c].ms;
    const ours = at(walltime, largest).ours.commands[c].ms;
    const floorSkip = withoutCheckpoints.floor.commands[c].ms;
    const oursSkip = withoutCheckpoints.ours.commands[c].ms;
    const ratio = (/** @type {number} */ x) => (raw >= 1 ? round(x / raw, 2) : null);
    return {
        rawMs: Math.round(raw),
        floorMs: Math.round(floor),
        oursMs: Math.round(ours),
        floorWithoutCheckpointsMs: Math.round(floorSkip),
        oursWithoutCheckpointsMs: Math.round(oursSkip),
        engineMs: Math.round(floor - raw),
        engineCheckpointsMs: Math.round(floor - floorSkip),
        engineWithoutCheckpointsMs: Math.round(floorSkip - raw),
        oursOverFloorMs: Math.round(ours - floor),
        oursOverFloorWithoutCheckpointsMs: Math.round(oursSkip - floorSkip),
        ratio: ratio(ours),
        floorRatio: ratio(floor),
        ratioWithoutCheckpoints: ratio(oursSkip),
        floorRatioWithoutCheckpoints: ratio(floorSkip),
    };
});
// The connection phase of `up` at the largest N: calls made from Check, which the engine runs one resource at a time.
const upTimeline = at(walltime, largest).ours.commands.up.timeline;
const checkEndpoints = [
    "sources/get",
    "destinations/get",
    "sources/discover_schema",
    "sources/most_recent_source_actor_catalog",
];
const serializedCheck = {
    endpoints: Object.fromEntries(
        checkEndpoints.flatMap((e) => {
            const calls = upTimeline?.byEndpoint[e];
            return calls ? [/** @type {const} */ ([e, calls])] : [];
        }),
    ),
    sumMs: sum(checkEndpoints.map((e) => upTimeline?.byEndpoint[e]?.sumMs ?? 0)),
    maxInFlight: Math.max(...checkEndpoints.map((e) => upTimeline?.byEndpoint[e]?.maxInFlight ?? 0)),
};

/**
 * Properties each class registers, counted by running one triple of each program
 * (bench/lib/registered-properties.cjs).
 */
function registeredProperties() {
    /**
     * What bench/lib/registered-properties.cjs prints for a program: per resource type, its keys.
     * @param {string} program
     * @returns {Record<string, { registered: number, unsetAtRegistration: number, unsetKeys: string[] }>}
     */
    const count = (program) => {
        const out = execFileSync(
            process.execPath,
            [join(BENCH_DIR, "lib", "registered-properties.cjs"), join(BENCH_DIR, "programs", program)],
            { cwd: ROOT, encoding: "utf8" },
        );
        return JSON.parse(out);
    };
    const ours = count("triples.js");
    const floor = count("floor.js");
    return {
        ours: Object.fromEntries(Object.entries(ours).map(([t, c]) => [t, c.registered])),
        oursOutputsOnly: Object.fromEntries(Object.entries(ours).map(([t, c]) => [t, c.unsetAtRegistration])),
        oursOutputKeys: [...new Set(Object.values(ours).flatMap((c) => c.unsetKeys))],
        floor: Object.fromEntries(Object.entries(floor).map(([t, c]) => [t, c.registered])),
        note: "keys each resource class passes to pulumi.dynamic.Resource, __provider aside, for one triple of bench/programs/triples.js (ours) and floor.js (the trivial provider, with its pad); oursOutputsOnly counts those registered unset so that Pulumi exposes them as outputs (workspaceId, definitionId, ...): unset optional inputs are not registered",
    };
}

// Program CPU per registered property (no-op preview at the largest N, without checkpoints).
const extraPreview = withoutCheckpoints.floorExtraProps.commands.preview;
const basePreview = withoutCheckpoints.floor.commands.preview;
const propertyCost = {
    extraProperties: EXTRA_PROPS,
    resources: 3 * largest,
    previewMs: { floor: basePreview.ms, floorWithExtraProperties: extraPreview.ms },
    programCpuMs: {
        floor: basePreview.processes.program?.cpuMs ?? null,
        floorWithExtraProperties: extraPreview.processes.program?.cpuMs ?? null,
    },
    programCpuMsPerPropertyPerResource:
        extraPreview.processes.program && basePreview.processes.program
            ? round(
                  (extraPreview.processes.program.cpuMs - basePreview.processes.program.cpuMs) /
                      (EXTRA_PROPS * 3 * largest),
                  2,
              )
            : null,
    registeredProperties: registeredProperties(),
};

/**
 * @type {Record<number, Record<CommandName, { dynamicProviderPeakRssMb: number | null,
 *     floorDynamicProviderPeakRssMb: number | null, enginePeakRssMb: number | null,
 *     programPeakRssMb: number | null }>>}
 */
const memory = {};
for (const n of NS) {
    const { ours, floor } = at(walltime, n);
    memory[n] = byCommand((c) => ({
        dynamicProviderPeakRssMb: ours.commands[c].processes.dynamicProvider?.peakRssMb ?? null,
        floorDynamicProviderPeakRssMb: floor.commands[c].processes.dynamicProvider?.peakRssMb ?? null,
        enginePeakRssMb: ours.commands[c].processes.engine?.peakRssMb ?? null,
        programPeakRssMb: ours.commands[c].processes.program?.peakRssMb ?? null,
    }));
}

// Targets.
const perOp = calls.perOperation;
/**
 * Per type and operation: warm calls at the minimum, lookups at most once per process.
 * @param {Readonly<Record<string, Readonly<Record<string, OperationCalls>>>>} perOperation
 */
function verdicts(perOperation) {
    /**
     * @type {Record<string, Record<string, { met: boolean, cold: number, warm: number, minimum: number,
     *     extraCold: Record<string, number>, extraWarm: Record<string, number>,
     *     coldLookups: Record<string, number> }>>}
     */
    const byType = {};
    for (const [type, ops] of Object.entries(perOperation)) {
        /** @type {(typeof byType)[string]} */
        const byOp = {};
        byType[type] = byOp;
        for (const [op, m] of Object.entries(ops)) {
            const warmAtMinimum = m.warm.total === m.warm.minimum && !Object.keys(m.warm.extra).length;
            const lookupsOnce = Object.values(m.cold.lookups).every((v) => v <= 1) && m.warm.lookupCalls === 0;
            byOp[op] = {
                met: warmAtMinimum && lookupsOnce,
                cold: m.cold.total,
                warm: m.warm.total,
                minimum: m.warm.minimum,
                extraCold: m.cold.extra,
                extraWarm: m.warm.extra,
                coldLookups: m.cold.lookups,
            };
        }
    }
    return byType;
}
const minimumVerdicts = verdicts(perOp);
const minimumVerdictsPublicApi = verdicts(callsPublicApi.perOperation);
const allMet = (/** @type {Verdicts} */ v) => Object.values(v).every((o) => Object.values(o).every((x) => x.met));
const noopCalls = [
    ...NS.map((n) => at(walltime, n).ours.commands.preview.airbyteCalls),
    state.noopPreview.airbyteCalls,
    ...[perOp, callsPublicApi.perOperation].flatMap((p) =>
        Object.values(p).flatMap((o) => [o.noop.cold.total, o.noop.warm.total]),
    ),
];
const describeCounts = [
    ...NS.flatMap((n) => COMMAND_NAMES.map((c) => at(walltime, n).ours.commands[c].secretsManager.DescribeSecret ?? 0)),
    state.noopPreview.secretsManager.DescribeSecret ?? 0,
];
const exportedProviderBytes = Math.max(
    ...state.resources.map((r) => Math.max(r.providerInputsBytes, r.providerOutputsBytes)),
);
const providerMax = Math.max(
    ...Object.values(calls.providerBytes),
    ...Object.values(callsPublicApi.providerBytes),
    exportedProviderBytes,
);
const ratioAtLargest = Object.fromEntries(
    /** @type {const} */ (["up", "refresh", "destroy"]).map((c) => [c, at(analysis, largest)[c].ratio]),
);
const targets = {
    noopPreviewZeroAirbyteCalls: {
        target: TARGETS.noopPreviewAirbyteCalls,
        measured: Math.max(...noopCalls),
        met: Math.max(...noopCalls) <= TARGETS.noopPreviewAirbyteCalls,
    },
    describeSecretAtMostOncePerDistinctSecret: {
        target: "≤ 1 DescribeSecret per distinct secret per command",
        distinctSecrets: 1,
        sourcesSharingIt: largest,
        measured: Math.max(...describeCounts),
        met: Math.max(...describeCounts) <= TARGETS.describeSecretPerDistinctSecret,
    },
    minimumCallsPerOperation: {
        met: allMet(minimumVerdicts) && allMet(minimumVerdictsPublicApi),
        rule: "warm calls = minimum; lookups at most once per process (cold), none warm",
        perOperation: minimumVerdicts,
        perOperationPublicApi: minimumVerdictsPublicApi,
    },
    providerAtMost2KB: {
        target: TARGETS.providerBytesMax,
        measured: providerMax,
        met: providerMax <= TARGETS.providerBytesMax,
    },
    ratioAtMost1_5AtLargestN: {
        target: TARGETS.ratioMaxAtLargestN,
        n: largest,
        measured: ratioAtLargest,
        floorRatio: Object.fromEntries(
            /** @type {const} */ (["up", "refresh", "destroy"]).map((c) => [c, at(analysis, largest)[c].floorRatio]),
        ),
        withoutCheckpoints: Object.fromEntries(
            /** @type {const} */ (["up", "refresh", "destroy"]).map((c) => [
                c,
                decomposition[c].ratioWithoutCheckpoints,
            ]),
        ),
        met: Object.values(ratioAtLargest).every((r) => r !== null && r <= TARGETS.ratioMaxAtLargestN),
        preview: "no ratio: the raw baseline makes no call for a no-op preview (0 ms); compare with the engine floor",
    },
};
/** @type {string[]} */
const notes = explain({
    targets,
    decomposition,
    serializedCheck,
    analysis,
    largest,
    walltime,
    propertyCost,
    calls,
    parallel: PARALLEL,
});

// 5. Real job latencies: the realistic profile beside the 20 ms one (bench/jobs.mjs).
// --skip-jobs keeps the last results.json's figures (they take about 15 minutes).
/** @type {import("./jobs.mjs").JobsResult} */
const jobs = flags["skip-jobs"]
    ? JSON.parse(readFileSync(join(BENCH_DIR, "results.json"), "utf8")).jobs
    : await measureJobs({ parallel: PARALLEL });
if (!flags["skip-jobs"]) console.log(renderJobs(jobs));

// 6. What the typed connector configurations cost users: install size and tsc time.
log("package cost (install size, tsc time of 5 typed connectors vs untyped)");
const packageCost = measurePackageCost();
console.log(renderPackageCost(packageCost));

const results = {
    packageCost,
    jobs,
    generatedAt: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
        cores: CORES,
        cpuModel: cpus()[0]?.model,
        memoryGb: round(totalmem() / 2 ** 30, 1),
        platform: `${process.platform} ${process.arch}`,
        loadAverage: { start: loadAtStart, end: round(loadavg()[0], 2) },
    },
    versions,
    settings: {
        nValues: NS,
        repetitions: Object.fromEntries(NS.map((n) => [n, repsFor(n)])),
        parallel: PARALLEL,
        parallelIsCliDefault: flags.parallel === undefined,
        parallelNote: `pulumi --parallel ${PARALLEL} on every command${flags.parallel === undefined ? ` = the CLI's default (4 × GOMAXPROCS = 4 × ${CORES}, pkg/cmd/pulumi/operations/up.go defaultParallel)` : " (set with --parallel)"}; the raw baseline runs the same number of operations at once`,
        emulatorLatencyMs: LATENCY_MS,
        emulatorAuth: "simple",
        backend: "file:// (DIY) backend, passphrase secrets provider",
        commands: {
            up: "pulumi up --yes --skip-preview",
            preview: "pulumi preview --expect-no-changes",
            refresh: "pulumi refresh --yes --skip-preview",
            destroy: "pulumi destroy --yes --skip-preview",
        },
        program:
            "bench/programs/triples.js: N × (MSSQL source whose password is a Secrets Manager reference (one secret for all), S3 destination, 2-stream cron connection); plain CommonJS (no TypeScript compile)",
        raw: "bench/raw.mjs: got, hard-coded workspace and definition ids, one token and one GetSecretValue per command, the engine's order and parallelism",
        floor: "bench/programs/floor.js: the same inputs, padded to the same state bytes per resource, with a trivial dynamic provider that sleeps the raw mean call latency once per minimal call",
        floorPadding: padding,
        cliBin,
    },
    targets,
    analysisNotes: notes,
    calls,
    callsPublicApi,
    state: {
        providerBytesSerialized: calls.providerBytes,
        providerBytesInState: exportedProviderBytes,
        perResourceAtN: Object.fromEntries(NS.map((n) => [n, at(walltime, n).ours.state])),
        floorPerResourceAtN: Object.fromEntries(NS.map((n) => [n, at(walltime, n).floor.state])),
        stateStack: state,
    },
    walltime: {
        perN: analysis,
        growth,
        decompositionAtLargestN: decomposition,
        serializedCheckAtLargestN: serializedCheck,
        programCostPerProperty: propertyCost,
        withoutCheckpoints: {
            n: withoutCheckpoints.n,
            ours: withoutCheckpoints.ours.commands,
            floor: withoutCheckpoints.floor.commands,
            floorWithExtraProperties: withoutCheckpoints.floorExtraProps.commands,
        },
        raw: Object.fromEntries(NS.map((n) => [n, at(walltime, n).raw])),
        floor: Object.fromEntries(NS.map((n) => [n, at(walltime, n).floor.commands])),
        ours: Object.fromEntries(NS.map((n) => [n, at(walltime, n).ours.commands])),
    },
    memory: { largestN: largest, perN: memory },
};
writeFileSync(join(BENCH_DIR, "results.json"), `${JSON.stringify(results, null, 2)}\n`);

// ---------------------------------------------------------------------------------------------
// Tables

const fmtCounts = (/** @type {Readonly<Record<string, number>>} */ o) =>
    Object.entries(o)
        .map(([k, v]) => `${k}×${v}`)
        .join(" ") || "–";
for (const [label, perOperation, verdict] of /** @type {const} */ ([
    ["Config API", perOp, minimumVerdicts],
    ["public API", callsPublicApi.perOperation, minimumVerdictsPublicApi],
])) {
    console.log(
        `\n== HTTP calls per operation through the ${label} (cold = first in a fresh provider process, warm = second of its type) ==`,
    );
    const callRows = [];
    for (const [type, ops] of Object.entries(perOperation)) {
        for (const [op, m] of Object.entries(ops)) {
            callRows.push([
                `${type} ${op}`,
                m.cold.total,
                m.cold.lookupCalls,
                m.warm.total,
                m.warm.minimum,
                at(at(verdict, type), op).met ? "yes" : "NO",
                fmtCounts({ ...m.warm.extra }),
                fmtCounts(m.cold.secretsManager),
            ]);
        }
    }
    console.log(
        table(
            [
                "operation",
                "cold",
                "of which lookups",
                "warm",
                "minimum",
                "at minimum",
                "extra calls (warm)",
                "Secrets Manager (cold)",
            ],
            callRows,
        ),
    );
}

console.log(`\n== State size (bytes; pulumi stack export) ==`);
const stateRows = NS.flatMap((n) =>
    Object.entries(at(walltime, n).ours.state.perResource).map(([type, s]) => [
        `N=${n} ${type}`,
        s.resourceBytes,
        s.providerBytes,
        s.withoutProviderBytes,
        at(walltime, n).floor.state?.perResource[type]?.resourceBytes,
    ]),
);
console.log(
    table(
        ["resource", "state bytes", "__provider (×2 copies)", "state without __provider", "floor (padded)"],
        stateRows,
    ),
);
const c200 = state.connection200;
console.log(
    `Connection with ${c200.streams} streams: ${c200.stateBytes} B in state (jsonSchema in state: ${c200.stateHasJsonSchema}); its live syncCatalog is ${c200.liveSyncCatalogBytes} B, the discovered catalog ${c200.discoveredCatalogBytes} B.`,
);

console.log(`\n== Wall time (ms; --parallel ${PARALLEL}; emulator latency ${LATENCY_MS} ms) ==`);
const timeRows = [];
for (const n of NS)
    for (const c of COMMAND_NAMES) {
        const a = at(analysis, n)[c];
        timeRows.push([
            `N=${n} ${c}`,
            a.oursMs,
            a.floorMs,
            Math.round(a.rawMs),
            a.ratio ?? "n/a",
            a.floorRatio ?? "n/a",
            a.overheadPerResourceMs,
            a.engineOverheadPerResourceMs,
            a.providerOverheadPerResourceMs,
            `${a.airbyteCalls.ours}/${a.airbyteCalls.raw}`,
            `${a.dynamicProviderCpuMs.ours}/${a.dynamicProviderCpuMs.floor}`,
        ]);
    }
console.log(
    table(
        [
            "command",
            "ours",
            "engine floor",
            "raw got",
            "ours÷raw",
            "floor÷raw",
            "overhead/resource",
            "engine/resource",
            "ours beyond floor/resource",
            "calls ours/raw",
            "provider CPU ours/floor",
        ],
        timeRows,
    ),
);
console.log(
    `\nGrowth (exponent k in time ∝ N^k, N=${NS[0]}→${largest}): ` +
        COMMAND_NAMES.map(
            (c) =>
                `${c} ours ${growth[c].ours.exponent} floor ${growth[c].floor.exponent} raw ${growth[c].raw.exponent}`,
        ).join("; "),
);
console.log(`\n== Where the time goes at N=${largest} (ms; "w/o ck" = PULUMI_SKIP_CHECKPOINTS=true) ==`);
console.log(
    table(
        [
            "command",
            "raw",
            "floor",
            "ours",
            "floor−raw",
            "of which checkpoints",
            "ours−floor",
            "floor w/o ck",
            "ours w/o ck",
            "ours−floor w/o ck",
            "ours÷raw",
            "w/o ck",
        ],
        COMMAND_NAMES.map((c) => {
            const d = decomposition[c];
            return [
                c,
                d.rawMs,
                d.floorMs,
                d.oursMs,
                d.engineMs,
                d.engineCheckpointsMs,
                d.oursOverFloorMs,
                d.floorWithoutCheckpointsMs,
                d.oursWithoutCheckpointsMs,
                d.oursOverFloorWithoutCheckpointsMs,
                d.ratio ?? "n/a",
                d.ratioWithoutCheckpoints ?? "n/a",
            ];
        }),
    ),
);
console.log(
    `Calls made in Connection.check during up at N=${largest}: ${fmtCounts(Object.fromEntries(Object.entries(serializedCheck.endpoints).map(([k, v]) => [k, v.calls])))}, at most ${serializedCheck.maxInFlight} in flight, ${serializedCheck.sumMs} ms in sum.`,
);
console.log(
    `Memory at N=${largest}: dynamic-provider peak RSS ${COMMAND_NAMES.map((c) => `${c} ${at(memory, largest)[c].dynamicProviderPeakRssMb} MB`).join(", ")} (trivial provider: up ${at(memory, largest).up.floorDynamicProviderPeakRssMb} MB)`,
);

console.log(`\n== Targets ==`);
console.log(
    table(
        ["target", "measured", "met"],
        [
            [
                "no-op preview: 0 Airbyte calls",
                targets.noopPreviewZeroAirbyteCalls.measured,
                targets.noopPreviewZeroAirbyteCalls.met ? "yes" : "NO",
            ],
            [
                "DescribeSecret ≤ 1 per distinct secret",
                targets.describeSecretAtMostOncePerDistinctSecret.measured,
                targets.describeSecretAtMostOncePerDistinctSecret.met ? "yes" : "NO",
            ],
            [
                "minimum calls per operation",
                [
                    ...Object.entries(minimumVerdicts).flatMap(([t, o]) =>
                        Object.entries(o)
                            .filter(([, v]) => !v.met)
                            .map(([op]) => `missed: ${t} ${op}`),
                    ),
                    ...Object.entries(minimumVerdictsPublicApi).flatMap(([t, o]) =>
                        Object.entries(o)
                            .filter(([, v]) => !v.met)
                            .map(([op]) => `missed (public API): ${t} ${op}`),
                    ),
                ].join(", ") || "all",
                targets.minimumCallsPerOperation.met ? "yes" : "NO",
            ],
            [
                "__provider ≤ 2 KB",
                `${targets.providerAtMost2KB.measured} B`,
                targets.providerAtMost2KB.met ? "yes" : "NO",
            ],
            [
                `ours÷raw ≤ ${TARGETS.ratioMaxAtLargestN} at N=${largest}`,
                Object.entries(ratioAtLargest)
                    .map(([c, r]) => `${c} ${r}`)
                    .join(", "),
                targets.ratioAtMost1_5AtLargestN.met ? "yes" : "NO",
            ],
        ],
    ),
);
if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
console.log(`\nbench/results.json written; total ${results.durationSeconds} s.`);

if (!flags["skip-readme"]) {
    renderReadme(join(ROOT, "README.md"), results);
    console.log("README.md bench section updated.");
}
