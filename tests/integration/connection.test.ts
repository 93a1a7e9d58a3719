/**
 * Connection against the emulator over real HTTP, through the serialized provider round trip.
 */
import {
    AirbyteTarget,
    needsAdmin,
    operationName,
    sentStreams,
    startTarget,
    usesPublicApi,
} from "../helpers/airbyte-target";
import { clean, mssqlArgs, s3Args } from "../helpers/fixtures";
import {
    CheckFailedError,
    destroy,
    failureOf,
    newProviderProcess,
    preview,
    refresh,
    ResourceState,
    RevivedProvider,
    reviveProvider,
    up,
} from "../helpers/providers";
import { UNKNOWN } from "../../provider/runtime/values";

let target: AirbyteTarget;
let sources: RevivedProvider;
let destinations: RevivedProvider;
let connections: RevivedProvider;
let source: ResourceState;
let destination: ResourceState;

const api = (path: string, body: unknown) => target.api(path, body);

beforeAll(async () => {
    target = await startTarget();
    sources = await reviveProvider("Source", target.config);
    destinations = await reviveProvider("Destination", target.config);
    connections = await reviveProvider("Connection", target.config);
    source = (await up(sources, clean(mssqlArgs()))).state;
    destination = (await up(destinations, clean(s3Args()))).state;
});
afterAll(async () => {
    await destroy(sources, source).catch(() => undefined);
    await destroy(destinations, destination).catch(() => undefined);
    await target.close();
});

/** The two incremental streams of the MSSQL → S3 story, with ids chained from the outputs. */
function connectionArgs(extra: Record<string, unknown> = {}) {
    return clean({
        sourceId: source.outputs.sourceId,
        destinationId: destination.outputs.destinationId,
        streams: [
            { name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
            { name: "customers", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
        ],
        schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
        ...extra,
    });
}

test("create chains ids from source and destination, builds syncCatalog from discovery, keeps selections not schemas", async () => {
    const admin = needsAdmin(target);
    await admin.clearLog();
    const { state } = await up(connections, connectionArgs());
    expect(state.outputs).toMatchObject({
        connectionId: state.id,
        sourceId: source.id,
        destinationId: destination.id,
        streamCount: 2,
        status: "active",
        schedule: { type: "cron", cron: "0 0 * * * ?", timeZone: "UTC" },
    });
    expect(state.outputs.name).toBe("mssql <> lake"); // Airbyte's default name
    expect(state.outputs.catalogDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(state.outputs)).not.toContain("jsonSchema");
    const [create] = await admin.requests({ operation: operationName("connection.create") });
    const sent = sentStreams(create!.requestBody);
    expect(sent.map((s) => s.name).sort()).toEqual(["customers", "orders"]);
    // Source-defined (CDC) cursor and primary key are taken from the source, not invented.
    const orders = sent.find((s) => s.name === "orders")!;
    expect(orders.primaryKey).toEqual([["id"]]);
    expect(orders.cursorField).toEqual(["_ab_cdc_cursor"]);
    if (!usesPublicApi()) {
        expect((create!.requestBody as any).scheduleType).toBe("cron");
        expect(create!.requestBody).not.toHaveProperty("schedule");
    } else
        expect((create!.requestBody as any).schedule).toEqual({ scheduleType: "cron", cronExpression: "0 0 * * * ?" });
    await destroy(connections, state);
});

test("no-op with 24 streams in shuffled order and secrets present: read then preview plans nothing and calls nothing", async () => {
    const admin = needsAdmin(target);
    const names = [
        "customers",
        "customer_addresses",
        "products",
        "product_categories",
        "suppliers",
        "product_suppliers",
        "warehouses",
        "inventory_levels",
        "orders",
        "order_items",
        "payments",
        "shipments",
        "returns",
        "invoices",
        "invoice_lines",
        "employees",
        "departments",
        "sales_reps",
        "regions",
        "stores",
        "promotions",
        "order_promotions",
        "price_history",
        "exchange_rates",
    ];
    const streams = names.map((name) => ({ name, namespace: "dbo", syncMode: "incremental" as const }));
    const created = (await up(connections, connectionArgs({ streams }))).state;
    expect(created.outputs.streamCount).toBe(24);
    await newProviderProcess();
    const refreshed = (await refresh(connections, created))!;
    const shuffled = [...streams].sort(() => 0.5 - Math.random()).reverse();
    await newProviderProcess();
    await admin.clearLog();
    // All three resources, with the same inputs (keys and streams shuffled): no change, no API call.
    expect((await preview(connections, connectionArgs({ streams: shuffled }), refreshed)).step).toBe("same");
    expect((await preview(sources, clean(mssqlArgs()), source)).step).toBe("same");
    expect((await preview(destinations, clean(s3Args()), destination)).step).toBe("same");
    expect(await admin.requests()).toEqual([]);
    await destroy(connections, refreshed);
});

test("server defaults (name, namespaceDefinition, server-filled stream fields) never show as changes", async () => {
    const created = (await up(connections, connectionArgs())).state;
    await newProviderProcess();
    const refreshed = (await refresh(connections, created))!;
    expect(refreshed.inputs).not.toHaveProperty("name");
    expect(refreshed.inputs).not.toHaveProperty("namespaceDefinition");
    expect((await preview(connections, connectionArgs(), refreshed)).step).toBe("same");
    await destroy(connections, refreshed);
});

test("unknown ids at preview: check passes, diff plans a replacement", async () => {
    const created = (await up(connections, connectionArgs())).state;
    const plan = await preview(connections, { ...connectionArgs(), sourceId: UNKNOWN }, created);
    expect(plan.step).toBe("replace");
    expect(plan.diff?.replaces).toEqual(["sourceId"]);
    // A new stack's first preview: nothing is known yet, nothing is called.
    await expect(
        preview(connections, { ...connectionArgs(), sourceId: UNKNOWN, destinationId: UNKNOWN }),
    ).resolves.toMatchObject({ step: "create" });
    await destroy(connections, created);
});

test("updates: schedule, options and streams in place; `schedule` is never sent in connections/update", async () => {
    const admin = needsAdmin(target);
    let state = (await up(connections, connectionArgs({ name: "mssql-to-s3" }))).state;
    await admin.clearLog();
    if (usesPublicApi()) {
        // The public API has no basic schedules: check says so, and how to write one as cron.
        const refused = await failureOf(
            preview(
                connections,
                connectionArgs({ name: "mssql-to-s3", schedule: { units: 6, timeUnit: "hours" } }),
                state,
            ),
        );
        expect((refused as CheckFailedError).failures).toEqual([
            { property: "schedule", reason: expect.stringMatching(/no form for a basic schedule .*cron expression/) },
        ]);
    }
    const changes: Record<string, unknown>[] = [
        usesPublicApi() ? { schedule: { cron: "0 0 */6 * * ?" } } : { schedule: { units: 6, timeUnit: "hours" } },
        { schedule: "manual" },
        {
            namespaceDefinition: "customformat",
            namespaceFormat: "${SOURCE_NAMESPACE}_raw",
            prefix: "mssql_",
            nonBreakingChangesPreference: "propagate_columns",
        },
        { status: "inactive" },
        { streams: [{ name: "orders", namespace: "dbo", syncMode: "full_refresh", destinationSyncMode: "overwrite" }] },
    ];
    let args = connectionArgs({ name: "mssql-to-s3" });
    for (const change of changes) {
        args = { ...args, ...change };
        const result = await up(connections, args, state);
        expect(result.step).toBe("update");
        expect(result.state.id).toBe(state.id);
        state = result.state;
    }
    const live = (await api("connections/get", { connectionId: state.id })).body;
    expect(live).toMatchObject({
        name: "mssql-to-s3",
        scheduleType: "manual",
        namespaceDefinition: "customformat",
        namespaceFormat: "${SOURCE_NAMESPACE}_raw",
        prefix: "mssql_",
        nonBreakingChangesPreference: "propagate_columns",
        status: "inactive",
    });
    expect(live.syncCatalog.streams.map((s: any) => s.config.syncMode)).toEqual(["full_refresh"]);
    if (!usesPublicApi())
        for (const request of await admin.requests({ operation: "connections/update" }))
            expect(request.requestBody).not.toHaveProperty("schedule");
    await newProviderProcess();
    const refreshed = (await refresh(connections, state))!;
    expect((await preview(connections, args, refreshed)).step).toBe("same");
    await destroy(connections, refreshed);
});

test("changing the source replaces the connection", async () => {
    const created = (await up(connections, connectionArgs())).state;
    const other = (await up(sources, clean(mssqlArgs({ name: "mssql-2" })))).state;
    const plan = await preview(connections, connectionArgs({ sourceId: other.id }), created);
    expect(plan.diff?.replaces).toEqual(["sourceId"]);
    const replaced = await up(connections, connectionArgs({ sourceId: other.id }), created);
    expect(replaced.step).toBe("replace");
    expect((await api("connections/get", { connectionId: created.id })).body.status).toBe("deprecated");
    await destroy(connections, replaced.state);
    await destroy(sources, other);
});

test("refresh detects stream drift made in the UI, and a deleted connection is dropped", async () => {
    const created = (await up(connections, connectionArgs())).state;
    const live = (await api("connections/get", { connectionId: created.id })).body;
    // In the UI: orders switched to full refresh, and a third stream added.
    const discovered = (await api("sources/discover_schema", { sourceId: source.id })).body.catalog.streams;
    const payments = discovered.find((s: any) => s.stream.name === "payments");
    live.syncCatalog.streams[0].config.syncMode = "full_refresh";
    live.syncCatalog.streams.push({
        stream: payments.stream,
        config: { ...payments.config, selected: true, syncMode: "full_refresh", destinationSyncMode: "overwrite" },
    });
    expect((await api("connections/update", { connectionId: created.id, syncCatalog: live.syncCatalog })).status).toBe(
        200,
    );
    await newProviderProcess();
    const refreshed = (await refresh(connections, created))!;
    const streams = refreshed.inputs.streams as any[];
    expect(streams.find((s) => s.name === "payments")).toMatchObject({
        syncMode: "full_refresh",
        destinationSyncMode: "overwrite",
    });
    expect(streams.filter((s) => s.syncMode === "full_refresh").length).toBe(2);
    const plan = await preview(connections, connectionArgs(), refreshed);
    expect(plan.step).toBe("update");
    const fixed = (await up(connections, connectionArgs(), refreshed)).state;
    expect((await api("connections/get", { connectionId: created.id })).body.syncCatalog.streams.length).toBe(2);
    await api("connections/delete", { connectionId: created.id });
    await newProviderProcess();
    expect(await refresh(connections, fixed)).toBeUndefined();
    await expect(destroy(connections, fixed)).resolves.toBeUndefined();
});

test("deleting the source cascades; the connection's delete and refresh tolerate it", async () => {
    const extraSource = (await up(sources, clean(mssqlArgs({ name: "cascade" })))).state;
    const created = (await up(connections, connectionArgs({ sourceId: extraSource.id }))).state;
    await destroy(sources, extraSource); // deletes (deprecates) the connection server-side
    await newProviderProcess();
    expect(await refresh(connections, created)).toBeUndefined();
    await expect(destroy(connections, created)).resolves.toBeUndefined();
});

test("a raw syncCatalog is accepted as an escape hatch and round-trips without diffs (Config API only)", async () => {
    const discovered = (await api("sources/discover_schema", { sourceId: source.id })).body;
    const orders = discovered.catalog.streams.find((s: any) => s.stream.name === "orders");
    const syncCatalog = {
        streams: [
            {
                stream: orders.stream,
                config: {
                    ...orders.config,
                    selected: true,
                    syncMode: "full_refresh",
                    destinationSyncMode: "overwrite",
                },
            },
        ],
    };
    const args = clean({ sourceId: source.id, destinationId: destination.id, syncCatalog });
    if (usesPublicApi()) {
        const refused = await failureOf(up(connections, args));
        expect((refused as CheckFailedError).failures).toEqual([
            {
                property: "syncCatalog",
                reason: expect.stringMatching(/Config API's form; with the public API, choose streams by name/),
            },
        ]);
        return;
    }
    const created = (await up(connections, args)).state;
    await newProviderProcess();
    const refreshed = (await refresh(connections, created))!;
    expect((await preview(connections, args, refreshed)).step).toBe("same");
    await destroy(connections, refreshed);
});

test("adoptId takes over an existing connection", async () => {
    const admin = needsAdmin(target);
    const existing = (await up(connections, connectionArgs({ schedule: "manual" }))).state;
    await admin.clearLog();
    const adopted = (await up(connections, connectionArgs({ adoptId: existing.id }))).state;
    expect(adopted.id).toBe(existing.id);
    expect(await admin.requests({ operation: operationName("connection.create") })).toEqual([]);
    expect((await api("connections/get", { connectionId: existing.id })).body.scheduleType).toBe("cron");
    await newProviderProcess();
    const refreshed = (await refresh(connections, adopted))!;
    expect((await preview(connections, connectionArgs({ adoptId: existing.id }), refreshed)).step).toBe("same");
    await destroy(connections, refreshed);
});
