/**
 * Airbyte's own Python SDK (PyPI `airbyte-api==1.0.1`, pinned with its dependencies in
 * requirements-python-sdk.txt, installed by scripts/setup-moto.sh into .tools/venv) against a
 * freshly started emulator: tests/emulator/python-sdk/drive_public_api.py walks workspaces,
 * definitions, sources, destinations, streams and connections (create / get / list / patch / put /
 * delete), asserting each answer with the SDK's own models, and prints a JSON summary checked here
 * against the emulator's state. Self-managed (profile 2.0, `/api/public/v1`) and Cloud
 * (`/v1`), both with the SDK's client-credentials security and an explicit token URL.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { EmulatorHandle } from "../../emulator";
import { DEFINITIONS, withEmulator } from "./helpers";

const run = promisify(execFile);
const ROOT = process.cwd();
const SCRIPT = join(ROOT, "tests", "emulator", "python-sdk", "drive_public_api.py");
let python = "";

beforeAll(async () => {
    // A quick no-op when the venv is up to date; installs the pinned SDK otherwise.
    const { stdout } = await run(join(ROOT, "scripts", "setup-moto.sh"), ["--python"], { cwd: ROOT, timeout: 300_000 });
    python = stdout.trim().split("\n").pop()!;
}, 300_000);

/** Runs the driver against `emu` (asynchronously: the emulator answers from this process). */
async function drive(emu: EmulatorHandle): Promise<any> {
    const cloud = emu.settings().cloud;
    const serverUrl = `${emu.url}${cloud ? "/v1" : "/api/public/v1"}`;
    const args = [
        SCRIPT,
        serverUrl,
        "--client-id",
        emu.credentials.clientId,
        "--client-secret",
        emu.credentials.clientSecret,
        "--token-url",
        `${serverUrl}/applications/token`,
        "--workspace-id",
        emu.defaultWorkspaceId,
    ];
    if (cloud) args.push("--cloud");
    try {
        const { stdout } = await run(python, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
        return JSON.parse(stdout.trim().split("\n").pop()!);
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`drive_public_api.py failed: ${e.message}\n${e.stderr ?? ""}\n${e.stdout ?? ""}`, {
            cause: error,
        });
    }
}

const STEPS = [
    "health",
    "list_workspaces",
    "get_workspace",
    "list_source_definitions",
    "get_source_definition",
    "list_destination_definitions",
    "get_destination_definition",
    "create_source",
    "create_source_by_type",
    "get_source",
    "list_sources",
    "list_sources_page_2",
    "patch_source",
    "put_source",
    "create_destination",
    "get_destination",
    "list_destinations",
    "patch_destination",
    "put_destination",
    "get_stream_properties",
    "get_stream_properties_without_destination",
    "create_connection",
    "get_connection",
    "list_connections",
    "patch_connection",
    "delete_connection",
    "get_deleted_connection",
    "get_unknown_source",
    "delete_destination",
    "delete_source",
    "get_deleted_source",
    "list_sources_after_delete",
    "list_sources_include_deleted",
];

function checkAgainstEmulator(emu: EmulatorHandle, out: any, linkBase: string): void {
    expect(out.steps).toEqual(STEPS);
    expect(out.health).toBe("Successful operation");
    expect(out.workspacesNext).toBe(`${linkBase}/workspaces?includeDeleted=false&limit=20&offset=20`);
    expect(out.definitions).toEqual({ sources: 5, destinations: 3, sourceName: "Postgres" });
    const ws = emu.defaultWorkspaceId;
    expect(out.sourceLinks).toEqual({
        next: `${linkBase}/sources?includeDeleted=false&workspaceIds=${ws}&limit=1&offset=1`,
        previous: "",
        page2Previous: `${linkBase}/sources?includeDeleted=false&workspaceIds=${ws}&limit=1&limit=1&offset=0`,
    });
    // PUT sent the mask for the password: the stored secret survived; the patched port was replaced by PUT.
    expect(emu.storedConfiguration("source", out.source.id)).toMatchObject({
        host: "pg2.example.com",
        port: 5432,
        password: "pg-secret",
    });
    expect(emu.storedConfiguration("source", out.source.byTypeId)).toBeUndefined(); // deleted: voided
    expect(emu.snapshot().sources.find((s) => s.id === out.source.byTypeId)).toMatchObject({
        tombstone: true,
        definitionId: DEFINITIONS.postgres,
    });
    expect(emu.snapshot().destinations.find((d) => d.id === out.destination.id)).toMatchObject({
        tombstone: true,
        name: "warehouse-3",
    });
    expect(out.streams).toEqual({
        count: 28,
        ordersSyncModes: [
            "full_refresh_append",
            "full_refresh_overwrite",
            "incremental_append",
            "incremental_deduped_history",
        ],
        ordersPrimaryKey: [["id"]],
        ordersFields: [["id"], ["customer_id"], ["order_number"]],
    });
    const connection = emu.snapshot().connections.find((c) => c.connectionId === out.connection.id)!;
    expect(connection.status).toBe("deprecated");
    expect(connection.scheduleType).toBe("manual");
    expect(connection.syncCatalog.map((s) => [s.stream.name, s.config.syncMode, s.config.destinationSyncMode])).toEqual(
        [
            ["orders", "incremental", "append_dedup"],
            ["customers", "full_refresh", "append"],
        ],
    );
    expect(out.unknownSource).toEqual({
        status: 404,
        body: {
            status: 404,
            type: "https://reference.airbyte.com/reference/errors#resource-not-found",
            title: "resource-not-found",
            detail: "The requested resource could not be found.",
            documentationUrl: null,
            data: { resourceType: "SOURCE_CONNECTION", resourceId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" },
        },
    });
    // The server's answer for a deleted source (200, configuration null) is outside the spec the
    // SDK follows: its model rejects it (reported, not "fixed": a real 2.x server answers the same).
    expect(out.deletedSource).toEqual({ status: 200, configuration: null });
    expect(out.includeDeletedConfigurations).toEqual([false, true]);

    // The SDK fetched one token with its client-credentials flow (a form post with grant_type),
    // then sent it as a bearer token; health went without one.
    const tokenCalls = emu.requests({ operation: "public/applications/token" });
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.requestBody).toEqual({
        grant_type: "client_credentials",
        client_id: emu.credentials.clientId,
        client_secret: "**********",
    });
    const counters = emu.counters();
    expect(counters.authFailures).toBe(0);
    expect(counters.operations["public/sources/create"]!.statuses).toEqual({ "200": 2 });
    expect(counters.operations["public/sources/get"]!.statuses).toEqual({ "200": 2, "404": 1 });
    expect(counters.operations["public/connections/delete"]!.statuses).toEqual({ "204": 1 });
}

describe("Airbyte's Python SDK (airbyte-api 1.0.1) against the emulator", () => {
    test("self-managed (profile 2.0, /api/public/v1, client credentials)", async () => {
        await withEmulator({ profile: "2.0" }, async (emu) => {
            const out = await drive(emu);
            expect(out.mode).toBe("self-managed");
            checkAgainstEmulator(emu, out, "http://localhost:8001/api/public/v1");
            expect(emu.requests().every((e) => e.path.startsWith("/api/public/v1/"))).toBe(true);
        });
    }, 120_000);

    test("Cloud layout (profile cloud, /v1, 180 s tokens)", async () => {
        await withEmulator({ profile: "cloud" }, async (emu) => {
            const out = await drive(emu);
            expect(out.mode).toBe("cloud");
            checkAgainstEmulator(emu, out, "https://api.airbyte.com/v1");
            expect(emu.requests().every((e) => e.path.startsWith("/v1/"))).toBe(true);
        });
    }, 120_000);
});
