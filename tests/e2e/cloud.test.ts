/**
 * Airbyte Cloud, end to end with the real Pulumi CLI: the demo program against the emulator's
 * Cloud mode (the public API only, under `/v1`, tokens that live 180 s), configured as a Cloud
 * user would be (`airbyte:serverUrl https://api.airbyte.com/v1` and an application's client
 * credentials), with the MSSQL password a Secrets Manager reference (moto).
 */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { startDemoStack, type DemoStack } from "../helpers/demo-stack";
import type { Workspace } from "../helpers/pulumi-cli";

const PASSWORD = "Cloud-Mssql-Passw0rd";
let emulator: EmulatorHandle;
let stack: DemoStack;
let ws: Workspace;

beforeAll(async () => {
    emulator = await startEmulator({ profile: "cloud" });
    stack = await startDemoStack("airbyte-cloud", { password: PASSWORD });
    ws = stack.ws;
    // All a Cloud user sets: the URL (here the emulator's Cloud layout) and client credentials.
    await ws.config("airbyte:serverUrl", `${emulator.url}/v1`);
    await ws.config("airbyte:cloud", "true");
    await ws.config("airbyte:clientId", emulator.credentials.clientId);
    await ws.config("airbyte:clientSecret", emulator.credentials.clientSecret, { secret: true });
}, 120_000);

afterAll(async () => {
    await stack?.dispose();
    await emulator?.close();
});

test("up creates the three resources through the public API only, and says what Cloud cannot check", async () => {
    const { stdout, stderr } = await ws.run(["up", "--yes"]);
    expect(stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/airbyte:Connection\s+mssql-to-s3\s+created/);
    const operations = emulator.requests().map((r) => r.operation ?? r.path);
    expect(operations.every((o) => o.startsWith("public/"))).toBe(true);
    expect(operations).toEqual(
        expect.arrayContaining([
            "public/sources/create",
            "public/destinations/create",
            "public/connections/create",
            "public/streams/get",
        ]),
    );
    const output = stdout + stderr;
    expect(output).toMatch(
        /serves no connector specs: configurations are validated against the connector spec by Airbyte at apply, not at preview/,
    );
    expect(output).toMatch(
        /offers no connection check: Airbyte's connection check before create and update is skipped/,
    );
    const { sourceId } = await ws.outputs();
    expect(emulator.storedConfiguration("source", sourceId)?.password).toBe(PASSWORD);
});

test("a no-op preview calls nothing; a change shows field by field and applies", async () => {
    emulator.clearLog();
    await ws.run(["preview", "--diff", "--expect-no-changes"]);
    expect(emulator.requests()).toEqual([]);
    await ws.config("demo:database", "sales_eu");
    const preview = await ws.run(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/~ database\s*: "sales" => "sales_eu"/);
    await ws.run(["up", "--yes", "--skip-preview"]);
    const { sourceId } = await ws.outputs();
    expect(emulator.storedConfiguration("source", sourceId)).toMatchObject({
        database: "sales_eu",
        password: PASSWORD,
    });
});

test("refresh finds no drift, and the state holds no password", async () => {
    await ws.run(["refresh", "--yes", "--expect-no-changes"]);
    expect(JSON.stringify(await ws.exportStack())).not.toContain(PASSWORD);
});

test("destroy deletes everything", async () => {
    await ws.run(["destroy", "--yes", "--skip-preview"]);
    const live = emulator.snapshot();
    expect(live.sources.filter((s) => !s.tombstone)).toEqual([]);
    expect(live.destinations.filter((d) => !d.tombstone)).toEqual([]);
    expect(live.connections.filter((c) => c.status !== "deprecated")).toEqual([]);
});
