/**
 * Bad input, second table (the first is tests/integration/bad-inputs.test.ts, 36 cases; together
 * well over 50): the provider configuration (stack config `airbyte:*`), and resource arguments
 * the first table does not reach. Each case is refused at `check` (preview) wherever the input is
 * known, with a message naming the property or setting, otherwise at create with an error that
 * names it; nothing is created in Airbyte, and no secret given in the case is echoed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { UNKNOWN_ID } from "../emulator/helpers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { clean, mssqlArgs, MSSQL_PASSWORD, s3Args } from "../helpers/fixtures";
import { dummyAwsEnvironment, MOTO_REGION, MotoServer, startMoto } from "../helpers/moto";
import {
    appliedProperty,
    CheckFailedError,
    failureOf,
    ResourceState,
    reviveProvider,
    runtimeModule,
    setRealEnv,
    up,
} from "../helpers/providers";
import { emulatorApi, renderError, selfSignedCertificate } from "./helpers";

type Type = "Source" | "Destination" | "Connection";
/** name, resource type, property (or setting) named, arguments, reason, provider config overrides */
type Case = [string, Type, string, () => Record<string, unknown>, RegExp, Record<string, string>?];

let emu: EmulatorHandle;
let moto: MotoServer;
let restoreEnv: () => void;
let dir: string;
let source: ResourceState;
let destination: ResourceState;
let certificate: { cert: string; key: string };

/** Secret values given by the cases; none may appear in a message. */
const GIVEN_SECRETS = [
    MSSQL_PASSWORD,
    "Client-Secret-Given-42",
    "Token-Given-abcdef123",
    "Profile-Password-99",
    "wrong-password",
];
/** A well-formed id that names nothing. */
const NO_SUCH_ID = UNKNOWN_ID;

beforeAll(async () => {
    moto = await startMoto();
    restoreEnv = setRealEnv({
        ...dummyAwsEnvironment(),
        AWS_REGION: MOTO_REGION,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    });
    dir = mkdtempSync(join(tmpdir(), "airbyte-bad-inputs-"));
    writeFileSync(join(dir, "not-a-pem.txt"), "hello, I am not a certificate\n");
    certificate = selfSignedCertificate(dir, "ca");
    emu = await startEmulator();
    source = (await up(await reviveProvider("Source", base()), clean(mssqlArgs()))).state;
    destination = (await up(await reviveProvider("Destination", base()), clean(s3Args()))).state;
    // As once a connection uses it (or the UI set one up): Airbyte has a discovered catalog, which
    // previews read (a preview never launches a discovery itself).
    await emulatorApi(emu, "sources/discover_schema", { sourceId: source.id }, emu.issueToken());
}, 60_000);
afterAll(async () => {
    restoreEnv?.();
    await emu?.close();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
});

const base = (): Record<string, string> => ({ "airbyte:serverUrl": emu.url });
const src = (overrides: Record<string, unknown> = {}) => mssqlArgs(overrides);
const dst = (overrides: Record<string, unknown> = {}) => s3Args(overrides);
const conn = (extra: Record<string, unknown> = {}) =>
    clean({
        sourceId: source.id,
        destinationId: destination.id,
        streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" }],
        schedule: { cron: "0 0 * * * ?" },
        ...extra,
    });
const reference = (location: Record<string, unknown>) => JSON.stringify({ secretsManager: location });

const cases: Case[] = [
    // Provider configuration (stack config), reported against "provider" (or "server" for profiles).
    [
        "serverUrl that is not a URL",
        "Source",
        "provider",
        () => src(),
        /airbyte:serverUrl must be an absolute http\(s\) URL/,
        { "airbyte:serverUrl": "not a url" },
    ],
    [
        "serverUrl with credentials in it",
        "Source",
        "provider",
        () => src(),
        /must not contain credentials/,
        { "airbyte:serverUrl": "http://admin:Profile-Password-99@127.0.0.1:8000" },
    ],
    [
        "serverUrl with a query string",
        "Destination",
        "provider",
        () => dst(),
        /must not contain a query string/,
        { "airbyte:serverUrl": "http://127.0.0.1:8000/?workspace=1" },
    ],
    [
        "token and client credentials together",
        "Source",
        "provider",
        () => src(),
        /set only one of clientId\/clientSecret, token/,
        {
            "airbyte:token": "Token-Given-abcdef123",
            "airbyte:clientId": "c",
            "airbyte:clientSecret": "Client-Secret-Given-42",
        },
    ],
    [
        "clientId without clientSecret",
        "Source",
        "provider",
        () => src(),
        /clientId and clientSecret go together/,
        { "airbyte:clientId": "airbyte-app" },
    ],
    [
        "password without username",
        "Destination",
        "provider",
        () => dst(),
        /username and password go together/,
        { "airbyte:password": "Profile-Password-99" },
    ],
    [
        "non-numeric requestTimeoutSeconds",
        "Source",
        "provider",
        () => src(),
        /airbyte:requestTimeoutSeconds must be a positive integer; got "ten"/,
        { "airbyte:requestTimeoutSeconds": "ten" },
    ],
    [
        "zero maxConcurrentRequests",
        "Source",
        "provider",
        () => src(),
        /airbyte:maxConcurrentRequests must be a positive integer; got "0"/,
        { "airbyte:maxConcurrentRequests": "0" },
    ],
    [
        "fractional retryLimit",
        "Destination",
        "provider",
        () => dst(),
        /airbyte:retryLimit must be a positive integer; got "2.5"/,
        { "airbyte:retryLimit": "2.5" },
    ],
    [
        "insecureSkipTlsVerify that is not a boolean",
        "Source",
        "provider",
        () => src(),
        /airbyte:insecureSkipTlsVerify must be true or false; got "maybe"/,
        { "airbyte:insecureSkipTlsVerify": "maybe" },
    ],
    [
        "caBundle path that does not exist",
        "Source",
        "provider",
        () => src(),
        /airbyte:caBundle must be PEM text .* cannot read the file "\/nonexistent\/ca\.pem" \(ENOENT\)/,
        { "airbyte:caBundle": "/nonexistent/ca.pem" },
    ],
    [
        "caBundle file that holds no certificate",
        "Source",
        "provider",
        () => src(),
        /airbyte:caBundle \(file ".*not-a-pem\.txt"\) holds no PEM certificate/,
        { "airbyte:caBundle": "<dir>/not-a-pem.txt" },
    ],
    [
        "caBundle with a corrupt certificate",
        "Destination",
        "provider",
        () => dst(),
        /airbyte:caBundle: certificate 1 of 1 is not a valid X\.509 certificate/,
        { "airbyte:caBundle": "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n" },
    ],
    [
        "caBundle with a private key in it",
        "Source",
        "provider",
        () => src(),
        /airbyte:caBundle contains a private key; give only the CA certificate/,
        { "airbyte:caBundle": "<key+cert>" },
    ],
    [
        "caBundle and insecureSkipTlsVerify together",
        "Source",
        "provider",
        () => src(),
        /set either airbyte:caBundle .* or airbyte:insecureSkipTlsVerify .*not both/,
        { "airbyte:caBundle": "<cert>", "airbyte:insecureSkipTlsVerify": "true" },
    ],
    [
        "clientSecret JSON that is not a Secrets Manager reference",
        "Source",
        "provider",
        () => src(),
        /airbyte:clientSecret is a JSON object but not a Secrets Manager reference/,
        { "airbyte:clientId": "c", "airbyte:clientSecret": '{"value": "Client-Secret-Given-42"}' },
    ],
    [
        "clientSecret reference with an unknown field",
        "Source",
        "provider",
        () => src(),
        /airbyte:clientSecret is a Secrets Manager reference with problems: secretsManager\.stage unknown field/,
        {
            "airbyte:clientId": "c",
            "airbyte:clientSecret": reference({ secretId: "airbyte/client", stage: "AWSCURRENT" }),
        },
    ],
    [
        "clientSecret reference with an empty secretId",
        "Destination",
        "provider",
        () => dst(),
        /secretsManager\.secretId must be a non-empty string/,
        { "airbyte:clientId": "c", "airbyte:clientSecret": reference({ secretId: "" }) },
    ],
    [
        "clientSecret reference to a secret that does not exist",
        "Source",
        "provider",
        () => src(),
        /could not read airbyte:clientSecret from Secrets Manager secret "airbyte\/no-such-client-secret"/,
        { "airbyte:clientId": "c", "airbyte:clientSecret": reference({ secretId: "airbyte/no-such-client-secret" }) },
    ],
    [
        "token with a line break (header injection)",
        "Source",
        "provider",
        () => src(),
        /airbyte:token contains whitespace or control characters/,
        { "airbyte:token": "Token-Given-abcdef123\r\nX-Admin: 1" },
    ],
    [
        "workspaceId setting that is not a UUID",
        "Source",
        "provider",
        () => src(),
        /airbyte:workspaceId must be a workspace UUID; got "default"/,
        { "airbyte:workspaceId": "default" },
    ],
    [
        "adoptWithinMinutes that is not a number",
        "Destination",
        "provider",
        () => dst(),
        /airbyte:adoptWithinMinutes must be a whole number of minutes/,
        { "airbyte:adoptWithinMinutes": "soon" },
    ],
    [
        "profiles that are not JSON",
        "Destination",
        "server",
        () => dst({ server: { url: "http://127.0.0.1:1", profile: "eu" } }),
        /airbyte:profiles must be a JSON object of named credential profiles/,
        { "airbyte:profiles": "{eu: nope" },
    ],
    [
        "profile with an unknown setting",
        "Source",
        "server",
        () => src({ server: { url: "http://127.0.0.1:1", profile: "eu" } }),
        /airbyte:profiles\.eu\.secret is not a profile setting/,
        { "airbyte:profiles": JSON.stringify({ eu: { clientId: "c", secret: "Client-Secret-Given-42" } }) },
    ],
    [
        "profile with two authentication methods",
        "Source",
        "server",
        () => src({ server: { url: "http://127.0.0.1:1", profile: "eu" } }),
        /airbyte:profiles\.eu: set only one of/,
        {
            "airbyte:profiles": JSON.stringify({
                eu: { token: "Token-Given-abcdef123", username: "u", password: "Profile-Password-99" },
            }),
        },
    ],
    [
        "connection under a bad provider setting",
        "Connection",
        "provider",
        () => conn(),
        /airbyte:requestTimeoutSeconds must be a positive integer/,
        { "airbyte:requestTimeoutSeconds": "-5" },
    ],

    // Source and Destination arguments.
    ["name that is not a string", "Source", "name", () => src({ name: 42 }), /non-empty string/],
    [
        "configuration that is a list",
        "Source",
        "configuration",
        () => ({ ...src(), configuration: [1, 2] }),
        /must be an object/,
    ],
    [
        "secrets that is a string",
        "Destination",
        "secrets",
        () => ({ ...dst(), secrets: "Profile-Password-99" }),
        /must be an object shaped like the connector configuration/,
    ],
    [
        "Secrets Manager reference with an empty secretId",
        "Source",
        "secrets.password.secretsManager.secretId",
        () => src({ secrets: { password: { secretsManager: { secretId: "" } } } }),
        /must be a non-empty string/,
    ],
    [
        "server with an unknown setting",
        "Source",
        "server.region",
        () => src({ server: { url: "http://127.0.0.1:1", region: "eu" } }),
        /is not a server setting/,
    ],
    [
        "server.workspaceId that is not a UUID",
        "Destination",
        "server.workspaceId",
        () => dst({ server: { url: "http://127.0.0.1:1", workspaceId: "main" } }),
        /must be a UUID/,
    ],
    [
        "server.profile that is not a name",
        "Source",
        "server.profile",
        () => src({ server: { url: "http://127.0.0.1:1", profile: 7 } }),
        /must be the name of an airbyte:profiles entry/,
    ],
    ["empty definition", "Destination", "definition", () => dst({ definition: "" }), /must be a non-empty string/],
    [
        "malformed destination workspaceId",
        "Destination",
        "workspaceId",
        () => dst({ workspaceId: "../workspaces/delete" }),
        /must be a UUID/,
    ],
    [
        "destination missing a required field",
        "Destination",
        "configuration.s3_bucket_name",
        () => dst({ configuration: { s3_bucket_name: undefined } }),
        /required by the connector spec/,
    ],
    [
        "destination adoptId that does not exist",
        "Destination",
        "adoptId",
        () => dst({ adoptId: NO_SUCH_ID }),
        /there is no destination/,
    ],
    [
        "destination the connection check cannot reach",
        "Destination",
        "checkConnection",
        () => dst({ configuration: { s3_bucket_name: "lake.invalid" } }),
        /connection check for destination "lake" failed: .*Nothing was created in Airbyte/,
    ],
    [
        "source whose password the database refuses",
        "Source",
        "checkConnection",
        () => src({ secrets: { password: "wrong-password" } }),
        /connection check for source "mssql" failed: .*(password|login)/i,
    ],

    // Connection arguments.
    ["missing source id", "Connection", "sourceId", () => conn({ sourceId: undefined }), /is required/],
    ["malformed connection adoptId", "Connection", "adoptId", () => conn({ adoptId: "not-a-uuid" }), /must be a UUID/],
    ["empty connection name", "Connection", "name", () => conn({ name: "" }), /non-empty string/],
    [
        "unknown namespaceDefinition",
        "Connection",
        "namespaceDefinition",
        () => conn({ namespaceDefinition: "custom" }),
        /must be one of: source, destination, customformat/,
    ],
    ["prefix that is not a string", "Connection", "prefix", () => conn({ prefix: 3 }), /must be a string/],
    // Sources, destinations and connections share one check of `server`, which names the missing field.
    ["server without a url", "Connection", "server.url", () => conn({ server: { profile: "eu" } }), /is required/],
    [
        "server that is not an object",
        "Connection",
        "server",
        () => conn({ server: "https://airbyte.example.com" }),
        /must be \{ url, profile\?, workspaceId\? \}/,
    ],
    [
        "cron schedule with basic fields",
        "Connection",
        "schedule.units",
        () => conn({ schedule: { cron: "0 0 * * * ?", units: 1 } }),
        /does not apply to a cron schedule/,
    ],
    [
        "schedule given as an unknown word",
        "Connection",
        "schedule",
        () => conn({ schedule: "hourly" }),
        /must be "manual", \{ cron, timeZone\? \} or \{ units, timeUnit \}/,
    ],
    [
        "streams that is not a list",
        "Connection",
        "streams",
        () => conn({ streams: "orders" }),
        /must be a list of streams/,
    ],
    [
        "stream with an unknown setting",
        "Connection",
        "streams[0].selected",
        () => conn({ streams: [{ name: "orders", selected: true }] }),
        /is not a stream setting/,
    ],
    [
        "stream with an empty column list",
        "Connection",
        "streams[0].columns",
        () => conn({ streams: [{ name: "orders", namespace: "dbo", columns: [] }] }),
        /non-empty list of column names/,
    ],
    [
        "overriding a source-defined cursor",
        "Connection",
        "streams[0].cursorField",
        () =>
            conn({
                streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental", cursorField: "created_at" }],
            }),
        /cursor defined by the source/,
    ],
    [
        "syncCatalog that is not a catalog",
        "Connection",
        "syncCatalog",
        () => ({ ...conn({ streams: undefined }), syncCatalog: "all" }),
        /must be an AirbyteCatalog/,
    ],
    [
        "unknown connection argument",
        "Connection",
        "tags",
        () => conn({ tags: ["pii"] }),
        /is not a connection argument/,
    ],
];

/** Placeholders resolved once the files exist. */
function resolvePlaceholders(config: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        out[key] = value
            .replace("<dir>", dir)
            .replace("<key+cert>", `${certificate.key}\n${certificate.cert}`)
            .replace("<cert>", certificate.cert);
    }
    return out;
}

test("at least 50 cases in this table alone (tests/integration/bad-inputs.test.ts has more)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(cases.filter((c) => c[5]).length).toBeGreaterThanOrEqual(20); // provider configuration
});

// Every row gets six values: jest would take a missing last argument for a `done` callback.
const rows = cases.map(
    ([name, type, property, args, reason, config]) => [name, type, property, args, reason, config ?? {}] as const,
);

test.each(rows)("%s (%s) → %s", async (_name, type, property, args, reason, config) => {
    (await runtimeModule()).resetCaches();
    const provider = await reviveProvider(type, { ...base(), ...resolvePlaceholders(config) });
    const before = emu.counters().created;
    const error = await failureOf(up(provider, clean(args())));
    expect(error).toBeDefined();
    if (error instanceof CheckFailedError) {
        const failure = error.failures.find((f) => f.property === property);
        expect(failure ? `${failure.property}: ${failure.reason}` : error.message).toMatch(
            new RegExp(`^${property.replace(/[.[\]]/g, "\\$&")}: .*${reason.source}`, reason.flags),
        );
    } else {
        expect(String(error.message)).toMatch(appliedProperty(property));
        expect(String(error.message)).toMatch(reason);
    }
    for (const secret of GIVEN_SECRETS) expect(renderError(error)).not.toContain(secret);
    expect(emu.counters().created).toEqual(before);
});
