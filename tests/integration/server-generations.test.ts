/**
 * The provider against the Airbyte server generations where real servers behave in ways our
 * earlier emulator did not model (issue "Behave like a real Airbyte server"). Each test names
 * the point it covers; each runs on the generation that shows the behaviour (the emulator's
 * profiles cite the airbyte-platform code, emulator/README.md).
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";
import { createBackend } from "../../provider/client/backends";
import { providerConfig } from "../helpers/airbyte-target";
import { clean, mssqlArgs, s3Args } from "../helpers/fixtures";
import {
    dummyAwsEnvironment,
    MOTO_REGION,
    MotoServer,
    motoSecretsManagerClient,
    startMoto,
    uniqueName,
} from "../helpers/moto";
import {
    CheckFailedError,
    failureOf,
    newProviderProcess,
    preview,
    refresh,
    ResourceState,
    RevivedProvider,
    reviveProvider,
    setRealEnv,
    up,
} from "../helpers/providers";
import { captureProviderLog, type LogCapture } from "../reliability/helpers";

const ORGANIZATION = "00000000-0000-0000-0000-000000000000";
const emulators: EmulatorHandle[] = [];
let log: LogCapture;

beforeAll(() => {
    log = captureProviderLog();
});
afterAll(async () => {
    log.stop();
    await Promise.all(emulators.map((e) => e.close()));
});
beforeEach(() => newProviderProcess());

async function server(options: EmulatorOptions): Promise<{
    emu: EmulatorHandle;
    config: Record<string, string>;
    call: (path: string, body: unknown) => Promise<{ status: number; body: any }>;
}> {
    const emu = await startEmulator(options);
    emulators.push(emu);
    const config = providerConfig(emu, { name: "test", emulator: options });
    let token: string | undefined;
    const call = async (path: string, body: unknown) => {
        if (emu.settings().auth === "simple") token ??= emu.issueToken();
        const basic = options.basicAuth ?? { username: "airbyte", password: "password" };
        const authorization = token
            ? `Bearer ${token}`
            : emu.settings().auth === "basic"
              ? `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString("base64")}`
              : undefined;
        const response = await fetch(`${emu.url}/api/v1/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
            body: JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    return { emu, config, call };
}

async function providers(
    config: Record<string, string>,
): Promise<Record<"Source" | "Destination" | "Connection", RevivedProvider>> {
    return {
        Source: await reviveProvider("Source", config),
        Destination: await reviveProvider("Destination", config),
        Connection: await reviveProvider("Connection", config),
    };
}

function connectionArgs(source: ResourceState, destination: ResourceState, extra: Record<string, unknown> = {}) {
    return clean({
        sourceId: source.id,
        destinationId: destination.id,
        name: "orders-to-lake",
        streams: [{ name: "orders", namespace: "dbo" }],
        ...extra,
    });
}

/** MSSQL without CDC: a JDBC source whose tables publish no cursor. */
const standardMssql = (extra: Record<string, unknown> = {}) =>
    clean(mssqlArgs({ configuration: { replication_method: { method: "STANDARD" } }, ...extra }));

describe("1. the default workspace, generation by generation", () => {
    test("2.0 with auth on: found without workspaces/list, which is gone since 1.7 (and answers 403 to a token)", async () => {
        const { emu, config } = await server({ profile: "2.0" });
        const p = await providers(config);
        const { state } = await up(p.Source, clean(mssqlArgs()));
        expect(state.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
        expect(emu.requests({ operation: "workspaces/list" })).toEqual([]);
        expect(emu.requests({ operation: "workspaces/list_by_organization_id" })).toHaveLength(1);
    });

    test("several workspaces and none chosen: check names them and says how to choose, rather than guessing", async () => {
        const { emu, config, call } = await server({ profile: "2.0" });
        // Sorts before "Default Workspace": the provider used to take it silently.
        const other = (await call("workspaces/create", { name: "Analytics", organizationId: ORGANIZATION })).body;
        const p = await providers(config);
        const error = await failureOf(up(p.Source, clean(mssqlArgs())));
        expect(error).toBeInstanceOf(CheckFailedError);
        const failure = (error as CheckFailedError).failures.find((f) => f.property === "workspaceId")!;
        expect(failure.reason).toMatch(/has 2 workspaces and does not say which is its default/);
        expect(failure.reason).toContain(`"Analytics" (${other.workspaceId})`);
        expect(failure.reason).toContain(`"Default Workspace" (${emu.defaultWorkspaceId})`);
        expect(failure.reason).toMatch(
            /set workspaceId on the resource, or `pulumi config set airbyte:workspaceId <id>`/,
        );
        expect(emu.counters().created.sources).toBe(0);
    });

    test("0.50.45: instance_configuration's defaultWorkspaceId (the oldest workspace) wins over name order", async () => {
        const { emu, config, call } = await server({
            profile: "0.50",
            basicAuth: { username: "airbyte", password: "compose-proxy-pw" },
        });
        await call("workspaces/create", { name: "Analytics", organizationId: ORGANIZATION });
        const p = await providers(config);
        const { state } = await up(p.Source, clean(mssqlArgs()));
        expect(state.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
    });

    test("1.6 (before the removal): the only workspace comes from workspaces/list", async () => {
        const { emu, config } = await server({ profile: "1.6" });
        const { state } = await up((await providers(config)).Source, clean(mssqlArgs()));
        expect(state.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
        expect(emu.requests({ operation: "workspaces/list" })).toHaveLength(1);
    });
});

describe("2. fields whose spec says airbyte_secret: false come back masked too", () => {
    const spec = {
        type: "object",
        required: ["tenant_id", "client_secret"],
        properties: {
            tenant_id: { type: "string", title: "Tenant ID", airbyte_secret: false },
            client_secret: { type: "string", title: "Client secret", airbyte_secret: true },
            region: { type: "string" },
        },
    };
    const args = () =>
        clean({
            name: "tenant",
            definition: "acme/source-azure-tenant",
            configuration: { tenant_id: "tenant-1234", region: "westeurope" },
            secrets: { client_secret: "Client-Secret-9876" },
        });

    test("refresh keeps the field (it cannot be compared), so the next preview shows no change", async () => {
        const { emu, config } = await server({ profile: "2.0" });
        emu.addCustomDefinition({
            kind: "source",
            workspaceId: emu.defaultWorkspaceId,
            name: "Azure tenant",
            dockerRepository: "acme/source-azure-tenant",
            dockerImageTag: "1.0.0",
            connectionSpecification: spec,
        });
        const p = await providers(config);
        const created = (await up(p.Source, args())).state;
        await newProviderProcess();
        const refreshed = (await refresh(p.Source, created))!;
        expect(refreshed.outputs.configuration).toEqual({ tenant_id: "tenant-1234", region: "westeurope" });
        expect((await preview(p.Source, args(), refreshed)).step).toBe("same");
    });

    test("a create whose answer is lost finds its result although the field reads back masked", async () => {
        const { emu, config } = await server({ profile: "2.0" });
        emu.addCustomDefinition({
            kind: "source",
            workspaceId: emu.defaultWorkspaceId,
            name: "Azure tenant",
            dockerRepository: "acme/source-azure-tenant",
            dockerImageTag: "1.0.0",
            connectionSpecification: spec,
        });
        emu.faults.add({ operation: "sources/create", fault: "reset-after-commit", times: 1 });
        const { state } = await up((await providers(config)).Source, args());
        expect(emu.counters().created.sources).toBe(1);
        expect(emu.requests({ operation: "sources/create" })).toHaveLength(1);
        expect(emu.storedConfiguration("source", state.id)).toMatchObject({ tenant_id: "tenant-1234" });
    });
});

test("3. discovery is cached: a table added since the last discover is found by discovering again without the cache", async () => {
    const { emu, config } = await server({ profile: "2.0" });
    const p = await providers(config);
    const source = (await up(p.Source, standardMssql())).state;
    const destination = (await up(p.Destination, clean(s3Args()))).state;
    const connection = (await up(p.Connection, connectionArgs(source, destination))).state;
    // The DBA adds a table; Airbyte's cached catalog (same source, version and configuration) does not have it.
    emu.addDatabaseTable({
        namespace: "dbo",
        name: "invoices_2027",
        columns: { id: "integer", amount: "decimal", updated_at: "timestamp" },
        primaryKey: ["id"],
    });
    await newProviderProcess();
    const args = connectionArgs(source, destination, {
        streams: [
            { name: "orders", namespace: "dbo" },
            { name: "invoices_2027", namespace: "dbo" },
        ],
    });
    expect((await preview(p.Connection, args, connection)).step).toBe("update");
    const updated = (await up(p.Connection, args, connection)).state;
    expect(updated.outputs.streamCount).toBe(2);
    expect(
        emu
            .requests({ operation: "sources/discover_schema" })
            .some((r) => (r.requestBody as { disable_cache?: boolean }).disable_cache === true),
    ).toBe(true);
});

test("4. JDBC tables publish no cursor without CDC: incremental needs cursorField, and check says what to set", async () => {
    const { emu, config, call } = await server({ profile: "2.0" });
    const p = await providers(config);
    const source = (await up(p.Source, standardMssql())).state;
    const destination = (await up(p.Destination, clean(s3Args()))).state;
    // Airbyte has discovered the source (previews read its latest catalog; they launch no discovery).
    await call("sources/discover_schema", { sourceId: source.id });
    const error = await failureOf(
        up(
            p.Connection,
            connectionArgs(source, destination, {
                streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental" }],
            }),
        ),
    );
    expect((error as CheckFailedError).failures).toEqual([
        {
            property: "streams[0].cursorField",
            reason: expect.stringMatching(
                /incremental sync of stream "dbo.orders" needs a cursor, and the source defines none for it: set cursorField: "updated_at"/,
            ),
        },
    ]);
    expect(emu.requests({ operation: "connections/create" })).toEqual([]);
    const { state } = await up(
        p.Connection,
        connectionArgs(source, destination, {
            streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental", cursorField: "updated_at" }],
        }),
    );
    const stored = emu.snapshot().connections.find((c) => c.connectionId === state.id)!;
    expect(stored.syncCatalog[0]!.config).toMatchObject({
        syncMode: "incremental",
        cursorField: ["updated_at"],
        primaryKey: [["id"]],
    });
});

describe('5. writes to objects deleted outside Pulumi say so, never "HTTP 500"', () => {
    test.each<[string, EmulatorOptions, number]>([
        ["2.0", { profile: "2.0" }, 500],
        // Before 0.63.5 the server kept a deleted source's configuration and accepted the update.
        ["0.63.4", { serverVersion: "0.63.4" }, 200],
    ])("a source on %s", async (_, options, status) => {
        const { emu, config, call } = await server(options);
        const p = await providers(config);
        const created = (await up(p.Source, clean(mssqlArgs()))).state;
        expect((await call("sources/delete", { sourceId: created.id })).status).toBe(204);
        await newProviderProcess();
        const error = await failureOf(
            up(p.Source, clean(mssqlArgs({ configuration: { database: "sales_eu" } })), created),
        );
        expect(error.message).toMatch(
            new RegExp(
                `^source "mssql": the source ${created.id} was deleted in Airbyte \\(.*\\) outside Pulumi, so it cannot be updated; nothing was changed\\. Run \`pulumi refresh\` \\(or \`pulumi up --refresh\`\\)`,
            ),
        );
        expect(error.message).not.toMatch(/HTTP 500/);
        expect(
            emu.requests().filter((r) => r.operation?.startsWith("sources/") && r.status === status).length,
        ).toBeGreaterThan(0);
        expect(await refresh(p.Source, created)).toBeUndefined();
    });

    test("a connection: the patch leaves it deleted (Airbyte would revive it) and the error says what happened", async () => {
        const { emu, config, call } = await server({ profile: "2.0" });
        const p = await providers(config);
        const source = (await up(p.Source, clean(mssqlArgs()))).state;
        const destination = (await up(p.Destination, clean(s3Args()))).state;
        const connection = (await up(p.Connection, connectionArgs(source, destination))).state;
        expect((await call("connections/delete", { connectionId: connection.id })).status).toBe(204);
        await newProviderProcess();
        const error = await failureOf(
            up(p.Connection, connectionArgs(source, destination, { schedule: { cron: "0 0 * * * ?" } }), connection),
        );
        expect(error.message).toMatch(/the connection .* was deleted in Airbyte .* outside Pulumi.*`pulumi refresh`/);
        expect((await call("connections/get", { connectionId: connection.id })).body.status).toBe("deprecated");
        // Reactivating (a status change) is refused the same way, before anything is sent.
        const paused = connectionArgs(source, destination, { status: "inactive" });
        expect((await failureOf(up(p.Connection, paused, connection))).message).toMatch(/was deleted in Airbyte/);
        expect(
            emu
                .requests({ operation: "connections/update" })
                .every((r) => (r.requestBody as { status?: string }).status === undefined),
        ).toBe(true);
    });
});

test("6. Connection.workspaceId comes from its source: connections/get does not report it", async () => {
    const { emu, config } = await server({ profile: "2.0" });
    const p = await providers(config);
    const source = (await up(p.Source, clean(mssqlArgs()))).state;
    const destination = (await up(p.Destination, clean(s3Args()))).state;
    const created = (await up(p.Connection, connectionArgs(source, destination))).state;
    expect(created.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
    const updated = (
        await up(p.Connection, connectionArgs(source, destination, { schedule: { cron: "0 0 * * * ?" } }), created)
    ).state;
    expect(updated.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
    await newProviderProcess();
    expect((await refresh(p.Connection, updated))!.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
});

describe("7. servers that date nothing: a lost create never adopts an object that existed before it", () => {
    test("sources on 1.1 (no createdAt before 1.2)", async () => {
        const { emu, config, call } = await server({ serverVersion: "1.1.0" });
        const args = clean(mssqlArgs());
        // A look-alike someone made by hand, listed first.
        const handMade = (
            await call("sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: args.name,
                sourceDefinitionId: "b5ea17b1-f170-46dc-bc31-cc744ca984c1",
                connectionConfiguration: { ...args.configuration, password: "another-password" },
            })
        ).body;
        expect(handMade.createdAt).toBeUndefined();
        emu.faults.add({ operation: "sources/create", fault: "reset-after-commit", times: 1 });
        const { state } = await up((await providers(config)).Source, args);
        expect(state.id).not.toBe(handMade.sourceId);
        expect(emu.counters().created.sources).toBe(2);
        expect(emu.requests({ operation: "sources/create" })).toHaveLength(2);
    });

    test("connections on 0.50.45 (no created_at before 0.50.46)", async () => {
        const basicAuth = { username: "airbyte", password: "compose-proxy-pw" };
        const { emu, config, call } = await server({ profile: "0.50", basicAuth });
        const p = await providers(config);
        const source = (await up(p.Source, clean(mssqlArgs()))).state;
        const destination = (await up(p.Destination, clean(s3Args()))).state;
        const handMade = (
            await call("connections/create", {
                sourceId: source.id,
                destinationId: destination.id,
                name: "orders-to-lake",
                status: "active",
            })
        ).body;
        expect(handMade.created_at).toBeUndefined();
        emu.faults.add({ operation: "connections/create", fault: "reset-after-commit", times: 1 });
        const { state } = await up(p.Connection, connectionArgs(source, destination));
        expect(state.id).not.toBe(handMade.connectionId);
        expect(emu.counters().created.connections).toBe(2);
    });
});

describe("8. deterministic 500s", () => {
    test("a source and a destination of two workspaces: check refuses the connection, nothing is sent", async () => {
        const { emu, config, call } = await server({ profile: "2.0" });
        const other = (await call("workspaces/create", { name: "Other", organizationId: ORGANIZATION })).body
            .workspaceId;
        const p = await providers(config);
        const source = (await up(p.Source, clean(mssqlArgs({ workspaceId: emu.defaultWorkspaceId })))).state;
        const destination = (await up(p.Destination, clean(s3Args({ workspaceId: other })))).state;
        const error = await failureOf(up(p.Connection, connectionArgs(source, destination)));
        expect((error as CheckFailedError).failures).toEqual([
            {
                property: "destinationId",
                reason: `the source is in workspace ${emu.defaultWorkspaceId} and the destination in workspace ${other}; Airbyte connects a source and a destination of the same workspace only`,
            },
        ]);
        expect(emu.requests({ operation: "connections/create" })).toEqual([]);
    });

    test("a create answered 500 that left nothing ends within seconds, with the server's errorId, and is not resent", async () => {
        const { emu, config } = await server({ profile: "2.0" });
        emu.faults.add({ operation: "sources/create", fault: "status", status: 500, times: 1 });
        const started = Date.now();
        const error = await failureOf(up((await providers(config)).Source, clean(mssqlArgs())));
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(error.message).toMatch(
            /^source "mssql": Airbyte refused to create the source \(HTTP 500, errorId [0-9a-f-]{36}\) and made none.*Nothing was created\.$/,
        );
        expect(emu.requests({ operation: "sources/create" })).toHaveLength(1);
        expect(emu.counters().created.sources).toBe(0);
    });
});

test("9. paging past an actor deleted between two pages (1.8: the stale cursor is a 404) restarts the listing", async () => {
    const { emu, call } = await server({ profile: "1.8" });
    const api = createBackend(
        { serverUrl: emu.url, auth: { kind: "none" }, retryLimit: 2, backoffLimitMs: 100 },
        { api: "config", cloud: false },
        { listPageSize: 20 },
    );
    for (let i = 0; i < 45; i++) {
        await api.createActor("destination", {
            workspaceId: emu.defaultWorkspaceId,
            name: `d${String(i).padStart(2, "0")}`,
            definitionId: "4816b78f-1489-44c1-9060-4b19d5fa9362",
            configuration: {
                s3_bucket_name: "b",
                s3_bucket_path: "p",
                s3_bucket_region: "eu-west-1",
                format: { format_type: "Parquet", compression_codec: "SNAPPY" },
            },
        });
    }
    const all = await api.listActors("destination", emu.defaultWorkspaceId);
    const cursor = all.find((d) => d.name === "d19")!;
    emu.clearLog();
    // The second page is held a second; meanwhile the actor it starts after is deleted.
    emu.faults.add({ operation: "destinations/list", fault: "timeout", delayMs: 1000, skip: 1, times: 1 });
    const listing = api.listActors("destination", emu.defaultWorkspaceId);
    while (emu.requests({ operation: "destinations/list" }).length < 1) await new Promise((r) => setTimeout(r, 10));
    expect((await call("destinations/delete", { destinationId: cursor.id })).status).toBe(204);
    const listed = await listing;
    expect(listed).toHaveLength(44);
    expect(listed.map((d) => d.id)).not.toContain(cursor.id);
    expect(emu.requests({ operation: "destinations/list" }).map((r) => r.status)).toContain(404);
});

describe("10. limits", () => {
    test("more selected fields than Airbyte allows per connection (20000) is a check failure", async () => {
        const { emu, config, call } = await server({ profile: "2.0" });
        const p = await providers(config);
        // 4001 tables of 5 columns: 20005 fields.
        const source = (
            await up(
                p.Source,
                standardMssql({
                    configuration: { replication_method: { method: "STANDARD" }, schemas: ["generated_4001"] },
                }),
            )
        ).state;
        const destination = (await up(p.Destination, clean(s3Args()))).state;
        await call("sources/discover_schema", { sourceId: source.id });
        const streams = Array.from({ length: 4001 }, (_, i) => `table_${String(i).padStart(4, "0")}`);
        const error = await failureOf(up(p.Connection, connectionArgs(source, destination, { streams })));
        expect((error as CheckFailedError).failures).toEqual([
            {
                property: "streams",
                reason: expect.stringMatching(
                    /would sync 20005 fields, more than the 20000 Airbyte allows per connection.*streams\[\]\.columns/,
                ),
            },
        ]);
        expect(emu.requests({ operation: "connections/create" })).toEqual([]);
    }, 60_000);

    test("a request over the server's size limit (413) gets an error saying what to shrink", async () => {
        const { emu, config } = await server({ profile: "2.0", maxRequestBytes: 200_000 });
        const p = await providers(config);
        const source = (await up(p.Source, clean(mssqlArgs()))).state;
        const destination = (await up(p.Destination, clean(s3Args()))).state;
        const stream = {
            name: "orders",
            namespace: "dbo",
            jsonSchema: { type: "object", description: "x".repeat(300_000), properties: { id: { type: "integer" } } },
            supportedSyncModes: ["full_refresh"],
        };
        const syncCatalog = {
            streams: [
                { stream, config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", selected: true } },
            ],
        };
        const error = await failureOf(
            up(p.Connection, clean({ sourceId: source.id, destinationId: destination.id, syncCatalog })),
        );
        expect(error.message).toMatch(
            /HTTP 413.*The request body \(0\.3 MiB\) is larger than the server accepts: Airbyte refuses requests over 10 MiB/,
        );
        expect(emu.counters().created.connections).toBe(0);
    });
});

test("11. time zones are matched case-sensitively, as the server's Joda DateTimeZone.forID does", async () => {
    const { emu, config } = await server({ profile: "2.0" });
    const p = await providers(config);
    const source = (await up(p.Source, clean(mssqlArgs()))).state;
    const destination = (await up(p.Destination, clean(s3Args()))).state;
    const error = await failureOf(
        up(
            p.Connection,
            connectionArgs(source, destination, { schedule: { cron: "0 0 6 * * ?", timeZone: "europe/paris" } }),
        ),
    );
    expect((error as CheckFailedError).failures).toEqual([
        { property: "schedule.timeZone", reason: expect.stringMatching(/case-sensitively; use "Europe\/Paris"/) },
    ]);
    const { state } = await up(
        p.Connection,
        connectionArgs(source, destination, { schedule: { cron: "0 0 6 * * ?", timeZone: "Europe/Paris" } }),
    );
    expect(emu.snapshot().connections.find((c) => c.connectionId === state.id)!.scheduleData).toEqual({
        cron: { cronExpression: "0 0 6 * * ?", cronTimeZone: "Europe/Paris" },
    });
});

describe("12. error bodies and instance_configuration as servers send them", () => {
    test("2.0's bare {errorId} bodies still give messages that name the call, the resource and the errorId", async () => {
        const { emu, config } = await server({ profile: "2.0" });
        const p = await providers(config);
        const created = (await up(p.Source, clean(mssqlArgs()))).state;
        emu.faults.add({ operation: "sources/update", fault: "status", status: 500, times: 1 });
        const error = await failureOf(up(p.Source, clean(mssqlArgs({ configuration: { database: "eu" } })), created));
        expect(error.message).toMatch(
            /^Airbyte sources\/update for source "mssql" failed: HTTP 500 \(Airbyte errorId [0-9a-f-]{36}\)$/,
        );
    });

    test.each([
        ["community", false],
        ["enterprise", true],
    ] as const)("the %s edition: licenseStatus %s, the provider works either way", async (edition, reported) => {
        const { emu, config, call } = await server({ profile: "2.0", edition });
        const instance = await fetch(`${emu.url}/api/v1/instance_configuration`).then(
            (r) => r.json() as Promise<Record<string, unknown>>,
        );
        expect("licenseStatus" in instance).toBe(reported);
        const { state } = await up((await providers(config)).Source, clean(mssqlArgs()));
        expect((await call("sources/get", { sourceId: state.id })).status).toBe(200);
    });
});

describe("13. a server that is still being installed", () => {
    test("apply waits for the server to answer (bounded by airbyte:serverReadyTimeoutSeconds), logging its progress", async () => {
        const { emu, config } = await server({ profile: "2.0", unavailableForMs: 4000 });
        // One retry of its own (1 s), then the readiness wait takes over.
        const p = await providers({ ...config, "airbyte:serverReadyTimeoutSeconds": "60", "airbyte:retryLimit": "1" });
        // In the one-stack story the preview never met this server (its address was still
        // unknown); the engine calls create with the inputs as they are now known.
        const mark = log.lines.length;
        const started = Date.now();
        const created = await p.Source.create({ ...clean(mssqlArgs()), __provider: p.Source.text });
        expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        const lines = log.since(mark).join("");
        expect(lines).toMatch(
            /does not answer \(HTTP 502\); waiting up to 60 s for it to start \(airbyte:serverReadyTimeoutSeconds\)/,
        );
        expect(lines).toMatch(/answers after \d+ s/);
        expect(emu.requests().filter((r) => r.status === 502).length).toBeGreaterThan(0);
    });

    test("the wait ends with a clear error when the server never comes", async () => {
        const { config } = await server({ profile: "2.0", unavailableForMs: 600_000 });
        const p = await providers({ ...config, "airbyte:serverReadyTimeoutSeconds": "3", "airbyte:retryLimit": "1" });
        const error = await failureOf(p.Source.create({ ...clean(mssqlArgs()), __provider: p.Source.text }));
        expect(error.message).toMatch(
            /did not answer within 3 s \(last: HTTP 502\).*raise airbyte:serverReadyTimeoutSeconds/,
        );
    });

    describe("credentials the instance writes to Secrets Manager when its install finishes", () => {
        let moto: MotoServer;
        let sm: SecretsManagerClient;
        let restoreEnv: () => void;
        beforeAll(async () => {
            moto = await startMoto();
            restoreEnv = setRealEnv({
                ...dummyAwsEnvironment(),
                AWS_REGION: MOTO_REGION,
                AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
            });
            sm = await motoSecretsManagerClient(moto.endpoint);
        }, 60_000);
        afterAll(async () => {
            restoreEnv?.();
            await moto?.stop();
        });

        test("are waited for: the secret exists without a value, then gets one", async () => {
            const commands = await import("@aws-sdk/client-secrets-manager");
            const { emu } = await server({ profile: "2.0", unavailableForMs: 2000 });
            const name = uniqueName("airbyte-admin");
            // What the stack creates: the secret, empty. The instance fills it at the end of its install.
            await sm.send(new commands.CreateSecretCommand({ Name: name }));
            const reference = (key: string) => ({ secretsManager: { secretId: name, key } });
            const config = {
                "airbyte:serverUrl": "http://127.0.0.1:9", // the provider's own server: not used
                "airbyte:serverReadyTimeoutSeconds": "60",
                "airbyte:profiles": JSON.stringify({
                    instance: { clientId: reference("client_id"), clientSecret: reference("client_secret") },
                }),
            };
            const p = await providers(config);
            const args = clean(mssqlArgs({ server: { url: emu.url, profile: "instance" } }));
            const mark = log.lines.length;
            setTimeout(() => {
                void sm.send(
                    new commands.PutSecretValueCommand({
                        SecretId: name,
                        SecretString: JSON.stringify({
                            client_id: emu.credentials.clientId,
                            client_secret: emu.credentials.clientSecret,
                        }),
                    }),
                );
            }, 3000);
            const created = await p.Source.create({ ...args, __provider: p.Source.text });
            expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
            expect(emu.counters().created.sources).toBe(1);
            const lines = log.since(mark).join("");
            expect(lines).toMatch(
                new RegExp(
                    `waiting for Secrets Manager secret "${name}" key "client_id" to hold the server's credentials`,
                ),
            );
            expect(lines).not.toContain(emu.credentials.clientSecret);
        });
    });
});
