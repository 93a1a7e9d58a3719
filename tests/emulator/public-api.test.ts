/**
 * The public API (`/api/public/v1`): routing and version gates, authentication, one store shared
 * with the Config API, sources, destinations, workspaces, definitions and pagination. Connections
 * and streams: public-api-connections.test.ts; Cloud mode, faults and logging: public-api-cloud.test.ts.
 */
import type { EmulatorHandle } from "../../emulator";
import {
    DEFINITIONS,
    MASK,
    PROBLEMS,
    UNKNOWN_ID,
    createSource,
    mssqlConfig,
    post,
    postgresDestinationConfig,
    postgresSourceConfig,
    publicApi,
    s3Config,
    withEmulator,
} from "./helpers";

const ERROR_ID = { errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) };

async function createPublicSource(emu: EmulatorHandle, body: Record<string, unknown> = {}): Promise<any> {
    const response = await publicApi(emu).post("sources", {
        name: "shop",
        workspaceId: emu.defaultWorkspaceId,
        definitionId: DEFINITIONS.postgres,
        configuration: postgresSourceConfig(),
        ...body,
    });
    if (response.status !== 200) throw new Error(`POST /sources answered ${response.status}: ${response.text}`);
    return response.body;
}

describe("routing and version gates", () => {
    test("health is anonymous and answers the text 'Successful operation'", async () => {
        await withEmulator({ profile: "2.0" }, async (emu) => {
            const response = await publicApi(emu, { token: null }).get("health");
            expect(response.status).toBe(200);
            expect(response.text).toBe("Successful operation");
            expect(response.headers.get("content-type")).toBe("application/json");
        });
    });

    test("releases before 0.50.54 have no public API: unknown routes, per auth mode", async () => {
        await withEmulator({ serverVersion: "0.50.53" }, async (emu) => {
            const response = await publicApi(emu).get("health");
            expect(response.status).toBe(404);
            expect(response.body).toEqual({
                _links: { self: { href: "/api/public/v1/health", templated: false } },
                _embedded: { errors: [{ message: "Page Not Found" }] },
                message: "Not Found",
            });
            expect(emu.settings().publicApiPath).toBeNull();
        });
        await withEmulator({ serverVersion: "0.50.53", auth: "simple" }, async (emu) => {
            expect((await publicApi(emu, { token: null }).get("sources")).status).toBe(401);
            expect((await publicApi(emu).get("sources")).status).toBe(403);
        });
        await withEmulator({ serverVersion: "0.50.54" }, async (emu) => {
            expect((await publicApi(emu).get("health")).status).toBe(200);
            expect((await publicApi(emu).get("sources")).status).toBe(200);
            expect(emu.settings().publicApiPath).toBe("/api/public/v1");
        });
    });

    test.each([
        { path: "applications/token", method: "POST", before: "0.63.6", from: "0.63.7" },
        { path: "connector_definitions?type=source&workspaceId=WS", method: "GET", before: "1.1.0", from: "1.2.0" },
        { path: "workspaces/WS/definitions/sources", method: "GET", before: "1.5.1", from: "1.6.0" },
        {
            path: "workspaces/WS/definitions/destinations/25c5221d-dce2-4163-ade9-739ef790f503",
            method: "GET",
            before: "1.5.1",
            from: "1.6.0",
        },
    ])("$method $path: absent in $before, served from $from", async ({ path, method, before, from }) => {
        const call = async (emu: EmulatorHandle) => {
            const url = path.replace("WS", emu.defaultWorkspaceId);
            const body =
                method === "POST"
                    ? { client_id: emu.credentials.clientId, client_secret: emu.credentials.clientSecret }
                    : undefined;
            return method === "POST" ? publicApi(emu).post(url, body) : publicApi(emu).get(url);
        };
        await withEmulator({ serverVersion: before }, async (emu) => expect((await call(emu)).status).toBe(404));
        await withEmulator({ serverVersion: from }, async (emu) => expect((await call(emu)).status).toBe(200));
    });

    test("createdAt and definitionId appear in 1.2.0, connection tags in 1.6.0", async () => {
        const shape = (version: string) =>
            withEmulator({ serverVersion: version }, async (emu) => {
                const source = await createPublicSource(emu);
                const destination = (
                    await publicApi(emu).post("destinations", {
                        name: "dw",
                        workspaceId: emu.defaultWorkspaceId,
                        definitionId: DEFINITIONS.postgresDestination,
                        configuration: postgresDestinationConfig(),
                    })
                ).body;
                const connection = (
                    await publicApi(emu).post("connections", {
                        sourceId: source.sourceId,
                        destinationId: destination.destinationId,
                    })
                ).body;
                return {
                    source: Object.keys(source).sort(),
                    destination: Object.keys(destination).sort(),
                    connection: Object.keys(connection).sort(),
                };
            });
        const old = await shape("1.1.0");
        expect(old.source).toEqual(["configuration", "name", "sourceId", "sourceType", "workspaceId"]);
        expect(old.destination).toEqual(["configuration", "destinationId", "destinationType", "name", "workspaceId"]);
        expect(old.connection).not.toContain("createdAt");
        expect(old.connection).not.toContain("tags");
        const mid = await shape("1.2.0");
        expect(mid.source).toEqual([
            "configuration",
            "createdAt",
            "definitionId",
            "name",
            "sourceId",
            "sourceType",
            "workspaceId",
        ]);
        expect(mid.connection).toContain("createdAt");
        expect(mid.connection).not.toContain("tags");
        expect((await shape("1.6.0")).connection).toEqual([
            "configurations",
            "connectionId",
            "createdAt",
            "destinationId",
            "name",
            "namespaceDefinition",
            "namespaceFormat",
            "nonBreakingSchemaUpdatesBehavior",
            "prefix",
            "schedule",
            "sourceId",
            "status",
            "tags",
            "workspaceId",
        ]);
    });

    test("a method the path does not serve: 405 with the allowed methods, 401/403 with security on", async () => {
        await withEmulator({}, async (emu) => {
            const response = await publicApi(emu).put(`connections/${UNKNOWN_ID}`, {});
            expect(response.status).toBe(405);
            expect(response.body.message).toBe("Method Not Allowed");
            expect(response.body._embedded.errors[0].message).toBe(
                `Method [PUT] not allowed for URI [/api/public/v1/connections/${UNKNOWN_ID}]. Allowed methods: [GET, PATCH, DELETE]`,
            );
            expect((await publicApi(emu).get("nothing/here")).status).toBe(404);
        });
        await withEmulator({ profile: "2.0" }, async (emu) => {
            expect((await publicApi(emu).put(`connections/${UNKNOWN_ID}`, {})).status).toBe(403);
            expect((await publicApi(emu, { token: null }).put(`connections/${UNKNOWN_ID}`, {})).status).toBe(401);
        });
    });
});

describe("authentication", () => {
    test("simple: a bearer token is needed; applications/token takes JSON or a form and answers token_type and expires_in", async () => {
        await withEmulator({ profile: "2.0" }, async (emu) => {
            const anonymous = publicApi(emu, { token: null });
            const denied = await anonymous.get("sources");
            expect(denied.status).toBe(401);
            expect(denied.body).toEqual({
                _links: { self: { href: "/api/public/v1/sources", templated: false } },
                _embedded: { errors: [{ message: "Unauthorized" }] },
                message: "Unauthorized",
            });

            const json = await anonymous.post("applications/token", {
                client_id: emu.credentials.clientId,
                client_secret: emu.credentials.clientSecret,
                "grant-type": "client_credentials",
            });
            expect(json.status).toBe(200);
            expect(json.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 900 });
            const form = await anonymous.request("POST", "applications/token", {
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({
                    grant_type: "client_credentials",
                    client_id: emu.credentials.clientId,
                    client_secret: emu.credentials.clientSecret,
                }).toString(),
            });
            expect(form.status).toBe(200);
            for (const token of [json.body.access_token, form.body.access_token]) {
                const client = publicApi(emu, { token });
                expect((await client.get("sources")).status).toBe(200);
                // The same token works on the Config API: one server, one authentication.
                expect(
                    (
                        await post(
                            emu,
                            "sources/list",
                            { workspaceId: emu.defaultWorkspaceId },
                            { authorization: `Bearer ${token}` },
                        )
                    ).status,
                ).toBe(200);
            }
            expect(emu.counters().tokensIssued).toBe(2);

            const wrong = await anonymous.post("applications/token", {
                client_id: emu.credentials.clientId,
                client_secret: "nope",
            });
            expect(wrong.status).toBe(400);
            expect(wrong.body).toEqual({ message: "Invalid client id or token", ...ERROR_ID });
            const missing = await anonymous.post("applications/token", { client_id: emu.credentials.clientId });
            expect(missing.status).toBe(400);
            expect(missing.body).toEqual(ERROR_ID);

            emu.advanceTime(901_000);
            expect((await publicApi(emu, { token: json.body.access_token }).get("sources")).status).toBe(401);
        });
    });

    test("none: no token needed; the token endpoint still works", async () => {
        await withEmulator({}, async (emu) => {
            expect((await publicApi(emu).get("sources")).status).toBe(200);
            expect(
                (
                    await publicApi(emu).post("applications/token", {
                        client_id: emu.credentials.clientId,
                        client_secret: emu.credentials.clientSecret,
                    })
                ).body.token_type,
            ).toBe("Bearer");
        });
    });
});

describe("one store, two APIs", () => {
    test("a source created through either API reads the same through the other, masked the same", async () => {
        await withEmulator({}, async (emu) => {
            const viaConfig = await createSource(emu, {
                name: "cfg",
                sourceDefinitionId: DEFINITIONS.postgres,
                connectionConfiguration: postgresSourceConfig(),
            });
            const publicRead = (await publicApi(emu).get(`sources/${viaConfig.sourceId}`)).body;
            expect(publicRead).toEqual({
                sourceId: viaConfig.sourceId,
                name: "cfg",
                sourceType: "postgres",
                workspaceId: emu.defaultWorkspaceId,
                configuration: viaConfig.connectionConfiguration,
                definitionId: DEFINITIONS.postgres,
                createdAt: viaConfig.createdAt,
            });
            expect(publicRead.configuration.password).toBe(MASK);

            const viaPublic = await createPublicSource(emu, { name: "pub" });
            const configRead = (await post(emu, "sources/get", { sourceId: viaPublic.sourceId })).body;
            expect(configRead).toMatchObject({
                sourceId: viaPublic.sourceId,
                name: "pub",
                sourceDefinitionId: DEFINITIONS.postgres,
                workspaceId: emu.defaultWorkspaceId,
                createdAt: viaPublic.createdAt,
            });
            expect(configRead.connectionConfiguration).toEqual(viaPublic.configuration);
            expect(emu.storedConfiguration("source", viaPublic.sourceId)).toEqual(postgresSourceConfig());

            // Both lists see both; the counters count both creates.
            expect(
                (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources
                    .map((s: any) => s.name)
                    .sort(),
            ).toEqual(["cfg", "pub"]);
            expect((await publicApi(emu).get("sources")).body.data.map((s: any) => s.name)).toEqual(["cfg", "pub"]);
            expect(emu.counters().created.sources).toBe(2);

            // A change through one API is seen by the other.
            await publicApi(emu).patch(`sources/${viaConfig.sourceId}`, { name: "renamed" });
            expect((await post(emu, "sources/get", { sourceId: viaConfig.sourceId })).body.name).toBe("renamed");
            await post(emu, "sources/delete", { sourceId: viaPublic.sourceId });
            expect((await publicApi(emu).get(`sources/${viaPublic.sourceId}`)).body.configuration).toBeNull();
        });
    });
});

describe("sources and destinations", () => {
    test("create: the definition from definitionId, else from configuration.sourceType anywhere in the tree; the top-level key is removed", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const byId = await createPublicSource(emu);
            expect(byId.sourceType).toBe("postgres");
            expect(byId.definitionId).toBe(DEFINITIONS.postgres);

            const byName = await createPublicSource(emu, {
                definitionId: undefined,
                configuration: { ...postgresSourceConfig(), sourceType: "postgres" },
            });
            expect(byName.definitionId).toBe(DEFINITIONS.postgres);
            expect(emu.storedConfiguration("source", byName.sourceId)).toEqual(postgresSourceConfig());

            // Found nested (ObjectNode.findValue); only the top-level key is removed, so the nested one stays.
            const nested = await createPublicSource(emu, {
                definitionId: undefined,
                configuration: {
                    ...postgresSourceConfig(),
                    tunnel_method: { tunnel_method: "NO_TUNNEL", sourceType: "postgres" },
                },
            });
            expect(nested.definitionId).toBe(DEFINITIONS.postgres);
            expect((emu.storedConfiguration("source", nested.sourceId)!["tunnel_method"] as any).sourceType).toBe(
                "postgres",
            );

            // A node's own field wins over a nested one (jackson-databind >= 2.16).
            const own = await api.post("sources", {
                name: "x",
                workspaceId: emu.defaultWorkspaceId,
                configuration: {
                    ...mssqlConfig(),
                    tunnel_method: { tunnel_method: "NO_TUNNEL", sourceType: "postgres" },
                    sourceType: "mssql",
                },
            });
            expect(own.body.definitionId).toBe(DEFINITIONS.mssql);

            // definitionId wins; the (bogus) sourceType the Python SDK may add is dropped.
            const both = await createPublicSource(emu, {
                definitionId: DEFINITIONS.mssql,
                configuration: { ...mssqlConfig(), sourceType: "datascope" },
            });
            expect(both.sourceType).toBe("mssql");
            expect(emu.storedConfiguration("source", both.sourceId)).toEqual(mssqlConfig());

            const neither = await api.post("sources", {
                name: "x",
                workspaceId: emu.defaultWorkspaceId,
                configuration: postgresSourceConfig(),
            });
            expect(neither.status).toBe(422);
            expect(neither.body).toEqual(PROBLEMS.unprocessable(null));
            const unknown = await api.post("sources", {
                name: "x",
                workspaceId: emu.defaultWorkspaceId,
                configuration: { sourceType: "no-such-connector" },
            });
            expect(unknown.status).toBe(400);
            expect(unknown.body).toEqual(PROBLEMS.unknownValue("no-such-connector"));
            // A connector the name table knows but the emulator does not have.
            const absent = await api.post("sources", {
                name: "x",
                workspaceId: emu.defaultWorkspaceId,
                configuration: { sourceType: "pokeapi" },
            });
            expect(absent.status).toBe(404);
            expect(absent.body).toEqual(
                PROBLEMS.notFound("STANDARD_SOURCE_DEFINITION", "6371b14b-bc68-4236-bfbd-468e8df8e968"),
            );
        });
    });

    test("create: response fields, spec violations as 422 problems, unknown workspace 404, framework errors {errorId}", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const created = await createPublicSource(emu);
            expect(Object.keys(created)).toEqual([
                "sourceId",
                "name",
                "sourceType",
                "workspaceId",
                "configuration",
                "definitionId",
                "createdAt",
            ]);
            expect(created.configuration).toEqual({ ...postgresSourceConfig(), password: MASK });

            const invalid = await api.post("sources", {
                name: "x",
                workspaceId: emu.defaultWorkspaceId,
                definitionId: DEFINITIONS.postgres,
                configuration: { ...postgresSourceConfig(), host: undefined },
            });
            expect(invalid.status).toBe(422);
            expect(invalid.body).toEqual(
                PROBLEMS.unprocessable({
                    message: expect.stringMatching(
                        /^json schema validation failed when comparing the data to the json schema\. \nErrors: .*host.* $/s,
                    ),
                }),
            );
            expect(invalid.body.data.message).not.toContain("Schema");

            const noWorkspace = await api.post("sources", {
                name: "x",
                workspaceId: UNKNOWN_ID,
                definitionId: DEFINITIONS.postgres,
                configuration: postgresSourceConfig(),
            });
            expect(noWorkspace.status).toBe(404);
            expect(noWorkspace.body).toEqual(PROBLEMS.notFound("STANDARD_WORKSPACE", UNKNOWN_ID));

            const noName = await api.post("sources", {
                workspaceId: emu.defaultWorkspaceId,
                definitionId: DEFINITIONS.postgres,
                configuration: postgresSourceConfig(),
            });
            expect([noName.status, noName.body]).toEqual([400, ERROR_ID]);
            const badUuid = await api.post("sources", {
                name: "x",
                workspaceId: "nope",
                definitionId: DEFINITIONS.postgres,
                configuration: postgresSourceConfig(),
            });
            expect([badUuid.status, badUuid.body]).toEqual([422, ERROR_ID]);
            const badJson = await api.post("sources", "{not json");
            expect([badJson.status, badJson.body]).toEqual([422, ERROR_ID]);
            expect(emu.counters().created.sources).toBe(1);
        });
    });

    test("get: 404 problem for unknown ids, 500 for malformed ones; a deleted source answers 200 with a null configuration (>= 0.63.5)", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const missing = await api.get(`sources/${UNKNOWN_ID}`);
            expect(missing.status).toBe(404);
            expect(missing.body).toEqual(PROBLEMS.notFound("SOURCE_CONNECTION", UNKNOWN_ID));
            expect(missing.headers.get("content-type")).toBe("application/json");
            const destination = await api.get(`destinations/${UNKNOWN_ID}`);
            expect(destination.body).toEqual(PROBLEMS.notFound("DESTINATION_CONNECTION", UNKNOWN_ID));
            const malformed = await api.get("sources/not-a-uuid");
            expect([malformed.status, malformed.body]).toEqual([500, ERROR_ID]);

            const source = await createPublicSource(emu);
            const deleted = await api.del(`sources/${source.sourceId}`);
            expect(deleted.status).toBe(204);
            expect(deleted.text).toBe("");
            const read = await api.get(`sources/${source.sourceId}`);
            expect(read.status).toBe(200);
            expect(read.body.configuration).toBeNull();
            expect((await api.del(`sources/${source.sourceId}`)).status).toBe(204);
            expect((await api.del(`sources/${UNKNOWN_ID}`)).body).toEqual(
                PROBLEMS.notFound("SOURCE_CONNECTION", UNKNOWN_ID),
            );
        });
        await withEmulator({ serverVersion: "0.63.4" }, async (emu) => {
            const source = await createPublicSource(emu);
            await publicApi(emu).del(`sources/${source.sourceId}`);
            expect((await publicApi(emu).get(`sources/${source.sourceId}`)).body.configuration).toEqual({
                ...postgresSourceConfig(),
                password: MASK,
            });
        });
    });

    test("put replaces the configuration (the mask keeps a stored secret); patch merges; a voided source cannot be put", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const source = await createPublicSource(emu);
            const put = await api.put(`sources/${source.sourceId}`, {
                name: "put",
                configuration: {
                    ...postgresSourceConfig({ host: "pg2.example.com", password: MASK }),
                    sourceType: "postgres",
                },
            });
            expect(put.status).toBe(200);
            expect(put.body.name).toBe("put");
            expect(emu.storedConfiguration("source", source.sourceId)).toEqual(
                postgresSourceConfig({ host: "pg2.example.com" }),
            );

            const replaced = await api.put(`sources/${source.sourceId}`, {
                name: "put",
                configuration: { ...postgresSourceConfig(), ssl_mode: undefined, password: "new" },
            });
            expect(replaced.status).toBe(200);
            expect("ssl_mode" in emu.storedConfiguration("source", source.sourceId)!).toBe(false);
            const noName = await api.put(`sources/${source.sourceId}`, { configuration: postgresSourceConfig() });
            expect([noName.status, noName.body]).toEqual([400, ERROR_ID]);

            const patched = await api.patch(`sources/${source.sourceId}`, {
                configuration: { ssl_mode: { mode: "require" }, port: 6543 },
                workspaceId: UNKNOWN_ID,
            });
            expect(patched.status).toBe(200);
            expect(emu.storedConfiguration("source", source.sourceId)).toEqual({
                ...postgresSourceConfig({ password: "new", port: 6543 }),
                ssl_mode: { mode: "require" },
            });
            expect(patched.body.workspaceId).toBe(emu.defaultWorkspaceId);
            const renamed = await api.patch(`sources/${source.sourceId}`, { name: "renamed" });
            expect(renamed.body).toMatchObject({ name: "renamed", configuration: { port: 6543, password: MASK } });
            const invalidPatch = await api.patch(`sources/${source.sourceId}`, {
                configuration: { port: "not a number" },
            });
            expect(invalidPatch.status).toBe(422);
            expect(invalidPatch.body.title).toBe("unprocessable-entity");

            await api.del(`sources/${source.sourceId}`);
            // ConfigurationUpdate.source → JsonSecretsProcessor.copySecrets: checkArgument(src.isObject), no message.
            const voided = await api.put(`sources/${source.sourceId}`, {
                name: "again",
                configuration: postgresSourceConfig(),
            });
            expect(voided.status).toBe(500);
            expect(voided.body).toEqual(
                PROBLEMS.unexpected({
                    message:
                        "An unexpected problem has occurred. If this is an error that needs to be addressed, please submit a pull request or github issue.",
                }),
            );
            expect((await api.put(`sources/${UNKNOWN_ID}`, { name: "x", configuration: {} })).body).toEqual(
                PROBLEMS.notFound("SOURCE_CONNECTION", UNKNOWN_ID),
            );
        });
    });

    test("destinations: destinationType, no secretId, the same lifecycle", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const created = await api.post("destinations", {
                name: "lake",
                workspaceId: emu.defaultWorkspaceId,
                configuration: { ...s3Config(), destinationType: "s3" },
            });
            expect(created.status).toBe(200);
            expect(created.body).toEqual({
                destinationId: expect.any(String),
                name: "lake",
                destinationType: "s3",
                workspaceId: emu.defaultWorkspaceId,
                configuration: { ...s3Config(), secret_access_key: MASK, access_key_id: MASK },
                definitionId: DEFINITIONS.s3,
                createdAt: expect.any(Number),
            });
            expect(emu.storedConfiguration("destination", created.body.destinationId)).toEqual(s3Config());
            const id = created.body.destinationId;
            expect((await api.patch(`destinations/${id}`, { name: "lake-2" })).body.name).toBe("lake-2");
            expect(
                (
                    await api.put(`destinations/${id}`, {
                        name: "lake-3",
                        configuration: s3Config({ s3_bucket_path: "x", secret_access_key: MASK }),
                    })
                ).status,
            ).toBe(200);
            expect(emu.storedConfiguration("destination", id)).toEqual(s3Config({ s3_bucket_path: "x" }));
            expect((await api.get("destinations")).body.data.map((d: any) => d.name)).toEqual(["lake-3"]);
            expect((await api.del(`destinations/${id}`)).status).toBe(204);
            expect((await api.get("destinations")).body.data).toEqual([]);
            const unknown = await api.post("destinations", {
                name: "x",
                workspaceId: emu.defaultWorkspaceId,
                configuration: { destinationType: "nope" },
            });
            expect(unknown.body).toEqual(PROBLEMS.unknownValue("nope"));
        });
    });

    test("a custom definition's actors report an empty sourceType", async () => {
        await withEmulator({}, async (emu) => {
            const def = emu.addCustomDefinition({
                kind: "source",
                workspaceId: emu.defaultWorkspaceId,
                name: "Custom",
                dockerRepository: "acme/source-custom",
                dockerImageTag: "0.1.0",
                connectionSpecification: {
                    type: "object",
                    properties: { api_key: { type: "string", airbyte_secret: true } },
                },
            });
            const created = await createPublicSource(emu, {
                definitionId: def["sourceDefinitionId"],
                configuration: { api_key: "k" },
            });
            expect(created.sourceType).toBe("");
            expect(created.configuration).toEqual({ api_key: MASK });
        });
    });
});

describe("lists and pagination", () => {
    test("limit/offset pages, creation order, absolute next/previous links built like Micronaut's UriBuilder", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            for (const name of ["c", "a", "b"]) await createPublicSource(emu, { name });
            const ws = emu.defaultWorkspaceId;
            const host = "http://localhost:8001/api/public/v1/sources";
            const first = (await api.get(`sources?workspaceIds=${ws}&limit=2`)).body;
            expect(first.data.map((s: any) => s.name)).toEqual(["c", "a"]);
            expect(first.next).toBe(`${host}?includeDeleted=false&workspaceIds=${ws}&limit=2&offset=2`);
            expect(first.previous).toBe("");
            const second = (await api.get(`sources?workspaceIds=${ws}&limit=2&offset=2`)).body;
            expect(second.data.map((s: any) => s.name)).toEqual(["b"]);
            // A short last page still has a `next`; `previous` carries `limit` twice (the shared builder).
            expect(second.next).toBe(`${host}?includeDeleted=false&workspaceIds=${ws}&limit=2&offset=4`);
            expect(second.previous).toBe(`${host}?includeDeleted=false&workspaceIds=${ws}&limit=2&limit=2&offset=0`);
            const empty = (await api.get(`sources?workspaceIds=${ws}&limit=2&offset=4`)).body;
            expect(empty).toEqual({
                next: "",
                previous: `${host}?includeDeleted=false&workspaceIds=${ws}&limit=2&offset=2`,
                data: [],
            });
            // Without workspaceIds: every workspace of the caller, and no workspaceIds in the links.
            expect((await api.get("sources")).body.next).toBe(`${host}?includeDeleted=false&limit=20&offset=20`);
        });
    });

    test("workspaceIds repeated or comma-separated; includeDeleted; unknown workspaces list nothing", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const other = (
                await post(emu, "workspaces/create", {
                    name: "Other",
                    organizationId: "00000000-0000-0000-0000-000000000000",
                })
            ).body.workspaceId;
            const a = await createPublicSource(emu, { name: "a" });
            await createPublicSource(emu, { name: "b", workspaceId: other });
            const ws = emu.defaultWorkspaceId;
            const repeated = (await api.get(`sources?workspaceIds=${ws}&workspaceIds=${other}`)).body;
            const csv = (await api.get(`sources?workspaceIds=${ws},${other}`)).body;
            expect(repeated.data.map((s: any) => s.name)).toEqual(["a", "b"]);
            expect(csv).toEqual(repeated);
            expect(repeated.next).toBe(
                `http://localhost:8001/api/public/v1/sources?includeDeleted=false&workspaceIds=${ws}%2C${other}&limit=20&offset=20`,
            );
            expect((await api.get(`sources?workspaceIds=${other}`)).body.data.map((s: any) => s.name)).toEqual(["b"]);
            expect((await api.get(`sources?workspaceIds=${UNKNOWN_ID}`)).body.data).toEqual([]);

            await api.del(`sources/${a.sourceId}`);
            expect((await api.get(`sources?workspaceIds=${ws}`)).body.data).toEqual([]);
            const withDeleted = (await api.get(`sources?workspaceIds=${ws}&includeDeleted=true`)).body;
            expect(withDeleted.data.map((s: any) => [s.name, s.configuration])).toEqual([["a", null]]);
            expect(withDeleted.next).toContain("includeDeleted=true");
        });
    });

    test.each(["limit=0", "limit=101", "offset=-1", "limit=ten", "workspaceIds=nope"])(
        "%s → 400 {errorId}",
        async (query) => {
            await withEmulator({}, async (emu) => {
                for (const resource of ["sources", "destinations", "connections", "workspaces"]) {
                    const response = await publicApi(emu).get(`${resource}?${query}`);
                    expect([resource, response.status, response.body]).toEqual([resource, 400, ERROR_ID]);
                }
            });
        },
    );

    test("limit 1 and 100 are accepted; before 2.0.0 a bad limit has the InvalidInputExceptionInfo body", async () => {
        await withEmulator({}, async (emu) => {
            expect((await publicApi(emu).get("sources?limit=1")).status).toBe(200);
            expect((await publicApi(emu).get("sources?limit=100")).status).toBe(200);
        });
        await withEmulator({ serverVersion: "1.8.0" }, async (emu) => {
            const response = await publicApi(emu).get("sources?limit=101");
            expect(response.status).toBe(400);
            expect(response.body).toMatchObject({
                message: "Some properties contained invalid input.",
                exceptionClassName: "jakarta.validation.ConstraintViolationException",
                validationErrors: [
                    {
                        propertyPath: "listSources.limit",
                        message: "must be less than or equal to 100",
                        invalidValue: "101",
                    },
                ],
            });
        });
    });

    test("the publicApiHost option sets the links' host", async () => {
        await withEmulator({ publicApiHost: "https://airbyte.example.com/api/public/" }, async (emu) => {
            await createPublicSource(emu);
            expect((await publicApi(emu).get("sources")).body.next).toBe(
                "https://airbyte.example.com/api/public/v1/sources?includeDeleted=false&limit=20&offset=20",
            );
            expect(emu.settings().publicApiHost).toBe("https://airbyte.example.com/api/public");
        });
    });
});

describe("workspaces", () => {
    test("list and get: {workspaceId, name, dataResidency, notifications}; unknown → 404 STANDARD_WORKSPACE", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const other = (
                await post(emu, "workspaces/create", {
                    name: "Other",
                    organizationId: "00000000-0000-0000-0000-000000000000",
                })
            ).body.workspaceId;
            const email = { email: { enabled: true }, webhook: { enabled: false } };
            const expected = {
                workspaceId: emu.defaultWorkspaceId,
                name: "Default Workspace",
                dataResidency: "auto",
                notifications: {
                    failure: email,
                    success: { email: { enabled: false }, webhook: { enabled: false } },
                    connectionUpdate: email,
                    connectionUpdateActionRequired: email,
                    syncDisabled: email,
                    syncDisabledWarning: email,
                },
            };
            expect((await api.get(`workspaces/${emu.defaultWorkspaceId}`)).body).toEqual(expected);
            const list = (await api.get("workspaces")).body;
            expect(list.data.map((w: any) => w.workspaceId)).toEqual([emu.defaultWorkspaceId, other]);
            expect(list.data[0]).toEqual(expected);
            expect((await api.get(`workspaces?workspaceIds=${other}`)).body.data.map((w: any) => w.name)).toEqual([
                "Other",
            ]);
            const page = (await api.get("workspaces?limit=1&offset=1")).body;
            expect(page).toEqual({
                next: "http://localhost:8001/api/public/v1/workspaces?includeDeleted=false&limit=1&offset=2",
                previous:
                    "http://localhost:8001/api/public/v1/workspaces?includeDeleted=false&limit=1&limit=1&offset=0",
                data: [expect.objectContaining({ workspaceId: other })],
            });
            const missing = await api.get(`workspaces/${UNKNOWN_ID}`);
            expect([missing.status, missing.body]).toEqual([404, PROBLEMS.notFound("STANDARD_WORKSPACE", UNKNOWN_ID)]);
        });
    });
});

describe("definitions", () => {
    test("connector_definitions: {data: [{id, name, connectorDefinitionType, version}]}; type required; workspaceId missing or unknown → 500", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const sources = await api.get(`connector_definitions?type=source&workspaceId=${emu.defaultWorkspaceId}`);
            expect(sources.status).toBe(200);
            expect(Object.keys(sources.body)).toEqual(["data"]);
            expect(sources.body.data).toContainEqual({
                id: DEFINITIONS.postgres,
                name: "Postgres",
                connectorDefinitionType: "source",
                version: expect.any(String),
            });
            expect(sources.body.data).toHaveLength(5);
            const destinations = (
                await api.get(`connector_definitions?type=destination&workspaceId=${emu.defaultWorkspaceId}`)
            ).body.data;
            expect(destinations.map((d: any) => d.connectorDefinitionType)).toEqual([
                "destination",
                "destination",
                "destination",
            ]);
            expect([(await api.get(`connector_definitions?workspaceId=${emu.defaultWorkspaceId}`)).status]).toEqual([
                400,
            ]);
            expect((await api.get("connector_definitions?type=source")).body).toEqual(ERROR_ID);
            expect((await api.get("connector_definitions?type=source")).status).toBe(500);
            expect((await api.get(`connector_definitions?type=source&workspaceId=${UNKNOWN_ID}`)).status).toBe(500);
        });
    });

    test("workspace definitions: list and get DefinitionResponse; a custom definition of the workspace; unknown → 404 problems", async () => {
        await withEmulator({}, async (emu) => {
            const api = publicApi(emu);
            const custom = emu.addCustomDefinition({
                kind: "destination",
                workspaceId: emu.defaultWorkspaceId,
                name: "Sink",
                dockerRepository: "acme/destination-sink",
                dockerImageTag: "1.2.3",
                connectionSpecification: { type: "object" },
            });
            const list = (await api.get(`workspaces/${emu.defaultWorkspaceId}/definitions/destinations`)).body;
            expect(Object.keys(list)).toEqual(["data"]);
            expect(list.data).toHaveLength(4);
            expect(list.data).toContainEqual({
                id: custom["destinationDefinitionId"],
                name: "Sink",
                dockerRepository: "acme/destination-sink",
                dockerImageTag: "1.2.3",
                documentationUrl: "https://hub.docker.com/r/acme/destination-sink",
            });
            const one = (await api.get(`workspaces/${emu.defaultWorkspaceId}/definitions/sources/${DEFINITIONS.faker}`))
                .body;
            expect(one).toEqual({
                id: DEFINITIONS.faker,
                name: "Sample Data (Faker)",
                dockerRepository: "airbyte/source-faker",
                dockerImageTag: expect.any(String),
                documentationUrl: expect.stringMatching(/^https:/),
            });
            const wrongKind = await api.get(
                `workspaces/${emu.defaultWorkspaceId}/definitions/sources/${DEFINITIONS.s3}`,
            );
            expect([wrongKind.status, wrongKind.body]).toEqual([
                404,
                PROBLEMS.notFound("STANDARD_SOURCE_DEFINITION", DEFINITIONS.s3),
            ]);
            const noWorkspace = await api.get(`workspaces/${UNKNOWN_ID}/definitions/sources`);
            expect([noWorkspace.status, noWorkspace.body]).toEqual([
                404,
                PROBLEMS.notFound("STANDARD_WORKSPACE", UNKNOWN_ID),
            ]);
            // Another workspace does not see the custom definition.
            const other = (
                await post(emu, "workspaces/create", {
                    name: "Other",
                    organizationId: "00000000-0000-0000-0000-000000000000",
                })
            ).body.workspaceId;
            expect((await api.get(`workspaces/${other}/definitions/destinations`)).body.data).toHaveLength(3);
        });
    });
});
