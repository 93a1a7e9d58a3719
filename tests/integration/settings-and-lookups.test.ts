/**
 * Provider settings (stack config, environment, per-resource server override), workspace
 * resolution, and definition lookup, end to end through the serialized providers.
 */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { clean, mssqlArgs } from "../helpers/fixtures";
import {
    CheckFailedError,
    destroy,
    failureOf,
    reviveProvider,
    runtimeModule,
    setRealEnv,
    up,
} from "../helpers/providers";

const emulators: EmulatorHandle[] = [];
async function emulator(options: Parameters<typeof startEmulator>[0] = {}) {
    const emu = await startEmulator(options);
    emulators.push(emu);
    return emu;
}
afterAll(() => Promise.all(emulators.map((e) => e.close())));
beforeEach(async () => (await runtimeModule()).resetCaches());

async function post(url: string, path: string, body: unknown): Promise<any> {
    const response = await fetch(`${url}/api/v1/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
    });
    return response.json();
}

test("environment variables stand in for stack config", async () => {
    const emu = await emulator({ auth: "simple" });
    const restore = setRealEnv({
        AIRBYTE_SERVER_URL: emu.url,
        AIRBYTE_CLIENT_ID: emu.credentials.clientId,
        AIRBYTE_CLIENT_SECRET: emu.credentials.clientSecret,
    });
    try {
        const sources = await reviveProvider("Source", {});
        const { state } = await up(sources, clean(mssqlArgs()));
        expect(state.outputs.serverUrl).toBe(emu.url);
        // Credentials never land in resource state.
        expect(JSON.stringify(state)).not.toContain(emu.credentials.clientSecret);
        await destroy(sources, state);
    } finally {
        restore();
    }
});

test("workspace: the resource's, else airbyte:workspaceId, else the server's only one", async () => {
    const emu = await emulator();
    const byDefault = await reviveProvider("Source", { "airbyte:serverUrl": emu.url });
    const a = (await up(byDefault, clean(mssqlArgs()))).state;
    expect(a.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
    // With more than one workspace, the provider asks rather than guesses
    // (tests/integration/server-generations.test.ts).
    const other = await post(emu.url, "workspaces/create", {
        name: "analytics",
        organizationId: "00000000-0000-0000-0000-000000000000",
    });
    const third = await post(emu.url, "workspaces/create", {
        name: "sandbox",
        organizationId: "00000000-0000-0000-0000-000000000000",
    });
    const byConfig = await reviveProvider("Source", {
        "airbyte:serverUrl": emu.url,
        "airbyte:workspaceId": other.workspaceId,
    });
    const b = (await up(byConfig, clean(mssqlArgs()))).state;
    expect(b.outputs.workspaceId).toBe(other.workspaceId);
    const c = (await up(byConfig, clean(mssqlArgs({ workspaceId: third.workspaceId })))).state;
    expect(c.outputs.workspaceId).toBe(third.workspaceId);
    for (const s of [a, b, c]) await destroy(byConfig, s);
});

test("an old server (≤ 1.6): the default workspace comes from workspaces/list", async () => {
    const emu = await emulator({ legacy: true });
    const sources = await reviveProvider("Source", { "airbyte:serverUrl": emu.url });
    const { state } = await up(sources, clean(mssqlArgs()));
    expect(state.outputs.workspaceId).toBe(emu.defaultWorkspaceId);
    expect(emu.requests({ operation: "workspaces/list" }).length).toBe(1);
    await destroy(sources, state);
});

test("a resource can target another server; its credentials come from a config profile, never from inputs", async () => {
    const main = await emulator();
    const eu = await emulator({ auth: "simple", clientId: "eu-client", clientSecret: "eu-client-secret-value" });
    const config = {
        "airbyte:serverUrl": main.url,
        "airbyte:profiles": JSON.stringify({ eu: { clientId: "eu-client", clientSecret: "eu-client-secret-value" } }),
    };
    const sources = await reviveProvider("Source", config);
    const { state } = await up(sources, clean(mssqlArgs({ server: { url: eu.url, profile: "eu" } })));
    expect(state.outputs.serverUrl).toBe(eu.url);
    expect(eu.counters().created.sources).toBe(1);
    expect(main.counters().created.sources).toBe(0);
    expect(JSON.stringify(state)).not.toContain("eu-client-secret-value");
    // Read and delete go to the same server, from state alone (as refresh and destroy do).
    (await runtimeModule()).resetCaches();
    expect((await sources.read(state.id, state.outputs)).id).toBe(state.id);
    await destroy(sources, state);
    expect(eu.counters().deleted.sources).toBe(1);
});

test("custom connectors of the workspace are found by name or repository", async () => {
    const emu = await emulator();
    emu.addCustomDefinition({
        workspaceId: emu.defaultWorkspaceId,
        kind: "source",
        name: "Internal CRM",
        dockerRepository: "registry.example.com/acme/source-crm",
        dockerImageTag: "1.2.0",
        connectionSpecification: {
            type: "object",
            required: ["api_url"],
            properties: { api_url: { type: "string" }, api_key: { type: "string", airbyte_secret: true } },
        },
    });
    const sources = await reviveProvider("Source", { "airbyte:serverUrl": emu.url });
    const { state } = await up(sources, {
        name: "crm",
        definition: "Internal CRM",
        configuration: { api_url: "https://crm.example.com" },
        secrets: { api_key: "crm-key-1234" },
    });
    expect(state.outputs.definitionName).toBe("Internal CRM");
    const failure = await failureOf(
        up(sources, {
            name: "crm2",
            definition: "source-crm",
            configuration: {},
            secrets: { api_key: "crm-key-1234" },
        }),
    );
    expect(failure).toBeInstanceOf(CheckFailedError);
    expect(failure.failures).toEqual([
        { property: "configuration.api_url", reason: "is required by the connector spec" },
    ]);
    await destroy(sources, state);
});

test("bad provider settings are reported as check failures without echoing secrets", async () => {
    const sources = await reviveProvider("Source", {
        "airbyte:serverUrl": "not a url",
        "airbyte:clientSecret": "provider-secret-xyz",
    });
    const error = await failureOf(up(sources, clean(mssqlArgs())));
    expect(error).toBeInstanceOf(CheckFailedError);
    expect(error.failures[0]).toMatchObject({
        property: "provider",
        reason: expect.stringMatching(/airbyte:serverUrl must be an absolute http\(s\) URL/),
    });
    expect(JSON.stringify(error.failures)).not.toContain("provider-secret-xyz");
    const both = await reviveProvider("Source", {
        "airbyte:serverUrl": "http://127.0.0.1:1",
        "airbyte:token": "t-123456",
        "airbyte:clientId": "x",
        "airbyte:clientSecret": "y-123456",
    });
    const conflict = await failureOf(up(both, clean(mssqlArgs())));
    expect(conflict).toBeInstanceOf(CheckFailedError);
    expect(conflict.failures[0].reason).toMatch(/set only one of clientId\/clientSecret, token/);
});
