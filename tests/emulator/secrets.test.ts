import {
    DEFINITIONS,
    MASK,
    createDestination,
    createSource,
    mssqlConfig,
    post,
    s3Config,
    withEmulator,
} from "./helpers";

const KEY_TUNNEL = {
    tunnel_method: "SSH_KEY_AUTH",
    tunnel_host: "bastion.example.com",
    tunnel_port: 22,
    tunnel_user: "jump",
    ssh_key: "-----BEGIN RSA PRIVATE KEY-----abc",
};
const VERIFY_SSL = {
    ssl_method: "encrypted_verify_certificate",
    hostNameInCertificate: "mssql.example.com",
    certificate: "-----BEGIN CERTIFICATE-----xyz",
};

describe("secret masking", () => {
    test("every airbyte_secret is masked in create, get and list, including inside the chosen oneOf branch", async () => {
        await withEmulator({}, async (emu) => {
            const created = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ ssl_method: VERIFY_SSL, tunnel_method: KEY_TUNNEL }),
            });
            const expected = {
                ...mssqlConfig(),
                password: MASK,
                ssl_method: { ...VERIFY_SSL, certificate: MASK },
                tunnel_method: { ...KEY_TUNNEL, ssh_key: MASK },
            };
            expect(created.connectionConfiguration).toEqual(expected);
            expect(
                (await post(emu, "sources/get", { sourceId: created.sourceId })).body.connectionConfiguration,
            ).toEqual(expected);
            expect(
                (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources[0]
                    .connectionConfiguration,
            ).toEqual(expected);
            // The server still holds the real values.
            expect(emu.storedConfiguration("source", created.sourceId)).toEqual(
                mssqlConfig({ ssl_method: VERIFY_SSL, tunnel_method: KEY_TUNNEL }),
            );
        });
    });

    test("nested secrets of other connectors (S3 keys, BigQuery HMAC secret) are masked too", async () => {
        await withEmulator({}, async (emu) => {
            const bigquery = await createDestination(emu, {
                destinationDefinitionId: DEFINITIONS.bigquery,
                connectionConfiguration: {
                    project_id: "acme",
                    dataset_location: "EU",
                    dataset_id: "raw",
                    credentials_json: '{"type":"service_account"}',
                    loading_method: {
                        method: "GCS Staging",
                        gcs_bucket_name: "stage",
                        gcs_bucket_path: "tmp",
                        credential: {
                            credential_type: "HMAC_KEY",
                            hmac_key_access_id: "GOOG1",
                            hmac_key_secret: "hmac-secret",
                        },
                    },
                },
            });
            expect(bigquery.connectionConfiguration.credentials_json).toBe(MASK);
            expect(bigquery.connectionConfiguration.loading_method.credential).toEqual({
                credential_type: "HMAC_KEY",
                hmac_key_access_id: MASK,
                hmac_key_secret: MASK,
            });
            expect(bigquery.connectionConfiguration.loading_method.gcs_bucket_name).toBe("stage");
        });
    });
});

describe("specs the server's secret traversal handles specially", () => {
    const custom = (emu: any, connectionSpecification: Record<string, unknown>) =>
        emu.addCustomDefinition({
            kind: "source",
            workspaceId: emu.defaultWorkspaceId,
            name: "Odd",
            dockerRepository: "acme/source-odd",
            dockerImageTag: "1.0.0",
            connectionSpecification,
        })["sourceDefinitionId"];

    test("a root without properties or oneOf is not a usable schema: nothing is masked (prepareSecretsForOutput)", async () => {
        await withEmulator({}, async (emu) => {
            const id = custom(emu, {
                type: "object",
                anyOf: [{ properties: { token: { type: "string", airbyte_secret: true } } }],
            });
            const created = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "odd",
                sourceDefinitionId: id,
                connectionConfiguration: { token: "t0k3n" },
            });
            expect(created.status).toBe(200);
            expect(created.body.connectionConfiguration).toEqual({ token: "t0k3n" });
        });
    });

    test("a boolean sub-schema makes the traversal's require fail: 500, and nothing is stored", async () => {
        await withEmulator({}, async (emu) => {
            const id = custom(emu, { type: "object", properties: { tags: { type: "array", items: true } } });
            const created = await post(emu, "sources/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "odd",
                sourceDefinitionId: id,
                connectionConfiguration: { tags: ["a"] },
            });
            expect(created.status).toBe(500);
            expect(emu.snapshot().sources).toEqual([]);
        });
    });
});

describe("secrets on update", () => {
    test("a full update that sends the mask keeps the stored secret", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ tunnel_method: KEY_TUNNEL }),
            });
            const read = (await post(emu, "sources/get", { sourceId: source.sourceId })).body;
            // Send the masked read straight back: safe.
            const response = await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: read.name,
                connectionConfiguration: read.connectionConfiguration,
            });
            expect(response.status).toBe(200);
            const stored = emu.storedConfiguration("source", source.sourceId)!;
            expect(stored["password"]).toBe("s3cr3t-Passw0rd");
            expect((stored["tunnel_method"] as any).ssh_key).toBe(KEY_TUNNEL.ssh_key);
        });
    });

    test("another value replaces the secret; a secret left out is dropped", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ ssl_method: VERIFY_SSL }),
            });
            const { certificate: _certificate, ...sslWithoutCertificate } = VERIFY_SSL;
            await post(emu, "sources/update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: mssqlConfig({ password: "rotated!", ssl_method: sslWithoutCertificate }),
            });
            const stored = emu.storedConfiguration("source", source.sourceId)!;
            expect(stored["password"]).toBe("rotated!");
            expect(stored["ssl_method"]).toEqual(sslWithoutCertificate);
        });
    });

    test("partial_update merges over the stored config and stores what it is given, even the mask", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                connectionConfiguration: { database: "other" },
            });
            expect(emu.storedConfiguration("source", source.sourceId)!["password"]).toBe("s3cr3t-Passw0rd");
            await post(emu, "sources/partial_update", {
                sourceId: source.sourceId,
                connectionConfiguration: { password: MASK },
            });
            expect(emu.storedConfiguration("source", source.sourceId)!["password"]).toBe(MASK);
        });
    });

    test("check_connection_for_update fills masked secrets from the stored config before checking", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ password: "wrong-password" }),
            });
            const masked = (await post(emu, "sources/get", { sourceId: source.sourceId })).body.connectionConfiguration;
            const kept = await post(emu, "sources/check_connection_for_update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: masked,
            });
            expect(kept.status).toBe(200);
            expect(kept.body.status).toBe("failed"); // the stored wrong-password was used
            const fixed = await post(emu, "sources/check_connection_for_update", {
                sourceId: source.sourceId,
                name: "x",
                connectionConfiguration: { ...masked, password: "right" },
            });
            expect(fixed.body.status).toBe("succeeded");
            // Checking never changes what is stored.
            expect(emu.storedConfiguration("source", source.sourceId)!["password"]).toBe("wrong-password");
        });
    });

    test("scheduler/sources/check_connection with a sourceId also fills masked secrets from storage", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu, {
                connectionConfiguration: mssqlConfig({ password: "wrong-password" }),
            });
            const body = {
                sourceDefinitionId: DEFINITIONS.mssql,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: mssqlConfig({ password: MASK }),
            };
            expect((await post(emu, "scheduler/sources/check_connection", body)).body.status).toBe("succeeded");
            expect(
                (await post(emu, "scheduler/sources/check_connection", { ...body, sourceId: source.sourceId })).body
                    .status,
            ).toBe("failed");
        });
    });

    test("destinations/update keeps masked S3 keys", async () => {
        await withEmulator({}, async (emu) => {
            const destination = await createDestination(emu);
            await post(emu, "destinations/update", {
                destinationId: destination.destinationId,
                name: "Lake",
                connectionConfiguration: destination.connectionConfiguration,
            });
            expect(emu.storedConfiguration("destination", destination.destinationId)).toEqual(s3Config());
        });
    });
});

describe("secrets never reach the request log", () => {
    test("request bodies are logged with secrets masked; the token response is masked", async () => {
        await withEmulator({ auth: "simple" }, async (emu) => {
            const token = (
                await post(emu, "applications/token", {
                    client_id: emu.credentials.clientId,
                    client_secret: emu.credentials.clientSecret,
                })
            ).body.access_token;
            const auth = { authorization: `Bearer ${token}` };
            await post(
                emu,
                "sources/create",
                {
                    workspaceId: emu.defaultWorkspaceId,
                    name: "s",
                    sourceDefinitionId: DEFINITIONS.mssql,
                    connectionConfiguration: mssqlConfig({ tunnel_method: KEY_TUNNEL }),
                },
                auth,
            );
            await post(
                emu,
                "scheduler/destinations/check_connection",
                {
                    destinationDefinitionId: DEFINITIONS.s3,
                    workspaceId: emu.defaultWorkspaceId,
                    connectionConfiguration: s3Config(),
                },
                auth,
            );
            const dump = JSON.stringify(emu.requests());
            for (const secret of [
                "s3cr3t-Passw0rd",
                KEY_TUNNEL.ssh_key,
                "aws-secret-value",
                "AKIAEXAMPLEKEY",
                emu.credentials.clientSecret,
                token,
            ]) {
                expect(dump).not.toContain(secret);
            }
            const create = emu.requests({ operation: "sources/create" })[0]!;
            expect((create.requestBody as any).connectionConfiguration.password).toBe(MASK);
            expect((create.requestBody as any).connectionConfiguration.host).toBe("mssql.example.com");
        });
    });
});
