import {
    DEFINITIONS,
    MASK,
    UNKNOWN_ID,
    createConnection,
    createDestination,
    createSource,
    mssqlConfig,
    post,
    postgresSourceConfig,
    withEmulator,
} from "./helpers";

describe("sources: create and read", () => {
    test("create returns a SourceRead with masked secrets, the definition name and epoch-second createdAt", async () => {
        await withEmulator({}, async (emu) => {
            const before = Math.floor(Date.now() / 1000);
            const source = await createSource(emu);
            expect(source).toMatchObject({
                sourceDefinitionId: DEFINITIONS.mssql,
                workspaceId: emu.defaultWorkspaceId,
                name: "MSSQL sales",
                sourceName: "Microsoft SQL Server (MSSQL)",
                connectionConfiguration: { ...mssqlConfig(), password: MASK },
            });
            expect(source.sourceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
            expect(source.createdAt).toBeGreaterThanOrEqual(before);
            expect(source.createdAt).toBeLessThan(before + 10);
            const read = await post(emu, "sources/get", { sourceId: source.sourceId });
            expect(read.status).toBe(200);
            expect(read.body).toEqual(source);
        });
    });

    test("responses omit null fields", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            expect(Object.values(source)).not.toContain(null);
            expect("resourceAllocation" in source).toBe(false);
        });
    });

    test("create validates the configuration against the connector spec: 422 naming the JSON paths", async () => {
        await withEmulator({}, async (emu) => {
            const { host: _host, ...withoutHost } = mssqlConfig();
            const response = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "broken",
                sourceDefinitionId: DEFINITIONS.mssql,
                connectionConfiguration: {
                    ...withoutHost,
                    port: "1433",
                    ssl_method: { ssl_method: "encrypted_verify_certificate", certificate: 42 },
                },
            });
            expect(response.status).toBe(422);
            expect(response.body.message).toMatch(
                /^The provided configuration does not fulfill the specification\. Errors: /,
            );
            expect(response.body.message).toContain("$: required property 'host' not found");
            expect(response.body.message).toContain("$.port: string found, integer expected");
            expect(response.body.message).toContain("$.ssl_method.certificate: integer found, string expected");
            expect(response.body.errorId).toEqual(expect.any(String));
            expect(emu.counters().created.sources).toBe(0);
        });
    });

    test("an unknown oneOf discriminator and a bad enum are reported", async () => {
        await withEmulator({}, async (emu) => {
            const response = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "broken",
                sourceDefinitionId: DEFINITIONS.mssql,
                connectionConfiguration: mssqlConfig({
                    ssl_method: { ssl_method: "magic" },
                    replication_method: { method: "CDC", data_to_sync: "Everything" },
                }),
            });
            expect(response.status).toBe(422);
            expect(response.body.message).toContain(
                "$.ssl_method: must be valid to one and only one schema, but 0 are valid",
            );
            expect(response.body.message).toContain(
                '$.replication_method.data_to_sync: does not have a value in the enumeration ["Existing and New", "New Changes Only"]',
            );
        });
    });

    test("create with an unknown definition, workspace or a malformed id fails like the server", async () => {
        await withEmulator({}, async (emu) => {
            const body = {
                workspaceId: emu.defaultWorkspaceId,
                name: "x",
                sourceDefinitionId: UNKNOWN_ID,
                connectionConfiguration: {},
            };
            expect((await post(emu, "sources/create", body)).status).toBe(404);
            expect(
                (
                    await post(emu, "sources/create", {
                        ...body,
                        sourceDefinitionId: DEFINITIONS.faker,
                        workspaceId: UNKNOWN_ID,
                    })
                ).status,
            ).toBe(404);
            expect((await post(emu, "sources/create", { ...body, sourceDefinitionId: "faker" })).status).toBe(422);
            expect(
                (
                    await post(emu, "sources/create", {
                        workspaceId: emu.defaultWorkspaceId,
                        name: "x",
                        sourceDefinitionId: DEFINITIONS.faker,
                    })
                ).status,
            ).toBe(400);
        });
    });

    test("malformed JSON is a 422 with only an errorId", async () => {
        await withEmulator({}, async (emu) => {
            const response = await post(emu, "sources/get", "{not json");
            expect(response.status).toBe(422);
            expect(Object.keys(response.body)).toEqual(["errorId"]);
        });
    });

    test("get of an unknown source is 404 {errorId}", async () => {
        await withEmulator({}, async (emu) => {
            const response = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(response.status).toBe(404);
            expect(response.body).toEqual({ errorId: expect.any(String) });
        });
    });
});

describe("sources: update and partial_update", () => {
    test("update replaces the configuration and name and validates it", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const updated = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "renamed",
                connectionConfiguration: mssqlConfig({ host: "other.example.com", password: MASK }),
            });
            expect(updated.status).toBe(200);
            expect(updated.body).toMatchObject({
                name: "renamed",
                connectionConfiguration: { host: "other.example.com", password: MASK },
            });
            const invalid = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "renamed",
                connectionConfiguration: mssqlConfig({ port: -1 }),
            });
            expect(invalid.status).toBe(422);
            expect(invalid.body.message).toContain("$.port: must have a minimum value of 0");
            expect(
                (
                    await post(emu, "sources/update", {
                        sourceId: UNKNOWN_ID,
                        name: "x",
                        connectionConfiguration: mssqlConfig(),
                    })
                ).status,
            ).toBe(404);
            expect(
                (
                    await post(emu, "sources/update", {
                        sourceId: source.sourceId,
                        connectionConfiguration: mssqlConfig(),
                    })
                ).status,
            ).toBe(400);
        });
    });

    test("partial_update merges the given keys and validates the merged result", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const patched = await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                connectionConfiguration: { database: "archive", ssl_method: { ssl_method: "unencrypted" } },
            });
            expect(patched.status).toBe(200);
            expect(patched.body.name).toBe("MSSQL sales");
            expect(patched.body.connectionConfiguration).toMatchObject({
                host: "mssql.example.com",
                database: "archive",
                ssl_method: { ssl_method: "unencrypted" },
            });
            const renamed = await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                name: "only the name",
            });
            expect(renamed.body).toMatchObject({
                name: "only the name",
                connectionConfiguration: { database: "archive" },
            });
            const invalid = await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                connectionConfiguration: { port: "not a port" },
            });
            expect(invalid.status).toBe(422);
            expect(emu.storedConfiguration("source", source.sourceId)!["port"]).toBe(1433);
        });
    });
});

describe("sources: delete", () => {
    test("delete answers 204 with an empty body; the source stays readable with a voided (null) configuration but leaves list", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const deleted = await post(emu, "sources/delete", { sourceId: source.sourceId });
            expect(deleted.status).toBe(204);
            expect(deleted.text).toBe("");
            const read = await post(emu, "sources/get", { sourceId: source.sourceId });
            expect(read.status).toBe(200);
            expect(read.body.connectionConfiguration).toBeNull();
            expect(read.body.name).toBe("MSSQL sales");
            expect(emu.storedConfiguration("source", source.sourceId)).toBeUndefined();
            const list = await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId });
            expect(list.body.sources).toEqual([]);
        });
    });

    test("writes to a deleted source: update 500 (copySecrets on a null config), partial_update 422; deleting again answers 204", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            await post(emu, "sources/delete", { sourceId: source.sourceId });
            const update = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: mssqlConfig(),
            });
            expect(update.status).toBe(500);
            expect(Object.keys(update.body)).toEqual(["errorId"]);
            expect(
                (
                    await post(emu, "sources/check_connection_for_update", {
                        sourceId: source.sourceId,
                        name: "x",
                        connectionConfiguration: mssqlConfig(),
                    })
                ).status,
            ).toBe(500);
            const partial = await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: { database: "other" },
            });
            expect(partial.status).toBe(422);
            expect(partial.body.message).toMatch(/^The provided configuration does not fulfill the specification/);
            expect((await post(emu, "sources/get", { sourceId: source.sourceId })).body.name).toBe("MSSQL sales");
            expect((await post(emu, "sources/delete", { sourceId: source.sourceId })).status).toBe(204);
            expect((await post(emu, "sources/delete", { sourceId: UNKNOWN_ID })).status).toBe(404);
        });
    });

    test("deleting a source deprecates every connection that uses it", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const destination = await createDestination(emu);
            const first = await createConnection(emu, source.sourceId, destination.destinationId);
            const second = await createConnection(emu, source.sourceId, destination.destinationId, { name: "second" });
            await post(emu, "sources/delete", { sourceId: source.sourceId });
            for (const connection of [first, second]) {
                const read = await post(emu, "connections/get", { connectionId: connection.connectionId });
                expect(read.status).toBe(200);
                expect(read.body.status).toBe("deprecated");
            }
            expect(
                (await post(emu, "connections/list", { workspaceId: emu.defaultWorkspaceId })).body.connections,
            ).toEqual([]);
        });
    });
});

describe("sources: check_connection", () => {
    test("a reachable source succeeds with a jobInfo", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const { status, body } = await post(emu, "sources/check_connection", { sourceId: source.sourceId });
            expect(status).toBe(200);
            expect(body.status).toBe("succeeded");
            expect(body.jobInfo).toMatchObject({
                configType: "check_connection_source",
                succeeded: true,
                configId: source.sourceId,
            });
            expect(body.jobInfo.id).toMatch(/^[0-9a-f-]{36}$/);
            expect(typeof body.jobInfo.createdAt).toBe("number");
            expect(typeof body.jobInfo.endedAt).toBe("number");
        });
    });

    test("a host ending in .invalid fails with an UnknownHostException message (HTTP 200)", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, { connectionConfiguration: mssqlConfig({ host: "db.invalid" }) });
            const { status, body } = await post(emu, "sources/check_connection", { sourceId: source.sourceId });
            expect(status).toBe(200);
            expect(body.status).toBe("failed");
            expect(body.message).toContain("java.net.UnknownHostException: db.invalid");
            expect(body.jobInfo.succeeded).toBe(true);
        });
    });

    test("the password wrong-password fails with a login error that does not echo the secret", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                sourceDefinitionId: DEFINITIONS.postgres,
                connectionConfiguration: postgresSourceConfig({ password: "wrong-password" }),
            });
            const { body } = await post(emu, "sources/check_connection", { sourceId: source.sourceId });
            expect(body.status).toBe("failed");
            expect(body.message).toContain('password authentication failed for user "postgres"');
            expect(body.message).not.toContain("wrong-password");
        });
    });

    test("an SSH bastion ending in .invalid fails the tunnel first", async () => {
        await withEmulator({}, async (emu) => {
            const tunnel = {
                tunnel_method: "SSH_PASSWORD_AUTH",
                tunnel_host: "bastion.invalid",
                tunnel_port: 22,
                tunnel_user: "jump",
                tunnel_user_password: "pw",
            };
            const source = await createSource(emu, { connectionConfiguration: mssqlConfig({ tunnel_method: tunnel }) });
            const { body } = await post(emu, "sources/check_connection", { sourceId: source.sourceId });
            expect(body.message).toContain("SSH configuration");
            expect(body.message).toContain("bastion.invalid");
        });
    });

    test("scheduler/sources/check_connection checks a configuration before anything is created", async () => {
        await withEmulator({}, async (emu) => {
            const ok = await post(emu, "scheduler/sources/check_connection", {
                sourceDefinitionId: DEFINITIONS.mssql,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: mssqlConfig(),
            });
            expect(ok.body.status).toBe("succeeded");
            const bad = await post(emu, "scheduler/sources/check_connection", {
                sourceDefinitionId: DEFINITIONS.mysql,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: {
                    host: "mysql.example.com",
                    port: 3306,
                    database: "shop",
                    username: "root",
                    password: "wrong-password",
                    replication_method: { method: "STANDARD" },
                },
            });
            expect(bad.body.status).toBe("failed");
            expect(bad.body.message).toContain("Access denied for user 'root'");
            expect(emu.counters().created.sources).toBe(0);
            const invalid = await post(emu, "scheduler/sources/check_connection", {
                sourceDefinitionId: DEFINITIONS.mssql,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: { host: "x" },
            });
            expect(invalid.status).toBe(422);
        });
    });
});
