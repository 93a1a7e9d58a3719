/**
 * Server generations: each version-dependent behaviour at the releases where it changes (see
 * emulator/generations.ts for the upstream commits). Real HTTP against `startEmulator`.
 */
import {
    SERVER_PROFILES,
    serverGeneration,
    type EmulatorHandle,
    type EmulatorOptions,
    type JsonSchema,
} from "../../emulator";
import {
    DEFINITIONS,
    MASK,
    UNKNOWN_ID,
    admin,
    createConnection,
    createDestination,
    createSource,
    discoveredCatalog,
    get,
    mssqlConfig,
    post,
    postgresDestinationConfig,
    postgresSourceConfig,
    selectStream,
    withEmulator,
} from "./helpers";

const ORG = "00000000-0000-0000-0000-000000000000";
const USER = "00000000-0000-0000-0000-000000000000";
const BASIC = { authorization: `Basic ${Buffer.from("airbyte:password").toString("base64")}` };

describe("versions and profiles", () => {
    test("the profile table and its defaults; explicit options win", async () => {
        expect(Object.keys(SERVER_PROFILES)).toEqual(["0.50", "0.63", "1.6", "1.7", "1.8", "2.0", "cloud"]);
        await withEmulator({}, async (emu) =>
            expect(emu.settings()).toMatchObject({
                serverVersion: "2.0.0",
                auth: "none",
                errorStyle: "v2",
                edition: "community",
            }),
        );
        await withEmulator({ profile: "0.50" }, async (emu) =>
            expect(emu.settings()).toMatchObject({
                serverVersion: "0.50.45",
                profile: "0.50",
                auth: "basic",
                errorStyle: "stack",
            }),
        );
        await withEmulator({ profile: "2.0" }, async (emu) =>
            expect(emu.settings()).toMatchObject({ serverVersion: "2.0.0", auth: "simple" }),
        );
        await withEmulator({ profile: "2.0", auth: "none", serverVersion: "1.8.0" }, async (emu) => {
            expect(emu.settings()).toMatchObject({
                serverVersion: "1.8.0",
                profile: "2.0",
                auth: "none",
                errorStyle: "legacy",
            });
            expect((await admin(emu, "GET", "settings")).body).toMatchObject({
                serverVersion: "1.8.0",
                version: "1.8.0",
                profile: "2.0",
            });
        });
        await withEmulator({ legacy: true }, async (emu) =>
            expect(emu.settings()).toMatchObject({ serverVersion: "1.6.0", legacy: true }),
        );
        await expect(withEmulator({ serverVersion: "latest" }, async () => undefined)).rejects.toThrow(
            /not an Airbyte server version/,
        );
        await expect(
            withEmulator({ profile: "3.0" } as unknown as EmulatorOptions, async () => undefined),
        ).rejects.toThrow(/unknown profile/);
    });

    test("boundaries are inclusive at the first tag", () => {
        expect(serverGeneration("1.6.0").hasWorkspacesList).toBe(true);
        expect(serverGeneration("v1.7.0").hasWorkspacesList).toBe(false);
        expect(serverGeneration("0.50.50").reportsDefaultWorkspaceId).toBe(true);
        expect(serverGeneration("0.50.51").reportsDefaultWorkspaceId).toBe(false);
        expect(serverGeneration("0.50.23").reportsDefaultWorkspaceId).toBe(false);
        expect(serverGeneration("1.8.0-rc1").paginatesActorLists).toBe(true);
    });
});

type ConfigApiProfile = Exclude<keyof typeof SERVER_PROFILES, "cloud">;

/**
 * What a client sees of each profile, checked in one pass per profile (Cloud serves no Config API:
 * public-api-cloud.test.ts).
 */
const PROFILE_EXPECTATIONS: Record<
    ConfigApiProfile,
    {
        defaultWorkspaceId: boolean;
        workspacesList: number;
        paginated: boolean;
        actorCreatedAt: boolean;
        connectionCreatedAt: boolean;
        notFoundKeys: string[];
        deletedSourceUpdate: number;
    }
> = {
    "0.50": {
        defaultWorkspaceId: true,
        workspacesList: 200,
        paginated: false,
        actorCreatedAt: false,
        connectionCreatedAt: false,
        notFoundKeys: [
            "exceptionClassName",
            "exceptionStack",
            "message",
            "rootCauseExceptionClassName",
            "rootCauseExceptionStack",
        ],
        deletedSourceUpdate: 200,
    },
    "0.63": {
        defaultWorkspaceId: false,
        workspacesList: 200,
        paginated: false,
        actorCreatedAt: false,
        connectionCreatedAt: true,
        notFoundKeys: [
            "exceptionClassName",
            "exceptionStack",
            "message",
            "rootCauseExceptionClassName",
            "rootCauseExceptionStack",
        ],
        deletedSourceUpdate: 500,
    },
    "1.6": {
        defaultWorkspaceId: false,
        workspacesList: 200,
        paginated: false,
        actorCreatedAt: true,
        connectionCreatedAt: true,
        notFoundKeys: ["exceptionClassName", "message"],
        deletedSourceUpdate: 500,
    },
    "1.7": {
        defaultWorkspaceId: false,
        workspacesList: 404,
        paginated: false,
        actorCreatedAt: true,
        connectionCreatedAt: true,
        notFoundKeys: ["exceptionClassName", "message"],
        deletedSourceUpdate: 500,
    },
    "1.8": {
        defaultWorkspaceId: false,
        workspacesList: 404,
        paginated: true,
        actorCreatedAt: true,
        connectionCreatedAt: true,
        notFoundKeys: ["exceptionClassName", "message"],
        deletedSourceUpdate: 500,
    },
    "2.0": {
        defaultWorkspaceId: false,
        workspacesList: 403,
        paginated: true,
        actorCreatedAt: true,
        connectionCreatedAt: true,
        notFoundKeys: ["errorId"],
        deletedSourceUpdate: 500,
    },
};

describe.each(
    (Object.keys(SERVER_PROFILES) as (keyof typeof SERVER_PROFILES)[]).filter(
        (p): p is ConfigApiProfile => p !== "cloud",
    ),
)("profile %s", (profile) => {
    test("what a client sees", async () => {
        const expected = PROFILE_EXPECTATIONS[profile];
        await withEmulator({ profile }, async (emu) => {
            const auth = emu.settings().auth;
            const headers =
                auth === "basic" ? BASIC : auth === "simple" ? { authorization: `Bearer ${emu.issueToken()}` } : {};
            const call = (path: string, body: unknown = {}) => post(emu, path, body, headers);
            expect("defaultWorkspaceId" in (await get(emu, "instance_configuration", headers)).body).toBe(
                expected.defaultWorkspaceId,
            );
            expect((await call("workspaces/list")).status).toBe(expected.workspacesList);
            const source = (
                await call("sources/create", {
                    workspaceId: emu.defaultWorkspaceId,
                    name: "s",
                    sourceDefinitionId: DEFINITIONS.mssql,
                    connectionConfiguration: mssqlConfig(),
                })
            ).body;
            const destination = (
                await call("destinations/create", {
                    workspaceId: emu.defaultWorkspaceId,
                    name: "d",
                    destinationDefinitionId: DEFINITIONS.postgresDestination,
                    connectionConfiguration: postgresDestinationConfig(),
                })
            ).body;
            expect("createdAt" in source).toBe(expected.actorCreatedAt);
            const connection = (
                await call("connections/create", {
                    sourceId: source.sourceId,
                    destinationId: destination.destinationId,
                    status: "active",
                })
            ).body;
            expect("created_at" in connection).toBe(expected.connectionCreatedAt);
            expect("workspaceId" in connection).toBe(false);
            expect("page_size" in (await call("sources/list", { workspaceId: emu.defaultWorkspaceId })).body).toBe(
                expected.paginated,
            );
            expect(Object.keys((await call("sources/get", { sourceId: UNKNOWN_ID })).body).sort()).toEqual(
                expected.notFoundKeys,
            );
            await call("sources/delete", { sourceId: source.sourceId });
            expect(
                (
                    await call("sources/update", {
                        sourceId: source.sourceId,
                        name: "s",
                        connectionConfiguration: mssqlConfig(),
                    })
                ).status,
            ).toBe(expected.deletedSourceUpdate);
        });
    });
});

describe("instance_configuration by release", () => {
    const cases: { version: string; keys: string[] }[] = [
        { version: "0.50.23", keys: ["edition", "webappUrl"] },
        {
            version: "0.50.24",
            keys: [
                "defaultOrganizationId",
                "defaultUserId",
                "defaultWorkspaceId",
                "edition",
                "initialSetupComplete",
                "webappUrl",
            ],
        },
        {
            version: "0.50.45",
            keys: [
                "defaultOrganizationId",
                "defaultUserId",
                "defaultWorkspaceId",
                "edition",
                "initialSetupComplete",
                "webappUrl",
            ],
        },
        {
            version: "0.50.46",
            keys: [
                "defaultOrganizationId",
                "defaultUserId",
                "defaultWorkspaceId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "webappUrl",
            ],
        },
        {
            version: "0.50.51",
            keys: [
                "defaultOrganizationId",
                "defaultUserId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "webappUrl",
            ],
        },
        {
            version: "0.57.4",
            keys: [
                "airbyteUrl",
                "defaultOrganizationId",
                "defaultUserId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "version",
            ],
        },
        {
            version: "0.60.0",
            keys: [
                "airbyteUrl",
                "auth",
                "defaultOrganizationId",
                "defaultUserId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "version",
            ],
        },
        {
            version: "0.63.12",
            keys: [
                "airbyteUrl",
                "auth",
                "defaultOrganizationEmail",
                "defaultOrganizationId",
                "defaultUserId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "version",
            ],
        },
        // licenseStatus is spec-required from 1.1.0 but null (absent) in the community edition.
        {
            version: "1.6.0",
            keys: [
                "airbyteUrl",
                "auth",
                "defaultOrganizationEmail",
                "defaultOrganizationId",
                "defaultUserId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "version",
            ],
        },
        {
            version: "2.0.0",
            keys: [
                "airbyteUrl",
                "auth",
                "defaultOrganizationEmail",
                "defaultOrganizationId",
                "defaultUserId",
                "edition",
                "initialSetupComplete",
                "trackingStrategy",
                "version",
            ],
        },
    ];

    test.each(cases)("$version reports exactly its fields", async ({ version, keys }) => {
        await withEmulator({ serverVersion: version }, async (emu) => {
            const { status, body } = await get(emu, "instance_configuration");
            expect(status).toBe(200);
            expect(Object.keys(body).sort()).toEqual(keys);
            expect(body.edition).toBe("community");
            if (keys.includes("version")) expect(body.version).toBe(version);
            if (keys.includes("defaultUserId"))
                expect(body).toMatchObject({ defaultUserId: USER, defaultOrganizationId: ORG });
        });
    });

    test("the endpoint exists from 0.50.9", async () => {
        await withEmulator({ serverVersion: "0.50.8" }, async (emu) =>
            expect((await get(emu, "instance_configuration")).status).toBe(404),
        );
        await withEmulator({ serverVersion: "0.50.9" }, async (emu) =>
            expect((await get(emu, "instance_configuration")).status).toBe(200),
        );
    });

    test("defaultWorkspaceId (0.50.24–0.50.50) is the oldest workspace, the handle's defaultWorkspaceId", async () => {
        await withEmulator({ profile: "0.50" }, async (emu) => {
            const created = await post(emu, "workspaces/create", { name: "Aardvark", organizationId: ORG }, BASIC);
            expect(created.status).toBe(200);
            const { body } = await get(emu, "instance_configuration", BASIC);
            expect(body.defaultWorkspaceId).toBe(emu.defaultWorkspaceId);
            expect(body.defaultWorkspaceId).not.toBe(created.body.workspaceId);
        });
    });

    test("auth.mode reflects Micronaut security (0.60+)", async () => {
        await withEmulator({ serverVersion: "0.60.0", auth: "simple" }, async (emu) =>
            expect((await get(emu, "instance_configuration")).body.auth).toEqual({ mode: "simple" }),
        );
        await withEmulator({ serverVersion: "0.59.0", auth: "simple" }, async (emu) =>
            expect((await get(emu, "instance_configuration")).body.auth).toBeUndefined(),
        );
    });

    test.each([
        { version: "0.64.3", license: { licenseType: "pro" }, edition: "pro" },
        { version: "0.64.4", license: { licenseStatus: "pro" }, edition: "pro" },
        { version: "1.1.0", license: { licenseStatus: "pro" }, edition: "enterprise" },
    ])("enterprise edition at $version: $license, edition $edition", async ({ version, license, edition }) => {
        await withEmulator({ serverVersion: version, edition: "enterprise" }, async (emu) => {
            const { body } = await get(emu, "instance_configuration");
            expect(body.edition).toBe(edition);
            expect({ licenseType: body.licenseType, licenseStatus: body.licenseStatus }).toEqual({
                licenseType: undefined,
                licenseStatus: undefined,
                ...license,
            });
        });
    });
});

describe("workspaces by release", () => {
    async function createWorkspaces(emu: EmulatorHandle, headers: Record<string, string> = {}): Promise<string[]> {
        const ids = [];
        for (const name of ["Zeta", "alpha", "Beta"])
            ids.push((await post(emu, "workspaces/create", { name, organizationId: ORG }, headers)).body.workspaceId);
        return ids;
    }

    test("1.6.0: workspaces/list returns every workspace in insertion order; list_by_organization_id sorts by name", async () => {
        await withEmulator({ serverVersion: "1.6.0" }, async (emu) => {
            const ids = await createWorkspaces(emu);
            const list = await post(emu, "workspaces/list");
            expect(list.status).toBe(200);
            expect(list.body.workspaces.map((w: any) => w.workspaceId)).toEqual([emu.defaultWorkspaceId, ...ids]);
            const byOrg = await post(emu, "workspaces/list_by_organization_id", { organizationId: ORG });
            expect(byOrg.body.workspaces.map((w: any) => w.name)).toEqual([
                "Beta",
                "Default Workspace",
                "Zeta",
                "alpha",
            ]);
        });
    });

    test("1.7.0: workspaces/list is gone — 401/403 with Micronaut security, 404 without", async () => {
        await withEmulator({ serverVersion: "1.7.0", auth: "simple" }, async (emu) => {
            const anonymous = await post(emu, "workspaces/list");
            expect(anonymous.status).toBe(401);
            expect(anonymous.body).toEqual({
                _links: { self: { href: "/api/v1/workspaces/list", templated: false } },
                _embedded: { errors: [{ message: "Unauthorized" }] },
                message: "Unauthorized",
            });
            expect((await post(emu, "workspaces/list", {}, { authorization: "Bearer nonsense" })).status).toBe(401);
            const token = { authorization: `Bearer ${emu.issueToken()}` };
            const forbidden = await post(emu, "workspaces/list", {}, token);
            expect(forbidden.status).toBe(403);
            expect(forbidden.body).toEqual({
                _links: { self: { href: "/api/v1/workspaces/list", templated: false } },
                _embedded: { errors: [{ message: "Forbidden" }] },
                message: "Forbidden",
            });
            // A wrong method has no route match either; single-segment paths match the anonymous `/*` rule.
            expect((await get(emu, "sources/list", token)).status).toBe(403);
            expect((await fetch(`${emu.url}/nothing-here`)).status).toBe(404);
            expect((await post(emu, "workspaces/list_by_organization_id", { organizationId: ORG }, token)).status).toBe(
                200,
            );
        });
        await withEmulator({ serverVersion: "1.7.0" }, async (emu) => {
            const missing = await post(emu, "workspaces/list");
            expect(missing.status).toBe(404);
            expect(missing.body).toEqual({
                _links: { self: { href: "/api/v1/workspaces/list", templated: false } },
                _embedded: { errors: [{ message: "Page Not Found" }] },
                message: "Not Found",
            });
        });
    });

    test("0.50 (basic-auth proxy): nginx's 401 without credentials on any path, Micronaut's 404 for unknown routes with them", async () => {
        await withEmulator({ profile: "0.50" }, async (emu) => {
            const denied = await post(emu, "workspaces/frobnicate");
            expect(denied.status).toBe(401);
            expect(denied.headers.get("content-type")).toBe("text/html");
            expect((await post(emu, "workspaces/frobnicate", {}, BASIC)).status).toBe(404);
            expect((await post(emu, "workspaces/list", {}, BASIC)).status).toBe(200);
        });
    });

    test("list_by_organization_id exists from 0.50.18", async () => {
        await withEmulator({ serverVersion: "0.50.17" }, async (emu) =>
            expect((await post(emu, "workspaces/list_by_organization_id", { organizationId: ORG })).status).toBe(404),
        );
        await withEmulator({ serverVersion: "0.50.18" }, async (emu) =>
            expect((await post(emu, "workspaces/list_by_organization_id", { organizationId: ORG })).status).toBe(200),
        );
    });

    test("workspaces/get_by_connection_id returns the connection's workspace", async () => {
        await withEmulator({}, async (emu) => {
            const other = (await post(emu, "workspaces/create", { name: "Other", organizationId: ORG })).body
                .workspaceId;
            const source = await createSource(emu, { workspaceId: other });
            const destination = await createDestination(emu, { workspaceId: other });
            const connection = await createConnection(emu, source.sourceId, destination.destinationId);
            const workspace = await post(emu, "workspaces/get_by_connection_id", {
                connectionId: connection.connectionId,
            });
            expect(workspace.status).toBe(200);
            expect(workspace.body).toMatchObject({ workspaceId: other, name: "Other" });
            expect((await post(emu, "workspaces/get_by_connection_id", { connectionId: UNKNOWN_ID })).status).toBe(404);
        });
    });
});

describe("error bodies by release", () => {
    const notFoundMessage = `Internal Server Error: Could not find configuration for SOURCE_CONNECTION: ${UNKNOWN_ID}.`;

    test("1.2.0: stack traces and the root cause", async () => {
        await withEmulator({ serverVersion: "1.2.0" }, async (emu) => {
            const { status, body } = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(status).toBe(404);
            expect(body).toEqual({
                message: notFoundMessage,
                exceptionClassName: "io.airbyte.commons.server.errors.IdNotFoundKnownException",
                exceptionStack: expect.arrayContaining([expect.stringContaining("IdNotFoundKnownException")]),
                rootCauseExceptionClassName: "io.airbyte.config.persistence.ConfigNotFoundException",
                rootCauseExceptionStack: expect.any(Array),
            });
            // An uncaught exception (a `require` in validateConnectionPatch): stack, no cause.
            const connection = await createConnection(
                emu,
                (await createSource(emu)).sourceId,
                (await createDestination(emu)).destinationId,
            );
            const internal = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                schedule: { units: 1, timeUnit: "hours" },
            });
            expect(internal.status).toBe(500);
            expect(Object.keys(internal.body).sort()).toEqual(["exceptionClassName", "exceptionStack", "message"]);
            expect(internal.body).toMatchObject({
                message: expect.stringMatching(/^Internal Server Error: ConnectionUpdate should only make changes/),
                exceptionClassName: "java.lang.IllegalArgumentException",
            });
        });
    });

    test("before 0.64.5 the root cause class name is java.lang.Class", async () => {
        await withEmulator({ serverVersion: "0.64.4" }, async (emu) => {
            const { body } = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(body.rootCauseExceptionClassName).toBe("java.lang.Class");
        });
        await withEmulator({ serverVersion: "0.64.5" }, async (emu) => {
            const { body } = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(body.rootCauseExceptionClassName).toBe("io.airbyte.config.persistence.ConfigNotFoundException");
        });
    });

    test("1.8.0: {message, exceptionClassName}", async () => {
        await withEmulator({ serverVersion: "1.8.0" }, async (emu) => {
            const { body } = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(body).toEqual({
                message: notFoundMessage,
                exceptionClassName: "io.airbyte.commons.server.errors.IdNotFoundKnownException",
            });
            const invalid = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "x",
                sourceDefinitionId: DEFINITIONS.mssql,
                connectionConfiguration: {},
            });
            expect(invalid.status).toBe(422);
            expect(Object.keys(invalid.body).sort()).toEqual(["exceptionClassName", "message"]);
            expect(invalid.body.exceptionClassName).toBe(
                "io.airbyte.commons.server.errors.BadObjectSchemaKnownException",
            );
        });
    });

    test("2.0.0: {errorId}; KnownExceptions keep their message", async () => {
        await withEmulator({ serverVersion: "2.0.0" }, async (emu) => {
            const { body } = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(body).toEqual({ errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
            const invalid = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "x",
                sourceDefinitionId: DEFINITIONS.mssql,
                connectionConfiguration: {},
            });
            expect(invalid.status).toBe(422);
            expect(Object.keys(invalid.body).sort()).toEqual(["errorId", "message"]);
            expect((await post(emu, "sources/get", {})).body).toEqual({ errorId: expect.any(String) });
        });
    });

    test("errorStyle overrides the release's bodies", async () => {
        await withEmulator({ serverVersion: "2.0.0", errorStyle: "stack" }, async (emu) => {
            expect((await post(emu, "sources/get", { sourceId: UNKNOWN_ID })).body.exceptionStack).toEqual(
                expect.any(Array),
            );
        });
    });
});

describe("secret masking (the same in every release)", () => {
    const spec: JsonSchema = {
        type: "object",
        required: ["api_host"],
        properties: {
            api_host: { type: "string", airbyte_secret: false },
            password: { type: "string", airbyte_secret: true },
            tags: { type: "array", items: { type: "string", airbyte_secret: true } },
            auth: {
                type: "object",
                oneOf: [
                    { properties: { kind: { const: "key" }, key: { type: "string", airbyte_secret: true } } },
                    { properties: { kind: { const: "user" }, user: { type: "string" } } },
                ],
            },
        },
    };

    test.each(["0.50.45", "2.0.0"])(
        "%s: airbyte_secret:false is masked; a full update restores only true secrets outside arrays",
        async (serverVersion) => {
            await withEmulator({ serverVersion }, async (emu) => {
                const def = emu.addCustomDefinition({
                    kind: "source",
                    workspaceId: emu.defaultWorkspaceId,
                    name: "Custom",
                    dockerRepository: "acme/source-custom",
                    dockerImageTag: "1.0.0",
                    connectionSpecification: spec,
                });
                const configuration = {
                    api_host: "api.example.com",
                    password: "p4ss",
                    tags: ["t1", "t2"],
                    auth: { kind: "user", user: "bob" },
                };
                const created = await post(emu, "sources/create", {
                    workspaceId: emu.defaultWorkspaceId,
                    name: "c",
                    sourceDefinitionId: def["sourceDefinitionId"],
                    connectionConfiguration: configuration,
                });
                expect(created.status).toBe(200);
                expect(created.body.connectionConfiguration).toEqual({
                    api_host: MASK,
                    password: MASK,
                    tags: [MASK, MASK],
                    auth: { kind: "user", user: "bob" },
                });

                const update = await post(emu, "sources/update", {
                    sourceId: created.body.sourceId,
                    name: "c",
                    connectionConfiguration: created.body.connectionConfiguration,
                });
                expect(update.status).toBe(200);
                expect(emu.storedConfiguration("source", created.body.sourceId)).toEqual({
                    api_host: MASK,
                    password: "p4ss",
                    tags: [MASK, MASK],
                    auth: { kind: "user", user: "bob" },
                });
            });
        },
    );

    test("a key secret in one oneOf branch is masked whichever branch the value uses; absent secrets are not added", async () => {
        await withEmulator({}, async (emu) => {
            const def = emu.addCustomDefinition({
                kind: "source",
                workspaceId: emu.defaultWorkspaceId,
                name: "Branches",
                dockerRepository: "acme/source-branches",
                dockerImageTag: "1.0.0",
                connectionSpecification: {
                    type: "object",
                    properties: {
                        auth: {
                            type: "object",
                            oneOf: [
                                {
                                    properties: {
                                        kind: { const: "a" },
                                        token: { type: "string", airbyte_secret: true },
                                    },
                                },
                                { properties: { kind: { const: "b" }, token: { type: "string" } } },
                            ],
                        },
                    },
                },
            });
            const create = (auth: unknown) =>
                post(emu, "sources/create", {
                    workspaceId: emu.defaultWorkspaceId,
                    name: "b",
                    sourceDefinitionId: def["sourceDefinitionId"],
                    connectionConfiguration: { auth },
                });
            expect((await create({ kind: "b", token: "visible?" })).body.connectionConfiguration).toEqual({
                auth: { kind: "b", token: MASK },
            });
            expect((await create({ kind: "a" })).body.connectionConfiguration).toEqual({ auth: { kind: "a" } });
        });
    });
});

describe("discovery: added database tables, cache and the most recent catalog", () => {
    test("a table added after the last discover appears only in uncached discovers of that namespace", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.postgres,
                connectionConfiguration: postgresSourceConfig({ schemas: ["public", "sales"] }),
            });
            const names = (body: any, namespace: string) =>
                body.catalog.streams
                    .filter((s: any) => s.stream.namespace === namespace)
                    .map((s: any) => s.stream.name);
            const first = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(names(first.body, "public")).not.toContain("loyalty_points");

            const added = await admin(emu, "POST", "database-tables", {
                namespace: "public",
                name: "loyalty_points",
                columns: { id: "integer", active: "boolean", earned_at: "timestamp" },
                primaryKey: ["id"],
            });
            expect(added.status).toBe(204);
            emu.addDatabaseTable({ namespace: "public", name: "flags", columns: { enabled: "boolean" } });

            const cached = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(cached.body.catalog).toEqual(first.body.catalog);
            expect(cached.body.catalogId).toBe(first.body.catalogId);
            // SchedulerHandler.discover's empty job for a cache hit.
            expect(cached.body.jobInfo).toEqual({
                id: expect.stringMatching(/^[0-9a-f-]{36}$/),
                configType: "discover_schema",
                configId: "NoConfiguration",
                createdAt: 0,
                endedAt: 0,
                succeeded: true,
                logType: "formatted",
                logs: { logLines: [] },
            });
            expect(cached.body.catalogDiff).toBeUndefined();

            const fresh = await post(emu, "sources/discover_schema", {
                sourceId: source.sourceId,
                disable_cache: true,
            });
            expect(names(fresh.body, "public")).toEqual(expect.arrayContaining(["loyalty_points", "flags"]));
            expect(names(fresh.body, "sales")).not.toContain("loyalty_points");
            expect(fresh.body.catalogId).not.toBe(first.body.catalogId);
            const loyalty = fresh.body.catalog.streams.find((s: any) => s.stream.name === "loyalty_points").stream;
            expect(loyalty).toMatchObject({
                jsonSchema: {
                    type: "object",
                    properties: {
                        id: { type: "number", airbyte_type: "integer" },
                        active: { type: "boolean" },
                        earned_at: { type: "string", format: "date-time" },
                    },
                },
                supportedSyncModes: ["full_refresh", "incremental"],
                sourceDefinedCursor: false,
                defaultCursorField: [],
                sourceDefinedPrimaryKey: [["id"]],
            });
            // Only a boolean column: nothing to use as a cursor.
            expect(fresh.body.catalog.streams.find((s: any) => s.stream.name === "flags").stream).toMatchObject({
                supportedSyncModes: ["full_refresh"],
                sourceDefinedPrimaryKey: [],
            });

            expect(
                (
                    await admin(emu, "POST", "database-tables", {
                        namespace: "public",
                        name: "bad",
                        columns: { x: "blob" },
                    })
                ).status,
            ).toBe(400);
            expect(
                (
                    await admin(emu, "POST", "database-tables", {
                        namespace: "public",
                        name: "bad",
                        primaryKey: ["nope"],
                    })
                ).status,
            ).toBe(400);
        });
    });

    test("with CDC an added keyless table is full_refresh only; a keyed one gets the CDC cursor", async () => {
        await withEmulator({}, async (emu) => {
            emu.addDatabaseTable({ namespace: "dbo", name: "events" });
            emu.addDatabaseTable({ namespace: "dbo", name: "accounts", primaryKey: ["id"] });
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ replication_method: { method: "CDC" } }),
            });
            const { catalog } = await discoveredCatalog(emu, source.sourceId);
            const find = (name: string) => catalog.streams.find((s: any) => s.stream.name === name).stream;
            expect(find("events")).toMatchObject({
                supportedSyncModes: ["full_refresh"],
                sourceDefinedCursor: false,
                defaultCursorField: [],
            });
            expect(find("accounts")).toMatchObject({
                supportedSyncModes: ["full_refresh", "incremental"],
                sourceDefinedCursor: true,
                defaultCursorField: ["_ab_cdc_cursor"],
                sourceDefinedPrimaryKey: [["id"]],
            });
        });
    });

    test("sources/most_recent_source_actor_catalog: {} before any discover, then the latest fetched catalog in protocol form", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            expect(
                (await post(emu, "sources/most_recent_source_actor_catalog", { sourceId: source.sourceId })).body,
            ).toEqual({});
            await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            const first = await post(emu, "sources/most_recent_source_actor_catalog", { sourceId: source.sourceId });
            expect(first.status).toBe(200);
            expect(Math.abs(first.body.updatedAt - Date.now() / 1000)).toBeLessThan(5);
            const customers = first.body.catalog.streams.find((s: any) => s.name === "customers");
            expect(customers).toEqual({
                name: "customers",
                namespace: "dbo",
                json_schema: expect.objectContaining({ type: "object" }),
                supported_sync_modes: ["full_refresh", "incremental"],
                source_defined_cursor: false,
                default_cursor_field: [],
                source_defined_primary_key: [["id"]],
                is_resumable: true,
            });
            // A cache hit runs no job and writes no fetch event.
            emu.advanceTime(60_000);
            await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(
                (await post(emu, "sources/most_recent_source_actor_catalog", { sourceId: source.sourceId })).body
                    .updatedAt,
            ).toBe(first.body.updatedAt);
            emu.addDatabaseTable({ namespace: "dbo", name: "late_arrival" });
            await post(emu, "sources/discover_schema", { sourceId: source.sourceId, disable_cache: true });
            const latest = await post(emu, "sources/most_recent_source_actor_catalog", { sourceId: source.sourceId });
            expect(latest.body.updatedAt).toBeGreaterThanOrEqual(first.body.updatedAt + 60);
            expect(latest.body.catalog.streams.map((s: any) => s.name)).toContain("late_arrival");
        });
    });
});

describe("deleted (tombstoned) sources and destinations", () => {
    test("2.0.0: update and check_connection_for_update are 500, partial_update 422, delete again 204", async () => {
        await withEmulator({ serverVersion: "2.0.0" }, async (emu) => {
            const source = await createSource(emu);
            expect((await post(emu, "sources/delete", { sourceId: source.sourceId })).status).toBe(204);
            expect(
                (await post(emu, "sources/get", { sourceId: source.sourceId })).body.connectionConfiguration,
            ).toBeNull();
            const update = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: mssqlConfig(),
            });
            expect(update.status).toBe(500);
            expect(update.body).toEqual({ errorId: expect.any(String) });
            expect((await post(emu, "sources/partial_update", { sourceId: source.sourceId, name: "x" })).status).toBe(
                422,
            );
            expect((await post(emu, "sources/delete", { sourceId: source.sourceId })).status).toBe(204);
            const destination = await createDestination(emu);
            await post(emu, "destinations/delete", { destinationId: destination.destinationId });
            expect(
                (
                    await post(emu, "destinations/update", {
                        destinationId: destination.destinationId,
                        name: "x",
                        connectionConfiguration: destination.connectionConfiguration,
                    })
                ).status,
            ).toBe(500);
            expect(
                (
                    await post(emu, "destinations/check_connection_for_update", {
                        destinationId: destination.destinationId,
                        name: "x",
                        connectionConfiguration: destination.connectionConfiguration,
                    })
                ).status,
            ).toBe(500);
        });
    });

    test("1.8.0: the 500 carries Guava's null message", async () => {
        await withEmulator({ serverVersion: "1.8.0" }, async (emu) => {
            const source = await createSource(emu);
            await post(emu, "sources/delete", { sourceId: source.sourceId });
            const update = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: mssqlConfig(),
            });
            expect(update.status).toBe(500);
            expect(update.body).toEqual({
                message: "Internal Server Error: null",
                exceptionClassName: "java.lang.IllegalArgumentException",
            });
        });
    });

    test("0.63.4: delete keeps the configuration; get shows it masked and update succeeds on the tombstone", async () => {
        await withEmulator({ serverVersion: "0.63.4" }, async (emu) => {
            const source = await createSource(emu);
            await post(emu, "sources/delete", { sourceId: source.sourceId });
            const read = await post(emu, "sources/get", { sourceId: source.sourceId });
            expect(read.body.connectionConfiguration).toEqual({ ...mssqlConfig(), password: MASK });
            const update = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "renamed",
                connectionConfiguration: read.body.connectionConfiguration,
            });
            expect(update.status).toBe(200);
            expect(update.body.name).toBe("renamed");
            expect(emu.storedConfiguration("source", source.sourceId)).toEqual(mssqlConfig());
            // Still deleted.
            expect((await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources).toEqual([]);
            expect((await post(emu, "sources/delete", { sourceId: source.sourceId })).status).toBe(204);
        });
    });

    test("0.63.5 voids the configuration", async () => {
        await withEmulator({ serverVersion: "0.63.5" }, async (emu) => {
            const source = await createSource(emu);
            await post(emu, "sources/delete", { sourceId: source.sourceId });
            expect(
                (await post(emu, "sources/get", { sourceId: source.sourceId })).body.connectionConfiguration,
            ).toBeNull();
            expect(
                (
                    await post(emu, "sources/update", {
                        sourceId: source.sourceId,
                        name: "x",
                        connectionConfiguration: mssqlConfig(),
                    })
                ).status,
            ).toBe(500);
        });
    });
});

describe("connections", () => {
    async function fixture(emu: EmulatorHandle) {
        const source = await createSource(emu, { name: "Sales DB" });
        const destination = await createDestination(emu, {
            destinationDefinitionId: DEFINITIONS.postgresDestination,
            connectionConfiguration: postgresDestinationConfig(),
        });
        const { catalog } = await discoveredCatalog(emu, source.sourceId, (s) =>
            ["orders", "customers"].includes(s.stream.name) ? selectStream(s) : s,
        );
        return { source, destination, catalog };
    }

    test("ConnectionRead has no workspaceId except from list_paginated", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const created = await createConnection(emu, source.sourceId, destination.destinationId, { name: "first" });
            await createConnection(emu, source.sourceId, destination.destinationId, { name: "second" });
            const deleted = await createConnection(emu, source.sourceId, destination.destinationId, {
                name: "deleted",
            });
            await post(emu, "connections/delete", { connectionId: deleted.connectionId });
            for (const read of [
                created,
                (await post(emu, "connections/get", { connectionId: created.connectionId })).body,
                (await post(emu, "connections/update", { connectionId: created.connectionId, name: "renamed" })).body,
                ...(await post(emu, "connections/list", { workspaceId: emu.defaultWorkspaceId })).body.connections,
            ]) {
                expect("workspaceId" in read).toBe(false);
            }
            const body = { workspaceIds: [emu.defaultWorkspaceId], userId: USER };
            const paginated = await post(emu, "connections/list_paginated", body);
            expect(paginated.status).toBe(200);
            expect(paginated.body.connections.map((c: any) => [c.name, c.workspaceId])).toEqual([
                ["renamed", emu.defaultWorkspaceId],
                ["second", emu.defaultWorkspaceId],
            ]);
            expect(
                (await post(emu, "connections/list_paginated", { ...body, includeDeleted: true })).body.connections,
            ).toHaveLength(3);
            const page = await post(emu, "connections/list_paginated", {
                ...body,
                includeDeleted: true,
                pagination: { pageSize: 1, rowOffset: 2 },
            });
            expect(page.body.connections.map((c: any) => c.name)).toEqual(["deleted"]);
            expect(
                (await post(emu, "connections/list_paginated", { ...body, workspaceIds: [UNKNOWN_ID] })).body
                    .connections,
            ).toEqual([]);
            expect(
                (await post(emu, "connections/list_paginated", { workspaceIds: [emu.defaultWorkspaceId] })).status,
            ).toBe(400);
        });
        await withEmulator({ serverVersion: "0.50.12" }, async (emu) => {
            expect(
                (
                    await post(emu, "connections/list_paginated", {
                        workspaceIds: [emu.defaultWorkspaceId],
                        userId: USER,
                    })
                ).status,
            ).toBe(404);
        });
        await withEmulator({ serverVersion: "0.50.13" }, async (emu) => {
            expect(
                (
                    await post(emu, "connections/list_paginated", {
                        workspaceIds: [emu.defaultWorkspaceId],
                        userId: USER,
                    })
                ).status,
            ).toBe(200);
        });
    });

    test("update revives a deprecated connection; connections on deleted actors are accepted", async () => {
        await withEmulator({}, async (emu) => {
            const { source, destination } = await fixture(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId);
            await post(emu, "connections/delete", { connectionId: connection.connectionId });
            const renamed = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                name: "still deleted",
            });
            expect(renamed.body).toMatchObject({ name: "still deleted", status: "deprecated" });
            const revived = await post(emu, "connections/update", {
                connectionId: connection.connectionId,
                status: "active",
            });
            expect(revived.status).toBe(200);
            expect(revived.body.status).toBe("active");
            expect(
                (await post(emu, "connections/list", { workspaceId: emu.defaultWorkspaceId })).body.connections.map(
                    (c: any) => c.connectionId,
                ),
            ).toEqual([connection.connectionId]);

            await post(emu, "sources/delete", { sourceId: source.sourceId });
            const onDeleted = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
            });
            expect(onDeleted.status).toBe(200);
        });
    });

    test("source and destination in different workspaces: 500 and nothing stored", async () => {
        await withEmulator({ serverVersion: "1.8.0" }, async (emu) => {
            const other = (await post(emu, "workspaces/create", { name: "Other", organizationId: ORG })).body
                .workspaceId;
            const source = await createSource(emu);
            const destination = await createDestination(emu, { workspaceId: other });
            const response = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
            });
            expect(response.status).toBe(500);
            expect(response.body.message).toBe(
                `Internal Server Error: Source and destination do not belong to the same workspace. Source id: ${source.sourceId}, Source workspace id: ${emu.defaultWorkspaceId}, Destination id: ${destination.destinationId}, Destination workspace id: ${other}`,
            );
            expect(emu.counters().created.connections).toBe(0);
            expect(emu.snapshot().connections).toEqual([]);
        });
    });

    test("creation times: connection created_at from 0.50.46, source/destination createdAt from 1.2.0", async () => {
        const reads = async (serverVersion: string) =>
            withEmulator({ serverVersion }, async (emu) => {
                const source = await createSource(emu);
                const destination = await createDestination(emu);
                const connection = await createConnection(emu, source.sourceId, destination.destinationId);
                const listed = (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body
                    .sources[0];
                return { source, destination, connection, listed };
            });
        const v0_50_45 = await reads("0.50.45");
        expect(v0_50_45.connection.created_at).toBeUndefined();
        const v1_1 = await reads("1.1.0");
        expect(v1_1.connection.created_at).toEqual(expect.any(Number));
        for (const read of [v1_1.source, v1_1.destination, v1_1.listed]) expect(read.createdAt).toBeUndefined();
        const v1_2 = await reads("1.2.0");
        for (const read of [v1_2.source, v1_2.destination, v1_2.listed])
            expect(read.createdAt).toBeGreaterThan(1_600_000_000);
        expect((await reads("0.50.46")).connection.created_at).toBeGreaterThan(1_600_000_000);
    });

    test("the selected-field limit (0.58.0+): 400 on create and update", async () => {
        await withEmulator({ serverVersion: "0.58.0", maxFieldsPerConnection: 10 }, async (emu) => {
            const { source, destination, catalog } = await fixture(emu);
            // orders (11 columns) + customers (8).
            const tooMany = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                syncCatalog: catalog,
            });
            expect(tooMany.status).toBe(400);
            expect(tooMany.body.message).toBe(
                "Total number of selected fields (19) is greater than the limit (10) configured for this workspace. Please de-select fields or see documentation about raising the limit.",
            );
            expect(emu.counters().created.connections).toBe(0);
            // Field selection counts the selected fields only.
            const narrowed = catalog.streams.map((s: any) =>
                s.config.selected
                    ? {
                          ...s,
                          config: {
                              ...s.config,
                              fieldSelectionEnabled: true,
                              selectedFields: [{ fieldPath: ["id"] }, { fieldPath: ["updated_at"] }],
                          },
                      }
                    : s,
            );
            const ok = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                syncCatalog: { streams: narrowed },
            });
            expect(ok.status).toBe(200);
            const update = await post(emu, "connections/update", {
                connectionId: ok.body.connectionId,
                syncCatalog: catalog,
            });
            expect(update.status).toBe(400);
            expect(update.body).toMatchObject({
                message: expect.stringContaining("(19) is greater than the limit (10)"),
                exceptionClassName: "io.airbyte.commons.server.errors.BadRequestException",
            });
        });
        await withEmulator({ maxFieldsPerConnection: 10 }, async (emu) => {
            const { source, destination, catalog } = await fixture(emu);
            const tooMany = await post(emu, "connections/create", {
                sourceId: source.sourceId,
                destinationId: destination.destinationId,
                status: "active",
                syncCatalog: catalog,
            });
            expect(tooMany.body).toEqual({
                message: expect.stringContaining("(19) is greater than the limit (10)"),
                errorId: expect.any(String),
            });
        });
        await withEmulator({ serverVersion: "0.57.4", maxFieldsPerConnection: 10 }, async (emu) => {
            const { source, destination, catalog } = await fixture(emu);
            expect(
                (
                    await post(emu, "connections/create", {
                        sourceId: source.sourceId,
                        destinationId: destination.destinationId,
                        status: "active",
                        syncCatalog: catalog,
                    })
                ).status,
            ).toBe(200);
        });
    });

    test("cron time zones: Joda ids are case-sensitive; 400 problems from 0.62.4, 422 before", async () => {
        const cron = (cronExpression: string, cronTimeZone: string) => ({
            scheduleType: "cron",
            scheduleData: { cron: { cronExpression, cronTimeZone } },
        });
        await withEmulator({ serverVersion: "0.62.4" }, async (emu) => {
            const { source, destination } = await fixture(emu);
            const base = { sourceId: source.sourceId, destinationId: destination.destinationId, status: "active" };
            const lower = await post(emu, "connections/create", { ...base, ...cron("0 0 12 * * ?", "europe/paris") });
            expect(lower.status).toBe(400);
            expect(lower.body).toMatchObject({
                status: 400,
                type: "error:cron-validation/invalid-timezone",
                data: { connectionId: expect.stringMatching(/^[0-9a-f-]{36}$/), cronTimezone: "europe/paris" },
            });
            expect(
                (await post(emu, "connections/create", { ...base, ...cron("0 0 12 * * ?", "Europe/Paris") })).status,
            ).toBe(200);
            expect(emu.counters().created.connections).toBe(1);
        });
        await withEmulator({ serverVersion: "0.62.3" }, async (emu) => {
            const { source, destination } = await fixture(emu);
            const base = { sourceId: source.sourceId, destinationId: destination.destinationId, status: "active" };
            const lower = await post(emu, "connections/create", { ...base, ...cron("0 0 12 * * ?", "europe/paris") });
            expect(lower.status).toBe(422);
            expect(lower.body.message).toBe(
                "The provided configuration does not fulfill the specification. Errors: invalid cron timezone",
            );
            const etc = await post(emu, "connections/create", { ...base, ...cron("0 0 12 * * ?", "Etc/UTC") });
            expect(etc.body.message).toBe(
                "The provided configuration does not fulfill the specification. Errors: Etc/ timezones are unsupported",
            );
            const expression = await post(emu, "connections/create", { ...base, ...cron("0 12 * * *", "UTC") });
            expect(expression.body.message).toBe(
                "The provided configuration does not fulfill the specification. Errors: invalid cron expression",
            );
        });
    });

    test("a bad expression and a bad zone together: the zone wins before 1.3.0, the expression after", async () => {
        const both = {
            scheduleType: "cron",
            scheduleData: { cron: { cronExpression: "not cron", cronTimeZone: "Mars/Olympus" } },
        };
        for (const [serverVersion, type] of [
            ["1.2.0", "error:cron-validation/invalid-timezone"],
            ["1.3.0", "error:cron-validation/invalid-expression"],
        ] as const) {
            await withEmulator({ serverVersion }, async (emu) => {
                const { source, destination } = await fixture(emu);
                const response = await post(emu, "connections/create", {
                    sourceId: source.sourceId,
                    destinationId: destination.destinationId,
                    status: "active",
                    ...both,
                });
                expect(response.body.type).toBe(type);
            });
        }
    });
});

describe("actor lists by release", () => {
    test("1.8.0 pages (20, lower(name), id) and 404s a deleted cursor; 1.7.0 returns everything in insertion order", async () => {
        for (const serverVersion of ["1.7.0", "1.8.0"]) {
            await withEmulator({ serverVersion }, async (emu) => {
                const names = Array.from({ length: 25 }, (_, i) => `S${String(24 - i).padStart(2, "0")}`);
                const created = [];
                for (const name of names) created.push(await createSource(emu, { name }));
                const list = await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId, pageSize: 5 });
                await post(emu, "sources/delete", { sourceId: created[0].sourceId });
                const afterDeleted = await post(emu, "sources/list", {
                    workspaceId: emu.defaultWorkspaceId,
                    cursor: created[0].sourceId,
                });
                if (serverVersion === "1.7.0") {
                    expect(list.body).toEqual({ sources: expect.any(Array) });
                    expect(list.body.sources.map((s: any) => s.name)).toEqual(names);
                    expect("numConnections" in list.body.sources[0]).toBe(false);
                    expect(afterDeleted.status).toBe(200);
                    expect(afterDeleted.body.sources).toHaveLength(24);
                } else {
                    expect(list.body.sources.map((s: any) => s.name)).toEqual(["S00", "S01", "S02", "S03", "S04"]);
                    expect(list.body).toMatchObject({ page_size: 5, num_connections: 25 });
                    expect(list.body.sources[0]).toMatchObject({ numConnections: 0, status: "inactive" });
                    expect(afterDeleted.status).toBe(404);
                    expect(
                        (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources,
                    ).toHaveLength(20);
                }
            });
        }
    });
});

describe("limits and availability", () => {
    test("request bodies over maxRequestBytes are answered 413 by Micronaut, without running the handler", async () => {
        await withEmulator({ maxRequestBytes: 2048 }, async (emu) => {
            const big = {
                workspaceId: emu.defaultWorkspaceId,
                name: "x".repeat(4000),
                sourceDefinitionId: DEFINITIONS.mssql,
                connectionConfiguration: mssqlConfig(),
            };
            const response = await post(emu, "sources/create", big);
            expect(response.status).toBe(413);
            const length = Buffer.byteLength(JSON.stringify(big));
            expect(response.body).toEqual({
                _links: { self: { href: "/api/v1/sources/create", templated: false } },
                _embedded: {
                    errors: [
                        { message: `The content length [${length}] exceeds the maximum allowed content length [2048]` },
                    ],
                },
                message: "Request Entity Too Large",
            });
            expect(emu.counters().created.sources).toBe(0);
            expect(emu.requests({ operation: "sources/create" }).map((e) => e.status)).toEqual([413]);
            expect((await post(emu, "sources/create", { ...big, name: "small" })).status).toBe(200);
        });
    });

    test("unavailableForMs: nginx's 502 page on every API path (admin excluded) until the time has passed", async () => {
        await withEmulator({ unavailableForMs: 60_000 }, async (emu) => {
            const health = await get(emu, "health");
            expect(health.status).toBe(502);
            expect(health.headers.get("content-type")).toBe("text/html");
            expect(health.text).toContain("<title>502 Bad Gateway</title>");
            expect((await post(emu, "source_definitions/list")).status).toBe(502);
            expect((await admin(emu, "GET", "settings")).body.unavailableForMs).toBe(60_000);
            expect(emu.requests().map((e) => [e.status, e.fault])).toEqual([
                [502, "unavailable"],
                [502, "unavailable"],
            ]);
            emu.advanceTime(60_000);
            expect((await get(emu, "health")).status).toBe(200);
            expect((await post(emu, "source_definitions/list")).status).toBe(200);
        });
    });
});
