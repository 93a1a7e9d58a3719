/**
 * The Airbyte server an integration test talks to: by default a local emulator started
 * in-process on an ephemeral port; with `AIRBYTE_TEST_URL`, an external server (a separately
 * started emulator, or a real Airbyte) with credentials from `AIRBYTE_TEST_CLIENT_ID` /
 * `AIRBYTE_TEST_CLIENT_SECRET` or `AIRBYTE_TEST_TOKEN`.
 *
 * Tests reach the emulator's admin API (request log, stored secrets, faults) over HTTP, which
 * works the same for an in-process and an external emulator. Against a real Airbyte there is
 * no admin API: tests that need it say so and are skipped by name (see `needsAdmin`).
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions, type FaultRule, type RequestLogEntry, type EmulatorCounters } from "../../emulator";

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
            return (await call(url, "GET", `requests?${q}`)).requests;
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

export async function startTarget(options: EmulatorOptions = {}): Promise<AirbyteTarget> {
    if (EXTERNAL_URL) {
        const url = EXTERNAL_URL.replace(/\/+$/, "");
        const config: Record<string, string> = { "airbyte:serverUrl": url };
        if (process.env.AIRBYTE_TEST_CLIENT_ID) config["airbyte:clientId"] = process.env.AIRBYTE_TEST_CLIENT_ID;
        if (process.env.AIRBYTE_TEST_CLIENT_SECRET) config["airbyte:clientSecret"] = process.env.AIRBYTE_TEST_CLIENT_SECRET;
        if (process.env.AIRBYTE_TEST_TOKEN) config["airbyte:token"] = process.env.AIRBYTE_TEST_TOKEN;
        if (process.env.AIRBYTE_TEST_WORKSPACE_ID) config["airbyte:workspaceId"] = process.env.AIRBYTE_TEST_WORKSPACE_ID;
        let admin: EmulatorAdmin | undefined;
        try {
            const probe = await fetch(`${url}/_emulator/settings`);
            if (probe.ok) admin = httpAdmin(url);
        } catch {
            admin = undefined;
        }
        return { url, config, admin, external: true, close: async () => undefined };
    }
    const emulator = await startEmulator(options);
    const config: Record<string, string> = { "airbyte:serverUrl": emulator.url };
    if (options.auth === "simple") {
        config["airbyte:clientId"] = emulator.credentials.clientId;
        config["airbyte:clientSecret"] = emulator.credentials.clientSecret;
    }
    return { url: emulator.url, config, admin: httpAdmin(emulator.url), external: false, emulator, close: () => emulator.close() };
}

/** The admin API, or a clear failure naming why this test cannot run against a real Airbyte. */
export function needsAdmin(target: AirbyteTarget): EmulatorAdmin {
    if (!target.admin) throw new Error("this test needs the emulator's admin API (/_emulator), which a real Airbyte does not have");
    return target.admin;
}

/** Skips a test by name when the target has no admin API (a real Airbyte). */
export const testWithAdmin = (process.env.AIRBYTE_TEST_URL && process.env.AIRBYTE_TEST_REAL === "1" ? test.skip : test) as typeof test;
