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

export const COMMANDS = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview", "--expect-no-changes"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
};

const FLOOR_TYPES = {
    "pulumi-nodejs:dynamic/floor:Source": "Source",
    "pulumi-nodejs:dynamic/floor:Destination": "Destination",
    "pulumi-nodejs:dynamic/floor:Connection": "Connection",
};
const TYPES = {
    "pulumi-nodejs:dynamic/airbyte:Source": "Source",
    "pulumi-nodejs:dynamic/airbyte:Destination": "Destination",
    "pulumi-nodejs:dynamic/airbyte:Connection": "Connection",
};
const bytes = (value) =>
    value === undefined ? 0 : Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value));
/** A secret in a checkpoint is `{ "4dabf18193072939515e22adb298388d": "1b47...", ciphertext }`. */
const providerBytes = (value) =>
    value === undefined ? 0 : typeof value === "string" ? bytes(value) : bytes(value.ciphertext ?? value);

/** Per resource of a `pulumi stack export`: type, name, bytes of the resource, its inputs/outputs, its two `__provider` copies. */
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

function meanByType(sizes) {
    const out = {};
    for (const type of ["Source", "Destination", "Connection"]) {
        const of = sizes.filter((s) => s.type === type);
        if (!of.length) continue;
        const mean = (k) => Math.round(sum(of.map((s) => s[k])) / of.length);
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

async function configureAirbyte(ws, emulator, secretArn) {
    await ws.config("airbyte:serverUrl", emulator.url);
    await ws.config("airbyte:clientId", "airbyte-emulator-client");
    await ws.config("airbyte:clientSecret", "airbyte-emulator-secret", { secret: true });
    await ws.config("bench:secretId", secretArn);
}

/** Runs one command and collects what it cost. */
async function measureCommand(ws, name, { emulator, proxy, profile = false }) {
    await emulator.clearLog();
    proxy?.reset();
    const load1 = Math.round(loadavg()[0] * 100) / 100;
    const t0 = Date.now();
    const result = await ws.run(COMMANDS[name]);
    const timeline = profile ? concurrencyProfile(await emulator.requests(), t0) : undefined;
    const counters = await emulator.counters();
    const byEndpoint = nonZero(Object.fromEntries(Object.entries(counters.operations).map(([k, v]) => [k, v.count])));
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

/** The state-size stack: a demo triple plus a 200-stream connection. */
export async function runStateStack({ emulator, proxy, secretArn, parallel }) {
    const dir = linkedProject(join(BENCH_DIR, "programs/state.js"), "bench-state");
    const ws = await pulumiWorkspace(dir, { stack: "state", env: awsEnvironment(proxy.url), parallel });
    try {
        await configureAirbyte(ws, emulator, secretArn);
        await emulator.reset();
        const up = await measureCommand(ws, "up", { emulator, proxy });
        const exported = await ws.exportStack();
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

/** Our stack of N triples through the four commands. */
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
        const commands = {};
        commands.up = await measureCommand(ws, "up", { emulator, proxy, profile: true });
        log(`${label} N=${n}: up ${commands.up.ms} ms, ${commands.up.airbyteCalls} calls`);
        const exported = await ws.exportStack();
        const state = { checkpointBytes: bytes(exported), perResource: meanByType(stateSizes(exported)) };
        for (const name of ["preview", "refresh", "destroy"]) {
            commands[name] = await measureCommand(ws, name, { emulator, proxy });
            log(`${label} N=${n}: ${name} ${commands[name].ms} ms, ${commands[name].airbyteCalls} calls`);
        }
        return { commands, state };
    } finally {
        ws.dispose();
    }
}

/**
 * The engine floor: the same N triples with a provider that only sleeps `callMs` per minimal
 * call, each resource padded (`pad`, bytes per type) to the state size of ours.
 */
export async function runFloorStack({
    n,
    emulator,
    callMs,
    parallel,
    pad = {},
    env = {},
    label = "floor",
    commands: names = ["up", "preview", "refresh", "destroy"],
    extraProps = 0,
}) {
    const dir = linkedProject(join(BENCH_DIR, "programs/floor.js"), `bench-floor-${n}`);
    const ws = await pulumiWorkspace(dir, { stack: `floor-${n}`, parallel, env });
    try {
        await ws.config("bench:n", String(n));
        await ws.config("bench:callMs", String(Math.round(callMs * 10) / 10));
        await ws.config("bench:pad", JSON.stringify(pad));
        if (extraProps) await ws.config("bench:extraProps", String(extraProps));
        const commands = {};
        let state;
        for (const name of names) {
            commands[name] = await measureCommand(ws, name, { emulator });
            log(`${label} N=${n}: ${name} ${commands[name].ms} ms`);
            if (name === "up") {
                const exported = await ws.exportStack();
                state = {
                    checkpointBytes: bytes(exported),
                    perResource: meanByType(stateSizes(exported, FLOOR_TYPES)),
                };
            }
        }
        return { commands, state };
    } finally {
        ws.dispose();
    }
}

/**
 * The padding that brings a floor resource to the state bytes of ours: a one-triple floor
 * stack is measured without padding; the pad appears twice in state (inputs and outputs).
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
    const pad = {};
    for (const [type, ours] of Object.entries(oursPerResource))
        pad[type] = Math.max(0, Math.floor((ours.resourceBytes - floor.state.perResource[type].resourceBytes) / 2));
    return { pad, unpadded: floor.state.perResource };
}

/** Per endpoint: calls, the most in flight at once, summed duration; from the emulator's request log. */
export function concurrencyProfile(requests, t0) {
    const events = requests.map((r) => {
        const end = Date.parse(r.timestamp);
        return { op: r.operation ?? r.path, start: end - r.durationMs, end };
    });
    events.sort((a, b) => a.start - b.start);
    const byOp = {};
    for (const e of events) (byOp[e.op] ??= []).push(e);
    const profile = {};
    for (const [op, list] of Object.entries(byOp)) {
        // Sweep: +1 at each start, −1 at each end.
        const points = list
            .flatMap((e) => [
                [e.start, 1],
                [e.end, -1],
            ])
            .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        let current = 0;
        let max = 0;
        for (const [, d] of points) max = Math.max(max, (current += d));
        profile[op] = {
            calls: list.length,
            maxInFlight: max,
            sumMs: Math.round(sum(list.map((e) => e.end - e.start))),
            firstMs: Math.round(list[0].start - t0),
            lastMs: Math.round(list[list.length - 1].end - t0),
        };
    }
    return {
        firstCallMs: events.length ? Math.round(events[0].start - t0) : null,
        lastCallMs: events.length ? Math.round(Math.max(...events.map((e) => e.end)) - t0) : null,
        byEndpoint: profile,
    };
}
