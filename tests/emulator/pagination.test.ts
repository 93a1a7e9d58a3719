import type { EmulatorHandle } from "../../emulator";
import { UNKNOWN_ID, createDestination, createSource, post, withEmulator } from "./helpers";

async function allPages(emu: EmulatorHandle, pageSize?: number): Promise<{ pages: any[][]; responses: any[] }> {
    const pages: any[][] = [];
    const responses: any[] = [];
    let cursor: string | undefined;
    for (;;) {
        const { body } = await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId, cursor, pageSize });
        responses.push(body);
        if (body.sources.length === 0) break;
        pages.push(body.sources);
        cursor = body.sources[body.sources.length - 1].sourceId;
        if (body.sources.length < (pageSize ?? 20)) break;
    }
    return { pages, responses };
}

describe("sources/list and destinations/list pagination", () => {
    test("pages of 20 by default, ordered by name then id, with page_size and the total count", async () => {
        await withEmulator({}, async (emu) => {
            // Insert out of order, with duplicate names (names are not unique in Airbyte).
            const names = Array.from({ length: 45 }, (_, i) => `src-${String((i * 7) % 45).padStart(2, "0")}`);
            names.push("src-10", "src-10");
            for (const name of names) await createSource(emu, { name });
            const { pages, responses } = await allPages(emu);
            expect(pages.map((p) => p.length)).toEqual([20, 20, 7]);
            expect(responses[0]).toMatchObject({ page_size: 20, num_connections: 47 });
            const flat = pages.flat();
            const sorted = [...flat].sort((a, b) =>
                a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.sourceId < b.sourceId ? -1 : 1,
            );
            expect(flat.map((s) => s.sourceId)).toEqual(sorted.map((s) => s.sourceId));
            expect(new Set(flat.map((s) => s.sourceId)).size).toBe(47);
            expect(flat[0]).toMatchObject({ numConnections: 0, status: "inactive" });
        });
    });

    test("pageSize is honoured and deleted sources are skipped", async () => {
        await withEmulator({}, async (emu) => {
            const created = [];
            for (let i = 0; i < 9; i++) created.push(await createSource(emu, { name: `s${i}` }));
            await post(emu, "sources/delete", { sourceId: created[4].sourceId });
            const { pages } = await allPages(emu, 3);
            expect(pages.map((p) => p.map((s: any) => s.name))).toEqual([
                ["s0", "s1", "s2"],
                ["s3", "s5", "s6"],
                ["s7", "s8"],
            ]);
        });
    });

    test("a cursor whose source was deleted since, an unknown one or a destination id is a 404 (getCursorActor)", async () => {
        await withEmulator({}, async (emu) => {
            const created = [];
            for (let i = 0; i < 6; i++) created.push(await createSource(emu, { name: `s${i}` }));
            const first = await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId, pageSize: 3 });
            const cursor = first.body.sources[2].sourceId;
            // A renamed cursor still positions by its current (name, id).
            await post(emu, "sources/partial_update", { sourceId: cursor, name: "s3b" });
            const second = await post(emu, "sources/list", {
                workspaceId: emu.defaultWorkspaceId,
                pageSize: 3,
                cursor,
            });
            expect(second.body.sources.map((s: any) => s.name)).toEqual(["s4", "s5"]);
            await post(emu, "sources/delete", { sourceId: cursor });
            const deleted = await post(emu, "sources/list", {
                workspaceId: emu.defaultWorkspaceId,
                pageSize: 3,
                cursor,
            });
            expect(deleted.status).toBe(404);
            expect(
                (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId, cursor: UNKNOWN_ID })).status,
            ).toBe(404);
            const destination = await createDestination(emu);
            expect(
                (
                    await post(emu, "sources/list", {
                        workspaceId: emu.defaultWorkspaceId,
                        cursor: destination.destinationId,
                    })
                ).status,
            ).toBe(404);
        });
    });

    test("names sort case-insensitively, then by id", async () => {
        await withEmulator({}, async (emu) => {
            for (const name of ["beta", "Alpha", "alpha", "Gamma"]) await createSource(emu, { name });
            const names = (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources.map(
                (s: any) => s.name,
            );
            expect(names.slice(2)).toEqual(["beta", "Gamma"]);
            expect(new Set(names.slice(0, 2))).toEqual(new Set(["Alpha", "alpha"]));
        });
    });

    test("destinations/list pages the same way; an unknown workspace simply has none", async () => {
        await withEmulator({}, async (emu) => {
            for (let i = 0; i < 22; i++) await createDestination(emu, { name: `d${String(i).padStart(2, "0")}` });
            const first = await post(emu, "destinations/list", { workspaceId: emu.defaultWorkspaceId });
            expect(first.body.destinations).toHaveLength(20);
            expect(first.body.page_size).toBe(20);
            const second = await post(emu, "destinations/list", {
                workspaceId: emu.defaultWorkspaceId,
                cursor: first.body.destinations[19].destinationId,
            });
            expect(second.body.destinations.map((d: any) => d.name)).toEqual(["d20", "d21"]);
            const unknown = await post(emu, "destinations/list", { workspaceId: UNKNOWN_ID });
            expect(unknown.status).toBe(200);
            expect(unknown.body).toEqual({ destinations: [], page_size: 20, num_connections: 0 });
        });
    });
});
