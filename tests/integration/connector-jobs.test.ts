/**
 * Connector jobs (check_connection, discover_schema) take Airbyte seconds to minutes, and the
 * engine runs `check` one resource at a time: previews never launch one. Counted in the
 * emulator: `discover.runs` and `checks.runs` are jobs; a discovery answered from the catalog
 * cache is not one, but a preview makes none either.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";
import { providerConfig } from "../helpers/airbyte-target";
import { clean, mssqlArgs, s3Args } from "../helpers/fixtures";
import {
    newProviderProcess,
    preview,
    refresh,
    ResourceState,
    RevivedProvider,
    reviveProvider,
    up,
} from "../helpers/providers";
import { captureProviderLog } from "../reliability/helpers";

const emulators: EmulatorHandle[] = [];
afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
});

async function setUp(
    options: EmulatorOptions = { profile: "2.0" },
    profile: { cloud?: boolean; api?: "public" | "config" } = {},
) {
    const emu = await startEmulator(options);
    emulators.push(emu);
    const config = providerConfig(emu, { name: "jobs", emulator: options, ...profile });
    const p: Record<"Source" | "Destination" | "Connection", RevivedProvider> = {
        Source: await reviveProvider("Source", config),
        Destination: await reviveProvider("Destination", config),
        Connection: await reviveProvider("Connection", config),
    };
    const source = (await up(p.Source, clean(mssqlArgs()))).state;
    const destination = (await up(p.Destination, clean(s3Args()))).state;
    return { emu, p, source, destination };
}

/** Jobs the emulator ran, and discoveries it answered from its cache. */
function jobs(emu: EmulatorHandle): { discoverJobs: number; discoverCacheHits: number; checkJobs: number } {
    const c = emu.counters();
    return { discoverJobs: c.discover.runs, discoverCacheHits: c.discover.cacheHits, checkJobs: c.checks.runs };
}

const connectionArgs = (source: ResourceState, destination: ResourceState, names = ["orders"]) =>
    clean({
        sourceId: source.id,
        destinationId: destination.id,
        streams: names.map((name) => ({ name, namespace: "dbo" })),
    });

describe.each([
    ["the Config API", { profile: "2.0" }, {}],
    ["the public API (self-managed)", { profile: "2.0" }, { api: "public" as const }],
    ["Airbyte Cloud", { profile: "cloud" }, { cloud: true }],
] as const)("through %s", (_name, options, profile) => {
    test("a new connection of a source Airbyte never discovered: the preview launches no job and says streams are checked at apply; up discovers once", async () => {
        const { emu, p, source, destination } = await setUp(options, profile);
        await newProviderProcess();
        const before = jobs(emu);
        const log = captureProviderLog();
        try {
            const plan = await preview(p.Connection, connectionArgs(source, destination));
            expect(plan.step).toBe("create");
            expect(jobs(emu)).toEqual(before);
            expect(log.lines.join("")).toMatch(
                new RegExp(
                    `streams of source ${source.id} are validated at apply: Airbyte has no discovered catalog for it yet`,
                ),
            );
        } finally {
            log.stop();
        }
        const { state } = await up(p.Connection, connectionArgs(source, destination));
        expect(state.outputs.streamCount).toBe(1);
        expect(jobs(emu).discoverJobs - before.discoverJobs).toBe(1);
    });

    test("a misspelled stream of a never-discovered source fails at apply, naming it, and nothing is created", async () => {
        const { emu, p, source, destination } = await setUp(options, profile);
        await newProviderProcess();
        const created = emu.counters().created.connections;
        const failed = up(p.Connection, connectionArgs(source, destination, ["ordres"]));
        await expect(failed).rejects.toThrow(
            /streams\["dbo\.ordres"\]\.name: the source has no stream "dbo\.ordres"; did you mean "dbo\.orders"\?/,
        );
        await expect(failed).rejects.toThrow(/nothing was created/);
        expect(emu.counters().created.connections).toBe(created);
    });

    test("ten connections sharing one source: one discovery in up, none in the no-op preview or refresh after it", async () => {
        const { emu, p, source, destination } = await setUp(options, profile);
        await newProviderProcess();
        const before = jobs(emu);
        const names = [
            "orders",
            "customers",
            "products",
            "suppliers",
            "warehouses",
            "invoices",
            "payments",
            "shipments",
            "returns",
            "order_items",
        ];
        const states = await Promise.all(
            names.map((name) => up(p.Connection, connectionArgs(source, destination, [name])).then((r) => r.state)),
        );
        expect(jobs(emu).discoverJobs - before.discoverJobs).toBe(1);
        // The public API's POST /connections reads the discovery cache itself (a hit, no job);
        // the Config API's connections/create takes the catalog it is given.
        if (!("api" in profile || "cloud" in profile))
            expect(jobs(emu).discoverCacheHits).toBe(before.discoverCacheHits);

        await newProviderProcess();
        const settled = jobs(emu);
        for (const [i, state] of states.entries())
            expect((await preview(p.Connection, connectionArgs(source, destination, [names[i]!]), state)).step).toBe(
                "same",
            );
        for (const state of states) expect(await refresh(p.Connection, state)).toBeDefined();
        expect(jobs(emu)).toEqual(settled);
    });
});

test("a pull request changing the streams of one connection: the preview reads the server's latest catalog, launches no job, and still names a misspelling", async () => {
    const { emu, p, source, destination } = await setUp();
    const connection = (await up(p.Connection, connectionArgs(source, destination))).state;
    await newProviderProcess();
    emu.clearLog();
    const before = jobs(emu);
    expect(
        (await preview(p.Connection, connectionArgs(source, destination, ["orders", "customers"]), connection)).step,
    ).toBe("update");
    expect(jobs(emu)).toEqual(before);
    expect(emu.requests({ operation: "sources/discover_schema" })).toEqual([]);
    expect(emu.requests({ operation: "sources/most_recent_source_actor_catalog" })).toHaveLength(1);
    // A name the latest catalog lacks costs one fresh discovery: a misspelling is then a check failure.
    await expect(
        preview(p.Connection, connectionArgs(source, destination, ["orders", "custmers"]), connection),
    ).rejects.toThrow(/streams\[\d\]\.name: the source has no stream "dbo\.custmers"; did you mean "dbo\.customers"\?/);
    expect(jobs(emu).discoverJobs - before.discoverJobs).toBe(1);
});

test("check_connection runs inside create and update, never in a preview", async () => {
    const emu = await startEmulator({ profile: "2.0" });
    emulators.push(emu);
    const config = providerConfig(emu, { name: "jobs", emulator: { profile: "2.0" } });
    const sources = await reviveProvider("Source", config);
    const before = emu.counters().checks.runs;
    await preview(sources, clean(mssqlArgs()));
    expect(emu.counters().checks.runs).toBe(before);
    const { state } = await up(sources, clean(mssqlArgs()));
    expect(emu.counters().checks.runs).toBe(before + 1);
    await preview(sources, clean(mssqlArgs({ configuration: { database: "sales_eu" } })), state);
    expect(emu.counters().checks.runs).toBe(before + 1);
    await up(sources, clean(mssqlArgs({ configuration: { database: "sales_eu" } })), state);
    expect(emu.counters().checks.runs).toBe(before + 2);
});
