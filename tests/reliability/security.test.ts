/**
 * Security of the provider's connection to Airbyte, through the serialized providers:
 *  - TLS: verification is on by default (a self-signed server fails, clearly); `airbyte:caBundle`
 *    (PEM text or a file path) trusts a private CA; `airbyte:insecureSkipTlsVerify` is opt-in and
 *    logs a warning. The HTTPS server is a Node proxy in front of the emulator, with certificates
 *    made by openssl at test time.
 *  - secrets are redacted in every log line, debug included; access tokens are never persisted;
 *  - inputs and state cannot smuggle paths or headers: ids are UUIDs before any request, names
 *    and values travel in JSON bodies only, header values are single tokens.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { clean, mssqlArgs, MSSQL_PASSWORD, s3Args, S3_SECRET_KEY } from "../helpers/fixtures";
import {
    CheckFailedError,
    destroy,
    failureOf,
    newProviderProcess,
    refresh,
    reviveProvider,
    setRealEnv,
    up,
} from "../helpers/providers";
import {
    captureProviderLog,
    leaksIn,
    LogCapture,
    RecordingProxy,
    renderError,
    selfSignedCertificate,
    startRecordingProxy,
} from "./helpers";

let emu: EmulatorHandle;
let log: LogCapture;
let restoreEnv: () => void;
let dir: string;

beforeAll(async () => {
    restoreEnv = setRealEnv({ AIRBYTE_PROVIDER_LOG: "debug" });
    log = captureProviderLog();
    dir = mkdtempSync(join(tmpdir(), "airbyte-security-"));
    emu = await startEmulator({ auth: "simple", clientSecret: "Security-Client-Secret-8mR3vT" });
});
afterAll(async () => {
    log.stop();
    restoreEnv();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
    emu.reset();
    emu.clearLog();
    await newProviderProcess();
});

const credentials = () => ({
    "airbyte:clientId": emu.credentials.clientId,
    "airbyte:clientSecret": emu.credentials.clientSecret,
});

describe("TLS", () => {
    let server: { key: string; cert: string; certPath: string };
    let otherCa: { cert: string };
    let proxy: RecordingProxy;

    beforeAll(async () => {
        server = selfSignedCertificate(dir, "airbyte-server");
        otherCa = selfSignedCertificate(dir, "unrelated-ca");
        proxy = await startRecordingProxy(emu.url, server);
    });
    afterAll(() => proxy.close());

    const sourceWith = async (config: Record<string, string>) =>
        reviveProvider("Source", { "airbyte:serverUrl": proxy.url, ...credentials(), ...config });

    test("verification is on by default: a self-signed server is refused with a clear error, before any request", async () => {
        proxy.requests.length = 0;
        const error = await failureOf(up(await sourceWith({}), clean(mssqlArgs())));
        expect(error.message).toMatch(
            /TLS certificate verification failed: DEPTH_ZERO_SELF_SIGNED_CERT .*set airbyte:caBundle/,
        );
        expect(proxy.requests).toEqual([]); // the handshake failed: nothing was sent
        expect(emu.counters().created.sources).toBe(0);
    });

    test("a CA that did not sign the server's certificate does not help", async () => {
        const error = await failureOf(up(await sourceWith({ "airbyte:caBundle": otherCa.cert }), clean(mssqlArgs())));
        expect(error.message).toMatch(/TLS certificate verification failed/);
    });

    test.each([
        ["PEM text", () => server.cert],
        ["a file path", () => server.certPath],
    ])("airbyte:caBundle given as %s is trusted, and everything works over HTTPS", async (_how, bundle) => {
        const sources = await sourceWith({ "airbyte:caBundle": bundle() });
        const { state } = await up(sources, clean(mssqlArgs()));
        expect(emu.storedConfiguration("source", state.id)?.password).toBe(MSSQL_PASSWORD);
        expect(await refresh(sources, state)).toBeDefined();
        await destroy(sources, state);
        expect(proxy.requests.length).toBeGreaterThan(0);
    });

    test("airbyte:insecureSkipTlsVerify=true connects without verification and says so in a warning", async () => {
        const mark = log.lines.length;
        const sources = await sourceWith({ "airbyte:insecureSkipTlsVerify": "true" });
        const { state } = await up(sources, clean(mssqlArgs()));
        await destroy(sources, state);
        const warnings = log.since(mark).filter((l) => l.startsWith("[airbyte] warning:"));
        expect(warnings).toEqual([
            expect.stringMatching(
                new RegExp(`TLS certificate verification is disabled for ${proxy.url}.*airbyte:caBundle`),
            ),
        ]);
    });

    test("a bundle and insecure mode together are refused at preview", async () => {
        const error = await failureOf(
            up(
                await sourceWith({ "airbyte:caBundle": server.cert, "airbyte:insecureSkipTlsVerify": "true" }),
                clean(mssqlArgs()),
            ),
        );
        expect(error).toBeInstanceOf(CheckFailedError);
        expect(error.message).toMatch(
            /provider: set either airbyte:caBundle .* or airbyte:insecureSkipTlsVerify .*not both/,
        );
    });
});

describe("secrets and tokens", () => {
    test("debug logging redacts every secret: connector secrets, the client secret and every token", async () => {
        const mark = log.lines.length;
        const config = { "airbyte:serverUrl": emu.url, ...credentials() };
        const sources = await reviveProvider("Source", config);
        const destinations = await reviveProvider("Destination", config);
        const source = (await up(sources, clean(mssqlArgs()))).state;
        const destination = (await up(destinations, clean(s3Args()))).state;
        emu.expireTokens(); // a refresh mid-run: the new token must be redacted too
        const updated = (await up(sources, clean(mssqlArgs({ configuration: { database: "eu" } })), source)).state;
        await destroy(sources, updated);
        await destroy(destinations, destination);
        const lines = log.since(mark).join("");
        // Bodies with secrets were logged (debug), with the values replaced.
        expect(lines).toMatch(/→ POST sources\/create .*"password":"\[redacted\]"/);
        expect(lines).toMatch(/→ POST destinations\/create .*"secret_access_key":"\[redacted\]"/);
        expect(lines).toMatch(/401, retrying once with a fresh access token/);
        expect(
            leaksIn({ log: lines }, [MSSQL_PASSWORD, S3_SECRET_KEY, "AKIAEXAMPLEKEY00", emu.credentials.clientSecret]),
        ).toEqual([]);
    });

    test("access tokens are never persisted: not in state, not in the serialized provider", async () => {
        const config = { "airbyte:serverUrl": emu.url, ...credentials() };
        const sources = await reviveProvider("Source", config);
        const created = (await up(sources, clean(mssqlArgs()))).state;
        emu.expireTokens();
        const refreshed = (await refresh(sources, created))!;
        const updated = (await up(sources, clean(mssqlArgs({ configuration: { database: "eu" } })), refreshed)).state;
        expect(emu.counters().tokensIssued).toBe(2);
        const everything = JSON.stringify({ created, refreshed, updated, provider: sources.text });
        expect(leaksIn({ state: everything }, [emu.credentials.clientSecret])).toEqual([]);
        await destroy(sources, updated);
    });

    test("a static token the server refuses: a clear error naming airbyte:token, without the token", async () => {
        const token = "revoked-static-token-0123456789";
        const sources = await reviveProvider("Source", { "airbyte:serverUrl": emu.url, "airbyte:token": token });
        const error = await failureOf(up(sources, clean(mssqlArgs())));
        expect(error.message).toMatch(
            /HTTP 401.*refused the access token in airbyte:token; it may have expired or been revoked/,
        );
        expect(renderError(error)).not.toContain(token);
    });

    test("a token with a line break cannot add headers: refused at preview, without echoing it", async () => {
        const token = "abc123\r\nX-Injected: yes";
        const sources = await reviveProvider("Source", { "airbyte:serverUrl": emu.url, "airbyte:token": token });
        emu.clearLog();
        const error = await failureOf(up(sources, clean(mssqlArgs())));
        expect(error).toBeInstanceOf(CheckFailedError);
        expect(error.failures).toEqual([
            {
                property: "provider",
                reason: expect.stringMatching(/airbyte:token contains whitespace or control characters/),
            },
        ]);
        expect(renderError(error)).not.toContain("X-Injected");
        expect(emu.requests()).toEqual([]);
    });
});

describe("nothing from inputs or state reaches a path or a header", () => {
    let proxy: RecordingProxy;
    beforeAll(async () => {
        proxy = await startRecordingProxy(emu.url);
    });
    afterAll(() => proxy.close());

    const BAD_IDS = [
        "../../workspaces/delete",
        "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\r\nX-Injected: yes",
        "",
        "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/../x",
    ];

    test.each(["Source", "Destination", "Connection"] as const)(
        "%s: ids from state that are not UUIDs are refused before any request (read, update, delete)",
        async (type) => {
            const provider = await reviveProvider(type, { "airbyte:serverUrl": proxy.url, ...credentials() });
            proxy.requests.length = 0;
            const inputs =
                type === "Connection"
                    ? {
                          sourceId: BAD_IDS[0],
                          destinationId: BAD_IDS[0],
                          status: "active",
                          schedule: { type: "manual" },
                      }
                    : { ...clean(mssqlArgs()), __provider: provider.text };
            for (const id of BAD_IDS) {
                for (const attempt of [
                    () => provider.read(id, inputs),
                    () => provider.update(id, inputs, inputs),
                    () => provider.delete(id, inputs),
                ]) {
                    const error = await failureOf(attempt());
                    expect(error.message).toMatch(
                        /the id in the stack's state, .* is not a UUID; nothing was sent to Airbyte/,
                    );
                    expect(renderError(error)).not.toMatch(/\r\nX-Injected/);
                }
            }
            expect(proxy.requests).toEqual([]);
        },
    );

    test("names and values with line breaks, slashes and dots travel as JSON data: paths and headers stay fixed", async () => {
        const sources = await reviveProvider("Source", { "airbyte:serverUrl": proxy.url, ...credentials() });
        proxy.requests.length = 0;
        const name = "evil\r\nX-Injected: yes/../../workspaces/delete?x=1#";
        const { state } = await up(
            sources,
            clean(mssqlArgs({ name, configuration: { database: "sales\r\nX-Injected: also" } })),
        );
        await refresh(sources, state);
        await destroy(sources, state);
        expect(proxy.requests.length).toBeGreaterThan(5);
        for (const request of proxy.requests) {
            expect(request.url).toMatch(/^\/api\/v1\/[a-z_]+(\/[a-z_]+){0,2}$/);
            expect(
                Object.keys(request.headers).filter(
                    (h) =>
                        ![
                            "host",
                            "user-agent",
                            "accept",
                            "accept-encoding",
                            "content-type",
                            "content-length",
                            "authorization",
                            "connection",
                        ].includes(h),
                ),
            ).toEqual([]);
        }
        const create = emu.requests({ operation: "sources/create" })[0]!.requestBody as {
            name: string;
            connectionConfiguration: { database: string };
        };
        expect(create.name).toBe(name);
        expect(create.connectionConfiguration.database).toBe("sales\r\nX-Injected: also");
    });
});
