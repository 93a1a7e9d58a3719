/**
 * Connections and streams in the public API: `GET /streams`, connection create / get / patch /
 * delete / list, the combined sync modes, every `AirbyteCatalogHelper` validation message,
 * schedules, and how internal failures become problems.
 */
import type { EmulatorHandle } from "../../emulator";
import {
    DEFINITIONS,
    PROBLEMS,
    UNKNOWN_ID,
    createConnection,
    discoveredCatalog,
    mssqlConfig,
    post,
    postgresDestinationConfig,
    postgresSourceConfig,
    publicApi,
    s3Config,
    selectStream,
    withEmulator,
} from "./helpers";

const ERROR_ID = { errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) };
const ORG = "00000000-0000-0000-0000-000000000000";

interface Fixture {
    sourceId: string;
    destinationId: string;
}

async function actors(
    emu: EmulatorHandle,
    options: {
        source?: Record<string, unknown>;
        sourceDefinition?: string;
        destination?: "postgres" | "s3";
        workspaceId?: string;
    } = {},
): Promise<Fixture> {
    const api = publicApi(emu);
    const workspaceId = options.workspaceId ?? emu.defaultWorkspaceId;
    const source = await api.post("sources", {
        name: "shop",
        workspaceId,
        definitionId: options.sourceDefinition ?? DEFINITIONS.postgres,
        configuration: options.source ?? postgresSourceConfig(),
    });
    if (source.status !== 200) throw new Error(source.text);
    const s3 = options.destination === "s3";
    const destination = await api.post("destinations", {
        name: "dw",
        workspaceId: emu.defaultWorkspaceId,
        definitionId: s3 ? DEFINITIONS.s3 : DEFINITIONS.postgresDestination,
        configuration: s3 ? s3Config() : postgresDestinationConfig(),
    });
    if (destination.status !== 200) throw new Error(destination.text);
    return { sourceId: source.body.sourceId, destinationId: destination.body.destinationId };
}

async function create(emu: EmulatorHandle, f: Fixture, body: Record<string, unknown> = {}) {
    return publicApi(emu).post("connections", { sourceId: f.sourceId, destinationId: f.destinationId, ...body });
}

/** Creates with the given stream configurations and expects a 400 bad-request problem; returns its message. */
async function rejected(emu: EmulatorHandle, f: Fixture, streams: unknown[]): Promise<string> {
    const response = await create(emu, f, { configurations: { streams } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(PROBLEMS.badRequest(expect.any(String)));
    return response.body.data.message;
}

describe("GET /streams", () => {
    test("a bare array of StreamProperties; syncModes only with a destination, filtered by its modes", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu, { destination: "s3" });
            const api = publicApi(emu);
            const withS3 = await api.get(`streams?sourceId=${f.sourceId}&destinationId=${f.destinationId}`);
            expect(withS3.status).toBe(200);
            expect(Array.isArray(withS3.body)).toBe(true);
            expect(withS3.body).toHaveLength(28);
            const orders = withS3.body.find((s: any) => s.streamName === "orders");
            expect(orders).toEqual({
                streamName: "orders",
                streamnamespace: "public",
                syncModes: ["full_refresh_append", "full_refresh_overwrite", "incremental_append"],
                defaultCursorField: [],
                sourceDefinedCursorField: false,
                sourceDefinedPrimaryKey: [["id"]],
                propertyFields: expect.arrayContaining([["id"], ["updated_at"]]),
            });
            const withoutDestination = (await api.get(`streams?sourceId=${f.sourceId}`)).body;
            expect(withoutDestination.every((s: any) => !("syncModes" in s))).toBe(true);

            const pg = await actors(emu);
            const deduped = (
                await api.get(`streams?sourceId=${pg.sourceId}&destinationId=${pg.destinationId}`)
            ).body.find((s: any) => s.streamName === "orders");
            expect(deduped.syncModes).toEqual([
                "full_refresh_append",
                "full_refresh_overwrite",
                "incremental_append",
                "incremental_deduped_history",
            ]);
        });
    });

    test("propertyFields lists nested paths; sourceDefinedCursorField follows the stream", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu, { sourceDefinition: DEFINITIONS.faker, source: { count: 10 } });
            const users = (await publicApi(emu).get(`streams?sourceId=${f.sourceId}`)).body.find(
                (s: any) => s.streamName === "users",
            );
            expect(users.sourceDefinedCursorField).toBe(true);
            expect(users.defaultCursorField).toEqual(["updated_at"]);
            expect("streamnamespace" in users).toBe(false);
            expect(users.propertyFields).toContainEqual(["address"]);
            expect(users.propertyFields).toContainEqual(["address", "city"]);
            expect(
                users.propertyFields.indexOf(
                    users.propertyFields.find((p: string[]) => p[0] === "address" && p.length === 2),
                ),
            ).toBeGreaterThan(users.propertyFields.findIndex((p: string[]) => p.length === 1 && p[0] === "address"));
        });
    });

    test("the discover cache is used; ignoreCache=true runs a fresh discover", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const api = publicApi(emu);
            await api.get(`streams?sourceId=${f.sourceId}`);
            await api.get(`streams?sourceId=${f.sourceId}`);
            expect(emu.counters().discover).toMatchObject({ runs: 1, cacheHits: 1 });
            emu.addDatabaseTable({ namespace: "public", name: "fresh_table" });
            expect((await api.get(`streams?sourceId=${f.sourceId}`)).body.map((s: any) => s.streamName)).not.toContain(
                "fresh_table",
            );
            expect(
                (await api.get(`streams?sourceId=${f.sourceId}&ignoreCache=true`)).body.map((s: any) => s.streamName),
            ).toContain("fresh_table");
            expect(emu.counters().discover).toMatchObject({ runs: 2, cacheHits: 2 });
            // The Config API's discover shares the cache.
            const configDiscover = await post(emu, "sources/discover_schema", { sourceId: f.sourceId });
            expect(configDiscover.body.jobInfo.configId).toBe("NoConfiguration");
        });
    });

    test("unknown source or destination → 404 problems; a failing discover → 500; sourceId required", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const f = await actors(emu);
            expect((await api.get(`streams?sourceId=${UNKNOWN_ID}`)).body).toEqual(
                PROBLEMS.notFound("SOURCE_CONNECTION", UNKNOWN_ID),
            );
            expect((await api.get(`streams?sourceId=${f.sourceId}&destinationId=${UNKNOWN_ID}`)).body).toEqual(
                PROBLEMS.notFound("DESTINATION_CONNECTION", UNKNOWN_ID),
            );
            const missing = await api.get("streams");
            expect([missing.status, missing.body]).toEqual([400, ERROR_ID]);
            const broken = await actors(emu, { source: postgresSourceConfig({ host: "db.invalid" }) });
            const failed = await api.get(`streams?sourceId=${broken.sourceId}`);
            expect(failed.status).toBe(500);
            expect(failed.body).toEqual(
                PROBLEMS.unexpected({
                    message: expect.stringMatching(/^Something went wrong in the connector\. logs:.*db\.invalid/),
                }),
            );
        });
    });
});

describe("POST /connections", () => {
    test('defaults: namespaceDefinition destination, prefix "", nonBreaking ignore, status active, manual schedule; workspaceId of the destination', async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu, {
                sourceDefinition: DEFINITIONS.file,
                source: {
                    dataset_name: "sales",
                    format: "csv",
                    url: "https://example.com/sales.csv",
                    provider: { storage: "HTTPS" },
                },
            });
            const response = await create(emu, f);
            expect(response.status).toBe(200);
            expect(response.body).toEqual({
                connectionId: expect.any(String),
                name: "shop <> dw",
                sourceId: f.sourceId,
                destinationId: f.destinationId,
                workspaceId: emu.defaultWorkspaceId,
                status: "active",
                schedule: { scheduleType: "manual" },
                // One discovered stream: selected by default, full_refresh_overwrite.
                configurations: {
                    streams: [
                        {
                            name: "sales",
                            primaryKey: [],
                            cursorField: [],
                            mappers: [],
                            includeFiles: false,
                            syncMode: "full_refresh_overwrite",
                            selectedFields: [],
                        },
                    ],
                },
                nonBreakingSchemaUpdatesBehavior: "ignore",
                namespaceDefinition: "destination",
                namespaceFormat: "${SOURCE_NAMESPACE}",
                prefix: "",
                createdAt: expect.any(Number),
                tags: [],
            });
            const internal = (await post(emu, "connections/get", { connectionId: response.body.connectionId })).body;
            expect(internal).toMatchObject({
                namespaceDefinition: "destination",
                prefix: "",
                nonBreakingChangesPreference: "ignore",
                scheduleType: "manual",
                status: "active",
                sourceCatalogId: expect.any(String),
            });
        });
    });

    test("without configurations every stream is full_refresh_overwrite with the default selection: none of several", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const response = await create(emu, f, { configurations: { streams: [] } });
            expect(response.status).toBe(200);
            expect(response.body.configurations).toEqual({ streams: [] });
            expect(
                (await post(emu, "connections/get", { connectionId: response.body.connectionId })).body.syncCatalog
                    .streams,
            ).toEqual([]);
        });
    });

    test("the listed streams only; each combined sync mode maps to (syncMode, destinationSyncMode) and back", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const response = await create(emu, f, {
                configurations: {
                    streams: [
                        { name: "orders", syncMode: "incremental_deduped_history", cursorField: ["updated_at"] },
                        { name: "customers", syncMode: "incremental_append", cursorField: ["updated_at"] },
                        { name: "products", syncMode: "full_refresh_append" },
                        { name: "payments", syncMode: "full_refresh_overwrite" },
                        { name: "regions" },
                    ],
                },
            });
            expect(response.status).toBe(200);
            const modes = Object.fromEntries(
                response.body.configurations.streams.map((s: any) => [s.name, s.syncMode]),
            );
            expect(modes).toEqual({
                orders: "incremental_deduped_history",
                customers: "incremental_append",
                products: "full_refresh_append",
                payments: "full_refresh_overwrite",
                regions: "full_refresh_overwrite",
            });
            const internal = (await post(emu, "connections/get", { connectionId: response.body.connectionId })).body
                .syncCatalog.streams;
            const pairs = Object.fromEntries(
                internal.map((s: any) => [
                    s.stream.name,
                    [s.config.syncMode, s.config.destinationSyncMode, s.config.cursorField, s.config.primaryKey],
                ]),
            );
            expect(pairs).toEqual({
                orders: ["incremental", "append_dedup", ["updated_at"], [["id"]]],
                customers: ["incremental", "append", ["updated_at"], [["id"]]],
                products: ["full_refresh", "append", [], [["id"]]],
                payments: ["full_refresh", "overwrite", [], [["id"]]],
                regions: ["full_refresh", "overwrite", [], [["id"]]],
            });
        });
    });

    test("reads: pairs without a combined mode omit syncMode; the Config API's (incremental, append_dedup) reads as incremental_deduped_history", async () => {
        await withEmulator({ validateSyncModes: false }, async (emu) => {
            const f = await actors(emu);
            const { catalog } = await discoveredCatalog(emu, f.sourceId, (s) =>
                s.stream.name === "orders"
                    ? selectStream(s, "incremental", "overwrite")
                    : s.stream.name === "customers"
                      ? selectStream(s, "full_refresh", "append_dedup")
                      : s.stream.name === "payments"
                        ? selectStream(s, "incremental", "append_dedup")
                        : s,
            );
            const connection = await createConnection(emu, f.sourceId, f.destinationId, { syncCatalog: catalog });
            const streams = (await publicApi(emu).get(`connections/${connection.connectionId}`)).body.configurations
                .streams;
            const byName = Object.fromEntries(streams.map((s: any) => [s.name, s]));
            expect("syncMode" in byName.orders).toBe(false);
            expect("syncMode" in byName.customers).toBe(false);
            expect(byName.payments.syncMode).toBe("incremental_deduped_history");
        });
    });

    test("selected fields: field selection on, the stream's schema cut to them", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const response = await create(emu, f, {
                configurations: {
                    streams: [
                        {
                            name: "customers",
                            syncMode: "incremental_deduped_history",
                            cursorField: ["updated_at"],
                            selectedFields: [{ fieldPath: ["id"] }, { fieldPath: ["updated_at"] }],
                        },
                    ],
                },
            });
            expect(response.status).toBe(200);
            expect(response.body.configurations.streams[0].selectedFields).toEqual([
                { fieldPath: ["id"] },
                { fieldPath: ["updated_at"] },
            ]);
            const internal = (await post(emu, "connections/get", { connectionId: response.body.connectionId })).body
                .syncCatalog.streams[0];
            expect(internal.config.fieldSelectionEnabled).toBe(true);
            expect(Object.keys(internal.stream.jsonSchema.properties)).toEqual(["id", "updated_at"]);
        });
    });

    test("nonBreaking disable_connection ↔ disable, namespace custom_format ↔ customformat, prefix and format", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const response = await create(emu, f, {
                nonBreakingSchemaUpdatesBehavior: "disable_connection",
                namespaceDefinition: "custom_format",
                namespaceFormat: "raw_${SOURCE_NAMESPACE}",
                prefix: "p_",
                status: "inactive",
                name: "named",
            });
            expect(response.body).toMatchObject({
                nonBreakingSchemaUpdatesBehavior: "disable_connection",
                namespaceDefinition: "custom_format",
                namespaceFormat: "raw_${SOURCE_NAMESPACE}",
                prefix: "p_",
                status: "inactive",
                name: "named",
            });
            const internal = (await post(emu, "connections/get", { connectionId: response.body.connectionId })).body;
            expect(internal).toMatchObject({
                nonBreakingChangesPreference: "disable",
                namespaceDefinition: "customformat",
                namespaceFormat: "raw_${SOURCE_NAMESPACE}",
                prefix: "p_",
                status: "inactive",
            });
            const badEnum = await create(emu, f, { namespaceDefinition: "customformat" });
            expect([badEnum.status, badEnum.body]).toEqual([422, ERROR_ID]);
        });
    });

    test("every AirbyteCatalogHelper 400: streams, modes, cursors, primary keys, field selection", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const s3 = await actors(emu, { destination: "s3" });
            const hint =
                "Please call the https://reference.airbyte.com/reference/getstreamproperties endpoint to see the valid stream name and namespace combinations.";
            expect(await rejected(emu, f, [{ name: "nope" }])).toBe(
                `No streams found with name [nope] and namespace [null]. ${hint}`,
            );
            expect(await rejected(emu, f, [{ name: "orders" }, { name: "orders" }])).toBe(
                "Duplicate stream found in configuration for stream name [orders] in namespace [null].",
            );
            expect(await rejected(emu, s3, [{ name: "orders", syncMode: "incremental_deduped_history" }])).toBe(
                "Cannot set sync mode to incremental_deduped_history for stream orders. Valid sync modes are: [full_refresh_overwrite, full_refresh_append, incremental_append]",
            );
            expect(await rejected(emu, f, [{ name: "orders", syncMode: "incremental_append" }])).toBe(
                "No default cursor field for stream: orders. Please include a cursor field configuration for this stream.",
            );
            expect(
                await rejected(emu, f, [{ name: "regions", syncMode: "incremental_append", cursorField: ["nope"] }]),
            ).toBe(
                "Invalid cursor field for stream: regions. The list of valid cursor fields include: [[id], [name], [country_code], [updated_at]].",
            );
            expect(
                await rejected(emu, f, [
                    { name: "audit_log", syncMode: "incremental_deduped_history", cursorField: ["event_time"] },
                ]),
            ).toBe(
                "No default primary key for stream: audit_log. Please include a primary key configuration for this stream.",
            );
            expect(
                await rejected(emu, f, [
                    {
                        name: "orders",
                        syncMode: "incremental_deduped_history",
                        cursorField: ["updated_at"],
                        primaryKey: [["customer_id"]],
                    },
                ]),
            ).toBe(
                "Primary key for stream: orders is already pre-defined. Please remove the primaryKey or provide the value as [[id]].",
            );
            expect(
                await rejected(emu, f, [
                    {
                        name: "audit_log",
                        syncMode: "incremental_deduped_history",
                        cursorField: ["event_time"],
                        primaryKey: [["nope"]],
                    },
                ]),
            ).toBe(
                "Invalid primary key for stream: audit_log. The list of valid primary keys fields: [[event_time], [actor], [action], [entity], [entity_id], [details]].",
            );
            expect(await rejected(emu, f, [{ name: "regions", selectedFields: [] }])).toBe(
                "No fields selected for stream regions. The list of valid field names includes: [id, name, country_code, updated_at].",
            );
            expect(await rejected(emu, f, [{ name: "regions", selectedFields: [{ fieldPath: [] }] }])).toBe(
                "Selected field path cannot be empty for stream:  regions.",
            );
            expect(await rejected(emu, f, [{ name: "regions", selectedFields: [{ fieldPath: ["id", "x"] }] }])).toBe(
                "Nested field selection not supported for stream regions.",
            );
            expect(
                await rejected(emu, f, [
                    { name: "regions", selectedFields: [{ fieldPath: ["id"] }, { fieldPath: ["id"] }] },
                ]),
            ).toBe("Duplicate fields selected in configuration for stream: regions.");
            expect(await rejected(emu, f, [{ name: "regions", selectedFields: [{ fieldPath: ["nope"] }] }])).toBe(
                "Invalid fields selected for stream regions. The list of valid field names includes: [id, name, country_code, updated_at].",
            );
            expect(
                await rejected(emu, f, [
                    {
                        name: "regions",
                        syncMode: "incremental_deduped_history",
                        cursorField: ["updated_at"],
                        selectedFields: [{ fieldPath: ["updated_at"] }],
                    },
                ]),
            ).toBe(
                "Primary key fields are not selected properly for stream: regions. Please include primary key(s) in the configuration for this stream.",
            );
            expect(
                await rejected(emu, f, [
                    {
                        name: "regions",
                        syncMode: "incremental_append",
                        cursorField: ["updated_at"],
                        selectedFields: [{ fieldPath: ["id"] }],
                    },
                ]),
            ).toBe(
                "Cursor field is not selected properly for stream: regions. Please include the cursor field in selected fields for this stream.",
            );
            expect(emu.snapshot().connections).toEqual([]);
        });
    });

    test("a source-defined cursor (CDC) wins and cannot be replaced", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu, {
                sourceDefinition: DEFINITIONS.mssql,
                source: mssqlConfig({ replication_method: { method: "CDC" } }),
            });
            expect(
                await rejected(emu, f, [
                    { name: "orders", syncMode: "incremental_append", cursorField: ["updated_at"] },
                ]),
            ).toBe(
                "Cursor Field [updated_at] is already defined by source for stream: orders. Do not include a cursor field configuration for this stream.",
            );
            const response = await create(emu, f, {
                configurations: { streams: [{ name: "orders", syncMode: "incremental_deduped_history" }] },
            });
            expect(response.status).toBe(200);
            expect(response.body.configurations.streams[0]).toMatchObject({
                cursorField: ["_ab_cdc_cursor"],
                primaryKey: [["id"]],
            });
        });
    });

    test("namespaces: from 1.7.0 streams are found by (name, namespace); before, by name only", async () => {
        const twoSchemas = mssqlConfig({ schemas: ["dbo", "sales"] });
        await withEmulator({}, async (emu) => {
            const f = await actors(emu, { sourceDefinition: DEFINITIONS.mssql, source: twoSchemas });
            expect(await rejected(emu, f, [{ name: "orders" }])).toBe(
                "No streams found with name [orders] and namespace [null]. Please call the https://reference.airbyte.com/reference/getstreamproperties endpoint to see the valid stream name and namespace combinations.",
            );
            const both = await create(emu, f, {
                configurations: {
                    streams: [
                        { name: "orders", namespace: "sales" },
                        { name: "orders", namespace: "dbo" },
                    ],
                },
            });
            expect(both.status).toBe(200);
            expect(both.body.configurations.streams.map((s: any) => s.namespace)).toEqual(["sales", "dbo"]);
            expect(
                await rejected(emu, f, [
                    { name: "orders", namespace: "dbo" },
                    { name: "orders", namespace: "dbo" },
                ]),
            ).toBe("Duplicate stream found in configuration for stream name [orders] in namespace [dbo].");
        });
        await withEmulator({ serverVersion: "1.6.0" }, async (emu) => {
            const f = await actors(emu, { sourceDefinition: DEFINITIONS.mssql, source: twoSchemas });
            // `namespace` is an unknown property; the HashMap by name keeps the last stream of that name.
            const created = await create(emu, f, {
                configurations: { streams: [{ name: "orders", namespace: "dbo" }] },
            });
            expect(created.status).toBe(200);
            expect(created.body.configurations.streams.map((s: any) => s.namespace)).toEqual(["sales"]);
            expect(await rejected(emu, f, [{ name: "orders" }, { name: "orders" }])).toBe(
                "Duplicate stream found in configuration for: orders.",
            );
            const invalid = await rejected(emu, f, [{ name: "nope" }]);
            expect(invalid).toMatch(/^Invalid stream found\. The list of valid streams include: \[.*\]\.$/);
            const listed = invalid.slice(invalid.indexOf("[") + 1, -2).split(", ");
            expect(listed.sort()).toEqual(
                [
                    ...new Set(
                        (await publicApi(emu).get(`streams?sourceId=${f.sourceId}`)).body.map((s: any) => s.streamName),
                    ),
                ].sort(),
            );
        });
    });

    test("unknown destination (checked first) and source → 404 problems", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            expect((await create(emu, { sourceId: UNKNOWN_ID, destinationId: UNKNOWN_ID })).body).toEqual(
                PROBLEMS.notFound("DESTINATION_CONNECTION", UNKNOWN_ID),
            );
            expect((await create(emu, { ...f, sourceId: UNKNOWN_ID })).body).toEqual(
                PROBLEMS.notFound("SOURCE_CONNECTION", UNKNOWN_ID),
            );
            const missing = await publicApi(emu).post("connections", { sourceId: f.sourceId });
            expect([missing.status, missing.body]).toEqual([400, ERROR_ID]);
        });
    });

    test("source and destination in different workspaces → 500 unexpected-problem without data, nothing stored", async () => {
        await withEmulator({}, async (emu) => {
            const other = (await post(emu, "workspaces/create", { name: "Other", organizationId: ORG })).body
                .workspaceId;
            const f = await actors(emu, { workspaceId: other });
            const response = await create(emu, f);
            expect(response.status).toBe(500);
            expect(response.body).toEqual(PROBLEMS.unexpected(null));
            expect(emu.snapshot().connections).toEqual([]);
        });
    });

    test("the selected-field limit (a BadRequestException) → 500: without data on create, with the message on patch", async () => {
        await withEmulator({ maxFieldsPerConnection: 10 }, async (emu) => {
            const f = await actors(emu);
            const tooMany = await create(emu, f, {
                configurations: { streams: [{ name: "orders" }, { name: "customers" }] },
            });
            expect(tooMany.status).toBe(500);
            expect(tooMany.body).toEqual(PROBLEMS.unexpected(null));
            const ok = await create(emu, f, { configurations: { streams: [{ name: "regions" }] } });
            expect(ok.status).toBe(200);
            const patch = await publicApi(emu).patch(`connections/${ok.body.connectionId}`, {
                configurations: { streams: [{ name: "orders" }, { name: "customers" }] },
            });
            expect(patch.status).toBe(500);
            expect(patch.body).toEqual(
                PROBLEMS.unexpected({
                    message: expect.stringMatching(
                        /^Total number of selected fields \(\d+\) is greater than the limit \(10\) configured for this workspace\./,
                    ),
                }),
            );
        });
    });
});

describe("schedules", () => {
    test("cron: a trailing UTC is stripped, the zone is always UTC, reads append the zone", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const response = await create(emu, f, {
                schedule: { scheduleType: "cron", cronExpression: "0 0 12 * * ? UTC" },
            });
            expect(response.body.schedule).toEqual({ scheduleType: "cron", cronExpression: "0 0 12 * * ? UTC" });
            const internal = (await post(emu, "connections/get", { connectionId: response.body.connectionId })).body;
            expect(internal.scheduleType).toBe("cron");
            expect(internal.scheduleData).toEqual({ cron: { cronExpression: "0 0 12 * * ?", cronTimeZone: "UTC" } });
            const plain = await create(emu, f, {
                schedule: { scheduleType: "cron", cronExpression: "0 30 6 ? * MON-FRI" },
            });
            expect(plain.body.schedule.cronExpression).toBe("0 30 6 ? * MON-FRI UTC");
        });
    });

    test("cron validation: missing expression, parse errors, the one-hour rule", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const cron = async (cronExpression?: string) => {
                const response = await create(emu, f, { schedule: { scheduleType: "cron", cronExpression } });
                expect(response.status).toBe(400);
                return response.body.data.message as string;
            };
            expect(await cron(undefined)).toBe("Missing cron expression in the schedule.");
            expect(await cron("not a cron")).toMatch(
                /^The cron expression not a cron is not valid\. Error: .*\. Please check the cron expression format at https:\/\/www\.quartz-scheduler\.org\/documentation\/quartz-2\.3\.0\/tutorials\/crontrigger\.html$/,
            );
            expect(await cron("* 0 12 * * ?")).toBe(
                "The cron expression * 0 12 * * ? is not valid or is less than the one hour minimum. The seconds and minutes values cannot be `*`.",
            );
            expect(await cron("0/5 0 12 * * ?")).toContain("less than the one hour minimum");
            expect(await cron("0 * 12 * * ? 2030")).toContain("less than the one hour minimum");
            // With six fields only the seconds are checked.
            expect(
                (await create(emu, f, { schedule: { scheduleType: "cron", cronExpression: "0 * 12 * * ?" } })).status,
            ).toBe(200);
            const noType = await create(emu, f, { schedule: { cronExpression: "0 0 12 * * ?" } });
            expect([noType.status, noType.body]).toEqual([400, ERROR_ID]);
            const basic = await create(emu, f, { schedule: { scheduleType: "basic" } });
            expect([basic.status, basic.body]).toEqual([422, ERROR_ID]);
        });
    });

    test("before 0.63.1 a trailing UTC is not stripped (and fails to parse as a year)", async () => {
        await withEmulator({ serverVersion: "0.63.0" }, async (emu) => {
            const f = await actors(emu);
            const response = await create(emu, f, {
                schedule: { scheduleType: "cron", cronExpression: "0 0 12 * * ? UTC" },
            });
            expect(response.status).toBe(400);
            expect(response.body.data.message).toMatch(
                /^The cron expression 0 0 12 \* \* \? UTC is not valid\. Error:/,
            );
        });
    });

    test("reads of Config API schedules: basic → basicTiming 'Every N UNITS', cron with its own zone", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const basic = await createConnection(emu, f.sourceId, f.destinationId, {
                scheduleType: "basic",
                scheduleData: { basicSchedule: { timeUnit: "hours", units: 24 } },
            });
            expect((await publicApi(emu).get(`connections/${basic.connectionId}`)).body.schedule).toEqual({
                scheduleType: "basic",
                basicTiming: "Every 24 HOURS",
            });
            const cron = await createConnection(emu, f.sourceId, f.destinationId, {
                scheduleType: "cron",
                scheduleData: { cron: { cronExpression: "0 0 6 * * ?", cronTimeZone: "Europe/Paris" } },
            });
            expect((await publicApi(emu).get(`connections/${cron.connectionId}`)).body.schedule).toEqual({
                scheduleType: "cron",
                cronExpression: "0 0 6 * * ? Europe/Paris",
            });
        });
    });
});

describe("GET, PATCH, DELETE and list", () => {
    test("patch applies only the fields sent; the catalog is replaced only by a non-empty configurations.streams; manual drops the cron", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const api = publicApi(emu);
            const created = (
                await create(emu, f, {
                    name: "c",
                    prefix: "p_",
                    schedule: { scheduleType: "cron", cronExpression: "0 0 12 * * ?" },
                    configurations: { streams: [{ name: "orders" }, { name: "customers" }] },
                })
            ).body;
            const id = created.connectionId;
            const renamed = (await api.patch(`connections/${id}`, { name: "renamed" })).body;
            expect(renamed).toEqual({ ...created, name: "renamed" });
            expect(
                (await api.patch(`connections/${id}`, { configurations: { streams: [] } })).body.configurations,
            ).toEqual(created.configurations);
            const replaced = (
                await api.patch(`connections/${id}`, {
                    configurations: { streams: [{ name: "regions", syncMode: "full_refresh_append" }] },
                })
            ).body;
            expect(replaced.configurations.streams.map((s: any) => [s.name, s.syncMode])).toEqual([
                ["regions", "full_refresh_append"],
            ]);
            const manual = (
                await api.patch(`connections/${id}`, {
                    schedule: { scheduleType: "manual" },
                    status: "inactive",
                    nonBreakingSchemaUpdatesBehavior: "propagate_fully",
                })
            ).body;
            expect(manual).toMatchObject({
                schedule: { scheduleType: "manual" },
                status: "inactive",
                nonBreakingSchemaUpdatesBehavior: "propagate_fully",
                prefix: "p_",
                name: "renamed",
            });
            expect((await post(emu, "connections/get", { connectionId: id })).body.scheduleData).toBeUndefined();
            const cron = (
                await api.patch(`connections/${id}`, {
                    schedule: { scheduleType: "cron", cronExpression: "0 15 3 * * ? UTC" },
                })
            ).body;
            expect(cron.schedule).toEqual({ scheduleType: "cron", cronExpression: "0 15 3 * * ? UTC" });
            const bad = await api.patch(`connections/${id}`, {
                schedule: { scheduleType: "cron", cronExpression: "* * * * * ?" },
            });
            expect(bad.body).toEqual(
                PROBLEMS.badRequest(
                    "The cron expression * * * * * ? is not valid or is less than the one hour minimum. The seconds and minutes values cannot be `*`.",
                ),
            );
            expect((await api.patch(`connections/${UNKNOWN_ID}`, { name: "x" })).body).toEqual(
                PROBLEMS.notFound("STANDARD_SYNC", UNKNOWN_ID),
            );
            expect(
                (await api.patch(`connections/${id}`, { configurations: { streams: [{ name: "nope" }] } })).status,
            ).toBe(400);
        });
    });

    test("delete → 204; a deleted connection reads 200 'deprecated', leaves lists unless includeDeleted, and a patch revives it", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const api = publicApi(emu);
            const a = (await create(emu, f, { name: "a" })).body;
            const b = (await create(emu, f, { name: "b" })).body;
            const deleted = await api.del(`connections/${a.connectionId}`);
            expect([deleted.status, deleted.text]).toEqual([204, ""]);
            const read = (await api.get(`connections/${a.connectionId}`)).body;
            expect(read).toEqual({ ...a, status: "deprecated" });
            expect((await api.get("connections")).body.data.map((c: any) => c.name)).toEqual(["b"]);
            const all = (await api.get(`connections?workspaceIds=${emu.defaultWorkspaceId}&includeDeleted=true`)).body;
            expect(all.data.map((c: any) => [c.name, c.status, c.workspaceId])).toEqual([
                ["a", "deprecated", emu.defaultWorkspaceId],
                ["b", "active", emu.defaultWorkspaceId],
            ]);
            expect(all.next).toBe(
                `http://localhost:8001/api/public/v1/connections?includeDeleted=true&workspaceIds=${emu.defaultWorkspaceId}&limit=20&offset=20`,
            );
            expect((await api.patch(`connections/${a.connectionId}`, { status: "active" })).body.status).toBe("active");
            expect((await api.get("connections?limit=1&offset=1")).body.data.map((c: any) => c.name)).toEqual(["b"]);
            expect((await api.del(`connections/${UNKNOWN_ID}`)).body).toEqual(
                PROBLEMS.notFound("STANDARD_SYNC", UNKNOWN_ID),
            );
            expect((await api.get(`connections/${UNKNOWN_ID}`)).status).toBe(404);
            expect(b.workspaceId).toBe(emu.defaultWorkspaceId);
        });
    });

    test("tags (>= 1.6.0) are stored, read back and filter lists by tagIds", async () => {
        await withEmulator({}, async (emu) => {
            const f = await actors(emu);
            const tag = {
                tagId: "9a2e5f7c-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
                name: "prod",
                color: "FF0000",
                workspaceId: emu.defaultWorkspaceId,
            };
            const tagged = (await create(emu, f, { name: "tagged", tags: [tag] })).body;
            await create(emu, f, { name: "plain" });
            expect(tagged.tags).toEqual([tag]);
            expect(
                (await publicApi(emu).get(`connections?tagIds=${tag.tagId}`)).body.data.map((c: any) => c.name),
            ).toEqual(["tagged"]);
            const incomplete = await create(emu, f, { tags: [{ tagId: tag.tagId }] });
            expect([incomplete.status, incomplete.body]).toEqual([400, ERROR_ID]);
        });
    });

    test("a LOCKED connection: 409 ConnectionLockedProblem on releases after 2.0.0 (37d38e81fb), patched on 2.0.0", async () => {
        const lockAndPatch = (serverVersion: string) =>
            withEmulator({ serverVersion }, async (emu) => {
                const f = await actors(emu);
                const created = (await create(emu, f, { status: "locked" })).body;
                return publicApi(emu).patch(`connections/${created.connectionId}`, { name: "x" });
            });
        const later = await lockAndPatch("2.1.0");
        expect(later.status).toBe(409);
        expect(later.body).toEqual({
            status: 409,
            type: "error:connection/locked",
            title: "Connection is locked",
            detail: "The connection is locked and cannot be modified.",
            documentationUrl: null,
            data: { connectionId: expect.any(String), statusReason: null },
        });
        const current = await lockAndPatch("2.0.0");
        expect([current.status, current.body.name]).toEqual([200, "x"]);
    });
});
