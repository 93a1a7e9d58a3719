/**
 * The Airbyte API client (provider/client) against the emulator over real HTTP on 127.0.0.1,
 * with the real `got`: operations, pagination, auth modes, retries, typed errors, redaction,
 * concurrency. No HTTP interceptors.
 */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { createBackend } from "../../provider/client/backends";
import { eventually } from "../helpers/eventually";
import { failureOf } from "../helpers/failure-of";
import { AirbyteApiError } from "../../provider/client/errors";
import type { TransportSettings } from "../../provider/client/transport";
import { resetProcessState } from "../../provider/process-state";
import { clearRegisteredSecrets, registerSecret } from "../../provider/redact";
import { parseServerUrl } from "../../provider/runtime/settings";

const MSSQL = "b5ea17b1-f170-46dc-bc31-cc744ca984c1";
const S3 = "4816b78f-1489-44c1-9060-4b19d5fa9362";
const SECRET = "Very-Secret-Passw0rd";

const emulators: EmulatorHandle[] = [];
async function emulator(options: Parameters<typeof startEmulator>[0] = {}) {
    const emu = await startEmulator(options);
    emulators.push(emu);
    return emu;
}
afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
});
afterEach(() => {
    resetProcessState();
    clearRegisteredSecrets();
});

/** The Config API backend, in domain terms, over the real transport. */
function client(emu: EmulatorHandle | string, settings: Partial<TransportSettings> = {}, listPageSize?: number) {
    const serverUrl = typeof emu === "string" ? emu : emu.url;
    return createBackend(
        { serverUrl, auth: { kind: "none" }, retryLimit: 3, backoffLimitMs: 200, ...settings },
        { api: "config", cloud: false },
        { listPageSize },
    );
}

async function createDestinations(emu: EmulatorHandle, count: number): Promise<void> {
    const api = client(emu);
    for (let i = 0; i < count; i++) {
        await api.createActor("destination", {
            workspaceId: emu.defaultWorkspaceId,
            name: `d${String(i).padStart(2, "0")}`,
            definitionId: S3,
            configuration: {
                s3_bucket_name: "b",
                s3_bucket_path: "p",
                s3_bucket_region: "eu-west-1",
                format: { format_type: "Parquet", compression_codec: "SNAPPY" },
            },
        });
    }
}

function mssqlConfiguration(extra: Record<string, unknown> = {}) {
    return {
        host: "mssql.example.com",
        port: 1433,
        database: "sales",
        schemas: ["dbo"],
        username: "airbyte",
        password: SECRET,
        ssl_method: { ssl_method: "unencrypted" },
        replication_method: { method: "STANDARD" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
        ...extra,
    };
}

/** The error a call fails with (failureOf throws when it succeeds). */
async function errorOf(promise: Promise<unknown>): Promise<AirbyteApiError> {
    return (await failureOf(promise)) as AirbyteApiError;
}

describe("operations", () => {
    test("workspaces, definitions and specifications", async () => {
        const emu = await emulator();
        const api = client(emu);
        const workspace = await api.workspace(emu.defaultWorkspaceId);
        expect(workspace).toEqual({ id: emu.defaultWorkspaceId, name: expect.any(String) });
        expect(await api.workspace("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")).toBeUndefined();
        expect((await api.listWorkspaces()).map((w) => w.id)).toContain(emu.defaultWorkspaceId);
        const sources = await api.listDefinitions("source", emu.defaultWorkspaceId);
        expect(sources.map((d) => d.dockerRepository)).toEqual(
            expect.arrayContaining([
                "airbyte/source-mssql",
                "airbyte/source-postgres",
                "airbyte/source-mysql",
                "airbyte/source-faker",
            ]),
        );
        expect(sources.find((d) => d.id === MSSQL)?.name).toMatch(/MSSQL/);
        const spec = await api.specification("source", MSSQL, emu.defaultWorkspaceId);
        expect((spec.schema.properties as any).password.airbyte_secret).toBe(true);
        const destinations = await api.listDefinitions("destination", emu.defaultWorkspaceId);
        expect(destinations.map((d) => d.dockerRepository)).toEqual(
            expect.arrayContaining(["airbyte/destination-s3", "airbyte/destination-postgres"]),
        );
        expect(
            (await api.specification("destination", S3, emu.defaultWorkspaceId)).supportedDestinationSyncModes,
        ).toContain("append");
    });

    test("sources, destinations, connections, check and discover", async () => {
        const emu = await emulator();
        const api = client(emu);
        const ws = emu.defaultWorkspaceId;
        const write = { workspaceId: ws, name: "db", definitionId: MSSQL, configuration: mssqlConfiguration() };
        expect(await api.checkNewActor("source", write)).toEqual({ succeeded: true });
        const source = await api.createActor("source", write);
        expect(source.configuration.password).toBe("**********");
        expect((await api.getActor("source", source.id))?.name).toBe("db");
        const failing = await api.checkActorUpdate("source", source.id, {
            name: "db",
            configuration: mssqlConfiguration({ host: "db.invalid" }),
        });
        expect(failing).toMatchObject({ succeeded: false, message: expect.stringContaining("db.invalid") });
        const updated = await api.updateActor("source", source.id, {
            name: "db2",
            configuration: mssqlConfiguration({ password: "**********", database: "sales2" }),
        });
        expect(updated.configuration.database).toBe("sales2");
        expect(emu.storedConfiguration("source", source.id)?.password).toBe(SECRET);
        const discovered = await api.discover(source.id, {});
        expect(discovered.streams.length).toBeGreaterThan(20);
        expect(discovered.catalogId).toMatch(/^[0-9a-f-]{36}$/);
        const destination = await api.createActor("destination", {
            workspaceId: ws,
            name: "lake",
            definitionId: S3,
            configuration: {
                s3_bucket_name: "b",
                s3_bucket_path: "p",
                s3_bucket_region: "eu-west-1",
                format: { format_type: "Parquet", compression_codec: "SNAPPY" },
            },
        });
        const orders = {
            name: "orders",
            namespace: "dbo",
            syncMode: "full_refresh" as const,
            destinationSyncMode: "overwrite" as const,
            cursorField: [],
            primaryKey: [["id"]],
        };
        const connection = await api.createConnection({
            sourceId: source.id,
            destinationId: destination.id,
            status: "active",
            schedule: { type: "cron", cron: "0 0 12 * * ?", timeZone: "Europe/Paris" },
            catalog: { kind: "streams", streams: [orders], discovered },
        });
        expect(connection.streams).toEqual([expect.objectContaining(orders)]);
        expect((await api.getConnection(connection.id))?.schedule).toEqual({
            type: "cron",
            cron: "0 0 12 * * ?",
            timeZone: "Europe/Paris",
        });
        expect((await api.listConnections(ws)).map((c) => c.id)).toContain(connection.id);
        expect((await api.updateConnection(connection.id, { status: "inactive" })).status).toBe("inactive");
        await api.deleteConnection(connection.id);
        await api.deleteActor("destination", destination.id);
        await api.deleteActor("source", source.id);
        // Airbyte keeps answering reads of deleted objects: the backend says so.
        expect((await api.getConnection(connection.id))?.status).toBe("deleted");
        expect(await api.getActor("source", source.id)).toMatchObject({ id: source.id, possiblyDeleted: true });
        expect(await api.listActors("source", ws)).toEqual([]);
        // Deleting what is already gone is not an error.
        await api.deleteActor("source", "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
        // The legacy `schedule` field never goes out in an update.
        await api.updateConnection(connection.id, { schedule: { type: "basic", units: 1, timeUnit: "hours" } });
        const sent = emu.requests({ operation: "connections/update" }).at(-1)!.requestBody as Record<string, unknown>;
        expect(sent).not.toHaveProperty("schedule");
        expect(sent).toMatchObject({
            scheduleType: "basic",
            scheduleData: { basicSchedule: { units: 1, timeUnit: "hours" } },
        });
    });

    test("lists follow the cursor pagination through every page", async () => {
        const emu = await emulator();
        const api = client(emu, {}, 20);
        await createDestinations(emu, 45);
        emu.clearLog();
        const all = await api.listActors("destination", emu.defaultWorkspaceId);
        expect(all).toHaveLength(45);
        expect(new Set(all.map((d) => d.id)).size).toBe(45);
        expect(emu.requests({ operation: "destinations/list" })).toHaveLength(3);
    });

    test("a server before 1.7: unpaginated lists and workspaces/list", async () => {
        const emu = await emulator({ legacy: true });
        const api = client(emu, {}, 20);
        expect(await api.serverDefaultWorkspaceId()).toBeUndefined();
        const workspaces = await api.listWorkspaces();
        expect(workspaces.length).toBeGreaterThan(0);
        expect(emu.requests({ operation: "workspaces/list" })).toHaveLength(1);
        expect(await api.listActors("source", workspaces[0]!.id)).toEqual([]);
    });
});

describe("auth", () => {
    test("client credentials: one token for many calls, refreshed before it expires, and once more on a 401", async () => {
        const emu = await emulator({ auth: "simple", tokenLifetimeSeconds: 3 });
        const api = client(emu, { auth: { kind: "client-credentials", ...emu.credentials } });
        for (let i = 0; i < 5; i++) await api.workspace(emu.defaultWorkspaceId);
        expect(emu.counters().tokensIssued).toBe(1);
        // 3 s tokens are refreshed at 80% of their life, before the server would refuse them.
        await new Promise((r) => setTimeout(r, 2600));
        await api.workspace(emu.defaultWorkspaceId);
        expect(emu.counters().tokensIssued).toBe(2);
        expect(emu.counters().authFailures).toBe(0);
        // Revoked early (server restart, key rotation): a 401, then one refresh and a retry.
        emu.expireTokens();
        await api.workspace(emu.defaultWorkspaceId);
        expect(emu.counters().tokensIssued).toBe(3);
        expect(emu.counters().authFailures).toBe(1);
    });

    test("wrong client credentials: an auth error naming the client id, never the secret", async () => {
        const emu = await emulator({ auth: "simple" });
        const api = client(emu, {
            auth: {
                kind: "client-credentials",
                clientId: emu.credentials.clientId,
                clientSecret: "wrong-secret-value",
            },
        });
        const error = await errorOf(api.workspace(emu.defaultWorkspaceId));
        expect(error.kind).toBe("auth");
        expect(error.message).toMatch(
            /applications\/token .*client id "airbyte-emulator-client".*airbyte:clientSecret/,
        );
        expect(error.message + error.stack).not.toContain("wrong-secret-value");
    });

    test("static bearer token, missing token, and docker-compose era basic auth", async () => {
        const bearer = await emulator({ auth: "simple", staticTokens: ["static-token-123"] });
        await expect(
            client(bearer, { auth: { kind: "bearer", token: "static-token-123" } }).workspace(
                bearer.defaultWorkspaceId,
            ),
        ).resolves.toBeDefined();
        const denied = await errorOf(client(bearer).workspace(bearer.defaultWorkspaceId));
        expect(denied).toMatchObject({ kind: "auth", statusCode: 401 });
        expect(denied.message).toMatch(/workspaces\/get for workspace .* failed: HTTP 401/);
        const basic = await emulator({ auth: "basic", legacy: true });
        await expect(
            client(basic, { auth: { kind: "basic", username: "airbyte", password: "password" } }).listWorkspaces(),
        ).resolves.toBeDefined();
        expect(
            (
                await errorOf(
                    client(basic, {
                        auth: { kind: "basic", username: "airbyte", password: "nope-nope" },
                    }).listWorkspaces(),
                )
            ).kind,
        ).toBe("auth");
    });
});

describe("retries", () => {
    test("idempotent calls retry 502/503/504 and 429, honouring Retry-After", async () => {
        const emu = await emulator();
        const api = client(emu);
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 503, times: 1 });
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 502, times: 1 });
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 504, times: 1 });
        await api.workspace(emu.defaultWorkspaceId);
        expect(emu.requests({ operation: "workspaces/get" }).map((r) => r.status)).toEqual([503, 502, 504, 200]);
        emu.clearLog();
        emu.faults.clear();
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 429, retryAfterSeconds: 1, times: 1 });
        const started = Date.now();
        await api.workspace(emu.defaultWorkspaceId);
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
        expect(emu.requests({ operation: "workspaces/get" }).map((r) => r.status)).toEqual([429, 200]);
    });

    test("idempotent calls retry dropped connections and timeouts", async () => {
        const emu = await emulator();
        const api = client(emu, { requestTimeoutMs: 300 });
        emu.faults.add({ operation: "workspaces/get", fault: "reset-before-commit", times: 1 });
        emu.faults.add({ operation: "workspaces/get", fault: "timeout", delayMs: 2000, times: 1 });
        await expect(api.workspace(emu.defaultWorkspaceId)).resolves.toMatchObject({ id: emu.defaultWorkspaceId });
        // The hung request is logged when the emulator finally gives up on it.
        await eventually(
            () => emu.requests({ operation: "workspaces/get" }).length >= 3,
            "the hung request in the emulator's log",
        );
        expect(
            emu
                .requests({ operation: "workspaces/get" })
                .map((r) => r.fault ?? r.status)
                .sort(),
        ).toEqual([200, "reset-before-commit", "timeout"].sort());
    });

    test("a create is retried only when the server surely did not process it", async () => {
        const emu = await emulator();
        const api = client(emu);
        const body = {
            workspaceId: emu.defaultWorkspaceId,
            name: "db",
            definitionId: MSSQL,
            configuration: mssqlConfiguration(),
        };
        emu.faults.add({ operation: "sources/create", fault: "status", status: 429, retryAfterSeconds: 0, times: 1 });
        emu.faults.add({ operation: "sources/create", fault: "status", status: 503, times: 1 });
        await api.createActor("source", body);
        expect(emu.counters().created.sources).toBe(1);
        // A reset after the request was sent is ambiguous: no blind retry, and the error says so.
        emu.faults.add({ operation: "sources/create", fault: "reset-after-commit", times: 1 });
        const lost = await errorOf(api.createActor("source", body));
        expect(lost).toMatchObject({ kind: "network", mayHaveReachedServer: true });
        expect(emu.counters().created.sources).toBe(2);
        emu.faults.add({ operation: "sources/create", fault: "status", status: 502, times: 1 });
        expect(await errorOf(api.createActor("source", body))).toMatchObject({ kind: "server", statusCode: 502 });
        expect(emu.requests({ operation: "sources/create" }).length).toBe(5);
    });

    test("an unreachable server is a network error that certainly did not reach it", async () => {
        const emu = await emulator();
        const url = emu.url;
        await emu.close();
        emulators.splice(emulators.indexOf(emu), 1);
        const api = client(url, { retryLimit: 1, backoffLimitMs: 50 });
        const error = await errorOf(api.workspace("00000000-0000-4000-8000-000000000000"));
        expect(error).toMatchObject({ kind: "network", mayHaveReachedServer: false });
        // Node ≥ 24.20 with got 14 reports it as ERR_SOCKET_CLOSED_BEFORE_CONNECTION (sindresorhus/got#2469).
        expect(error.message).toMatch(/ECONNREFUSED|ERR_SOCKET_CLOSED_BEFORE_CONNECTION/);
    });
});

describe("errors", () => {
    test("typed by status, naming operation and resource, with the server's validation message, never a secret", async () => {
        const emu = await emulator({ syncDurationMs: 5000 });
        const api = client(emu);
        registerSecret(SECRET);
        const notFound = await errorOf(
            api.updateActor(
                "source",
                "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
                { name: "db", configuration: mssqlConfiguration() },
                { resource: 'source "db"' },
            ),
        );
        expect(notFound).toMatchObject({ kind: "not_found", statusCode: 404, name: "AirbyteNotFoundError" });
        expect(notFound.message).toMatch(/^Airbyte sources\/update for source "db" failed: HTTP 404/);
        const invalid = await errorOf(
            api.createActor("source", {
                workspaceId: emu.defaultWorkspaceId,
                name: "db",
                definitionId: MSSQL,
                configuration: mssqlConfiguration({ port: SECRET }),
            }),
        );
        expect(invalid).toMatchObject({ kind: "validation", statusCode: 422 });
        expect(invalid.message).toMatch(/does not fulfill the specification/);
        expect(invalid.message + invalid.stack + JSON.stringify(invalid)).not.toContain(SECRET);
        emu.faults.add({ operation: "sources/get", fault: "status", status: 500, times: 1 });
        expect(await errorOf(api.getActor("source", "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"))).toMatchObject({
            kind: "server",
            statusCode: 500,
        });
    });
});

test("requests are bounded per server across clients", async () => {
    const emu = await emulator({ latencyMs: 40 });
    const a = client(emu, { maxConcurrentRequests: 2 });
    const b = client(emu, { maxConcurrentRequests: 2 });
    await Promise.all([...Array(6)].map((_, i) => (i % 2 ? a : b).workspace(emu.defaultWorkspaceId)));
    expect(emu.counters().maxInFlight).toBe(2);
});

test("server URLs are validated and normalized to the server's base, with what their path says about the API", () => {
    expect(parseServerUrl("http://localhost:8000/api/v1/")).toEqual({
        serverUrl: "http://localhost:8000",
        cloud: false,
        api: "config",
    });
    expect(parseServerUrl("https://airbyte.example.com/proxy/api")).toEqual({
        serverUrl: "https://airbyte.example.com/proxy",
        cloud: false,
        api: "config",
    });
    expect(parseServerUrl("http://localhost:8000/api/public/v1")).toEqual({
        serverUrl: "http://localhost:8000",
        cloud: false,
        api: "public",
    });
    expect(parseServerUrl("https://api.airbyte.com/v1")).toEqual({
        serverUrl: "https://api.airbyte.com",
        cloud: true,
        api: "public",
    });
    expect(parseServerUrl("https://api.airbyte.com")).toEqual({
        serverUrl: "https://api.airbyte.com",
        cloud: true,
        api: undefined,
    });
    expect(parseServerUrl("http://localhost:8000")).toEqual({
        serverUrl: "http://localhost:8000",
        cloud: false,
        api: undefined,
    });
    expect(() => parseServerUrl("localhost:8000")).toThrow(/http or https|absolute/);
    expect(() => parseServerUrl("http://user:pw@localhost:8000")).toThrow(/must not contain credentials/);
    expect(() => parseServerUrl("https://api.airbyte.com/api/v1")).toThrow(/Cloud serves only its public API/);
});
