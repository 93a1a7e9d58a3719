import { UNKNOWN_ID, post, withEmulator } from "./helpers";

const ORG = "00000000-0000-0000-0000-000000000000";

describe("workspaces", () => {
    test("get returns the default workspace; unknown ids 404", async () => {
        await withEmulator({}, async (emu) => {
            const { status, body } = await post(emu, "workspaces/get", { workspaceId: emu.defaultWorkspaceId });
            expect(status).toBe(200);
            expect(body).toMatchObject({
                workspaceId: emu.defaultWorkspaceId,
                organizationId: ORG,
                slug: expect.any(String),
                customerId: expect.any(String),
                initialSetupComplete: true,
            });
            expect((await post(emu, "workspaces/get", { workspaceId: UNKNOWN_ID })).status).toBe(404);
        });
    });

    test("create requires name and organizationId, and new workspaces are found by slug and by organization", async () => {
        await withEmulator({}, async (emu) => {
            expect((await post(emu, "workspaces/create", { name: "No org" })).status).toBe(400);
            expect(
                (await post(emu, "workspaces/create", { name: "Wrong org", organizationId: UNKNOWN_ID })).status,
            ).toBe(404);
            const created = await post(emu, "workspaces/create", {
                name: "Data Team",
                organizationId: ORG,
                email: "data@example.com",
            });
            expect(created.status).toBe(200);
            expect(created.body).toMatchObject({ name: "Data Team", slug: "data-team", organizationId: ORG });
            expect(created.body.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
            const bySlug = await post(emu, "workspaces/get_by_slug", { slug: "data-team" });
            expect(bySlug.body.workspaceId).toBe(created.body.workspaceId);
            expect((await post(emu, "workspaces/get_by_slug", { slug: "nope" })).status).toBe(404);
            const list = await post(emu, "workspaces/list_by_organization_id", { organizationId: ORG });
            expect(list.body.workspaces.map((w: any) => w.workspaceId)).toEqual(
                expect.arrayContaining([emu.defaultWorkspaceId, created.body.workspaceId]),
            );
            const filtered = await post(emu, "workspaces/list_by_organization_id", {
                organizationId: ORG,
                nameContains: "data",
            });
            expect(filtered.body.workspaces.map((w: any) => w.name)).toEqual(["Data Team"]);
        });
    });

    test("workspaces/list does not exist on a current (>= 1.7) server", async () => {
        await withEmulator({}, async (emu) => {
            expect((await post(emu, "workspaces/list")).status).toBe(404);
        });
    });
});
