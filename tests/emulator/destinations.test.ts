import {
    DEFINITIONS,
    MASK,
    UNKNOWN_ID,
    createConnection,
    createDestination,
    createSource,
    post,
    postgresDestinationConfig,
    s3Config,
    withEmulator,
} from "./helpers";

describe("destinations", () => {
    test("create an S3 destination writing Parquet; secrets come back masked", async () => {
        await withEmulator({}, async (emu) => {
            const destination = await createDestination(emu);
            expect(destination).toMatchObject({
                destinationDefinitionId: DEFINITIONS.s3,
                workspaceId: emu.defaultWorkspaceId,
                name: "Lake",
                destinationName: "S3",
                connectionConfiguration: { ...s3Config(), access_key_id: MASK, secret_access_key: MASK },
            });
            const read = await post(emu, "destinations/get", { destinationId: destination.destinationId });
            expect(read.body).toEqual(destination);
        });
    });

    test("the S3 format oneOf is validated (Parquet codec enum)", async () => {
        await withEmulator({}, async (emu) => {
            const response = await post(emu, "destinations/create", {
                workspaceId: emu.defaultWorkspaceId,
                name: "bad",
                destinationDefinitionId: DEFINITIONS.s3,
                connectionConfiguration: s3Config({ format: { format_type: "Parquet", compression_codec: "RAR" } }),
            });
            expect(response.status).toBe(422);
            expect(response.body.message).toContain(
                "$.format.compression_codec: does not have a value in the enumeration",
            );
        });
    });

    test("update, partial_update, list and delete follow the source semantics", async () => {
        await withEmulator({}, async (emu) => {
            const destination = await createDestination(emu, {
                destinationDefinitionId: DEFINITIONS.postgresDestination,
                connectionConfiguration: postgresDestinationConfig(),
                name: "DW",
            });
            const updated = await post(emu, "destinations/update", {
                destinationId: destination.destinationId,
                name: "DW 2",
                connectionConfiguration: postgresDestinationConfig({ schema: "raw", password: MASK }),
            });
            expect(updated.status).toBe(200);
            expect(updated.body.connectionConfiguration.schema).toBe("raw");
            expect(emu.storedConfiguration("destination", destination.destinationId)!["password"]).toBe("dw-secret");
            const patched = await post(emu, "destinations/partial_update", {
                destinationId: destination.destinationId,
                connectionConfiguration: { port: 6543 },
            });
            expect(patched.body.connectionConfiguration).toMatchObject({ port: 6543, schema: "raw" });
            expect(
                (await post(emu, "destinations/list", { workspaceId: emu.defaultWorkspaceId })).body.destinations.map(
                    (d: any) => d.name,
                ),
            ).toEqual(["DW 2"]);
            const deleted = await post(emu, "destinations/delete", { destinationId: destination.destinationId });
            expect(deleted.status).toBe(204);
            expect(deleted.text).toBe("");
            expect((await post(emu, "destinations/get", { destinationId: destination.destinationId })).status).toBe(
                200,
            );
            expect(
                (await post(emu, "destinations/list", { workspaceId: emu.defaultWorkspaceId })).body.destinations,
            ).toEqual([]);
            expect((await post(emu, "destinations/get", { destinationId: UNKNOWN_ID })).status).toBe(404);
        });
    });

    test("deleting a destination deprecates its connections", async () => {
        await withEmulator({}, async (emu) => {
            const source = await createSource(emu);
            const destination = await createDestination(emu);
            const connection = await createConnection(emu, source.sourceId, destination.destinationId);
            await post(emu, "destinations/delete", { destinationId: destination.destinationId });
            expect((await post(emu, "connections/get", { connectionId: connection.connectionId })).body.status).toBe(
                "deprecated",
            );
            // The source is untouched.
            expect(
                (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources,
            ).toHaveLength(1);
        });
    });

    test("check_connection: a bucket ending in .invalid and a wrong secret key fail with S3 messages", async () => {
        await withEmulator({}, async (emu) => {
            const unreachable = await createDestination(emu, {
                connectionConfiguration: s3Config({ s3_bucket_name: "lake.invalid" }),
            });
            const first = await post(emu, "destinations/check_connection", {
                destinationId: unreachable.destinationId,
            });
            expect(first.status).toBe(200);
            expect(first.body).toMatchObject({
                status: "failed",
                jobInfo: { configType: "check_connection_destination" },
            });
            expect(first.body.message).toContain("lake.invalid");
            const endpoint = await post(emu, "scheduler/destinations/check_connection", {
                destinationDefinitionId: DEFINITIONS.s3,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: s3Config({ s3_endpoint: "http://minio.invalid:9000" }),
            });
            expect(endpoint.body.status).toBe("failed");
            expect(endpoint.body.message).toContain("minio.invalid");
            const wrongKey = await post(emu, "scheduler/destinations/check_connection", {
                destinationDefinitionId: DEFINITIONS.s3,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: s3Config({ secret_access_key: "wrong-password" }),
            });
            expect(wrongKey.body.message).toContain("SignatureDoesNotMatch");
            const fine = await post(emu, "scheduler/destinations/check_connection", {
                destinationDefinitionId: DEFINITIONS.s3,
                workspaceId: emu.defaultWorkspaceId,
                connectionConfiguration: s3Config(),
            });
            expect(fine.body.status).toBe("succeeded");
        });
    });
});
