/**
 * Create-time reconciliation, without the CLI: what a `pulumi up` after an interrupted one finds
 * in Airbyte (objects the stack does not track) and what the providers do with it. The rule is
 * documented where it is implemented (provider/runtime/lifecycle.ts, `createOnce`, and
 * provider/runtime/create-journal.ts).
 *
 * An orphan here is made the way an interrupted run leaves one: the provider sends the create,
 * Airbyte makes the object, and the answer never reaches the engine (the connection is reset
 * after the commit, and looking for the result fails too, so the run ends with the create
 * unsettled and its intent still in the journal). A killed `pulumi up` leaves the same
 * (tests/e2e/interruption.test.ts does it with the real CLI). An object made any other way,
 * by hand or by another stack, is never adopted.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { journalDirectory } from "../../provider/runtime/create-journal";
import { DEFINITIONS } from "../emulator/helpers";
import { clean, mssqlArgs, MSSQL_PASSWORD, s3Args } from "../helpers/fixtures";
import {
    destroy,
    failureOf,
    newProviderProcess,
    preview,
    ResourceState,
    RevivedProvider,
    reviveProvider,
    setRealEnv,
    up,
} from "../helpers/providers";
import { captureProviderLog, emulatorApi, LogCapture } from "./helpers";

const MSSQL = DEFINITIONS.mssql;
const OLD_PASSWORD = "Password-Of-The-Interrupted-Run";

let emu: EmulatorHandle;
let config: Record<string, string>;
let providers: Record<"Source" | "Destination" | "Connection", RevivedProvider>;
let log: LogCapture;
let restoreEnv: () => void;

beforeAll(async () => {
    restoreEnv = setRealEnv({ AIRBYTE_PROVIDER_LOG: undefined });
    log = captureProviderLog();
    emu = await startEmulator();
    config = { "airbyte:serverUrl": emu.url };
    providers = {
        Source: await reviveProvider("Source", config),
        Destination: await reviveProvider("Destination", config),
        Connection: await reviveProvider("Connection", config),
    };
});
afterAll(async () => {
    log.stop();
    restoreEnv();
    await emu.close();
});
beforeEach(async () => {
    rmSync(journalDirectory(), { recursive: true, force: true });
    emu.faults.clear();
    emu.reset();
    emu.clearLog();
    await newProviderProcess();
    // Every test starts from the provider config of beforeAll.
    providers.Source = await reviveProvider("Source", config);
});

const api = (path: string, body: unknown) => emulatorApi(emu, path, body);

/** The intents in the create journal (one file each). */
function intents(): string[] {
    try {
        return readdirSync(journalDirectory()).filter((f) => f.endsWith(".json"));
    } catch {
        return [];
    }
}

/**
 * What an interrupted run leaves: `up` sends the create, Airbyte makes the object, the answer is
 * lost and so is every attempt to look for it. Returns the id of what was made.
 */
async function interruptedCreate(
    provider: RevivedProvider,
    args: Record<string, unknown>,
    operation: "sources" | "connections",
    options: { journal?: boolean } = {},
): Promise<string> {
    const before = new Set(await listIds(operation));
    emu.faults.add({ operation: `${operation}/create`, fault: "reset-after-commit", times: 1 });
    // The listing before the create works; those after the lost create fail.
    emu.faults.add({ operation: `${operation}/list`, fault: "status", status: 500, skip: 1 });
    const intentsBefore = intents().length;
    const error = await failureOf(up(provider, args));
    expect(error?.message).toMatch(/The create may have reached Airbyte/);
    emu.faults.clear();
    expect(intents().length).toBe(intentsBefore + (options.journal === false ? 0 : 1));
    const made = (await listIds(operation)).filter((id) => !before.has(id));
    expect(made).toHaveLength(1);
    await newProviderProcess();
    return made[0]!;
}

async function listIds(operation: "sources" | "connections"): Promise<string[]> {
    if (operation === "sources") return sourceIds();
    return (await api("connections/list", { workspaceId: emu.defaultWorkspaceId })).connections.map(
        (c: { connectionId: string }) => c.connectionId,
    );
}

/** A source made by hand in Airbyte's UI, looking exactly like what the stack would create. */
async function handMadeSource(extra: { name?: string; configuration?: Record<string, unknown> } = {}): Promise<string> {
    const args = clean(mssqlArgs({ configuration: extra.configuration }));
    const created = await api("sources/create", {
        workspaceId: emu.defaultWorkspaceId,
        name: extra.name ?? args.name,
        sourceDefinitionId: MSSQL,
        connectionConfiguration: { ...args.configuration, password: OLD_PASSWORD },
    });
    return created.sourceId;
}

async function sourceIds(): Promise<string[]> {
    return (await api("sources/list", { workspaceId: emu.defaultWorkspaceId })).sources.map(
        (s: { sourceId: string }) => s.sourceId,
    );
}

test("the source an interrupted run created is adopted, not duplicated, and gets the current secret", async () => {
    const orphan = await interruptedCreate(
        providers.Source,
        clean(mssqlArgs({ secrets: { password: OLD_PASSWORD } })),
        "sources",
    );
    const mark = log.lines.length;
    emu.clearLog();
    const { state } = await up(providers.Source, clean(mssqlArgs()));
    expect(state.id).toBe(orphan);
    expect(emu.counters().created.sources).toBe(0);
    expect(await sourceIds()).toEqual([orphan]);
    expect(emu.storedConfiguration("source", orphan)?.password).toBe(MSSQL_PASSWORD);
    expect(log.since(mark).join("")).toMatch(
        new RegExp(
            `warning: source "mssql": adopted source ${orphan} instead of creating a duplicate: an earlier \`pulumi up\` was interrupted`,
        ),
    );
    expect(log.since(mark).join("")).not.toContain(OLD_PASSWORD);
    // The intent is settled: a later create of the same inputs makes a new source.
    expect(intents()).toEqual([]);
});

describe("what is never adopted", () => {
    test("a source someone made by hand, even one identical to what the stack would create", async () => {
        const handMade = await handMadeSource();
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(handMade);
        expect((await sourceIds()).sort()).toEqual([handMade, state.id].sort());
    });

    test("a hand-made look-alike next to a real orphan: the orphan is taken, the hand-made one left", async () => {
        const handMade = await handMadeSource();
        const orphan = await interruptedCreate(providers.Source, clean(mssqlArgs()), "sources");
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).toBe(orphan);
        expect((await sourceIds()).sort()).toEqual([handMade, orphan].sort());
    });

    test("the orphan when the inputs changed meanwhile (another non-secret configuration)", async () => {
        const orphan = await interruptedCreate(
            providers.Source,
            clean(mssqlArgs({ configuration: { database: "other" } })),
            "sources",
        );
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(orphan);
        expect((await sourceIds()).sort()).toEqual([orphan, state.id].sort());
    });

    test("an orphan whose intent is older than the window (airbyte:adoptWithinMinutes, default 60)", async () => {
        const orphan = await interruptedCreate(providers.Source, clean(mssqlArgs()), "sources");
        for (const file of intents()) {
            const path = join(journalDirectory(), file);
            const intent = JSON.parse(readFileSync(path, "utf8"));
            writeFileSync(path, JSON.stringify({ ...intent, startedAt: intent.startedAt - 2 * 60 * 60 * 1000 }));
        }
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(orphan);
        expect(intents()).toEqual([]);
    });

    test("any orphan when airbyte:adoptWithinMinutes is 0 (no intent is written)", async () => {
        providers.Source = await reviveProvider("Source", { ...config, "airbyte:adoptWithinMinutes": "0" });
        const orphan = await interruptedCreate(providers.Source, clean(mssqlArgs()), "sources", { journal: false });
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(orphan);
    });

    test("an orphan a connection uses meanwhile (someone else's now)", async () => {
        const used = await interruptedCreate(providers.Source, clean(mssqlArgs()), "sources");
        const lake = (await up(providers.Destination, clean(s3Args()))).state;
        await api("connections/create", { sourceId: used, destinationId: lake.id, status: "active" });
        await newProviderProcess();
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(used);
    });

    test("a source another resource of this run tracks (seen in diff), even with identical inputs", async () => {
        const tracked = (await up(providers.Source, clean(mssqlArgs()))).state;
        await newProviderProcess();
        // The engine diffs the existing resource, then creates a second one with the same inputs.
        expect((await preview(providers.Source, clean(mssqlArgs()), tracked)).step).toBe("same");
        const second = (await up(providers.Source, clean(mssqlArgs()))).state;
        expect(second.id).not.toBe(tracked.id);
        expect((await sourceIds()).sort()).toEqual([tracked.id, second.id].sort());
    });

    test("the old object of a renamed resource (create-before-delete), whose create completed", async () => {
        // A Pulumi resource renamed without an alias is created anew, then the old one deleted:
        // the old object looks the same, but its create finished, so no intent names it.
        const old = (await up(providers.Source, clean(mssqlArgs()))).state;
        await newProviderProcess();
        const renamed = (await up(providers.Source, clean(mssqlArgs()))).state;
        expect(renamed.id).not.toBe(old.id);
    });

    test("two identical resources created at once in one run get one object each", async () => {
        const [a, b] = await Promise.all([
            up(providers.Source, clean(mssqlArgs())),
            up(providers.Source, clean(mssqlArgs())),
        ]);
        expect(a.state.id).not.toBe(b.state.id);
        expect(emu.counters().created.sources).toBe(2);
    });

    test("an orphan deleted since the run's listing was taken", async () => {
        const gone = await interruptedCreate(providers.Source, clean(mssqlArgs()), "sources");
        // The listing of this run is taken (and shared) by a first create...
        await up(providers.Source, clean(mssqlArgs({ name: "first" })));
        await api("sources/delete", { sourceId: gone });
        // ...so the deleted orphan is still in it; adoption checks it still exists.
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(gone);
        expect(await sourceIds()).toContain(state.id);
    });
});

test("the connection an interrupted run created is adopted and brought to the desired state", async () => {
    const source = (await up(providers.Source, clean(mssqlArgs()))).state;
    const destination = (await up(providers.Destination, clean(s3Args()))).state;
    const args = (schedule: Record<string, unknown>) =>
        clean({ sourceId: source.id, destinationId: destination.id, name: "orders", streams: ["orders"], schedule });
    const orphan = await interruptedCreate(
        providers.Connection,
        args({ cron: "0 0 * * * ?", timeZone: "UTC" }),
        "connections",
    );
    emu.clearLog();
    const { state } = await up(providers.Connection, args({ cron: "0 15 * * * ?", timeZone: "UTC" }));
    expect(state.id).toBe(orphan);
    expect(emu.counters().created.connections).toBe(0);
    const live = await api("connections/get", { connectionId: orphan });
    expect(live.scheduleData.cron.cronExpression).toBe("0 15 * * * ?");
    expect(live.syncCatalog.streams.map((s: { stream: { name: string } }) => s.stream.name)).toEqual(["orders"]);
    await destroy(providers.Connection, state);
});

test("a hand-made connection between the stack's source and destination is left alone", async () => {
    const source = (await up(providers.Source, clean(mssqlArgs()))).state;
    const destination = (await up(providers.Destination, clean(s3Args()))).state;
    const handMade = await api("connections/create", {
        sourceId: source.id,
        destinationId: destination.id,
        name: "orders",
        status: "active",
    });
    await newProviderProcess();
    const { state } = await up(
        providers.Connection,
        clean({ sourceId: source.id, destinationId: destination.id, name: "orders", streams: ["orders"] }),
    );
    expect(state.id).not.toBe(handMade.connectionId);
});

test("concurrent creates in one run share one listing per workspace", async () => {
    emu.clearLog();
    await Promise.all([...Array(40)].map((_, i) => up(providers.Source, clean(mssqlArgs({ name: `db-${i}` })))));
    expect(emu.counters().created.sources).toBe(40);
    expect(emu.requests({ operation: "sources/list" }).length).toBe(1);
});

test("an adoption that cannot finish still hands the id to the engine (no orphan), and the next up completes it", async () => {
    const orphan = await interruptedCreate(
        providers.Source,
        clean(mssqlArgs({ secrets: { password: OLD_PASSWORD } })),
        "sources",
    );
    emu.faults.add({ operation: "sources/update", fault: "status", status: 500 });
    const raw = clean(mssqlArgs());
    const plan = await preview(providers.Source, raw);
    const error: any = await failureOf(providers.Source.create(plan.inputs));
    expect(error).toMatchObject({ name: "PartialCreateError", id: orphan });
    expect(error.message).toMatch(
        /adopted source .* but could not update it: Airbyte sources\/update .* HTTP 500.*next `pulumi up` updates it/,
    );
    // What the engine records (ErrorResourceInitFailed): id and properties, with __provider, so
    // the next up can run the provider's update on it.
    expect(error.properties).toMatchObject({ sourceId: orphan, __provider: plan.inputs.__provider });
    expect(await sourceIds()).toEqual([orphan]);
    emu.faults.clear();
    const state: ResourceState = { id: error.id, inputs: plan.inputs, outputs: error.properties };
    await providers.Source.update(state.id, state.outputs, plan.inputs);
    expect(emu.storedConfiguration("source", orphan)?.password).toBe(MSSQL_PASSWORD);
});

test("a lost create that cannot be checked either fails clearly, and the next up adopts its result", async () => {
    emu.faults.add({ operation: "sources/create", fault: "reset-after-commit", times: 1 });
    // The listing before the create works; those after the lost create fail.
    emu.faults.add({ operation: "sources/list", fault: "status", status: 500, skip: 1 });
    const error = await failureOf(up(providers.Source, clean(mssqlArgs())));
    expect(error?.message).toMatch(
        /^Airbyte sources\/create for source "mssql" failed: ECONNRESET .*The create may have reached Airbyte, and looking for its result failed too \(Airbyte sources\/list .* HTTP 500.*\); if the source exists, the next `pulumi up` adopts it\.$/,
    );
    // The server is healthy again: the lost create did happen.
    emu.faults.clear();
    const [made] = await sourceIds();
    expect(made).toBeDefined();
    // The next run (a new provider process).
    await newProviderProcess();
    const { state } = await up(providers.Source, clean(mssqlArgs()));
    expect(state.id).toBe(made);
    expect(await sourceIds()).toEqual([made]);
    expect(emu.counters().created.sources).toBe(1);
});

test("when the workspace cannot be listed before a create, nothing is created and the error says so", async () => {
    emu.faults.add({ operation: "sources/list", fault: "status", status: 500 });
    emu.clearLog();
    const error = await failureOf(up(providers.Source, clean(mssqlArgs())));
    expect(error?.message).toMatch(
        /^source "mssql": could not list the workspace before creating \(Airbyte sources\/list .* HTTP 500.*\), so nothing was created; run `pulumi up` again\.$/,
    );
    expect(emu.counters().created.sources).toBe(0);
});
