import type { EmulatorHandle } from "../../emulator";
import {
    DEFINITIONS,
    UNKNOWN_ID,
    createConnection,
    createDestination,
    createSource,
    discoveredCatalog,
    mssqlConfig,
    post,
    postgresDestinationConfig,
    selectStream,
    withEmulator,
} from "./helpers";

/** A source (MSSQL, dbo), an S3 destination, and the discovered catalog with `orders` + `customers` selected. */
async function fixture(emu: EmulatorHandle, sourceConfig = mssqlConfig()) {
    const source = await createSource(emu, { name: "Sales DB", connectionConfiguration: sourceConfig });
    const destination = await createDestination(emu, { name: "Lake" });
    const { catalog, catalogId } = await discoveredCatalog(emu, source.sourceId, (s) =>
        ["orders", "customers"].includes(s.stream.name) ? selectStream(s) : s,
    );
    return { source, destination, catalog, catalogId };
}

describe("connections/create", () => {
    test("stores only selected streams and fills defaults and server-side fields", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination, catalog, catalogId } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId, {
                syncCatalog: catalog,
                sourceCatalogId: catalogId,
            });
            expect(connection).toMatchObject({
                name: "Sales DB <> Lake",
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                namespaceDefinition: "source",
                namespaceFormat: "${SOURCE_NAMESPACE}",
                prefix: "",
                nonBreakingChangesPreference: "ignore",
                backfillPreference: "disabled",
                breakingChange: false,
                sourceCatalogId: catalogId,
                scheduleType: "manual",
            });
            // ApiPojoConverters.internalToConnectionRead never sets it.
            expect("workspaceId" in connection).toBe(false);
            expect(connection.connectionId).toMatch(/^[0-9a-f-]{36}$/);
            expect(typeof connection.created_at).toBe("number");
            expect(connection.schedule).toBeUndefined();
            expect(connection.syncCatalog.streams.map((s: any) => s.stream.name).sort()).toEqual([
                "customers",
                "orders",
            ]);
            const orders = connection.syncCatalog.streams.find((s: any) => s.stream.name === "orders");
            expect(orders.config).toMatchObject({
                syncMode: "full_refresh",
                destinationSyncMode: "overwrite",
                selected: true,
                suggested: false,
                fieldSelectionEnabled: false,
                selectedFields: [],
                mappers: [],
                includeFiles: false,
                aliasName: "orders",
                primaryKey: [["id"]],
                generationId: expect.any(Number),
                minimumGenerationId: expect.any(Number),
                syncId: expect.any(Number),
            });
            const read = await post(emu, "connections/get", { connectionId: connection.connectionId });
            expect(read.body).toEqual(connection);
        });
    });

    test("requires sourceId, destinationId and status; unknown actors are 404", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            expect(
                (
                    await post(emu, "connections/create", {
                        sourceId: source.sourceId,
                        destinationId: destination.destinationId,
                    })
                ).status,
            ).toBe(400);
            expect(
                (await post(emu, "connections/create", { sourceId: source.sourceId, status: "active" })).status,
            ).toBe(400);
            expect(
                (
                    await post(emu, "connections/create", {
                        sourceId: UNKNOWN_ID,
                        destinationId: destination.destinationId,
                        status: "active",
                    })
                ).status,
            ).toBe(404);
            expect(
                (
                    await post(emu, "connections/create", {
                        sourceId: source.sourceId,
                        destinationId: UNKNOWN_ID,
                        status: "active",
                    })
                ).status,
            ).toBe(404);
            expect(
                (
                    await post(emu, "connections/create", {
                        sourceId: source.sourceId,
                        destinationId: destination.destinationId,
                        status: "paused",
                    })
                ).status,
            ).toBe(422);
        });
    });

    test("enums are accepted case-insensitively", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination, catalog } = await fixture(emu);
            const streams = catalog.streams.map((s: any) =>
                s.config.selected
                    ? { ...s, config: { ...s.config, syncMode: "FULL_REFRESH", destinationSyncMode: "Append" } }
                    : s,
            );
            const connection = await createConnection(emu, source.sourceId, destination.destinationId, {
                status: "ACTIVE",
                namespaceDefinition: "Destination",
                syncCatalog: { streams },
            });
            expect(connection.status).toBe("active");
            expect(connection.namespaceDefinition).toBe("destination");
            expect(connection.syncCatalog.streams[0].config.destinationSyncMode).toBe("append");
        });
    });

    test("duplicate stream name + namespace fails like the server's require(): HTTP 500 {errorId}", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination, catalog } = await fixture(emu);
            const orders = catalog.streams.find((s: any) => s.stream.name === "orders");
            const response = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                syncCatalog: { streams: [orders, orders] },
            });
            expect(response.status).toBe(500);
            expect(Object.keys(response.body)).toEqual(["errorId"]);
        });
    });

    test("a sync mode the stream or the destination does not support is rejected with 422 naming the stream", async () => {
        await withEmulator({}, async (emu) => {
            // Under CDC, views are full_refresh only.
            const { source, destination, catalog } = await fixture(
                emu,
                mssqlConfig({ replication_method: { method: "CDC" } }),
            );
            const view = selectStream(
                catalog.streams.find((s: any) => s.stream.name === "v_daily_sales"),
                "incremental",
                "append",
            );
            const badSyncMode = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                syncCatalog: { streams: [view] },
            });
            expect(badSyncMode.status).toBe(422);
            expect(badSyncMode.body.message).toContain("dbo.v_daily_sales");
            const dedup = selectStream(
                catalog.streams.find((s: any) => s.stream.name === "orders"),
                "incremental",
                "append_dedup",
            );
            const badDestinationMode = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                syncCatalog: { streams: [dedup] },
            });
            expect(badDestinationMode.status).toBe(422);
            expect(badDestinationMode.body.message).toContain("dbo.orders");
            expect(badDestinationMode.body.message).toContain("append_dedup");
            // A Postgres destination supports append_dedup.
            const pg = await createDestination(emu, {
                destinationDefinitionId: DEFINITIONS.postgresDestination,
                connectionConfiguration: postgresDestinationConfig(),
            });
            const ok = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: pg.destinationId,
                status: "active",
                syncCatalog: { streams: [dedup] },
            });
            expect(ok.status).toBe(200);
            expect(ok.body.syncCatalog.streams[0].config).toMatchObject({
                syncMode: "incremental",
                destinationSyncMode: "append_dedup",
                cursorField: ["_ab_cdc_cursor"],
            });
        });
    });

    test("primaryKey and cursorField are stored as sent: nothing is filled in, and incremental without a cursor is accepted", async () => {
        await withEmulator({}, async (emu) => {
            const { source } = await fixture(emu, mssqlConfig({ replication_method: { method: "CDC" } }));
            const pg = await createDestination(emu, {
                destinationDefinitionId: DEFINITIONS.postgresDestination,
                connectionConfiguration: postgresDestinationConfig(),
            });
            const { catalog } = await discoveredCatalog(emu, source.sourceId);
            const items = catalog.streams.find((s: any) => s.stream.name === "order_items");
            const bare = {
                stream: items.stream,
                config: { syncMode: "incremental", destinationSyncMode: "append_dedup", selected: true },
            };
            const connection = await createConnection(emu, source.sourceId, pg.destinationId, {
                syncCatalog: { streams: [bare] },
            });
            const config = connection.syncCatalog.streams[0].config;
            expect(config.primaryKey).toEqual([]);
            expect("cursorField" in config).toBe(false);

            // A non-CDC table has no default cursor: incremental without one is still saved (the connector falls back
            // at sync time).
            const standard = await createSource(emu, { name: "standard" });
            const orders = (await discoveredCatalog(emu, standard.sourceId)).catalog.streams.find(
                (s: any) => s.stream.name === "orders",
            );
            expect(orders.stream.defaultCursorField).toEqual([]);
            const noCursor = await post(emu, "connections/create", {
                sourceId: standard.sourceId,
                destinationId: pg.destinationId,
                status: "active",
                syncCatalog: { streams: [selectStream(orders, "incremental", "append")] },
            });
            expect(noCursor.status).toBe(200);
            expect(noCursor.body.syncCatalog.streams[0].config).toMatchObject({
                syncMode: "incremental",
                cursorField: [],
            });
            const chosen = {
                stream: orders.stream,
                config: {
                    ...orders.config,
                    selected: true,
                    syncMode: "incremental",
                    destinationSyncMode: "append",
                    cursorField: ["updated_at"],
                },
            };
            const withCursor = await post(emu, "connections/create", {
                sourceId: standard.sourceId,
                destinationId: pg.destinationId,
                status: "active",
                syncCatalog: { streams: [chosen] },
            });
            expect(withCursor.body.syncCatalog.streams[0].config.cursorField).toEqual(["updated_at"]);
        });
    });

    test("no syncCatalog gives an empty catalog", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId);
            expect(connection.syncCatalog).toEqual({ streams: [] });
        });
    });
});

describe("connection schedules", () => {
    test("basic schedules are echoed as scheduleData and as the legacy schedule", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId, {
                scheduleType: "basic",
                scheduleData: { basicSchedule: { timeUnit: "hours", units: 6 } },
            });
            expect(connection.scheduleType).toBe("basic");
            expect(connection.scheduleData).toEqual({ basicSchedule: { timeUnit: "hours", units: 6 } });
            expect(connection.schedule).toEqual({ units: 6, timeUnit: "hours" });
            const legacy = await createConnection(emu, source.sourceId, destination.destinationId, {
                schedule: { units: 30, timeUnit: "minutes" },
            });
            expect(legacy).toMatchObject({
                scheduleType: "basic",
                scheduleData: { basicSchedule: { timeUnit: "minutes", units: 30 } },
                schedule: { units: 30, timeUnit: "minutes" },
            });
        });
    });

    test("cron schedules use Quartz syntax; invalid expressions and Etc time zones are 400 problems", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const base = {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                scheduleType: "cron",
            };
            const ok = await post(emu, "connections/create", {
                ...base,
                scheduleData: { cron: { cronExpression: "0 0 12 * * ?", cronTimeZone: "Europe/Paris" } },
            });
            expect(ok.status).toBe(200);
            expect(ok.body).toMatchObject({
                scheduleType: "cron",
                scheduleData: { cron: { cronExpression: "0 0 12 * * ?", cronTimeZone: "Europe/Paris" } },
            });
            expect(ok.body.schedule).toBeUndefined();

            const unix = await post(emu, "connections/create", {
                ...base,
                scheduleData: { cron: { cronExpression: "0 12 * * *", cronTimeZone: "UTC" } },
            });
            expect(unix.status).toBe(400);
            expect(unix.body).toMatchObject({
                type: "error:cron-validation/invalid-expression",
                status: 400,
                title: expect.any(String),
                detail: expect.any(String),
            });

            const etc = await post(emu, "connections/create", {
                ...base,
                scheduleData: { cron: { cronExpression: "0 0 12 * * ?", cronTimeZone: "Etc/UTC" } },
            });
            expect(etc.status).toBe(400);
            expect(etc.body.type).toBe("error:cron-validation/invalid-timezone");

            const missing = await post(emu, "connections/create", {
                ...base,
                scheduleData: { cron: { cronExpression: "0 0 12 * * ?" } },
            });
            expect(missing.status).toBe(400);
            expect(missing.body.type).toBe("error:cron-validation/missing-component");
        });
    });

    test("create rejects both schedule and scheduleType, and a non-manual type without data (422)", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const base = { sourceId: source.sourceId, destinationId: destination.destinationId, status: "active" };
            const both = await post(emu, "connections/create", {
                ...base,
                schedule: { units: 1, timeUnit: "hours" },
                scheduleType: "basic",
                scheduleData: { basicSchedule: { units: 1, timeUnit: "hours" } },
            });
            expect(both.status).toBe(422);
            expect(both.body.message).toContain("supply old or new schedule schema but not both");
            const noData = await post(emu, "connections/create", { ...base, scheduleType: "basic" });
            expect(noData.status).toBe(422);
            expect(emu.counters().created.connections).toBe(0);
        });
    });

    test("update with legacy schedule, or scheduleData without scheduleType, fails with HTTP 500 {errorId}", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId);
            const legacy = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                schedule: { units: 1, timeUnit: "hours" },
            });
            expect(legacy.status).toBe(500);
            expect(Object.keys(legacy.body)).toEqual(["errorId"]);
            const dataOnly = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                scheduleData: { basicSchedule: { units: 1, timeUnit: "hours" } },
            });
            expect(dataOnly.status).toBe(500);
            const manualWithData = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                scheduleType: "manual",
                scheduleData: { basicSchedule: { units: 1, timeUnit: "hours" } },
            });
            expect(manualWithData.status).toBe(500);
            const cron = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                scheduleType: "cron",
                scheduleData: { cron: { cronExpression: "0 0 3 ? * MON-FRI", cronTimeZone: "America/New_York" } },
            });
            expect(cron.status).toBe(200);
            expect(cron.body.scheduleType).toBe("cron");
            const badZone = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                scheduleType: "cron",
                scheduleData: { cron: { cronExpression: "0 0 3 * * ?", cronTimeZone: "Etc/GMT+2" } },
            });
            expect(badZone.status).toBe(400);
        });
    });
});

describe("connections/update, list, delete", () => {
    test("update is patch-style: absent fields are unchanged, a present syncCatalog replaces the catalog", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination, catalog } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId, {
                syncCatalog: catalog,
                scheduleType: "basic",
                scheduleData: { basicSchedule: { timeUnit: "days", units: 1 } },
            });
            const renamed = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                name: "nightly",
                status: "inactive",
            });
            expect(renamed.status).toBe(200);
            expect(renamed.body).toMatchObject({
                name: "nightly",
                status: "inactive",
                scheduleType: "basic",
                prefix: "",
            });
            expect(renamed.body.syncCatalog).toEqual(connection.syncCatalog);
            const customers = catalog.streams.find((s: any) => s.stream.name === "customers");
            const replaced = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                syncCatalog: { streams: [customers] },
            });
            expect(replaced.body.syncCatalog.streams.map((s: any) => s.stream.name)).toEqual(["customers"]);
            expect(replaced.body.name).toBe("nightly");
            expect((await post(emu, "connections/update", { connectionId: UNKNOWN_ID, name: "x" })).status).toBe(404);
        });
    });

    test("delete answers 204; the connection reads as deprecated and leaves list (not paginated)", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const keep = await createConnection(emu, source.sourceId, destination.destinationId, { name: "keep" });
            const drop = await createConnection(emu, source.sourceId, destination.destinationId, { name: "drop" });
            for (let i = 0; i < 25; i++)
                await createConnection(emu, source.sourceId, destination.destinationId, { name: `bulk ${i}` });
            const deleted = await post(emu, "connections/delete", { connectionId: drop.connectionId });
            expect(deleted.status).toBe(204);
            expect(deleted.text).toBe("");
            const read = await post(emu, "connections/get", { connectionId: drop.connectionId });
            expect(read.status).toBe(200);
            expect(read.body.status).toBe("deprecated");
            const list = await post(emu, "connections/list", { workspaceId: emu.defaultWorkspaceId });
            expect(list.body.connections).toHaveLength(26);
            expect(list.body.connections.map((c: any) => c.connectionId)).toContain(keep.connectionId);
            expect(list.body.connections.map((c: any) => c.connectionId)).not.toContain(drop.connectionId);
            expect((await post(emu, "connections/delete", { connectionId: UNKNOWN_ID })).status).toBe(404);
            expect((await post(emu, "connections/get", { connectionId: UNKNOWN_ID })).status).toBe(404);
        });
    });
});

describe("sync jobs", () => {
    test("sync creates a running job that succeeds after syncDurationMs; a second sync meanwhile is 409", async () => {
        await withEmulator({ syncDurationMs: 60_000 }, async (emu) => {
            const { source, destination } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId);
            const sync = await post(emu, "connections/sync", { connectionId: connection.connectionId });
            expect(sync.status).toBe(200);
            expect(sync.body).toEqual({
                job: expect.objectContaining({
                    id: expect.any(Number),
                    configType: "sync",
                    configId: connection.connectionId,
                    status: "running",
                    createdAt: expect.any(Number),
                    updatedAt: expect.any(Number),
                }),
                attempts: [],
            });
            const again = await post(emu, "connections/sync", { connectionId: connection.connectionId });
            expect(again.status).toBe(409);
            expect(again.body.message).toBe(`A sync is already running for: ${connection.connectionId}`);

            emu.advanceTime(61_000);
            const job = await post(emu, "jobs/get", { id: sync.body.job.id });
            expect(job.status).toBe(200);
            expect(job.body.job.status).toBe("succeeded");
            expect(job.body.attempts).toHaveLength(1);
            const light = await post(emu, "jobs/get_light", { id: sync.body.job.id });
            expect(Object.keys(light.body)).toEqual(["job"]);
            expect(light.body.job.status).toBe("succeeded");
            expect((await post(emu, "connections/sync", { connectionId: connection.connectionId })).status).toBe(200);
            expect((await post(emu, "jobs/get", { id: 999999 })).status).toBe(404);
            expect((await post(emu, "jobs/get", { id: "abc" })).status).toBe(422);
            expect((await post(emu, "connections/sync", { connectionId: UNKNOWN_ID })).status).toBe(404);
        });
    });
});
