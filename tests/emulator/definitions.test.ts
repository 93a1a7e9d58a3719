import { DEFINITIONS, UNKNOWN_ID, post, withEmulator } from "./helpers";

describe("connector definitions", () => {
    test("source_definitions/list returns the built-in catalog with the real public ids", async () => {
        await withEmulator({}, async (emu) => {
            const { status, body } = await post(emu, "source_definitions/list");
            expect(status).toBe(200);
            const byRepo = Object.fromEntries(body.sourceDefinitions.map((d: any) => [d.dockerRepository, d]));
            expect(byRepo["airbyte/source-mssql"]).toMatchObject({
                sourceDefinitionId: DEFINITIONS.mssql,
                sourceType: "database",
                releaseStage: "generally_available",
                supportLevel: "certified",
            });
            expect(byRepo["airbyte/source-postgres"].sourceDefinitionId).toBe(DEFINITIONS.postgres);
            expect(byRepo["airbyte/source-mysql"].sourceDefinitionId).toBe(DEFINITIONS.mysql);
            expect(byRepo["airbyte/source-faker"]).toMatchObject({
                sourceDefinitionId: DEFINITIONS.faker,
                name: "Sample Data (Faker)",
            });
            for (const def of body.sourceDefinitions) {
                expect(def).toEqual(
                    expect.objectContaining({
                        name: expect.any(String),
                        dockerImageTag: expect.any(String),
                        documentationUrl: expect.stringMatching(/^https:/),
                        custom: false,
                    }),
                );
            }
        });
    });

    test("destination_definitions/list includes S3, Postgres and BigQuery", async () => {
        await withEmulator({}, async (emu) => {
            const { body } = await post(emu, "destination_definitions/list");
            const ids = body.destinationDefinitions.map((d: any) => d.destinationDefinitionId);
            expect(ids).toEqual(
                expect.arrayContaining([DEFINITIONS.s3, DEFINITIONS.postgresDestination, DEFINITIONS.bigquery]),
            );
        });
    });

    test("get answers the definition, 404 for unknown ids and 422 for malformed ones", async () => {
        await withEmulator({}, async (emu) => {
            const found = await post(emu, "source_definitions/get", { sourceDefinitionId: DEFINITIONS.postgres });
            expect(found.status).toBe(200);
            expect(found.body.dockerRepository).toBe("airbyte/source-postgres");
            const missing = await post(emu, "source_definitions/get", { sourceDefinitionId: UNKNOWN_ID });
            expect(missing.status).toBe(404);
            expect(Object.keys(missing.body)).toEqual(["errorId"]);
            expect(
                (await post(emu, "destination_definitions/get", { destinationDefinitionId: "not-a-uuid" })).status,
            ).toBe(422);
            expect((await post(emu, "destination_definitions/get", {})).status).toBe(400);
        });
    });

    test("list_for_workspace adds the workspace's custom definitions; get_for_workspace hides other workspaces' ones", async () => {
        await withEmulator({}, async (emu) => {
            const other = await post(emu, "workspaces/create", {
                name: "Other",
                organizationId: "00000000-0000-0000-0000-000000000000",
            });
            const custom = emu.addCustomDefinition({
                kind: "source",
                workspaceId: emu.defaultWorkspaceId,
                name: "In-house CRM",
                dockerRepository: "acme/source-crm",
                dockerImageTag: "0.3.1",
                connectionSpecification: {
                    type: "object",
                    required: ["api_url"],
                    properties: { api_url: { type: "string" }, api_key: { type: "string", airbyte_secret: true } },
                },
            });
            const id = custom["sourceDefinitionId"] as string;
            const mine = await post(emu, "source_definitions/list_for_workspace", {
                workspaceId: emu.defaultWorkspaceId,
            });
            const entry = mine.body.sourceDefinitions.find((d: any) => d.sourceDefinitionId === id);
            expect(entry).toMatchObject({ name: "In-house CRM", custom: true, releaseStage: "custom" });
            const theirs = await post(emu, "source_definitions/list_for_workspace", {
                workspaceId: other.body.workspaceId,
            });
            expect(theirs.body.sourceDefinitions.some((d: any) => d.sourceDefinitionId === id)).toBe(false);
            expect((await post(emu, "source_definitions/list")).body.sourceDefinitions.some((d: any) => d.custom)).toBe(
                false,
            );
            expect(
                (
                    await post(emu, "source_definitions/get_for_workspace", {
                        sourceDefinitionId: id,
                        workspaceId: emu.defaultWorkspaceId,
                    })
                ).status,
            ).toBe(200);
            expect(
                (
                    await post(emu, "source_definitions/get_for_workspace", {
                        sourceDefinitionId: id,
                        workspaceId: other.body.workspaceId,
                    })
                ).status,
            ).toBe(404);
            expect(
                (
                    await post(emu, "source_definitions/get_for_workspace", {
                        sourceDefinitionId: DEFINITIONS.faker,
                        workspaceId: other.body.workspaceId,
                    })
                ).status,
            ).toBe(200);
        });
    });
});

describe("definition specifications", () => {
    test("source_definition_specifications/get returns the MSSQL spec with secrets, oneOf branches and defaults", async () => {
        await withEmulator({}, async (emu) => {
            const { status, body } = await post(emu, "source_definition_specifications/get", {
                sourceDefinitionId: DEFINITIONS.mssql,
                workspaceId: emu.defaultWorkspaceId,
            });
            expect(status).toBe(200);
            expect(body.sourceDefinitionId).toBe(DEFINITIONS.mssql);
            expect(body.documentationUrl).toMatch(/mssql/);
            expect(body.jobInfo).toMatchObject({ configType: "get_spec", succeeded: true });
            const spec = body.connectionSpecification;
            expect(spec.required).toEqual(expect.arrayContaining(["host", "port", "database", "username", "password"]));
            expect(spec.properties.port).toMatchObject({ type: "integer", default: 1433 });
            expect(spec.properties.schemas).toMatchObject({
                type: "array",
                items: { type: "string" },
                default: ["dbo"],
            });
            expect(spec.properties.password.airbyte_secret).toBe(true);
            const ssl = spec.properties.ssl_method.oneOf.map((b: any) => b.properties.ssl_method.const);
            expect(ssl).toEqual(["unencrypted", "encrypted_trust_server_certificate", "encrypted_verify_certificate"]);
            expect(spec.properties.ssl_method.oneOf[2].properties.certificate.airbyte_secret).toBe(true);
            const cdc = spec.properties.replication_method.oneOf.find((b: any) => b.properties.method.const === "CDC");
            expect(cdc.properties.data_to_sync.enum).toEqual(["Existing and New", "New Changes Only"]);
            expect(cdc.properties.snapshot_isolation.enum).toEqual(["Snapshot", "Read Committed"]);
            expect(cdc.properties.initial_waiting_seconds.type).toBe("integer");
            const tunnels = spec.properties.tunnel_method.oneOf;
            expect(tunnels.map((b: any) => b.properties.tunnel_method.const)).toEqual([
                "NO_TUNNEL",
                "SSH_KEY_AUTH",
                "SSH_PASSWORD_AUTH",
            ]);
            expect(tunnels[1].properties.ssh_key.airbyte_secret).toBe(true);
            expect(tunnels[2].properties.tunnel_user_password.airbyte_secret).toBe(true);
        });
    });

    test("destination specifications carry supportedDestinationSyncModes and the S3 Parquet options", async () => {
        await withEmulator({}, async (emu) => {
            const s3 = await post(emu, "destination_definition_specifications/get", {
                destinationDefinitionId: DEFINITIONS.s3,
                workspaceId: emu.defaultWorkspaceId,
            });
            expect(s3.status).toBe(200);
            expect(s3.body.supportedDestinationSyncModes).toEqual(["overwrite", "append"]);
            const spec = s3.body.connectionSpecification;
            expect(spec.properties.secret_access_key.airbyte_secret).toBe(true);
            expect(spec.properties.access_key_id.airbyte_secret).toBe(true);
            expect(spec.properties.s3_bucket_region.enum).toContain("eu-west-1");
            const parquet = spec.properties.format.oneOf.find(
                (b: any) => b.properties.format_type.enum?.[0] === "Parquet",
            );
            expect(parquet.properties.compression_codec).toMatchObject({
                enum: ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD"],
                default: "UNCOMPRESSED",
            });
            expect(Object.keys(parquet.properties)).toEqual(
                expect.arrayContaining(["block_size_mb", "page_size_kb", "dictionary_encoding"]),
            );
            const pg = await post(emu, "destination_definition_specifications/get", {
                destinationDefinitionId: DEFINITIONS.postgresDestination,
                workspaceId: emu.defaultWorkspaceId,
            });
            expect(pg.body.supportedDestinationSyncModes).toEqual(["overwrite", "append", "append_dedup"]);
            expect(pg.body.connectionSpecification.properties.schema.default).toBe("public");
        });
    });

    test("specifications require workspaceId (400) and known definitions (404)", async () => {
        await withEmulator({}, async (emu) => {
            expect(
                (await post(emu, "source_definition_specifications/get", { sourceDefinitionId: DEFINITIONS.mssql }))
                    .status,
            ).toBe(400);
            expect(
                (
                    await post(emu, "source_definition_specifications/get", {
                        sourceDefinitionId: UNKNOWN_ID,
                        workspaceId: emu.defaultWorkspaceId,
                    })
                ).status,
            ).toBe(404);
            expect(
                (
                    await post(emu, "source_definition_specifications/get", {
                        sourceDefinitionId: DEFINITIONS.mssql,
                        workspaceId: UNKNOWN_ID,
                    })
                ).status,
            ).toBe(404);
        });
    });

    test("postgres source defaults schemas to public and offers CDC with replication slot and publication", async () => {
        await withEmulator({}, async (emu) => {
            const { body } = await post(emu, "source_definition_specifications/get", {
                sourceDefinitionId: DEFINITIONS.postgres,
                workspaceId: emu.defaultWorkspaceId,
            });
            const spec = body.connectionSpecification;
            expect(spec.properties.schemas.default).toEqual(["public"]);
            expect(spec.properties.ssl_mode.oneOf.map((b: any) => b.properties.mode.const)).toEqual([
                "disable",
                "allow",
                "prefer",
                "require",
                "verify-ca",
                "verify-full",
            ]);
            const cdc = spec.properties.replication_method.oneOf.find((b: any) => b.properties.method.const === "CDC");
            expect(cdc.required).toEqual(expect.arrayContaining(["replication_slot", "publication"]));
        });
    });
});
