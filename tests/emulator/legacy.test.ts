import { UNKNOWN_ID, createSource, get, post, withEmulator } from "./helpers";

describe("legacy: true (deprecated alias of serverVersion 1.6.0)", () => {
    test("workspaces/list exists and instance_configuration has no defaultWorkspaceId", async () => {
        await withEmulator({ legacy: true }, async (emu) => {
            expect(emu.settings()).toMatchObject({ serverVersion: "1.6.0", errorStyle: "legacy" });
            const list = await post(emu, "workspaces/list");
            expect(list.status).toBe(200);
            expect(list.body.workspaces.map((w: any) => w.workspaceId)).toEqual([emu.defaultWorkspaceId]);
            const instance = await get(emu, "instance_configuration");
            expect(instance.body.defaultWorkspaceId).toBeUndefined();
            expect(instance.body.version).toBe("1.6.0");
        });
    });

    test("sources/list is not paginated", async () => {
        await withEmulator({ legacy: true }, async (emu) => {
            for (let i = 0; i < 25; i++) await createSource(emu, { name: `s${i}` });
            const list = await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId });
            expect(list.body.sources).toHaveLength(25);
            expect(list.body.page_size).toBeUndefined();
        });
    });

    test("error bodies carry messages (pre-2.0 KnownExceptionInfo)", async () => {
        await withEmulator({ legacy: true }, async (emu) => {
            const missing = await post(emu, "sources/get", { sourceId: UNKNOWN_ID });
            expect(missing.status).toBe(404);
            expect(missing.body).toEqual({
                message: `Internal Server Error: Could not find configuration for SOURCE_CONNECTION: ${UNKNOWN_ID}.`,
                exceptionClassName: "io.airbyte.commons.server.errors.IdNotFoundKnownException",
            });
            const malformed = await post(emu, "sources/get", "{oops");
            expect(malformed.status).toBe(422);
            expect(malformed.body.message).toMatch(/^Invalid json input/);
            const required = await post(emu, "sources/get", {});
            expect(required.status).toBe(400);
            expect(required.body.validationErrors[0].propertyPath).toBe("sourceId");
        });
    });

    test("the error style can be chosen independently of the version", async () => {
        await withEmulator({ errorStyle: "legacy" }, async (emu) => {
            const missing = await post(emu, "connections/get", { connectionId: UNKNOWN_ID });
            expect(missing.body.message).toContain("Could not find configuration for STANDARD_SYNC");
            expect((await post(emu, "workspaces/list")).status).toBe(404);
        });
    });
});
