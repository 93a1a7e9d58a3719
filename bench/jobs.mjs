// @ts-check
/**
 * Wall time at real job latencies: `check_connection` and `discover_schema` are connector jobs
 * (a pod each on abctl/Helm) that take seconds to minutes, and the engine calls Check and Diff
 * one resource at a time. Run against the emulator's `realistic` latency profile (20 ms per
 * request, check 10 s, discover 20 s on a cache miss, 150 ms from the cache; emulator/options.ts
 * LATENCY_PROFILES, sources in emulator/README.md) and, beside it, the plain 20 ms profile.
 *
 * For N triples, and for one source shared by N connections (bench:shape "shared"):
 *   first `up`, a no-op `preview`, a pull-request `preview` adding a stream to one connection,
 *   `refresh` and `destroy`; ours next to the engine floor (bench/programs/floor.js), which
 *   sleeps for the calls a hand-written script would make, jobs included: a check before each
 *   source and destination create, a discovery before each connection create (once in all
 *   when the connections share their source).
 *
 * Per command: wall time, the connector jobs the emulator ran, and the time the engine waited
 * in our `check` and `diff` (timed in the provider process, AIRBYTE_PROVIDER_TIMINGS), with the
 * most that ran at once (1: the engine runs them in series).
 *
 *   node bench/jobs.mjs [--n 10,50] [--shared 10] [--profiles realistic,20ms]
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, log, round, sum, table, WORK_DIR } from "./lib/common.mjs";
import { linkedProject, pulumiWorkspace } from "./lib/pulumi.mjs";
import { awsEnvironment, startCountingProxy, startEmulatorProcess, startMoto } from "../scripts/lib/services.mjs";

/**
 * @import { EmulatorProcess } from "../scripts/lib/services.mjs"
 */
/**
 * @typedef {keyof typeof PROFILES} Profile
 * @typedef {keyof typeof COMMANDS} JobCommand
 * @typedef {{ calls: number, sumMs: number, maxInFlight: number }} MethodTiming  of one provider method in one command
 * @typedef {{ ms: number }} FloorMeasure
 * @typedef {{ ms: number, jobs: { discover: number, check: number }, discoverCacheHits: number, check: MethodTiming,
 *             diff: MethodTiming }} OursMeasure
 * @typedef {{ profile: Profile, shape: "triples" | "shared", n: number, ours: Record<JobCommand, OursMeasure>,
 *             floor: Record<JobCommand, FloorMeasure>, ratio: Record<string, number> }} JobRun
 * @typedef {Awaited<ReturnType<typeof measureJobs>>} JobsResult
 */

/** Latencies of each profile, for the floor's sleeps (the emulator applies them to ours). */
export const PROFILES = {
    realistic: { requestMs: 20, checkMs: 10_000, discoverMs: 20_000 },
    "20ms": { requestMs: 20, checkMs: 0, discoverMs: 0 },
};

const COMMANDS = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview", "--expect-no-changes"],
    prPreview: ["preview"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
};

/**
 * Our method timings of one command: calls, summed and wall time, most in flight at once.
 * @param {string} file
 */
function methodTimings(file) {
    /** @type {{ type: string, method: string, startMs: number, endMs: number }[]} */
    let lines = [];
    try {
        lines = readFileSync(file, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l));
    } catch {
        // No line: the provider was not called.
    }
    /** @param {"check" | "diff"} method @returns {MethodTiming} */
    const timing = (method) => {
        const calls = lines.filter((l) => l.method === method);
        const points = calls
            .flatMap(
                /** @returns {[number, number][]} */ (c) => [
                    [c.startMs, 1],
                    [c.endMs, -1],
                ],
            )
            .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        let current = 0;
        let maxInFlight = 0;
        for (const [, d] of points) maxInFlight = Math.max(maxInFlight, (current += d));
        return { calls: calls.length, sumMs: sum(calls.map((c) => c.endMs - c.startMs)), maxInFlight };
    };
    return { check: timing("check"), diff: timing("diff") };
}

/**
 * One stack through the commands; `ours` decides the program and whether timings are taken.
 * `noCheck` sets checkConnection: false on every source and destination (ours only).
 * `commands` (default: all) are run in order.
 * @template {boolean} Ours
 * @template {JobCommand} [C=JobCommand]
 * @param {{ ours: Ours, n: number, shape: "triples" | "shared", profile: Profile, emulator: EmulatorProcess,
 *           env: Record<string, string>, secretArn?: string, parallel?: number, noCheck?: boolean,
 *           commands?: readonly C[] }} o
 * @returns {Promise<Record<C, Ours extends true ? OursMeasure : FloorMeasure>>}
 */
async function runStack(o) {
    const p = PROFILES[o.profile];
    const program = o.ours ? "programs/triples.js" : "programs/floor.js";
    const label = `${o.ours ? (o.noCheck ? "ours (checkConnection: false)" : "ours") : "floor"} ${o.profile} ${o.shape} N=${o.n}`;
    const dir = linkedProject(join(BENCH_DIR, program), `bench-jobs-${o.ours ? "ours" : "floor"}-${o.shape}-${o.n}`);
    const ws = await pulumiWorkspace(dir, {
        stack: `jobs-${o.profile}-${o.shape}-${o.n}`.replace(/[^\w-]/g, ""),
        env: o.env,
        parallel: o.parallel,
    });
    const timings = join(WORK_DIR, `timings-${process.pid}.jsonl`);
    try {
        await ws.config("bench:n", String(o.n));
        if (o.shape === "shared") await ws.config("bench:shape", "shared");
        if (o.noCheck) await ws.config("bench:checkConnection", "false");
        if (o.ours) {
            await ws.config("airbyte:serverUrl", o.emulator.url);
            await ws.config("airbyte:clientId", "airbyte-emulator-client");
            await ws.config("airbyte:clientSecret", "airbyte-emulator-secret", { secret: true });
            if (o.secretArn === undefined) throw new Error(`${label}: our stack needs the secret's ARN`);
            await ws.config("bench:secretId", o.secretArn);
            await o.emulator.reset();
        } else {
            await ws.config("bench:callMs", String(p.requestMs));
            await ws.config(
                "bench:jobs",
                JSON.stringify({ checkMs: p.checkMs, discoverMs: p.discoverMs, sharedSource: o.shape === "shared" }),
            );
        }
        /** @type {Partial<Record<JobCommand, FloorMeasure | OursMeasure>>} */
        const commands = {};
        // Without `commands`, C is every command name.
        const names =
            o.commands ?? /** @type {readonly C[]} */ (/** @type {readonly JobCommand[]} */ (Object.keys(COMMANDS)));
        for (const name of names) {
            if (name === "prPreview") await ws.config("bench:changeStreamsOf", "0");
            rmSync(timings, { force: true });
            ws.env.AIRBYTE_PROVIDER_TIMINGS = timings;
            const before = o.ours ? await o.emulator.counters() : undefined;
            const result = await ws.run(COMMANDS[name]);
            const after = o.ours ? await o.emulator.counters() : undefined;
            // Counters are read for our stacks only (o.ours), and are then always there.
            const oursOnly =
                before && after
                    ? {
                          jobs: {
                              discover: after.discover.runs - before.discover.runs,
                              check: after.checks.runs - before.checks.runs,
                          },
                          discoverCacheHits: after.discover.cacheHits - before.discover.cacheHits,
                          ...methodTimings(timings),
                      }
                    : undefined;
            commands[name] = { ms: Math.round(result.ms), ...oursOnly };
            if (process.env.BENCH_KEEP_TIMINGS) {
                // For a closer look: each command's method timings, kept under bench/.work.
                const { copyFileSync, existsSync } = await import("node:fs");
                if (existsSync(timings))
                    copyFileSync(timings, join(WORK_DIR, `timings-${label.replace(/\W+/g, "-")}-${name}.jsonl`));
            }
            if (name === "prPreview") await ws.run(["config", "rm", "bench:changeStreamsOf"], { sample: false });
            log(
                `${label}: ${name} ${Math.round(result.ms)} ms${oursOnly ? `, jobs ${JSON.stringify(oursOnly.jobs)}, check ${oursOnly.check.sumMs} ms in ${oursOnly.check.calls} calls (max ${oursOnly.check.maxInFlight} at once)` : ""}`,
            );
        }
        // Every name was measured, with jobs and timings exactly when o.ours (Ours true).
        return /** @type {Record<C, Ours extends true ? OursMeasure : FloorMeasure>} */ (commands);
    } finally {
        rmSync(timings, { force: true });
        ws.dispose();
    }
}

/**
 * @param {{ ns?: number[], shared?: number, profiles?: Profile[], parallel?: number }} [options]
 */
export async function measureJobs({ ns = [10, 50], shared = 10, profiles = ["realistic", "20ms"], parallel } = {}) {
    const moto = await startMoto();
    const proxy = await startCountingProxy(moto.endpoint);
    const { SecretsManagerClient, CreateSecretCommand } = await import("@aws-sdk/client-secrets-manager");
    const sm = new SecretsManagerClient({
        region: "us-east-1",
        endpoint: moto.endpoint,
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const secretArn = (
        await sm.send(
            new CreateSecretCommand({
                Name: `bench/jobs-${Date.now()}`,
                SecretString: JSON.stringify({ password: "Bench-Passw0rd!" }),
            }),
        )
    ).ARN;
    if (secretArn === undefined) throw new Error("CreateSecret answered without an ARN");
    const env = awsEnvironment(proxy.url);
    /** @type {JobRun[]} */
    const runs = [];
    /** @type {{ n: number, upWithCheckMs: number, upWithoutCheckMs: number, checkJobsWithout: number } | undefined} */
    let checkCost;
    for (const profile of profiles) {
        const emulator = await startEmulatorProcess({
            auth: "simple",
            latencyProfile: profile === "realistic" ? "realistic" : undefined,
            latencyMs: PROFILES[profile].requestMs,
        });
        try {
            const shapes = [
                ...ns.map((n) => /** @type {const} */ ({ shape: "triples", n })),
                /** @type {const} */ ({ shape: "shared", n: shared }),
            ];
            for (const { shape, n } of shapes) {
                const ours = await runStack({ ours: true, n, shape, profile, emulator, env, secretArn, parallel });
                const floor = await runStack({ ours: false, n, shape, profile, emulator, env: {}, parallel });
                const ratio = Object.fromEntries(
                    /** @type {JobCommand[]} */ (Object.keys(ours)).map((c) => [
                        c,
                        round(ours[c].ms / Math.max(1, floor[c].ms), 2),
                    ]),
                );
                runs.push({ profile, shape, n, ours, floor, ratio });
            }
            if (profile === "realistic") {
                // What Airbyte's connection check costs: the same first up without it.
                const n = Math.min(...ns);
                const up = (
                    await runStack({
                        ours: true,
                        n,
                        shape: "triples",
                        profile,
                        emulator,
                        env,
                        secretArn,
                        parallel,
                        noCheck: true,
                        commands: ["up", "destroy"],
                    })
                ).up;
                const withCheck = runs.find((r) => r.profile === profile && r.shape === "triples" && r.n === n);
                if (!withCheck) throw new Error(`no ${profile} run of ${n} triples to compare the check's cost with`);
                checkCost = {
                    n,
                    upWithCheckMs: withCheck.ours.up.ms,
                    upWithoutCheckMs: up.ms,
                    checkJobsWithout: up.jobs.check,
                };
            }
        } finally {
            await emulator.stop();
        }
    }
    sm.destroy();
    await proxy.stop();
    await moto.stop();
    const realisticUp50 = runs.find(
        (r) => r.profile === "realistic" && r.shape === "triples" && r.n === Math.max(...ns),
    );
    const sharedRun = runs.find((r) => r.profile === "realistic" && r.shape === "shared");
    const previews = runs.filter((r) => r.profile === "realistic");
    return {
        profiles: PROFILES,
        measuredAt: Object.fromEntries(profiles.map((p) => [p, new Date().toISOString()])),
        runs,
        checkCost,
        targets: {
            noopAndPrPreviewLaunchNoJob: {
                met: previews.every(
                    (r) =>
                        r.ours.preview.jobs.discover +
                            r.ours.preview.jobs.check +
                            r.ours.prPreview.jobs.discover +
                            r.ours.prPreview.jobs.check ===
                        0,
                ),
            },
            refreshLaunchesNoJob: {
                met: previews.every((r) => r.ours.refresh.jobs.discover + r.ours.refresh.jobs.check === 0),
            },
            oneDiscoveryForSharedSource: {
                measured: sharedRun?.ours.up.jobs.discover,
                met: sharedRun?.ours.up.jobs.discover === 1,
            },
            firstUpWithin1_2OfFloor: {
                n: realisticUp50?.n,
                measured: realisticUp50?.ratio.up,
                met: (realisticUp50?.ratio.up ?? Infinity) <= 1.2,
            },
        },
    };
}

/** The tables `measureJobs` results print as. @param {JobsResult} result */
export function renderJobs(result) {
    const rows = result.runs.flatMap((r) =>
        /** @type {JobCommand[]} */ (Object.keys(r.ours)).map((c) => [
            r.profile,
            `${r.shape === "shared" ? `1 source, ${r.n} connections` : `${r.n} triples`}`,
            c,
            `${(r.ours[c].ms / 1000).toFixed(1)} s`,
            `${(r.floor[c].ms / 1000).toFixed(1)} s`,
            `${r.ratio[c]}×`,
            `${r.ours[c].jobs.discover} / ${r.ours[c].jobs.check}`,
            `${(r.ours[c].check.sumMs / 1000).toFixed(2)} s (${r.ours[c].check.calls}, ≤ ${r.ours[c].check.maxInFlight} at once)`,
        ]),
    );
    return table(
        [
            "profile",
            "stack",
            "command",
            "ours",
            "floor",
            "ours ÷ floor",
            "jobs (discover / check)",
            "time in check (calls, at once)",
        ],
        rows,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    const { values } = parseArgs({
        options: { n: { type: "string" }, shared: { type: "string" }, profiles: { type: "string" } },
    });
    const profiles = (values.profiles ?? "realistic,20ms").split(",");
    /** @param {string} p @returns {p is Profile} */
    const isProfile = (p) => Object.hasOwn(PROFILES, p);
    const unknown = profiles.filter((p) => !isProfile(p));
    if (unknown.length)
        throw new Error(`--profiles: no profile ${unknown.join(", ")}; there are ${Object.keys(PROFILES).join(", ")}`);
    const result = await measureJobs({
        ns: (values.n ?? "10,50").split(",").map(Number),
        shared: Number(values.shared ?? 10),
        profiles: profiles.filter(isProfile), // all of them (checked above)
    });
    console.log(renderJobs(result));
    console.log(JSON.stringify(result.targets, null, 2));
    process.exit(0);
}
