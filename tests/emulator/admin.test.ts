import { DEFINITIONS, MASK, admin, createSource, mssqlConfig, post, withEmulator } from "./helpers";

describe("request log and counters", () => {
    test("each API request is logged with seq, operation, status, duration and timestamp", async () => {
        await withEmulator({}, async (emu) => {
            await post(emu, "source_definitions/list");
            const source = await createSource(emu);
            await post(emu, "sources/get", { sourceId: source.sourceId });
            const log = emu.requests();
            expect(log.map((e) => e.operation)).toEqual(["source_definitions/list", "sources/create", "sources/get"]);
            expect(log[1]).toMatchObject({
                seq: expect.any(Number),
                method: "POST",
                path: "/api/v1/sources/create",
                status: 200,
                durationMs: expect.any(Number),
            });
            expect(new Date(log[1]!.timestamp).getTime()).not.toBeNaN();
            expect(log[2]!.seq).toBeGreaterThan(log[1]!.seq);
            expect(emu.requests({ since: log[1]!.seq }).map((e) => e.operation)).toEqual(["sources/get"]);
        });
    });

    test("counters count operations by status, creates, and discover runs vs cache hits; clearLog resets them", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            await post(emu, "sources/get", { sourceId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" });
            await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            const counters = emu.counters();
            expect(counters.operations["sources/get"]).toEqual({ count: 1, statuses: { "404": 1 }, faults: 0 });
            expect(counters.created.sources).toBe(1);
            expect(counters.discover).toEqual({ runs: 1, cacheHits: 1, failures: 0 });
            expect(counters.requests).toBe(4);
            emu.clearLog();
            expect(emu.requests()).toEqual([]);
            expect(emu.counters().requests).toBe(0);
        });
    });
});

describe("admin HTTP API", () => {
    test("requests, counters, clear-log", async () => {
        await withEmulator({}, async (emu) => {
            await post(emu, "source_definitions/list");
            const requests = await admin(emu, "GET", "requests?operation=source_definitions/list");
            expect(requests.body.requests).toHaveLength(1);
            expect((await admin(emu, "GET", "counters")).body.requests).toBe(1);
            expect((await admin(emu, "POST", "clear-log")).status).toBe(204);
            expect((await admin(emu, "GET", "requests")).body.requests).toEqual([]);
            // Admin calls are not logged themselves.
            expect(emu.requests()).toEqual([]);
        });
    });

    test("secrets readout returns the unmasked stored configuration", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const secrets = await admin(emu, "GET", `secrets/source/${source.sourceId}`);
            expect(secrets.status).toBe(200);
            expect(secrets.body.configuration).toEqual(mssqlConfig());
            expect(source.connectionConfiguration.password).toBe(MASK);
            expect((await admin(emu, "GET", `secrets/destination/${source.sourceId}`)).status).toBe(404);
        });
    });

    test("reset wipes resources but keeps definitions and the default workspace", async () => {
        await withEmulator({}, async (emu) => {
            const custom = emu.addCustomDefinition({
                kind: "destination",
                workspaceId: emu.defaultWorkspaceId,
                name: "Webhook",
                dockerRepository: "acme/destination-webhook",
                dockerImageTag: "1.0.0",
                connectionSpecification: { type: "object", properties: { url: { type: "string" } } },
            });
            await createSource(emu);
            expect((await admin(emu, "POST", "reset")).status).toBe(204);
            expect((await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources).toEqual([]);
            expect((await post(emu, "workspaces/get", { workspaceId: emu.defaultWorkspaceId })).status).toBe(200);
            expect(
                (
                    await post(emu, "destination_definitions/get", {
                        destinationDefinitionId: custom["destinationDefinitionId"],
                    })
                ).status,
            ).toBe(200);
            expect(emu.snapshot().sources).toEqual([]);
        });
    });

    test("latency, expire-tokens, advance-time, custom definitions, snapshot and settings", async () => {
        await withEmulator({ auth: "simple" }, async (emu) => {
            expect((await admin(emu, "POST", "latency", { ms: 25 })).status).toBe(204);
            expect((await admin(emu, "GET", "settings")).body).toMatchObject({ latencyMs: 25, auth: "simple" });
            const token = emu.issueToken();
            expect((await admin(emu, "POST", "expire-tokens")).status).toBe(204);
            expect((await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${token}` })).status).toBe(
                401,
            );
            const fresh = emu.issueToken();
            expect((await admin(emu, "POST", "advance-time", { ms: 3_600_000 })).status).toBe(204);
            expect((await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${fresh}` })).status).toBe(
                401,
            );
            const custom = await admin(emu, "POST", "custom-definitions", {
                kind: "source",
                workspaceId: emu.defaultWorkspaceId,
                name: "Legacy ERP",
                dockerRepository: "acme/source-erp",
                dockerImageTag: "2.1.0",
                connectionSpecification: {
                    type: "object",
                    required: ["host"],
                    properties: { host: { type: "string" }, password: { type: "string", airbyte_secret: true } },
                },
            });
            expect(custom.status).toBe(201);
            expect(custom.body).toMatchObject({
                name: "Legacy ERP",
                custom: true,
                sourceDefinitionId: expect.any(String),
            });
            const snapshot = await admin(emu, "GET", "snapshot");
            expect(snapshot.body.customDefinitions).toHaveLength(1);
            expect(snapshot.body.defaultWorkspaceId).toBe(emu.defaultWorkspaceId);
            expect((await admin(emu, "POST", "max-concurrency", { limit: 1 })).status).toBe(204);
            expect(emu.settings().maxConcurrency).toBe(1);
            expect((await admin(emu, "GET", "nope")).status).toBe(404);
            const broken = await admin(emu, "POST", "custom-definitions", {
                kind: "source",
                workspaceId: emu.defaultWorkspaceId,
                name: "x",
                dockerRepository: "x/y",
                dockerImageTag: "1",
                connectionSpecification: { type: 5 },
            });
            expect(broken.status).toBe(400);
        });
    });

    test("custom definitions behave like connectors: validation, masking, generic check and discovery", async () => {
        await withEmulator({}, async (emu) => {
            const def = emu.addCustomDefinition({
                kind: "source",
                workspaceId: emu.defaultWorkspaceId,
                name: "Legacy ERP",
                dockerRepository: "acme/source-erp",
                dockerImageTag: "2.1.0",
                connectionSpecification: {
                    type: "object",
                    required: ["host"],
                    properties: { host: { type: "string" }, password: { type: "string", airbyte_secret: true } },
                },
            });
            const id = def["sourceDefinitionId"];
            expect(
                (
                    await post(emu, "sources/create", {
                        workspaceId: emu.defaultWorkspaceId,
                        name: "erp",
                        sourceDefinitionId: id,
                        connectionConfiguration: {},
                    })
                ).status,
            ).toBe(422);
            const created = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "erp",
                sourceDefinitionId: id,
                connectionConfiguration: { host: "erp.invalid", password: "x" },
            });
            expect(created.body.connectionConfiguration.password).toBe(MASK);
            expect((await post(emu, "sources/check_connection", { sourceId: created.body.sourceId })).body.status).toBe(
                "failed",
            );
            const ok = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "erp",
                sourceDefinitionId: id,
                connectionConfiguration: { host: "erp.local" },
            });
            const discovered = await post(emu, "sources/discover_schema", { sourceId: ok.body.sourceId });
            expect(discovered.body.catalog.streams.map((s: any) => s.stream.name)).toEqual(["records"]);
            expect(DEFINITIONS.mssql).not.toBe(id);
        });
    });
});
