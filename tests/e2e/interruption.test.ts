/**
 * Interruption, with the real Pulumi CLI: `pulumi up` is killed (SIGKILL to it and every process
 * it started, as a cancelled CI job does) while creates are in flight. Airbyte then holds
 * objects the stack does not track, and the state holds pending CREATE operations.
 *
 * What Pulumi 3.248 does next (pkg/resource/deploy/deployment_executor.go, backend/snapshot.go):
 * `pulumi up` warns "Attempting to deploy or update resources with N pending operations from
 * previous deployment", ignores them and creates those resources again; pending CREATEs stay
 * in the state (they are carried over on purpose) until `pulumi refresh` clears them, which
 * non-interactively needs `--clear-pending-creates` (or `--import-pending-creates URN ID`, which
 * dynamic providers cannot serve: their read needs the state's `__provider`).
 *
 * The killed run also leaves its lock (the DIY backend locks stacks): every command refuses
 * with "the stack is currently locked" until `pulumi cancel` removes it.
 *
 * The provider's part is its create journal (provider/runtime/create-journal.ts, used by
 * `createOnce` in provider/runtime/lifecycle.ts): an intent is written before each create, and
 * the re-created resources adopt what the killed run made, and only that. After
 * `pulumi cancel --yes`, both orders of the documented recovery converge with no duplicate and
 * no orphan:
 *   A. `pulumi up`, then `pulumi refresh --clear-pending-creates --yes`;
 *   B. `pulumi refresh --clear-pending-creates --yes`, then `pulumi up`.
 *
 * To make the interruption land at a known point, the emulator holds one source, one
 * destination and one connection create for 8 s (and commits them after that, whether or not
 * the client is still there): the run is killed while all three hang.
 */
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { killProcessTree, linkedProject, pulumiWorkspace, ROOT, Workspace } from "../helpers/pulumi-cli";
import { liveIds, ObjectKind } from "../reliability/helpers";

const TRIPLES = 6;
const HOLD_MS = 8000;
const TYPE: Record<ObjectKind, string> = { source: "Source", destination: "Destination", connection: "Connection" };

let emulator: EmulatorHandle;
let project: string;

beforeAll(async () => {
    emulator = await startEmulator({ latencyMs: 30 });
    project = linkedProject(join(ROOT, "tests/reliability/programs/fleet"), "airbyte-fleet");
});
afterAll(() => emulator?.close());

async function newStack(name: string): Promise<Workspace> {
    const ws = await pulumiWorkspace(project, { stack: name });
    await ws.config("airbyte:serverUrl", emulator.url);
    await ws.config("fleet:count", String(TRIPLES));
    await ws.config("fleet:dbPassword", "Fleet-Db-Passw0rd-Kill", { secret: true });
    return ws;
}

/** Ids in state by kind, and the pending operations. */
async function stateOf(
    ws: Workspace,
): Promise<{ ids: Record<ObjectKind, string[]>; pending: { type: string; urn: string }[] }> {
    const exported = await ws.exportStack();
    const ids = {} as Record<ObjectKind, string[]>;
    for (const kind of Object.keys(TYPE) as ObjectKind[]) {
        ids[kind] = exported.deployment.resources
            .filter((r: { type: string }) => r.type === `pulumi-nodejs:dynamic/airbyte:${TYPE[kind]}`)
            .map((r: { id: string }) => r.id)
            .sort();
    }
    const pending = (exported.deployment.pending_operations ?? []).map(
        (op: { type: string; resource: { urn: string } }) => ({ type: op.type, urn: op.resource.urn }),
    );
    return { ids, pending };
}

/**
 * Runs `pulumi up` and kills it, with every process it started, once the three held creates
 * hang. The provider dies with it, as in a cancelled CI job: an in-flight create's answer is
 * never read.
 */
async function interruptedUp(ws: Workspace): Promise<void> {
    const rules = [
        emulator.faults.add({ operation: "sources/create", fault: "timeout", delayMs: HOLD_MS, skip: 2, times: 1 }),
        emulator.faults.add({
            operation: "destinations/create",
            fault: "timeout",
            delayMs: HOLD_MS,
            skip: 3,
            times: 1,
        }),
        emulator.faults.add({ operation: "connections/create", fault: "timeout", delayMs: HOLD_MS, skip: 1, times: 1 }),
    ];
    const child = ws.spawn(["up", "--yes", "--skip-preview"]);
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const holding = () =>
        emulator.faults.list().filter((f) => rules.includes(f.id) && f.hits > 0).length === rules.length;
    const deadline = Date.now() + 120_000;
    while (!holding() && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    if (!holding()) {
        killProcessTree(child.pid!);
        throw new Error(`the three held creates did not all start before the run ended:\n${output}`);
    }
    // Kill only once the engine is idle, waiting on the held creates: no request has completed
    // for half a second, so the checkpoint writes of the steps that did finish are done. A
    // SIGKILL in the middle of one leaves an empty state file ("failed to load checkpoint:
    // EOF"), a DIY-backend hazard outside what this test is about (it happened 1 run in ~10).
    let completed = emulator.requests().length;
    let quietSince = Date.now();
    const quietDeadline = Date.now() + 3000;
    while (Date.now() - quietSince < 500 && Date.now() < quietDeadline) {
        await new Promise((r) => setTimeout(r, 50));
        const now = emulator.requests().length;
        if (now !== completed) [completed, quietSince] = [now, Date.now()];
    }
    if (child.exitCode !== null || emulator.requests().some((r) => r.fault)) {
        killProcessTree(child.pid!);
        throw new Error(`the run ended or a held create completed before the kill:\n${output}`);
    }
    killProcessTree(child.pid!); // pulumi, its language host, the program and the provider
    await exited;
    // The held creates complete server-side after the client is gone: Airbyte now has objects
    // nobody recorded.
    await new Promise((r) => setTimeout(r, HOLD_MS + 500));
    for (const id of rules) emulator.faults.clear(id);
}

/** Exactly one object per resource, and what exists is what the stack tracks. */
async function expectConverged(ws: Workspace): Promise<void> {
    const { ids } = await stateOf(ws);
    const live = await liveIds(emulator);
    for (const kind of Object.keys(TYPE) as ObjectKind[]) {
        expect({ kind, count: ids[kind].length }).toEqual({ kind, count: TRIPLES });
        expect({ kind, live: live[kind] }).toEqual({ kind, live: ids[kind] });
    }
}

describe.each([
    ["A", "up, then refresh --clear-pending-creates"],
    ["B", "refresh --clear-pending-creates, then up"],
])("recovery %s: %s", (order) => {
    let ws: Workspace;
    beforeAll(async () => {
        emulator.reset();
        emulator.clearLog();
        ws = await newStack(`kill-${order.toLowerCase()}`);
    }, 120_000);
    afterAll(() => ws?.dispose());

    test("a killed up leaves pending creates in the state and untracked objects in Airbyte", async () => {
        await interruptedUp(ws);
        const { ids, pending } = await stateOf(ws);
        const live = await liveIds(emulator);
        expect(pending.filter((p) => p.type === "creating").length).toBeGreaterThanOrEqual(3);
        const untracked = (Object.keys(TYPE) as ObjectKind[]).flatMap((kind) =>
            live[kind].filter((id) => !ids[kind].includes(id)),
        );
        expect(untracked.length).toBeGreaterThanOrEqual(3);
    });

    test("the documented recovery converges: no duplicate, no orphan, nothing pending", async () => {
        const locked = await ws.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
        expect(locked.code).not.toBe(0);
        expect(locked.stderr + locked.stdout).toMatch(/the stack is currently locked .* `pulumi cancel`/s);
        await ws.run(["cancel", "--yes"]);
        let upOutput: string;
        if (order === "A") {
            upOutput = (await ws.run(["up", "--yes", "--skip-preview"])).stdout;
            await ws.run(["refresh", "--yes", "--clear-pending-creates"]);
        } else {
            await ws.run(["refresh", "--yes", "--clear-pending-creates"]);
            upOutput = (await ws.run(["up", "--yes", "--skip-preview"])).stdout;
        }
        if (order === "A") expect(upOutput).toMatch(/pending operations from previous deployment/);
        // The provider said what it adopted.
        expect(upOutput).toMatch(/adopted source [0-9a-f-]{36} instead of creating a duplicate/);
        expect(upOutput).toMatch(/adopted destination [0-9a-f-]{36} instead of creating a duplicate/);
        expect(upOutput).toMatch(/adopted connection [0-9a-f-]{36} instead of creating a duplicate/);

        await expectConverged(ws);
        expect((await stateOf(ws)).pending).toEqual([]);
        // Each object was created once, over both runs.
        expect(emulator.counters().created).toMatchObject({
            sources: TRIPLES,
            destinations: TRIPLES,
            connections: TRIPLES,
        });
        await ws.run(["preview", "--expect-no-changes"]);
    });

    test("destroy leaves nothing behind", async () => {
        await ws.run(["destroy", "--yes", "--skip-preview"]);
        expect(await liveIds(emulator)).toEqual({ source: [], destination: [], connection: [] });
    });
});
