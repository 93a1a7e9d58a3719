/**
 * The Airbyte server an integration test talks to: by default a local emulator started
 * in-process on an ephemeral port, as the server generation of the test profile (below); with
 * `AIRBYTE_TEST_URL`, an external server (a separately started emulator, or a real Airbyte)
 * with credentials from `AIRBYTE_TEST_CLIENT_ID` / `AIRBYTE_TEST_CLIENT_SECRET` or
 * `AIRBYTE_TEST_TOKEN`.
 *
 * The profile says which Airbyte generation the emulator plays and which API the provider
 * speaks to it. Jest projects set it (`globals.AIRBYTE_TEST_PROFILE` in jest.config.cjs);
 * `AIRBYTE_TEST_PROFILE=1.7 npx jest ...` overrides it.
 *
 * Tests reach the emulator's admin API (request log, stored secrets, faults) over HTTP, which
 * works the same for an in-process and an external emulator. Against a real Airbyte there is
 * no admin API: tests that need it say so and are skipped by name (see `needsAdmin`).
 */
import {
    startEmulator,
    type EmulatorHandle,
    type EmulatorOptions,
    type FaultRule,
    type RequestLogEntry,
    type EmulatorCounters,
} from "../../emulator";

export interface EmulatorAdmin {
    requests(filter?: { operation?: string; since?: number }): Promise<RequestLogEntry[]>;
    counters(): Promise<EmulatorCounters>;
    clearLog(): Promise<void>;
    addFault(rule: FaultRule): Promise<string>;
    clearFaults(): Promise<void>;
    /** Server-side readout of an actor's stored, unmasked configuration. */
    storedConfiguration(kind: "source" | "destination", id: string): Promise<Record<string, unknown> | undefined>;
    expireTokens(): Promise<void>;
    reset(): Promise<void>;
    setLatency(ms: number): Promise<void>;
    addCustomDefinition(input: Record<string, unknown>): Promise<Record<string, any>>;
}

export interface AirbyteTarget {
    url: string;
    /**
     * A direct Config API call, as a person using Airbyte's UI makes one (out-of-band edits,
     * reading what the server holds), authenticated like the server demands. On Airbyte Cloud,
     * which exposes no Config API to API users, the emulator's test route for it.
     */
    api(path: string, body: unknown): Promise<{ status: number; body: any }>;
    /** Stack config for the provider (`airbyte:serverUrl` and credentials). */
    config: Record<string, string>;
    /** The emulator's admin API; undefined against a real Airbyte. */
    admin?: EmulatorAdmin;
    external: boolean;
    /** The in-process emulator, when there is one. */
    emulator?: EmulatorHandle;
    close(): Promise<void>;
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${url}/_emulator/${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 404 && path.startsWith("secrets/")) return undefined;
    if (response.status >= 300) throw new Error(`emulator admin ${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
}

export function httpAdmin(url: string): EmulatorAdmin {
    return {
        requests: async (filter = {}) => {
            const q = new URLSearchParams();
            if (filter.operation) q.set("operation", filter.operation);
            if (filter.since !== undefined) q.set("since", String(filter.since));
            return (await call(url, "GET", `requests?${q.toString()}`)).requests;
        },
        counters: () => call(url, "GET", "counters"),
        clearLog: () => call(url, "POST", "clear-log"),
        addFault: async (rule) => (await call(url, "POST", "faults", rule)).ids[0],
        clearFaults: () => call(url, "DELETE", "faults"),
        storedConfiguration: async (kind, id) => (await call(url, "GET", `secrets/${kind}/${id}`))?.configuration,
        expireTokens: () => call(url, "POST", "expire-tokens"),
        reset: () => call(url, "POST", "reset"),
        setLatency: (ms) => call(url, "POST", "latency", { ms }),
        addCustomDefinition: (input) => call(url, "POST", "custom-definitions", input),
    };
}

/** Whether tests run against an external server (`AIRBYTE_TEST_URL`). */
export const EXTERNAL_URL = process.env.AIRBYTE_TEST_URL;

export interface TestProfile {
    name: string;
    /** The generation (and auth mode) the emulator plays. */
    emulator: EmulatorOptions;
    /** The API the provider speaks (`airbyte:api`); the default chooses by itself. */
    api?: "config" | "public";
    /** Airbyte Cloud's layout: the provider is given `<url>/v1`. */
    cloud?: boolean;
}

/** Server generations and backends the integration suite runs against (`npm run test:generations` runs them all). */
export const TEST_PROFILES: Record<string, TestProfile> = {
    "2.0": { name: "2.0", emulator: { profile: "2.0" } },
    "2.0-public": { name: "2.0-public", emulator: { profile: "2.0" }, api: "public" },
    cloud: { name: "cloud", emulator: { profile: "cloud" }, api: "public", cloud: true },
    "1.8": { name: "1.8", emulator: { profile: "1.8" } },
    "1.7": { name: "1.7", emulator: { profile: "1.7", auth: "simple" } },
    "1.6": { name: "1.6", emulator: { profile: "1.6" } },
    "0.63": { name: "0.63", emulator: { profile: "0.63" } },
    // The docker-compose proxy's default password is "password": registered as a secret, it would
    // turn every message mentioning a "password" field into "[redacted]", so the tests set another.
    "0.50": {
        name: "0.50",
        emulator: { profile: "0.50", basicAuth: { username: "airbyte", password: "compose-proxy-pw" } },
    },
};

/** The profile of this test run. */
export function testProfile(): TestProfile {
    const name =
        process.env.AIRBYTE_TEST_PROFILE ||
        ((globalThis as { AIRBYTE_TEST_PROFILE?: string }).AIRBYTE_TEST_PROFILE ?? "2.0");
    const profile = TEST_PROFILES[name];
    if (!profile)
        throw new Error(`unknown AIRBYTE_TEST_PROFILE "${name}"; known: ${Object.keys(TEST_PROFILES).join(", ")}`);
    return profile;
}

/** Whether the provider speaks the public API in this profile (else the Config API). */
export function usesPublicApi(profile: TestProfile = testProfile()): boolean {
    return profile.api === "public" || profile.cloud === true;
}

/** The emulator's name (request log, faults) of an operation, through the profile's API. */
export function operationName(
    operation: `${"source" | "destination" | "connection"}.${"create" | "update" | "get" | "delete"}`,
    profile: TestProfile = testProfile(),
): string {
    const [kind, verb] = operation.split(".") as [string, string];
    const family = `${kind}s`;
    if (!usesPublicApi(profile)) return `${family}/${verb}`;
    const publicVerb = verb === "update" ? (kind === "connection" ? "patch" : "put") : verb;
    return `public/${family}/${publicVerb}`;
}

/** The debug log line of a create request, as the provider writes it with either API. */
export function createLogPattern(kind: "source" | "destination", profile: TestProfile = testProfile()): string {
    return usesPublicApi(profile) ? `→ POST /${kind}s` : `→ POST ${kind}s/create`;
}

/** The streams a connection write sent, whichever API carried it: name, namespace, modes, cursor and key. */
export function sentStreams(body: any): {
    name: string;
    namespace?: string;
    syncMode: string;
    destinationSyncMode: string;
    cursorField?: string[];
    primaryKey?: string[][];
}[] {
    if (body?.syncCatalog) {
        return body.syncCatalog.streams.map((s: any) => ({
            name: s.stream.name,
            namespace: s.stream.namespace,
            syncMode: s.config.syncMode,
            destinationSyncMode: s.config.destinationSyncMode,
            cursorField: s.config.cursorField,
            primaryKey: s.config.primaryKey,
        }));
    }
    const split: Record<string, [string, string]> = {
        full_refresh_overwrite: ["full_refresh", "overwrite"],
        full_refresh_append: ["full_refresh", "append"],
        incremental_append: ["incremental", "append"],
        incremental_deduped_history: ["incremental", "append_dedup"],
    };
    return (body?.configurations?.streams ?? []).map((s: any) => ({
        name: s.name,
        namespace: s.namespace,
        syncMode: split[s.syncMode]![0],
        destinationSyncMode: split[s.syncMode]![1],
        cursorField: s.cursorField,
        primaryKey: s.primaryKey,
    }));
}

/** Stack config for the provider to reach an emulator the way a user would reach that server. */
export function providerConfig(emulator: EmulatorHandle, profile: TestProfile = testProfile()): Record<string, string> {
    const config: Record<string, string> = { "airbyte:serverUrl": profile.cloud ? `${emulator.url}/v1` : emulator.url };
    if (profile.api) config["airbyte:api"] = profile.api;
    const auth = emulator.settings().auth;
    if (auth === "simple") {
        config["airbyte:clientId"] = emulator.credentials.clientId;
        config["airbyte:clientSecret"] = emulator.credentials.clientSecret;
    } else if (auth === "basic") {
        config["airbyte:username"] = profile.emulator.basicAuth?.username ?? "airbyte";
        config["airbyte:password"] = profile.emulator.basicAuth?.password ?? "password";
    }
    return config;
}

export async function startTarget(options: EmulatorOptions = {}): Promise<AirbyteTarget> {
    if (EXTERNAL_URL) {
        const url = EXTERNAL_URL.replace(/\/+$/, "");
        const config: Record<string, string> = { "airbyte:serverUrl": url };
        if (process.env.AIRBYTE_TEST_CLIENT_ID) config["airbyte:clientId"] = process.env.AIRBYTE_TEST_CLIENT_ID;
        if (process.env.AIRBYTE_TEST_CLIENT_SECRET)
            config["airbyte:clientSecret"] = process.env.AIRBYTE_TEST_CLIENT_SECRET;
        if (process.env.AIRBYTE_TEST_TOKEN) config["airbyte:token"] = process.env.AIRBYTE_TEST_TOKEN;
        if (process.env.AIRBYTE_TEST_WORKSPACE_ID)
            config["airbyte:workspaceId"] = process.env.AIRBYTE_TEST_WORKSPACE_ID;
        let admin: EmulatorAdmin | undefined;
        try {
            const probe = await fetch(`${url}/_emulator/settings`);
            if (probe.ok) admin = httpAdmin(url);
        } catch {
            admin = undefined;
        }
        return { url, config, api: directApi(url, config), admin, external: true, close: async () => undefined };
    }
    const profile = testProfile();
    const emulator = await startEmulator({ ...profile.emulator, ...options });
    const config = providerConfig(emulator, profile);
    const api = profile.cloud ? internalApi(emulator.url) : directApi(emulator.url, config);
    return {
        url: emulator.url,
        config,
        api,
        admin: httpAdmin(emulator.url),
        external: false,
        emulator,
        close: () => emulator.close(),
    };
}

/**
 * Whether the server lends the provider connector specs and connection checks: every
 * self-managed server (through the Config API, whichever API writes), not Airbyte Cloud.
 */
export function serverChecksConfigurations(profile: TestProfile = testProfile()): boolean {
    return profile.cloud !== true;
}

/**
 * The Config API as Airbyte Cloud's web app has it, which Cloud does not expose to API users:
 * the emulator serves it to tests at `/_emulator/config-api/` (no auth, not in the request log).
 */
function internalApi(url: string): AirbyteTarget["api"] {
    return async (path, body) => {
        const response = await fetch(`${url}/_emulator/config-api/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
}

/** Direct Config API calls with the credentials of `config` (a token for client credentials, fetched once). */
function directApi(url: string, config: Record<string, string>): AirbyteTarget["api"] {
    let token: Promise<string> | undefined;
    const authorization = async (): Promise<string | undefined> => {
        if (config["airbyte:token"]) return `Bearer ${config["airbyte:token"]}`;
        if (config["airbyte:username"])
            return `Basic ${Buffer.from(`${config["airbyte:username"]}:${config["airbyte:password"]}`).toString("base64")}`;
        if (!config["airbyte:clientId"]) return undefined;
        token ??= fetch(`${url}/api/v1/applications/token`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
                client_id: config["airbyte:clientId"],
                client_secret: config["airbyte:clientSecret"],
            }),
        }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
        return `Bearer ${await token}`;
    };
    return async (path, body) => {
        const auth = await authorization();
        const response = await fetch(`${url}/api/v1/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
            body: JSON.stringify(body),
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
            parsed = text ? JSON.parse(text) : undefined;
        } catch {
            // a proxy's HTML page
        }
        return { status: response.status, body: parsed };
    };
}

/** The admin API, or a clear failure naming why this test cannot run against a real Airbyte. */
export function needsAdmin(target: AirbyteTarget): EmulatorAdmin {
    if (!target.admin)
        throw new Error("this test needs the emulator's admin API (/_emulator), which a real Airbyte does not have");
    return target.admin;
}

/** Skips a test by name when the target has no admin API (a real Airbyte). */
export const testWithAdmin = process.env.AIRBYTE_TEST_URL && process.env.AIRBYTE_TEST_REAL === "1" ? test.skip : test;
