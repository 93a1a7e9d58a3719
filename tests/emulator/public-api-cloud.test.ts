/**
 * Cloud mode (the public API under `/v1` only, 3-minute tokens, api.airbyte.com links), and the
 * emulator's own machinery on public routes: fault rules by `public/<family>/<verb>`, latency,
 * the request log with masked bodies, counters, the 413 limit and `unavailableForMs`.
 */
import {
    DEFINITIONS,
    MASK,
    PROBLEMS,
    UNKNOWN_ID,
    post,
    postgresDestinationConfig,
    postgresSourceConfig,
    publicApi,
    withEmulator,
} from "./helpers";
import type { EmulatorHandle } from "../../emulator";

function sourceBody(emu: EmulatorHandle, name = "shop"): Record<string, unknown> {
    return {
        name,
        workspaceId: emu.defaultWorkspaceId,
        definitionId: DEFINITIONS.postgres,
        configuration: postgresSourceConfig(),
    };
}

describe("Cloud mode", () => {
    test("the cloud profile: 2.0.0, simple auth, 180 s tokens, public API under /v1 only", async () => {
        await withEmulator({ profile: "cloud" }, async (emu) => {
            expect(emu.settings()).toMatchObject({
                serverVersion: "2.0.0",
                auth: "simple",
                cloud: true,
                tokenLifetimeSeconds: 180,
                publicApiPath: "/v1",
                publicApiHost: "https://api.airbyte.com",
            });
            const anonymous = publicApi(emu, { token: null });
            expect(anonymous.base).toBe(`${emu.url}/v1`);
            expect((await anonymous.get("health")).text).toBe("Successful operation");
            for (const path of [
                "/api/v1/health",
                "/api/v1/sources/list",
                "/api/public/v1/health",
                "/api/public/v1/sources",
                "/api/v1/applications/token",
            ]) {
                const response = await fetch(`${emu.url}${path}`, {
                    method: path.includes("health") ? "GET" : path.endsWith("sources") ? "GET" : "POST",
                });
                expect([path, response.status]).toEqual([path, 404]);
                expect(await response.json()).toEqual({
                    _links: { self: { href: path, templated: false } },
                    _embedded: { errors: [{ message: "Page Not Found" }] },
                    message: "Not Found",
                });
            }
            expect((await anonymous.get("sources")).status).toBe(401);
        });
    });

    test("tests reach the Config API at /_emulator/config-api/ (the Cloud web app's API): same store, no auth, not logged", async () => {
        await withEmulator({ profile: "cloud" }, async (emu) => {
            const created = await publicApi(emu).post("sources", sourceBody(emu));
            emu.clearLog();
            const internal = (operation: string, body: unknown) =>
                fetch(`${emu.url}/_emulator/config-api/${operation}`, {
                    method: "POST",
                    headers: { "content-type": "application/json" },
                    body: JSON.stringify(body),
                });
            const read = await internal("sources/get", { sourceId: created.body.sourceId });
            expect(read.status).toBe(200);
            expect(await read.json()).toMatchObject({
                sourceId: created.body.sourceId,
                name: "shop",
                connectionConfiguration: { password: MASK },
            });
            const missing = await internal("sources/get", { sourceId: UNKNOWN_ID });
            expect(missing.status).toBe(404);
            expect((await internal("no/such/operation", {})).status).toBe(404);
            expect(emu.requests()).toEqual([]);
        });
    });

    test("tokens from /v1/applications/token live 180 s on the emulator clock", async () => {
        await withEmulator({ profile: "cloud" }, async (emu) => {
            const anonymous = publicApi(emu, { token: null });
            const issued = await anonymous.request("POST", "applications/token", {
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: `grant_type=client_credentials&client_id=${emu.credentials.clientId}&client_secret=${emu.credentials.clientSecret}`,
            });
            expect(issued.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 180 });
            const api = publicApi(emu, { token: issued.body.access_token });
            expect((await api.get("workspaces")).status).toBe(200);
            emu.advanceTime(179_000);
            expect((await api.get("workspaces")).status).toBe(200);
            emu.advanceTime(2_000);
            expect((await api.get("workspaces")).status).toBe(401);
        });
    });

    test("links use https://api.airbyte.com/v1; the Cloud refuses resource allocation (BadRequestException → 500 problem)", async () => {
        await withEmulator({ profile: "cloud" }, async (emu) => {
            const api = publicApi(emu);
            const created = await api.post("sources", sourceBody(emu));
            expect(created.status).toBe(200);
            expect((await api.get("sources?limit=5")).body.next).toBe(
                "https://api.airbyte.com/v1/sources?includeDeleted=false&limit=5&offset=5",
            );
            const allocated = await api.post("sources", {
                ...sourceBody(emu),
                resourceAllocation: { default: { cpu_limit: "1" } },
            });
            expect(allocated.status).toBe(500);
            expect(allocated.body).toEqual(
                PROBLEMS.unexpected({ message: "Setting resource allocation is not permitted on CLOUD" }),
            );
            const patched = await api.patch(`sources/${created.body.sourceId}`, {
                resourceAllocation: { default: { cpu_limit: "1" } },
            });
            expect(patched.body).toEqual(
                PROBLEMS.unexpected({ message: "Setting resource allocation is not permitted on CLOUD" }),
            );
        });
        // Self-managed accepts it.
        await withEmulator({}, async (emu) => {
            const allocated = await publicApi(emu).post("sources", {
                ...sourceBody(emu),
                resourceAllocation: { default: { cpu_limit: "1" } },
            });
            expect(allocated.body.resourceAllocation).toEqual({ default: { cpu_limit: "1" } });
        });
    });

    test("cloud: true with another version; publicApiHost still overrides", async () => {
        await withEmulator(
            { cloud: true, serverVersion: "1.8.0", publicApiHost: "https://api.example.test" },
            async (emu) => {
                expect(emu.settings()).toMatchObject({ cloud: true, auth: "none", tokenLifetimeSeconds: 900 });
                await publicApi(emu).post("sources", sourceBody(emu));
                expect((await publicApi(emu).get("sources")).body.next).toBe(
                    "https://api.example.test/v1/sources?includeDeleted=false&limit=20&offset=20",
                );
                expect((await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).status).toBe(404);
            },
        );
    });
});

describe("faults, latency and the request log on public routes", () => {
    test("operation names public/<family>/<verb>; a public/sources/* rule hits public source calls only", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            emu.faults.add({ operation: "public/sources/*", fault: "status", status: 503, times: 2 });
            expect((await api.post("sources", sourceBody(emu))).status).toBe(503);
            expect((await api.get("sources")).status).toBe(503);
            // The Config API's sources/create is another operation.
            expect(
                (
                    await post(emu, "sources/create", {
                        workspaceId: emu.defaultWorkspaceId,
                        name: "cfg",
                        sourceDefinitionId: DEFINITIONS.postgres,
                        connectionConfiguration: postgresSourceConfig(),
                    })
                ).status,
            ).toBe(200);
            const created = await api.post("sources", sourceBody(emu));
            expect(created.status).toBe(200);
            const id = created.body.sourceId;
            await api.get(`sources/${id}`);
            await api.patch(`sources/${id}`, { name: "p" });
            await api.put(`sources/${id}`, { name: "q", configuration: postgresSourceConfig() });
            const destination = (
                await api.post("destinations", {
                    name: "dw",
                    workspaceId: emu.defaultWorkspaceId,
                    definitionId: DEFINITIONS.postgresDestination,
                    configuration: postgresDestinationConfig(),
                })
            ).body;
            await api.get(`streams?sourceId=${id}`);
            const connection = (
                await api.post("connections", { sourceId: id, destinationId: destination.destinationId })
            ).body;
            await api.get(`connections/${connection.connectionId}`);
            await api.patch(`connections/${connection.connectionId}`, { name: "c" });
            await api.get("connections");
            await api.del(`connections/${connection.connectionId}`);
            await api.get("workspaces");
            await api.get(`workspaces/${emu.defaultWorkspaceId}`);
            await api.get(`connector_definitions?type=source&workspaceId=${emu.defaultWorkspaceId}`);
            await api.get(`workspaces/${emu.defaultWorkspaceId}/definitions/sources/${DEFINITIONS.postgres}`);
            await api.post("applications/token", {
                client_id: emu.credentials.clientId,
                client_secret: emu.credentials.clientSecret,
            });
            await api.get("health");
            await api.del(`sources/${id}`);
            expect(emu.requests().map((e) => e.operation)).toEqual([
                "public/sources/create",
                "public/sources/list",
                "sources/create",
                "public/sources/create",
                "public/sources/get",
                "public/sources/patch",
                "public/sources/put",
                "public/destinations/create",
                "public/streams/get",
                "public/connections/create",
                "public/connections/get",
                "public/connections/patch",
                "public/connections/list",
                "public/connections/delete",
                "public/workspaces/list",
                "public/workspaces/get",
                "public/definitions/list",
                "public/definitions/get",
                "public/applications/token",
                "public/health",
                "public/sources/delete",
            ]);
            const counters = emu.counters();
            expect(counters.operations["public/sources/create"]).toEqual({
                count: 2,
                statuses: { "200": 1, "503": 1 },
                faults: 1,
            });
            expect(counters.faultsInjected).toBe(2);
            expect(counters.created).toMatchObject({ sources: 2, destinations: 1, connections: 1 });
        });
    });

    test("reset-after-commit on public/connections/create stores the connection; timeouts and expire-token", async () => {
        await withEmulator({ profile: "2.0" }, async (emu) => {
            const api = publicApi(emu);
            const source = (await api.post("sources", sourceBody(emu))).body;
            const destination = (
                await api.post("destinations", {
                    name: "dw",
                    workspaceId: emu.defaultWorkspaceId,
                    definitionId: DEFINITIONS.postgresDestination,
                    configuration: postgresDestinationConfig(),
                })
            ).body;
            emu.faults.add({ operation: "public/connections/create", fault: "reset-after-commit", times: 1 });
            await expect(
                api.post("connections", { sourceId: source.sourceId, destinationId: destination.destinationId }),
            ).rejects.toThrow();
            expect((await api.get("connections")).body.data).toHaveLength(1);
            expect(emu.requests({ operation: "public/connections/create" })[0]).toMatchObject({
                status: 0,
                fault: "reset-after-commit",
            });

            emu.faults.add({ operation: "public/workspaces/get", fault: "timeout", delayMs: 150, times: 1 });
            const started = Date.now();
            expect((await api.get(`workspaces/${emu.defaultWorkspaceId}`)).status).toBe(200);
            expect(Date.now() - started).toBeGreaterThanOrEqual(140);

            emu.faults.add({ operation: "public/sources/get", fault: "expire-token", times: 1 });
            expect((await api.get(`sources/${source.sourceId}`)).status).toBe(401);
            expect((await publicApi(emu).get(`sources/${source.sourceId}`)).status).toBe(200);
        });
    });

    test("latency, the request size limit (413) and unavailableForMs (502) apply to public routes", async () => {
        await withEmulator({ latencyMs: 120, maxRequestBytes: 2048, unavailableForMs: 1000 }, async (emu) => {
            const api = publicApi(emu);
            expect((await api.get("health")).status).toBe(502);
            expect(emu.requests()[0]).toMatchObject({ operation: "public/health", status: 502, fault: "unavailable" });
            emu.advanceTime(1000);
            const started = Date.now();
            expect((await api.get("health")).status).toBe(200);
            expect(Date.now() - started).toBeGreaterThanOrEqual(110);
            const big = await api.post("sources", { ...sourceBody(emu), padding: "x".repeat(4096) });
            expect(big.status).toBe(413);
            expect(big.body.message).toBe("Request Entity Too Large");
        });
    });

    test("logged bodies are masked: configurations by their spec, tokens and client secrets by name", async () => {
        await withEmulator({ profile: "2.0" }, async (emu) => {
            const anonymous = publicApi(emu, { token: null });
            await anonymous.request("POST", "applications/token", {
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: `grant_type=client_credentials&client_id=${emu.credentials.clientId}&client_secret=${emu.credentials.clientSecret}`,
            });
            const api = publicApi(emu);
            const created = (
                await api.post("sources", {
                    ...sourceBody(emu),
                    definitionId: undefined,
                    configuration: { ...postgresSourceConfig(), sourceType: "postgres" },
                })
            ).body;
            await api.put(`sources/${created.sourceId}`, {
                name: "q",
                configuration: postgresSourceConfig({ password: "another-secret" }),
            });
            const log = JSON.stringify(emu.requests());
            expect(log).not.toContain(emu.credentials.clientSecret);
            expect(log).not.toContain("pg-secret");
            expect(log).not.toContain("another-secret");
            const [token] = emu.requests({ operation: "public/applications/token" });
            expect(token!.requestBody).toEqual({
                grant_type: "client_credentials",
                client_id: emu.credentials.clientId,
                client_secret: MASK,
            });
            expect((token!.responseBody as any).access_token).toBe(MASK);
            const [create] = emu.requests({ operation: "public/sources/create" });
            expect((create!.requestBody as any).configuration).toMatchObject({
                password: MASK,
                host: "pg.example.com",
                sourceType: "postgres",
            });
            expect(emu.requests({ operation: "public/sources/get" })).toEqual([]);
            expect((await api.get(`sources/${UNKNOWN_ID}`)).status).toBe(404);
            expect(emu.requests({ operation: "public/sources/get" })[0]!.responseBody).toEqual(
                PROBLEMS.notFound("SOURCE_CONNECTION", UNKNOWN_ID),
            );
        });
    });
});
