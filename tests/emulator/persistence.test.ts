import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { MASK, createConnection, createDestination, createSource, get, post, withEmulator } from "./helpers";

describe("persistence", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "airbyte-emulator-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test("a second emulator started on the same state file sees what the first one created", async () => {
        const stateFile = join(dir, "state.json");
        const { sourceId, destinationId, connectionId, workspaceId } = await withEmulator(
            { stateFile },
            async (emu) => {
                const source = await createSource(emu);
                const destination = await createDestination(emu);
                const connection = await createConnection(emu, source.sourceId, destination.destinationId, {
                    name: "persisted",
                });
                return {
                    sourceId: source.sourceId,
                    destinationId: destination.destinationId,
                    connectionId: connection.connectionId,
                    workspaceId: emu.defaultWorkspaceId,
                };
            },
        );
        await withEmulator({ stateFile }, async (emu) => {
            expect(emu.defaultWorkspaceId).toBe(workspaceId);
            const source = await post(emu, "sources/get", { sourceId });
            expect(source.status).toBe(200);
            expect(source.body.connectionConfiguration.password).toBe(MASK);
            expect(emu.storedConfiguration("source", sourceId)!["password"]).toBe("s3cr3t-Passw0rd");
            expect((await post(emu, "destinations/get", { destinationId })).status).toBe(200);
            expect((await post(emu, "connections/get", { connectionId })).body.name).toBe("persisted");
            expect((await post(emu, "sources/list", { workspaceId })).body.sources).toHaveLength(1);
        });
    });

    test("every write is on disk before the answer, and no temporary file is left behind", async () => {
        const stateFile = join(dir, "state.json");
        const emu = await startEmulator({ stateFile });
        try {
            const source = await createSource(emu, { name: "written-through" });
            const onDisk = JSON.parse(readFileSync(stateFile, "utf8"));
            expect(onDisk.sources.map((s: any) => s.id)).toEqual([source.sourceId]);
            await post(emu, "sources/delete", { sourceId: source.sourceId });
            expect(JSON.parse(readFileSync(stateFile, "utf8")).sources[0].tombstone).toBe(true);
            expect(readdirSync(dir)).toEqual(["state.json"]);
        } finally {
            await emu.close();
        }
    });

    test("persistIntervalMs coalesces writes; close() flushes them", async () => {
        const stateFile = join(dir, "state.json");
        const emu = await startEmulator({ stateFile, persistIntervalMs: 60_000 });
        try {
            const initial = readFileSync(stateFile, "utf8");
            await createSource(emu, { name: "coalesced" });
            expect(readFileSync(stateFile, "utf8")).toBe(initial);
        } finally {
            await emu.close();
        }
        expect(JSON.parse(readFileSync(stateFile, "utf8")).sources.map((s: any) => s.name)).toEqual(["coalesced"]);
    });

    test("tokens issued before a restart stay valid (the signing key is persisted)", async () => {
        const stateFile = join(dir, "state.json");
        const token = await withEmulator({ stateFile, auth: "simple" }, async (emu) => emu.issueToken());
        await withEmulator({ stateFile, auth: "simple" }, async (emu) => {
            expect((await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${token}` })).status).toBe(
                200,
            );
        });
    });

    test("a state file written before workspace creation times and database tables existed still loads", async () => {
        const stateFile = join(dir, "state.json");
        const { defaultWorkspaceId } = await withEmulator({ stateFile }, async (emu) => {
            await post(emu, "workspaces/create", {
                name: "Later",
                organizationId: "00000000-0000-0000-0000-000000000000",
            });
            return { defaultWorkspaceId: emu.defaultWorkspaceId };
        });
        const old = JSON.parse(readFileSync(stateFile, "utf8"));
        for (const workspace of old.workspaces) delete workspace.createdAtMs;
        delete old.databaseTables;
        writeFileSync(stateFile, JSON.stringify(old));
        await withEmulator({ stateFile, serverVersion: "0.50.45" }, async (emu) => {
            expect(emu.defaultWorkspaceId).toBe(defaultWorkspaceId);
            expect((await get(emu, "instance_configuration")).body.defaultWorkspaceId).toBe(defaultWorkspaceId);
            expect((await post(emu, "workspaces/list")).body.workspaces.map((w: any) => w.name)).toEqual([
                "Default Workspace",
                "Later",
            ]);
        });
    });

    test("tables added to the simulated database are persisted", async () => {
        const stateFile = join(dir, "state.json");
        await withEmulator({ stateFile }, async (emu) =>
            emu.addDatabaseTable({ namespace: "dbo", name: "persisted_table" }),
        );
        await withEmulator({ stateFile }, async (emu) => {
            const source = await createSource(emu);
            const discovered = await post(emu, "sources/discover_schema", { sourceId: source.sourceId });
            expect(discovered.body.catalog.streams.map((s: any) => s.stream.name)).toContain("persisted_table");
        });
    });

    test("without a state file every emulator starts empty", async () => {
        await withEmulator({}, async (emu) => {
            await createSource(emu);
        });
        await withEmulator({}, async (emu) => {
            expect((await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources).toEqual([]);
        });
    });
});
