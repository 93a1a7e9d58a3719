// @ts-check
/**
 * The Pulumi CLI runs: the state-size stack, and the wall-time stacks of N triples (ours, and
 * the engine floor with a trivial provider), each through up, a no-op preview, refresh and
 * destroy, with the emulator's request counters, Secrets Manager calls (counting proxy) and
 * the process tree's peak memory and CPU per command.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { BENCH_DIR, log, nonZero, sum } from "./lib/common.mjs";
import { linkedProject, pulumiWorkspace } from "./lib/pulumi.mjs";
import { awsEnvironment } from "../scripts/lib/services.mjs";

/**
 * @import { RequestLogEntry } from "pulumi-airbyte-dynamic/emulator"
 * @import { CountingProxy, EmulatorProcess } from "../scripts/lib/services.mjs"
 * @import { StackExport, Workspace } from "./lib/pulumi.mjs"
 */
/**
 * @typedef {keyof typeof COMMANDS} CommandName
 * @typedef {"Source" | "Destination" | "Connection"} ResourceType
 * @typedef {ReturnType<typeof stateSizes>[number]} StateSize  one resource of a `pulumi stack export`
 * @typedef {ReturnType<typeof meanByType>} PerResource  per type, the mean state bytes of its resources
 * @typedef {{ checkpointBytes: number, perResource: PerResource }} StackState
 * @typedef {Awaited<ReturnType<typeof measureCommand>>} CommandMeasure  what one command cost
 * @typedef {ReturnType<typeof concurrencyProfile>} ConcurrencyProfile
 */

export const COMMANDS = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview", "--expect-no-changes"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
};

/** @type {Record<string, ResourceType>} */
const FLOOR_TYPES = {
    "pulumi-nodejs:dynamic/floor:Source": "Source",
    "pulumi-nodejs:dynamic/floor:Destination": "Destination",
    "pulumi-nodejs:dynamic/floor:Connection": "Connection",
};
/** @type {Record<string, ResourceType>} */
const TYPES = {
    "pulumi-nodejs:dynamic/airbyte:Source": "Source",
    "pulumi-nodejs:dynamic/airbyte:Destination": "Destination",
    "pulumi-nodejs:dynamic/airbyte:Connection": "Connection",
};
const bytes = (/** @type {unknown} */ value) =>
    value === undefined ? 0 : Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value));
/** The `ciphertext` of a secret as a checkpoint holds it; undefined for any other value. @param {unknown} value */
const ciphertextOf = (value) =>
    typeof value === "object" && value !== null && "ciphertext" in value ? value.ciphertext : undefined;
/**
 * A secret in a checkpoint is `{ "4dabf18193072939515e22adb298388d": "1b47...", ciphertext }`.
 * @param {unknown} value
 */
const providerBytes = (value) =>
    value === undefined ? 0 : typeof value === "string" ? bytes(value) : bytes(ciphertextOf(value) ?? value);

/**
 * Per resource of a `pulumi stack export`: type, name, bytes of the resource, its inputs/outputs,
 * its two `__provider` copies.
 * @param {StackExport} exported
 */
export function stateSizes(exported, types = TYPES) {
    const out = [];
    for (const r of exported.deployment?.resources ?? []) {
        const type = types[r.type];
        if (!type) continue;
        const inputsProvider = providerBytes(r.inputs?.__provider);
        const outputsProvider = providerBytes(r.outputs?.__provider);
        out.push({
            type,
            name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
            resourceBytes: bytes(r),
            inputsBytes: bytes(r.inputs),
            outputsBytes: bytes(r.outputs),
            providerInputsBytes: inputsProvider,
            providerOutputsBytes: outputsProvider,
            withoutProviderBytes: bytes(r) - inputsProvider - outputsProvider,
            hasJsonSchema: JSON.stringify(r).includes("jsonSchema"),
        });
    }
    return out;
}

/** @param {readonly StateSize[]} sizes */
function meanByType(sizes) {
    /**
     * @type {Record<string, { resources: number, resourceBytes: number, providerBytes: number, providerCopies: number,
     *     withoutProviderBytes: number }>}
     */
    const out = {};
    for (const type of /** @type {const} */ (["Source", "Destination", "Connection"])) {
        const of = sizes.filter((s) => s.type === type);
        if (!of.length) continue;
        const mean = (/** @type {"resourceBytes" | "providerInputsBytes" | "withoutProviderBytes"} */ k) =>
            Math.round(sum(of.map((s) => s[k])) / of.length);
        out[type] = {
            resources: of.length,
            resourceBytes: mean("resourceBytes"),
            providerBytes: mean("providerInputsBytes"),
            providerCopies: 2,
            withoutProviderBytes: mean("withoutProviderBytes"),
        };
    }
    return out;
}

/** @param {Workspace} ws @param {EmulatorProcess} emulator @param {string} secretArn */
async function configureAirbyte(ws, emulator, secretArn) {
    await ws.config("airbyte:serverUrl", emulator.url);
    await ws.config("airbyte:clientId", "airbyte-emulator-client");
    await ws.config("airbyte:clientSecret", "airbyte-emulator-secret", { secret: true });
    await ws.config("bench:secretId", secretArn);
}

/**
 * Runs one command and collects what it cost.
 * @param {Workspace} ws
 * @param {CommandName} name
 * @param {{ emulator: EmulatorProcess, proxy?: CountingProxy, profile?: boolean }} options
 */
async function measureCommand(ws, name, { emulator, proxy, profile = false }) {
    await emulator.clearLog();
    proxy?.reset();
    // os.loadavg() always has its three figures (zeros where the platform has none).
    const load1 = Math.round(/** @type {number} */ (loadavg()[0]) * 100) / 100;
    const t0 = Date.now();
    const result = await ws.run(COMMANDS[name]);
    const timeline = profile ? concurrencyProfile(await emulator.requests(), t0) : undefined;
    const counters = await emulator.counters();
    const byEndpoint = nonZero(Object.fromEntries(Object.entries(counters.operations).map(([k, v]) => [k, v.count])));
    /** @type {Record<string, number>} */
    const errors = {};
    for (const [k, v] of Object.entries(counters.operations))
        for (const [status, count] of Object.entries(v.statuses ?? {}))
            if (!/^2/.test(status)) errors[`${k} ${status}`] = count;
    return {
        ms: Math.round(result.ms),
        load1,
        airbyteCalls: sum(Object.values(byEndpoint)),
        byEndpoint,
        maxInFlight: counters.maxInFlight,
        ...(Object.keys(errors).length ? { errorStatuses: errors } : {}),
        ...(timeline ? { timeline } : {}),
        secretsManager: proxy ? nonZero(proxy.counts()) : {},
        processes: result.processes,
        output: result.stdout
            .split("\n")
            .filter((l) => /^\s*(Resources:|\d+ (created|unchanged|deleted|updated)|Duration:)/.test(l))
            .map((l) => l.trim())
            .slice(0, 6),
    };
}

/**
 * The state-size stack: a demo triple plus a 200-stream connection.
 * @param {{ emulator: EmulatorProcess, proxy: CountingProxy, secretArn: string, parallel?: number }} options
 */
export async function runStateStack({ emulator, proxy, secretArn, parallel }) {
    const dir = linkedProject(join(BENCH_DIR, "programs/state.js"), "bench-state");
    const ws = await pulumiWorkspace(dir, { stack: "state", env: awsEnvironment(proxy.url), parallel });
    try {
        await configureAirbyte(ws, emulator, secretArn);
        await emulator.reset();
        const up = await measureCommand(ws, "up", { emulator, proxy });
        const exported = await ws.exportStack();
        /** @type {{ wideConnectionId: string, wideSourceId: string, streamCount: number }} */
        const outputs = await ws.outputs();
        const preview = await measureCommand(ws, "preview", { emulator, proxy });

        // What storing the discovered catalog would have cost, for the 200-stream connection.
        const token = (
            await emulator.api("applications/token", {
                client_id: "airbyte-emulator-client",
                client_secret: "airbyte-emulator-secret",
            })
        ).access_token;
        const live = await emulator.api("connections/get", { connectionId: outputs.wideConnectionId }, token);
        const discovered = await emulator.api("sources/discover_schema", { sourceId: outputs.wideSourceId }, token);
        const sizes = stateSizes(exported);
        const wide = sizes.find((s) => s.name === "mssql-200-to-s3");
        const narrow = sizes.find((s) => s.name === "mssql-to-s3");
        await measureCommand(ws, "destroy", { emulator, proxy });
        if (!wide || !narrow)
            throw new Error("state stack: mssql-200-to-s3 or mssql-to-s3 is missing from the exported state");
        log(
            `state stack: 200-stream connection ${wide.resourceBytes} B in state; its live syncCatalog ${bytes(live.syncCatalog)} B`,
        );
        return {
            resources: sizes,
            checkpointBytes: bytes(exported),
            connection200: {
                streams: outputs.streamCount,
                stateBytes: wide.resourceBytes,
                stateBytesWithoutProvider: wide.withoutProviderBytes,
                stateHasJsonSchema: wide.hasJsonSchema,
                liveSyncCatalogBytes: bytes(live.syncCatalog),
                discoveredCatalogBytes: bytes(discovered.catalog),
                twoStreamConnectionStateBytes: narrow.resourceBytes,
            },
            upAirbyteCalls: up.airbyteCalls,
            noopPreview: {
                airbyteCalls: preview.airbyteCalls,
                secretsManager: preview.secretsManager,
                distinctSecrets: 1,
                sourcesUsingIt: 2,
            },
        };
    } finally {
        ws.dispose();
    }
}

/**
 * Our stack of N triples through the four commands.
 * @param {{ n: number, emulator: EmulatorProcess, proxy: CountingProxy, secretArn: string, parallel?: number,
 *           env?: Record<string, string>, label?: string }} options
 */
export async function runOursStack({ n, emulator, proxy, secretArn, parallel, env = {}, label = "ours" }) {
    const dir = linkedProject(join(BENCH_DIR, "programs/triples.js"), `bench-triples-${n}`);
    const ws = await pulumiWorkspace(dir, {
        stack: `ours-${n}`,
        env: { ...awsEnvironment(proxy.url), ...env },
        parallel,
    });
    try {
        await configureAirbyte(ws, emulator, secretArn);
        await ws.config("bench:n", String(n));
        await emulator.reset();
        const up = await measureCommand(ws, "up", { emulator, proxy, profile: true });
        log(`${label} N=${n}: up ${up.ms} ms, ${up.airbyteCalls} calls`);
        const exported = await ws.exportStack();
        /** @type {StackState} */
        const state = { checkpointBytes: bytes(exported), perResource: meanByType(stateSizes(exported)) };
        const measure = async (/** @type {CommandName} */ name) => {
            const measured = await measureCommand(ws, name, { emulator, proxy });
            log(`${label} N=${n}: ${name} ${measured.ms} ms, ${measured.airbyteCalls} calls`);
            return measured;
        };
        const preview = await measure("preview");
        const refresh = await measure("refresh");
        const destroy = await measure("destroy");
        return { commands: { up, preview, refresh, destroy }, state };
    } finally {
        ws.dispose();
    }
}

/**
 * The engine floor: the same N triples with a provider that only sleeps `callMs` per minimal
 * call, each resource padded (`pad`, bytes per type) to the state size of ours. `commands`
 * (default: all four) are run in order; `state` is taken after `up`, when it runs.
 * @template {CommandName} [C=CommandName]
 * @param {{ n: number, emulator: EmulatorProcess, callMs: number, parallel?: number, pad?: Record<string, number>,
 *           env?: Record<string, string>, label?: string, commands?: readonly C[], extraProps?: number }} options
 * @returns {Promise<{ commands: Record<C, CommandMeasure>, state: StackState | undefined }>}
 */
export async function runFloorStack({
    n,
    emulator,
    callMs,
    parallel,
    pad = {},
    env = {},
    label = "floor",
    // Without `commands`, C is every command name.
    commands: names = /** @type {readonly C[]} */ (
        /** @type {readonly CommandName[]} */ (["up", "preview", "refresh", "destroy"])
    ),
    extraProps = 0,
}) {
    const dir = linkedProject(join(BENCH_DIR, "programs/floor.js"), `bench-floor-${n}`);
    const ws = await pulumiWorkspace(dir, { stack: `floor-${n}`, parallel, env });
    try {
        await ws.config("bench:n", String(n));
        await ws.config("bench:callMs", String(Math.round(callMs * 10) / 10));
        await ws.config("bench:pad", JSON.stringify(pad));
        if (extraProps) await ws.config("bench:extraProps", String(extraProps));
        /** @type {Partial<Record<C, CommandMeasure>>} */
        const commands = {};
        /** @type {StackState | undefined} */
        let state;
        for (const name of names) {
            const measured = (commands[name] = await measureCommand(ws, name, { emulator }));
            log(`${label} N=${n}: ${name} ${measured.ms} ms`);
            if (name === "up") {
                const exported = await ws.exportStack();
                state = {
                    checkpointBytes: bytes(exported),
                    perResource: meanByType(stateSizes(exported, FLOOR_TYPES)),
                };
            }
        }
        // The loop above measured every name of `names`: no C is missing.
        return { commands: /** @type {Record<C, CommandMeasure>} */ (commands), state };
    } finally {
        ws.dispose();
    }
}

/**
 * The padding that brings a floor resource to the state bytes of ours: a one-triple floor
 * stack is measured without padding; the pad appears twice in state (inputs and outputs).
 * @param {{ emulator: EmulatorProcess, parallel?: number, oursPerResource: PerResource }} options
 */
export async function calibrateFloorPadding({ emulator, parallel, oursPerResource }) {
    const floor = await runFloorStack({
        n: 1,
        emulator,
        callMs: 0,
        parallel,
        label: "floor calibration",
        commands: ["up", "destroy"],
    });
    const unpadded = floor.state?.perResource;
    if (!unpadded) throw new Error("floor calibration: no state after up");
    /** @type {Record<string, number>} */
    const pad = {};
    for (const [type, ours] of Object.entries(oursPerResource)) {
        const floorType = unpadded[type];
        if (!floorType) throw new Error(`floor calibration: no ${type} in the floor's state`);
        pad[type] = Math.max(0, Math.floor((ours.resourceBytes - floorType.resourceBytes) / 2));
    }
    return { pad, unpadded };
}

/**
 * Per endpoint: calls, the most in flight at once, summed duration; from the emulator's request log.
 * @param {readonly RequestLogEntry[]} requests
 * @param {number} t0
 */
export function concurrencyProfile(requests, t0) {
    const events = requests.map((r) => {
        const end = Date.parse(r.timestamp);
        return { op: r.operation ?? r.path, start: end - r.durationMs, end };
    });
    events.sort((a, b) => a.start - b.start);
    /** @type {Record<string, typeof events>} */
    const byOp = {};
    for (const e of events) (byOp[e.op] ??= []).push(e);
    /**
     * @type {Record<string, { calls: number, maxInFlight: number, sumMs: number, firstMs: number, lastMs: number }>}
     */
    const profile = {};
    for (const [op, list] of Object.entries(byOp)) {
        // Sweep: +1 at each start, −1 at each end.
        const points = list
            .flatMap(
                /** @returns {[number, number][]} */ (e) => [
                    [e.start, 1],
                    [e.end, -1],
                ],
            )
            .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        let current = 0;
        let max = 0;
        for (const [, d] of points) max = Math.max(max, (current += d));
        // Each list holds at least the event whose push created it.
        const first = /** @type {(typeof events)[number]} */ (list[0]);
        const last = /** @type {(typeof events)[number]} */ (list[list.length - 1]);
        profile[op] = {
            calls: list.length,
            maxInFlight: max,
            sumMs: Math.round(sum(list.map((e) => e.end - e.start))),
            firstMs: Math.round(first.start - t0),
            lastMs: Math.round(last.end - t0),
        };
    }
    const firstEvent = events[0];
    return {
        firstCallMs: firstEvent ? Math.round(firstEvent.start - t0) : null,
        lastCallMs: events.length ? Math.round(Math.max(...events.map((e) => e.end)) - t0) : null,
        byEndpoint: profile,
    };
}
