/**
 * Create-time reconciliation, without the CLI: what a `pulumi up` after an interrupted one finds
 * in Airbyte (objects the stack does not track) and what the providers do with it. The rule is
 * documented where it is implemented (provider/runtime/actor-provider.ts, `findOrphan`).
 *
 * An "orphan" here is made the way an interrupted run leaves one: the same create the provider
 * would send, sent directly to the emulator, whose answer nobody recorded.
 */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { DEFINITIONS } from "../emulator/helpers";
import { clean, mssqlArgs, MSSQL_PASSWORD, s3Args } from "../helpers/fixtures";
import { destroy, failureOf, newProviderProcess, preview, ResourceState, RevivedProvider, reviveProvider, setRealEnv, up } from "../helpers/providers";
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
    emu.faults.clear();
    emu.reset();
    emu.clearLog();
    await newProviderProcess();
    // Every test starts from the provider config of beforeAll.
    providers.Source = await reviveProvider("Source", config);
});

const api = (path: string, body: unknown) => emulatorApi(emu, path, body);

/** What an interrupted run leaves: the source the provider would have created, untracked. */
async function orphanSource(extra: { name?: string; configuration?: Record<string, unknown> } = {}): Promise<string> {
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
    return (await api("sources/list", { workspaceId: emu.defaultWorkspaceId })).sources.map((s: { sourceId: string }) => s.sourceId);
}

test("an untracked source the interrupted run created is adopted, not duplicated, and gets the current secret", async () => {
    const orphan = await orphanSource();
    const mark = log.lines.length;
    emu.clearLog();
    const { state } = await up(providers.Source, clean(mssqlArgs()));
    expect(state.id).toBe(orphan);
    expect(emu.counters().created.sources).toBe(0);
    expect(await sourceIds()).toEqual([orphan]);
    expect(emu.storedConfiguration("source", orphan)?.password).toBe(MSSQL_PASSWORD);
    expect(log.since(mark).join("")).toMatch(new RegExp(`warning: source "mssql": adopted source ${orphan} instead of creating a duplicate`));
    expect(log.since(mark).join("")).not.toContain(OLD_PASSWORD);
});

describe("what is never adopted", () => {
    test("a source whose non-secret configuration differs", async () => {
        const other = await orphanSource({ configuration: { database: "other" } });
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(other);
        expect((await sourceIds()).sort()).toEqual([other, state.id].sort());
    });

    test("a source created before the window (airbyte:adoptWithinMinutes, default 60)", async () => {
        emu.advanceTime(-2 * 60 * 60 * 1000);
        const old = await orphanSource();
        emu.advanceTime(2 * 60 * 60 * 1000);
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(old);
    });

    test("any source when airbyte:adoptWithinMinutes is 0", async () => {
        providers.Source = await reviveProvider("Source", { ...config, "airbyte:adoptWithinMinutes": "0" });
        const orphan = await orphanSource();
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(orphan);
    });

    test("a source a connection uses (another stack's, most likely)", async () => {
        const used = await orphanSource();
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

    test("two identical resources created at once in one run get one object each", async () => {
        const [a, b] = await Promise.all([up(providers.Source, clean(mssqlArgs())), up(providers.Source, clean(mssqlArgs()))]);
        expect(a.state.id).not.toBe(b.state.id);
        expect(emu.counters().created.sources).toBe(2);
    });

    test("a source deleted since the run's listing was taken", async () => {
        const gone = await orphanSource();
        // The listing of this run is taken (and shared) by a first create...
        await up(providers.Source, clean(mssqlArgs({ name: "first" })));
        await api("sources/delete", { sourceId: gone });
        // ...so the deleted orphan is still in it; adoption checks it still exists.
        const { state } = await up(providers.Source, clean(mssqlArgs()));
        expect(state.id).not.toBe(gone);
        expect(await sourceIds()).toContain(state.id);
    });
});

test("an untracked connection between the stack's source and destination is adopted and brought to the desired state", async () => {
    const source = (await up(providers.Source, clean(mssqlArgs()))).state;
    const destination = (await up(providers.Destination, clean(s3Args()))).state;
    const orphan = await api("connections/create", { sourceId: source.id, destinationId: destination.id, name: "orders", status: "active" });
    await newProviderProcess();
    emu.clearLog();
    const { state } = await up(
        providers.Connection,
        clean({ sourceId: source.id, destinationId: destination.id, name: "orders", streams: ["orders"], schedule: { cron: "0 15 * * * ?", timeZone: "UTC" } }),
    );
    expect(state.id).toBe(orphan.connectionId);
    expect(emu.counters().created.connections).toBe(0);
    const live = await api("connections/get", { connectionId: orphan.connectionId });
    expect(live.scheduleData.cron.cronExpression).toBe("0 15 * * * ?");
    expect(live.syncCatalog.streams.map((s: { stream: { name: string } }) => s.stream.name)).toEqual(["orders"]);
    await destroy(providers.Connection, state);
});

test("concurrent creates in one run share one listing per workspace", async () => {
    emu.clearLog();
    await Promise.all([...Array(40)].map((_, i) => up(providers.Source, clean(mssqlArgs({ name: `db-${i}` })))));
    expect(emu.counters().created.sources).toBe(40);
    expect(emu.requests({ operation: "sources/list" }).length).toBe(1);
});

test("an adoption that cannot finish still hands the id to the engine (no orphan), and the next up completes it", async () => {
    const orphan = await orphanSource();
    emu.faults.add({ operation: "sources/update", fault: "status", status: 500 });
    const raw = clean(mssqlArgs());
    const plan = await preview(providers.Source, raw);
    const error: any = await failureOf(providers.Source.create(plan.inputs));
    expect(error).toMatchObject({ name: "PartialCreateError", id: orphan });
    expect(error.message).toMatch(/adopted source .* but could not update it: Airbyte sources\/update .* HTTP 500.*next `pulumi up` updates it/);
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
    expect(error?.message).toMatch(/^Airbyte sources\/create for source "mssql" failed: ECONNRESET .*The create may have reached Airbyte, and looking for its result failed too \(Airbyte sources\/list .* HTTP 500.*\); if the source exists, the next `pulumi up` adopts it\.$/);
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

test("when the workspace cannot be searched before a create, nothing is created and the error says so", async () => {
    emu.faults.add({ operation: "connections/list", fault: "status", status: 500 });
    await orphanSource(); // a candidate: whether a connection uses it must be known
    emu.clearLog();
    const error = await failureOf(up(providers.Source, clean(mssqlArgs())));
    expect(error?.message).toMatch(/^source "mssql": could not look for a source an interrupted run may have left \(Airbyte connections\/list .* HTTP 500.*\), so nothing was created; run `pulumi up` again\.$/);
    expect(emu.counters().created.sources).toBe(0);
});
