import { LATENCY_PROFILES, SALES_TABLE_COUNT } from "../../emulator";
import {
    DEFINITIONS,
    UNKNOWN_ID,
    createSource,
    mssqlConfig,
    post,
    postgresSourceConfig,
    withEmulator,
} from "./helpers";

function stream(catalog: any, name: string, namespace?: string): any {
    return catalog.streams.find(
        (s: any) => s.stream.name === name && (namespace === undefined || s.stream.namespace === namespace),
    );
}

describe("discover_schema: database sources", () => {
    test("each configured schema maps to the sales-domain tables, namespaced by schema", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ schemas: ["dbo", "sales"] }),
            });
            const { status, body } = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(status).toBe(200);
            expect(SALES_TABLE_COUNT).toBeGreaterThanOrEqual(24);
            expect(body.catalog.streams).toHaveLength(2 * SALES_TABLE_COUNT);
            expect(new Set(body.catalog.streams.map((s: any) => s.stream.namespace))).toEqual(
                new Set(["dbo", "sales"]),
            );
            expect(body.catalogId).toMatch(/^[0-9a-f-]{36}$/);
            expect(body.jobInfo).toMatchObject({ configType: "discover_schema", succeeded: true });

            const customers = stream(body.catalog, "customers", "dbo");
            expect(customers.stream).toMatchObject({
                jsonSchema: {
                    type: "object",
                    properties: {
                        id: { type: "number", airbyte_type: "integer" },
                        email: { type: "string" },
                        updated_at: { type: "string", format: "date-time" },
                    },
                },
                supportedSyncModes: ["full_refresh", "incremental"],
                sourceDefinedCursor: false,
                sourceDefinedPrimaryKey: [["id"]],
                // JdbcAirbyteStreamFactory.createNonGlobal sets no default cursor.
                defaultCursorField: [],
                namespace: "dbo",
            });
            expect(stream(body.catalog, "order_items").stream.sourceDefinedPrimaryKey).toEqual([
                ["order_id"],
                ["line_number"],
            ]);
            const auditLog = stream(body.catalog, "audit_log").stream;
            expect(auditLog).toMatchObject({
                sourceDefinedPrimaryKey: [],
                supportedSyncModes: ["full_refresh", "incremental"],
                defaultCursorField: [],
            });
            // Views are read like keyless tables: incremental by a user-chosen cursor column.
            expect(stream(body.catalog, "v_daily_sales").stream).toMatchObject({
                supportedSyncModes: ["full_refresh", "incremental"],
                sourceDefinedPrimaryKey: [],
            });
        });
    });

    test("each stream comes with the server's default config (not selected, full_refresh | overwrite)", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const { body } = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(stream(body.catalog, "customers").config).toEqual({
                syncMode: "full_refresh",
                destinationSyncMode: "overwrite",
                cursorField: [],
                primaryKey: [["id"]],
                aliasName: "customers",
                selected: false,
                suggested: false,
            });
        });
    });

    test("CDC replication gives source-defined cursors, CDC columns and incremental | append_dedup defaults", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({
                    replication_method: { method: "CDC", data_to_sync: "Existing and New" },
                }),
            });
            const { body } = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            const orders = stream(body.catalog, "orders");
            expect(orders.stream.sourceDefinedCursor).toBe(true);
            expect(Object.keys(orders.stream.jsonSchema.properties)).toEqual(
                expect.arrayContaining(["_ab_cdc_lsn", "_ab_cdc_updated_at", "_ab_cdc_deleted_at"]),
            );
            expect(orders.stream.defaultCursorField).toEqual(["_ab_cdc_cursor"]);
            expect(orders.config).toMatchObject({
                syncMode: "incremental",
                destinationSyncMode: "append_dedup",
                primaryKey: [["id"]],
                cursorField: ["_ab_cdc_cursor"],
            });
            // Keyless tables and views cannot be read through CDC.
            expect(stream(body.catalog, "audit_log").stream).toMatchObject({
                supportedSyncModes: ["full_refresh"],
                sourceDefinedCursor: false,
                defaultCursorField: [],
            });
            expect(stream(body.catalog, "v_daily_sales").stream.supportedSyncModes).toEqual(["full_refresh"]);

            const pg = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.postgres,
                connectionConfiguration: postgresSourceConfig({
                    replication_method: { method: "CDC", replication_slot: "airbyte_slot", publication: "airbyte_pub" },
                }),
            });
            const pgCatalog = (await post(emu, "sources/discover_schema", { sourceId: pg.sourceId })).body.catalog;
            expect(stream(pgCatalog, "orders", "public").stream.defaultCursorField).toEqual(["_ab_cdc_lsn"]);
        });
    });

    test("schemas named generated_N (or tables_N) yield N tables table_000...", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ schemas: ["generated_200", "tables_3"] }),
            });
            const { body } = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            const generated = body.catalog.streams.filter((s: any) => s.stream.namespace === "generated_200");
            expect(generated).toHaveLength(200);
            expect(generated[0].stream.name).toBe("table_000");
            expect(generated[199].stream.name).toBe("table_199");
            expect(
                body.catalog.streams
                    .filter((s: any) => s.stream.namespace === "tables_3")
                    .map((s: any) => s.stream.name),
            ).toEqual(["table_000", "table_001", "table_002"]);
        });
    });

    test("postgres defaults to the public schema; mysql uses the database as namespace", async () => {
        await withEmulator({}, async (emu) => {
            const pg = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.postgres,
                connectionConfiguration: postgresSourceConfig(),
            });
            const pgCatalog = (await post(emu, "sources/discover_schema", { sourceId: pg.sourceId })).body.catalog;
            expect(new Set(pgCatalog.streams.map((s: any) => s.stream.namespace))).toEqual(new Set(["public"]));
            const mysql = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.mysql,
                connectionConfiguration: {
                    host: "mysql.example.com",
                    port: 3306,
                    database: "shop",
                    username: "root",
                    password: "pw",
                    replication_method: { method: "STANDARD" },
                },
            });
            const mysqlCatalog = (await post(emu, "sources/discover_schema", { sourceId: mysql.sourceId })).body
                .catalog;
            expect(new Set(mysqlCatalog.streams.map((s: any) => s.stream.namespace))).toEqual(new Set(["shop"]));
        });
    });
});

describe("discover_schema: other sources", () => {
    test("faker yields users, products and purchases", async () => {
        await withEmulator({}, async (emu) => {
            const faker = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.faker,
                connectionConfiguration: { count: 100, seed: 1, records_per_slice: 10, always_updated: false },
            });
            const { body } = await post(emu, "sources/discover_schema", { sourceId: faker.sourceId });
            expect(body.catalog.streams.map((s: any) => s.stream.name)).toEqual(["users", "products", "purchases"]);
            expect(body.catalog.streams[0].stream).toMatchObject({
                sourceDefinedCursor: true,
                sourceDefinedPrimaryKey: [["id"]],
            });
        });
    });

    test("a lone stream is pre-selected, like the server's default configuration", async () => {
        await withEmulator({}, async (emu) => {
            const file = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.file,
                connectionConfiguration: {
                    dataset_name: "rates",
                    format: "csv",
                    url: "https://example.com/rates.csv",
                    provider: { storage: "HTTPS" },
                },
            });
            const { body } = await post(emu, "sources/discover_schema", { sourceId: file.sourceId });
            expect(body.catalog.streams).toHaveLength(1);
            expect(body.catalog.streams[0].config).toMatchObject({
                selected: true,
                suggested: true,
                syncMode: "full_refresh",
                destinationSyncMode: "overwrite",
            });
        });
    });
});

describe("discover_schema: failures and caching", () => {
    test("a source that cannot connect answers 200 with jobInfo.succeeded false and no catalog", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, { connectionConfiguration: mssqlConfig({ host: "db.invalid" }) });
            const { status, body } = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(status).toBe(200);
            expect(body.catalog).toBeUndefined();
            expect(body.jobInfo.succeeded).toBe(false);
            expect(body.jobInfo.failureReason.externalMessage).toContain("db.invalid");
            expect(emu.counters().discover).toEqual({ runs: 1, cacheHits: 0, failures: 1 });
            expect((await post(emu, "sources/discover_schema", { sourceId: UNKNOWN_ID })).status).toBe(404);
        });
    });

    test("results are cached per (source, configuration) unless disable_cache is set", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const first = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            const second = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(second.body.catalogId).toBe(first.body.catalogId);
            expect(second.body.catalog).toEqual(first.body.catalog);
            expect(second.body.jobInfo.succeeded).toBe(true);
            expect(emu.counters().discover).toMatchObject({ runs: 1, cacheHits: 1 });

            await post(emu, "sources/discover_schema", { sourceId: source.sourceId, disable_cache: true });
            expect(emu.counters().discover).toMatchObject({ runs: 2, cacheHits: 1 });

            // A configuration change invalidates the cache.
            await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                connectionConfiguration: { schemas: ["sales"] },
            });
            const third = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(emu.counters().discover).toMatchObject({ runs: 3, cacheHits: 1 });
            expect(third.body.catalogId).not.toBe(first.body.catalogId);
        });
    });

    test("the same catalog discovered for two sources shares one catalogId; discovery is deterministic", async () => {
        await withEmulator({}, async (emu) => {
            const a = await createSource(emu);
            const b = await createSource(emu, { name: "twin" });
            const ra = await post(emu, "sources/discover_schema", { sourceId: a.sourceId });
            const rb = await post(emu, "sources/discover_schema", { sourceId: b.sourceId });
            expect(rb.body.catalog).toEqual(ra.body.catalog);
            expect(rb.body.catalogId).toBe(ra.body.catalogId);
        });
    });
});

describe("connector jobs take time: a request behind a job is answered when the job ends", () => {
    const JOBS = { check: 300, discoverMiss: 500, discoverHit: 60 };
    const timed = async <T>(f: () => Promise<T>): Promise<{ ms: number; result: T }> => {
        const started = performance.now();
        const result = await f();
        return { ms: performance.now() - started, result };
    };

    test("discover: a miss takes the job's time, a cache hit its own, disable_cache a job again; checks take theirs; plain requests none", async () => {
        await withEmulator({ jobLatency: JOBS }, async (emu) => {
            const source = await createSource(emu);
            const miss = await timed(() => post(emu, "sources/discover_schema", { sourceId: source.sourceId }));
            expect(miss.result.status).toBe(200);
            expect(miss.ms).toBeGreaterThanOrEqual(JOBS.discoverMiss);
            const hit = await timed(() => post(emu, "sources/discover_schema", { sourceId: source.sourceId }));
            expect(hit.ms).toBeGreaterThanOrEqual(JOBS.discoverHit);
            expect(hit.ms).toBeLessThan(miss.ms);
            const fresh = await timed(() =>
                post(emu, "sources/discover_schema", { sourceId: source.sourceId, disable_cache: true }),
            );
            expect(fresh.ms).toBeGreaterThanOrEqual(JOBS.discoverMiss);
            const check = await timed(() => post(emu, "sources/check_connection", { sourceId: source.sourceId }));
            expect(check.result.body.status).toBe("succeeded");
            expect(check.ms).toBeGreaterThanOrEqual(JOBS.check);
            // Reading what the server has is no job: the latest catalog, a source.
            const latest = await timed(() =>
                post(emu, "sources/most_recent_source_actor_catalog", { sourceId: source.sourceId }),
            );
            expect(latest.result.body.catalog).toBeDefined();
            expect(latest.ms).toBeLessThan(JOBS.discoverHit);
            expect(emu.counters().discover).toMatchObject({ runs: 2, cacheHits: 1 });
            expect(emu.counters().checks.runs).toBe(1);
            expect(emu.settings().jobLatency).toEqual(JOBS);
        });
    });

    test("the realistic profile is what the CLI's --latency-profile realistic sets", () => {
        expect(LATENCY_PROFILES.realistic).toEqual({
            latencyMs: 20,
            jobLatency: { check: 10_000, discoverMiss: 20_000, discoverHit: 150 },
        });
    });
});
