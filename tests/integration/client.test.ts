/**
 * The Airbyte API client (provider/client) against the emulator over real HTTP on 127.0.0.1,
 * with the real `got`: operations, pagination, auth modes, retries, typed errors, redaction,
 * concurrency. No HTTP interceptors.
 */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { clearTokenCache } from "../../provider/client/auth";
import { createConfigApiClient } from "../../provider/client/config-api";
import { AirbyteApiError } from "../../provider/client/errors";
import type { TransportSettings } from "../../provider/client/transport";
import { clearRegisteredSecrets, registerSecret } from "../../provider/redact";

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
    clearTokenCache();
    clearRegisteredSecrets();
});

function client(emu: EmulatorHandle, settings: Partial<TransportSettings> = {}, listPageSize?: number) {
    return createConfigApiClient({ serverUrl: emu.url, auth: { kind: "none" }, retryLimit: 3, backoffLimitMs: 200, ...settings }, { listPageSize });
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

async function errorOf(promise: Promise<unknown>): Promise<AirbyteApiError> {
    try {
        await promise;
    } catch (error) {
        return error as AirbyteApiError;
    }
    throw new Error("expected the call to fail");
}

describe("operations", () => {
    test("instance, workspaces, definitions and specifications", async () => {
        const emu = await emulator();
        const api = client(emu);
        const instance = await api.instanceConfiguration();
        expect(instance?.defaultWorkspaceId).toBe(emu.defaultWorkspaceId);
        const workspace = await api.workspaces.get(emu.defaultWorkspaceId);
        expect((await api.workspaces.getBySlug(workspace.slug)).workspaceId).toBe(workspace.workspaceId);
        expect((await api.workspaces.listByOrganization(instance!.defaultOrganizationId!)).map((w) => w.workspaceId)).toContain(workspace.workspaceId);
        const sources = await api.sourceDefinitions.listForWorkspace(workspace.workspaceId);
        expect(sources.map((d) => d.dockerRepository)).toEqual(expect.arrayContaining(["airbyte/source-mssql", "airbyte/source-postgres", "airbyte/source-mysql", "airbyte/source-faker"]));
        expect((await api.sourceDefinitions.get(MSSQL)).name).toMatch(/MSSQL/);
        const spec = await api.sourceDefinitions.getSpecification(MSSQL, workspace.workspaceId);
        expect((spec.connectionSpecification?.properties as any).password.airbyte_secret).toBe(true);
        const destinations = await api.destinationDefinitions.listForWorkspace(workspace.workspaceId);
        expect(destinations.map((d) => d.dockerRepository)).toEqual(expect.arrayContaining(["airbyte/destination-s3", "airbyte/destination-postgres"]));
        expect((await api.destinationDefinitions.getSpecification(S3, workspace.workspaceId)).supportedDestinationSyncModes).toContain("append");
    });

    test("sources, destinations, connections, check, discover, sync and jobs", async () => {
        const emu = await emulator({ syncDurationMs: 50 });
        const api = client(emu);
        const ws = emu.defaultWorkspaceId;
        expect((await api.sources.checkConfiguration(MSSQL, mssqlConfiguration(), ws)).status).toBe("succeeded");
        const source = await api.sources.create({ workspaceId: ws, name: "db", sourceDefinitionId: MSSQL, connectionConfiguration: mssqlConfiguration() });
        expect(source.connectionConfiguration.password).toBe("**********");
        expect((await api.sources.get(source.sourceId)).name).toBe("db");
        expect((await api.sources.checkConnection(source.sourceId)).status).toBe("succeeded");
        const failing = await api.sources.checkConnectionForUpdate({ sourceId: source.sourceId, name: "db", connectionConfiguration: mssqlConfiguration({ host: "db.invalid" }) });
        expect(failing).toMatchObject({ status: "failed", message: expect.stringContaining("db.invalid") });
        const updated = await api.sources.update({ sourceId: source.sourceId, name: "db2", connectionConfiguration: mssqlConfiguration({ password: "**********", database: "sales2" }) });
        expect(updated.connectionConfiguration.database).toBe("sales2");
        expect(emu.storedConfiguration("source", source.sourceId)?.password).toBe(SECRET);
        const discovered = await api.sources.discoverSchema(source.sourceId);
        expect(discovered.catalog?.streams.length).toBeGreaterThan(20);
        const destination = await api.destinations.create({
            workspaceId: ws,
            name: "lake",
            destinationDefinitionId: S3,
            connectionConfiguration: { s3_bucket_name: "b", s3_bucket_path: "p", s3_bucket_region: "eu-west-1", format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
        });
        const orders = discovered.catalog!.streams.find((s) => s.stream.name === "orders")!;
        const connection = await api.connections.create({
            sourceId: source.sourceId,
            destinationId: destination.destinationId,
            status: "active",
            syncCatalog: { streams: [{ stream: orders.stream, config: { ...orders.config, selected: true, syncMode: "full_refresh", destinationSyncMode: "overwrite" } }] },
            scheduleType: "manual",
        });
        expect((await api.connections.get(connection.connectionId)).syncCatalog.streams).toHaveLength(1);
        expect((await api.connections.list(ws)).map((c) => c.connectionId)).toContain(connection.connectionId);
        expect((await api.connections.update({ connectionId: connection.connectionId, status: "inactive" })).status).toBe("inactive");
        const job = await api.connections.sync(connection.connectionId);
        expect(job.job.configId).toBe(connection.connectionId);
        await new Promise((r) => setTimeout(r, 120));
        expect((await api.jobs.get(job.job.id)).job.status).toBe("succeeded");
        await api.connections.delete(connection.connectionId);
        await api.destinations.delete(destination.destinationId);
        await api.sources.delete(source.sourceId);
        expect((await api.connections.get(connection.connectionId)).status).toBe("deprecated");
        expect(await api.sources.list(ws)).toEqual([]);
        expect(() => api.connections.update({ connectionId: connection.connectionId, schedule: { units: 1, timeUnit: "hours" } } as any)).toThrow(/must not carry the legacy `schedule`/);
    });

    test("lists follow the cursor pagination through every page", async () => {
        const emu = await emulator();
        const api = client(emu, {}, 20);
        for (let i = 0; i < 45; i++) {
            await api.destinations.create({
                workspaceId: emu.defaultWorkspaceId,
                name: `d${String(i).padStart(2, "0")}`,
                destinationDefinitionId: S3,
                connectionConfiguration: { s3_bucket_name: "b", s3_bucket_path: "p", s3_bucket_region: "eu-west-1", format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
            });
        }
        emu.clearLog();
        const all = await api.destinations.list(emu.defaultWorkspaceId);
        expect(all).toHaveLength(45);
        expect(new Set(all.map((d) => d.destinationId)).size).toBe(45);
        expect(emu.requests({ operation: "destinations/list" })).toHaveLength(3);
    });

    test("a legacy server: unpaginated lists and workspaces/list", async () => {
        const emu = await emulator({ legacy: true });
        const api = client(emu, {}, 20);
        expect((await api.instanceConfiguration())?.defaultWorkspaceId).toBeUndefined();
        expect((await api.workspaces.listLegacy()).length).toBeGreaterThan(0);
        expect(await api.sources.list((await api.workspaces.listLegacy())[0].workspaceId)).toEqual([]);
    });
});

describe("auth", () => {
    test("client credentials: one token for many calls, refreshed before it expires, and once more on a 401", async () => {
        const emu = await emulator({ auth: "simple", tokenLifetimeSeconds: 3 });
        const api = client(emu, { auth: { kind: "client-credentials", ...emu.credentials } });
        for (let i = 0; i < 5; i++) await api.workspaces.get(emu.defaultWorkspaceId);
        expect(emu.counters().tokensIssued).toBe(1);
        // 3 s tokens are refreshed at 80% of their life, before the server would refuse them.
        await new Promise((r) => setTimeout(r, 2600));
        await api.workspaces.get(emu.defaultWorkspaceId);
        expect(emu.counters().tokensIssued).toBe(2);
        expect(emu.counters().authFailures).toBe(0);
        // Revoked early (server restart, key rotation): a 401, then one refresh and a retry.
        emu.expireTokens();
        await api.workspaces.get(emu.defaultWorkspaceId);
        expect(emu.counters().tokensIssued).toBe(3);
        expect(emu.counters().authFailures).toBe(1);
    });

    test("wrong client credentials: an auth error naming the client id, never the secret", async () => {
        const emu = await emulator({ auth: "simple" });
        const api = client(emu, { auth: { kind: "client-credentials", clientId: emu.credentials.clientId, clientSecret: "wrong-secret-value" } });
        const error = await errorOf(api.workspaces.get(emu.defaultWorkspaceId));
        expect(error.kind).toBe("auth");
        expect(error.message).toMatch(/applications\/token .*client id "airbyte-emulator-client".*airbyte:clientSecret/);
        expect(error.message + error.stack).not.toContain("wrong-secret-value");
    });

    test("static bearer token, missing token, and docker-compose era basic auth", async () => {
        const bearer = await emulator({ auth: "simple", staticTokens: ["static-token-123"] });
        await expect(client(bearer, { auth: { kind: "bearer", token: "static-token-123" } }).workspaces.get(bearer.defaultWorkspaceId)).resolves.toBeDefined();
        const denied = await errorOf(client(bearer).workspaces.get(bearer.defaultWorkspaceId));
        expect(denied).toMatchObject({ kind: "auth", statusCode: 401 });
        expect(denied.message).toMatch(/workspaces\/get for workspace .* failed: HTTP 401/);
        const basic = await emulator({ auth: "basic", legacy: true });
        await expect(client(basic, { auth: { kind: "basic", username: "airbyte", password: "password" } }).workspaces.listLegacy()).resolves.toBeDefined();
        expect((await errorOf(client(basic, { auth: { kind: "basic", username: "airbyte", password: "nope-nope" } }).workspaces.listLegacy())).kind).toBe("auth");
    });
});

describe("retries", () => {
    test("idempotent calls retry 502/503/504 and 429, honouring Retry-After", async () => {
        const emu = await emulator();
        const api = client(emu);
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 503, times: 1 });
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 502, times: 1 });
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 504, times: 1 });
        await api.workspaces.get(emu.defaultWorkspaceId);
        expect(emu.requests({ operation: "workspaces/get" }).map((r) => r.status)).toEqual([503, 502, 504, 200]);
        emu.clearLog();
        emu.faults.clear();
        emu.faults.add({ operation: "workspaces/get", fault: "status", status: 429, retryAfterSeconds: 1, times: 1 });
        const started = Date.now();
        await api.workspaces.get(emu.defaultWorkspaceId);
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
        expect(emu.requests({ operation: "workspaces/get" }).map((r) => r.status)).toEqual([429, 200]);
    });

    test("idempotent calls retry dropped connections and timeouts", async () => {
        const emu = await emulator();
        const api = client(emu, { requestTimeoutMs: 300 });
        emu.faults.add({ operation: "workspaces/get", fault: "reset-before-commit", times: 1 });
        emu.faults.add({ operation: "workspaces/get", fault: "timeout", delayMs: 2000, times: 1 });
        await expect(api.workspaces.get(emu.defaultWorkspaceId)).resolves.toMatchObject({ workspaceId: emu.defaultWorkspaceId });
        // The hung request is logged when the emulator finally gives up on it.
        for (let i = 0; i < 40 && emu.requests({ operation: "workspaces/get" }).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
        expect(emu.requests({ operation: "workspaces/get" }).map((r) => r.fault ?? r.status).sort()).toEqual([200, "reset-before-commit", "timeout"].sort());
    });

    test("a create is retried only when the server surely did not process it", async () => {
        const emu = await emulator();
        const api = client(emu);
        const body = { workspaceId: emu.defaultWorkspaceId, name: "db", sourceDefinitionId: MSSQL, connectionConfiguration: mssqlConfiguration() };
        emu.faults.add({ operation: "sources/create", fault: "status", status: 429, retryAfterSeconds: 0, times: 1 });
        emu.faults.add({ operation: "sources/create", fault: "status", status: 503, times: 1 });
        await api.sources.create(body);
        expect(emu.counters().created.sources).toBe(1);
        // A reset after the request was sent is ambiguous: no blind retry, and the error says so.
        emu.faults.add({ operation: "sources/create", fault: "reset-after-commit", times: 1 });
        const lost = await errorOf(api.sources.create(body));
        expect(lost).toMatchObject({ kind: "network", mayHaveReachedServer: true });
        expect(emu.counters().created.sources).toBe(2);
        emu.faults.add({ operation: "sources/create", fault: "status", status: 502, times: 1 });
        expect(await errorOf(api.sources.create(body))).toMatchObject({ kind: "server", statusCode: 502 });
        expect(emu.requests({ operation: "sources/create" }).length).toBe(5);
    });

    test("an unreachable server is a network error that certainly did not reach it", async () => {
        const emu = await emulator();
        const url = emu.url;
        await emu.close();
        emulators.splice(emulators.indexOf(emu), 1);
        const api = createConfigApiClient({ serverUrl: url, auth: { kind: "none" }, retryLimit: 1, backoffLimitMs: 50 });
        const error = await errorOf(api.workspaces.get("00000000-0000-4000-8000-000000000000"));
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
        const notFound = await errorOf(api.sources.get("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", { resource: 'source "db"' }));
        expect(notFound).toMatchObject({ kind: "not_found", statusCode: 404, name: "AirbyteNotFoundError" });
        expect(notFound.message).toMatch(/^Airbyte sources\/get for source "db" failed: HTTP 404/);
        const invalid = await errorOf(api.sources.create({ workspaceId: emu.defaultWorkspaceId, name: "db", sourceDefinitionId: MSSQL, connectionConfiguration: mssqlConfiguration({ port: SECRET }) }));
        expect(invalid).toMatchObject({ kind: "validation", statusCode: 422 });
        expect(invalid.message).toMatch(/does not fulfill the specification/);
        expect(invalid.message + invalid.stack + JSON.stringify(invalid)).not.toContain(SECRET);
        emu.faults.add({ operation: "sources/get", fault: "status", status: 500, times: 1 });
        expect(await errorOf(api.sources.get("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"))).toMatchObject({ kind: "server", statusCode: 500 });
    });

    test("409 when a sync is already running is a conflict", async () => {
        const emu = await emulator({ syncDurationMs: 5000 });
        const api = client(emu);
        const source = await api.sources.create({ workspaceId: emu.defaultWorkspaceId, name: "db", sourceDefinitionId: MSSQL, connectionConfiguration: mssqlConfiguration() });
        const destination = await api.destinations.create({
            workspaceId: emu.defaultWorkspaceId,
            name: "lake",
            destinationDefinitionId: S3,
            connectionConfiguration: { s3_bucket_name: "b", s3_bucket_path: "p", s3_bucket_region: "eu-west-1", format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
        });
        const connection = await api.connections.create({ sourceId: source.sourceId, destinationId: destination.destinationId, status: "active" });
        await api.connections.sync(connection.connectionId);
        expect(await errorOf(api.connections.sync(connection.connectionId))).toMatchObject({ kind: "conflict", statusCode: 409 });
    });
});

test("requests are bounded per server across clients", async () => {
    const emu = await emulator({ latencyMs: 40 });
    const a = client(emu, { maxConcurrentRequests: 2 });
    const b = client(emu, { maxConcurrentRequests: 2 });
    await Promise.all([...Array(6)].map((_, i) => (i % 2 ? a : b).workspaces.get(emu.defaultWorkspaceId)));
    expect(emu.counters().maxInFlight).toBe(2);
});

test("server URLs are validated and normalized", () => {
    const make = (serverUrl: string) => createConfigApiClient({ serverUrl, auth: { kind: "none" } }).serverUrl;
    expect(make("http://localhost:8000/api/v1/")).toBe("http://localhost:8000");
    expect(make("https://airbyte.example.com/proxy/api")).toBe("https://airbyte.example.com/proxy");
    expect(() => make("localhost:8000")).toThrow(/http or https|absolute/);
    expect(() => make("http://user:pw@localhost:8000")).toThrow(/must not contain credentials/);
});
