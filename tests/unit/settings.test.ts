/**
 * Provider settings (provider/runtime/settings.ts) from a fake config lookup and environment:
 * server URLs, precedence (config > environment > default), booleans and numbers, the API
 * choice, credentials and the CA bundle. Every refusal must be a SettingsError whose message names
 * the setting and never echoes a credential.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearRegisteredSecrets, redact } from "../../provider/redact";
import { resetProcessState } from "../../provider/process-state";
import {
    checkHeaderValue,
    DEFAULT_SERVER_URL,
    parseServerUrl,
    readSettings,
    settingsFor,
    SettingsError,
    type ConfigLookup,
    type ServerSettings,
} from "../../provider/runtime/settings";

const WORKSPACE = "5f0c6a4e-2b1d-4c3e-9f8a-7b6c5d4e3f2a";

/** A self-signed CA certificate (public part only; EC P-256, valid until 2126). */
const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBhDCCASugAwIBAgIUKk7WH3trH/VHvdH0KQ0E0zTDrMowCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMdW5pdC10ZXN0LWNhMCAXDTI2MTIwMjE0MDQxM1oYDzIxMjYx
MTA4MTQwNDEzWjAXMRUwEwYDVQQDDAx1bml0LXRlc3QtY2EwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQ9BBWNTHFdPsvdtwUIWAgrBZszBjFGs0BbvX1CXn2dNN4F
iJcoq/cOxAF0EwyKAuKbR7U3pfZSYlPc6XJ9lFsjo1MwUTAdBgNVHQ4EFgQUA+BN
0VdnecqEjvo2uu0mBLre35owHwYDVR0jBBgwFoAUA+BN0VdnecqEjvo2uu0mBLre
35owDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiA4EmdbQK933z7Y
NbSkGIgAwIrZy6OLlgxTI02WSkOZhwIgeP4yyNnOz7/Y9NeTEcagP1+pxyIX5jQ3
zdya/o5IOSc=
-----END CERTIFICATE-----
`;
const KEY_BODY = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPrivateKeyBody";

/** The SettingsError `fn` throws; fails the test when it throws nothing or another error. */
function settingsError(fn: () => unknown): SettingsError {
    try {
        fn();
    } catch (error) {
        expect(error).toBeInstanceOf(SettingsError);
        return error as SettingsError;
    }
    throw new Error("expected a SettingsError, got no error");
}

const lookup =
    (values: Record<string, string>): ConfigLookup =>
    (key) =>
        values[key];

let dir: string;
beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "airbyte-settings-test-"));
    writeFileSync(join(dir, "ca.pem"), CA_PEM);
    writeFileSync(join(dir, "notes.txt"), "no certificate in here\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetProcessState()); // the parsed CA bundles are cached per process
afterEach(() => clearRegisteredSecrets());

describe("parseServerUrl", () => {
    test.each<[string, string, { serverUrl: string; cloud: boolean; api?: "config" | "public" }]>([
        ["a base URL", "http://localhost:8000", { serverUrl: "http://localhost:8000", cloud: false }],
        ["a trailing slash", "http://localhost:8000/", { serverUrl: "http://localhost:8000", cloud: false }],
        ["several trailing slashes", "http://localhost:8000///", { serverUrl: "http://localhost:8000", cloud: false }],
        [
            "the Config API path",
            "http://localhost:8000/api/v1",
            { serverUrl: "http://localhost:8000", cloud: false, api: "config" },
        ],
        [
            "the Config API path with a slash",
            "http://localhost:8000/api/v1/",
            { serverUrl: "http://localhost:8000", cloud: false, api: "config" },
        ],
        [
            "/api alone (the Config API)",
            "https://airbyte.example.com/api",
            { serverUrl: "https://airbyte.example.com", cloud: false, api: "config" },
        ],
        [
            "the public API path",
            "http://localhost:8000/api/public/v1",
            { serverUrl: "http://localhost:8000", cloud: false, api: "public" },
        ],
        [
            "/api/public alone",
            "http://localhost:8000/api/public",
            { serverUrl: "http://localhost:8000", cloud: false, api: "public" },
        ],
        [
            "a proxy prefix before the API path",
            "https://example.com/airbyte/api/v1",
            { serverUrl: "https://example.com/airbyte", cloud: false, api: "config" },
        ],
        [
            "a proxy prefix alone",
            "https://example.com/airbyte/",
            { serverUrl: "https://example.com/airbyte", cloud: false },
        ],
        [
            "Airbyte Cloud's public API",
            "https://api.airbyte.com/v1",
            { serverUrl: "https://api.airbyte.com", cloud: true, api: "public" },
        ],
        ["Airbyte Cloud's base URL", "https://api.airbyte.com", { serverUrl: "https://api.airbyte.com", cloud: true }],
        [
            "Airbyte Cloud's host in capitals",
            "https://API.Airbyte.COM/v1/",
            { serverUrl: "https://api.airbyte.com", cloud: true, api: "public" },
        ],
        [
            "Cloud's public API under /api/public/v1",
            "https://api.airbyte.com/api/public/v1",
            { serverUrl: "https://api.airbyte.com", cloud: true, api: "public" },
        ],
        [
            "another host laid out like Cloud (/v1)",
            "https://airbyte.example.com/v1",
            { serverUrl: "https://airbyte.example.com", cloud: true, api: "public" },
        ],
        [
            "an unknown API version stays in the base",
            "http://localhost:8000/api/v2",
            { serverUrl: "http://localhost:8000/api/v2", cloud: false },
        ],
        [
            "the scheme and host in capitals",
            "HTTP://LocalHost:8000",
            { serverUrl: "http://localhost:8000", cloud: false },
        ],
        [
            "the default http port is dropped",
            "http://localhost:80/api/v1",
            { serverUrl: "http://localhost", cloud: false, api: "config" },
        ],
        [
            "the default https port is dropped",
            "https://airbyte.example.com:443",
            { serverUrl: "https://airbyte.example.com", cloud: false },
        ],
        ["an IPv6 host", "http://[::1]:8000/api/v1", { serverUrl: "http://[::1]:8000", cloud: false, api: "config" }],
        [
            "a full IPv6 address, compressed",
            "http://[2001:db8:0:0:0:0:0:1]:8000",
            { serverUrl: "http://[2001:db8::1]:8000", cloud: false },
        ],
        ["an IPv4 host", "http://10.0.0.5:8000/", { serverUrl: "http://10.0.0.5:8000", cloud: false }],
        [
            "a bare '?' (an empty query)",
            "http://localhost:8000/?",
            { serverUrl: "http://localhost:8000", cloud: false },
        ],
    ])("%s", (_name, raw, expected) => {
        expect(parseServerUrl(raw)).toEqual(expected);
    });

    test.each<[string, string, RegExp, string | undefined]>([
        // name, URL, message, a credential in the URL that must not be echoed
        [
            "a relative path",
            "/api/v1",
            /^airbyte:serverUrl must be an absolute http\(s\) URL such as "http:\/\/localhost:8000"; got "\/api\/v1"$/,
            undefined,
        ],
        ["an empty string", "", /^airbyte:serverUrl must be an absolute http\(s\) URL/, undefined],
        [
            "a host without a scheme",
            "localhost:8000",
            /^airbyte:serverUrl must use http or https; got "localhost:"$/,
            undefined,
        ],
        ["ftp", "ftp://airbyte.example.com", /^airbyte:serverUrl must use http or https; got "ftp:"$/, undefined],
        ["a file URL", "file:///etc/airbyte", /^airbyte:serverUrl must use http or https; got "file:"$/, undefined],
        [
            "a websocket URL",
            "wss://airbyte.example.com",
            /^airbyte:serverUrl must use http or https; got "wss:"$/,
            undefined,
        ],
        [
            "user and password",
            "http://admin:Url-Password-1@localhost:8000",
            /^airbyte:serverUrl must not contain credentials/,
            "Url-Password-1",
        ],
        ["a user only", "http://admin@localhost:8000", /^airbyte:serverUrl must not contain credentials/, undefined],
        [
            "a password only",
            "https://:Url-Password-2@airbyte.example.com",
            /^airbyte:serverUrl must not contain credentials/,
            "Url-Password-2",
        ],
        [
            "credentials in a URL that does not parse (a space in the host)",
            "http://admin:Url-Password-3@bad host:8000",
            /^airbyte:serverUrl must be an absolute http\(s\) URL .*; got "http:\/\/\*\*\*@bad host:8000"$/,
            "Url-Password-3",
        ],
        [
            "credentials in a URL that does not parse (port out of range)",
            "http://admin:Url-Password-4@localhost:99999",
            /^airbyte:serverUrl must be an absolute http\(s\) URL/,
            "Url-Password-4",
        ],
        [
            "credentials holding '@' and '/' in a URL that does not parse",
            "http://admin:Url/Pass@word-5@localhost:99999",
            /^airbyte:serverUrl must be an absolute http\(s\) URL/,
            "Pass@word-5",
        ],
        [
            "a query string",
            "http://localhost:8000?workspace=1",
            /^airbyte:serverUrl must not contain a query string or fragment$/,
            undefined,
        ],
        [
            "a fragment",
            "http://localhost:8000/#/workspaces",
            /^airbyte:serverUrl must not contain a query string or fragment$/,
            undefined,
        ],
        [
            "the Config API on Airbyte Cloud",
            "https://api.airbyte.com/api/v1",
            /^airbyte:serverUrl: Airbyte Cloud serves only its public API/,
            undefined,
        ],
    ])("refuses %s", (_name, raw, message, credential) => {
        const error = settingsError(() => parseServerUrl(raw));
        expect(error.message).toMatch(message);
        if (credential) expect(error.message).not.toContain(credential);
    });

    test("names the setting it is given", () => {
        expect(settingsError(() => parseServerUrl("ftp://x", "server.url")).message).toMatch(/^server\.url must use/);
    });
});

describe("readSettings", () => {
    test("without config or environment: the defaults", () => {
        expect(readSettings(undefined, {})).toStrictEqual<ServerSettings>({
            serverUrl: DEFAULT_SERVER_URL,
            serverUrlSource: "default",
            cloud: false,
            api: "auto",
            workspaceId: undefined,
            clientId: undefined,
            clientSecret: undefined,
            token: undefined,
            username: undefined,
            password: undefined,
            caBundle: undefined,
            insecureSkipTlsVerify: false,
            maxConcurrentRequests: undefined,
            requestTimeoutSeconds: undefined,
            retryLimit: undefined,
            adoptWithinMinutes: 60,
            serverReadyTimeoutSeconds: 120,
            maxFieldsPerConnection: 20_000,
            awsRegion: undefined,
            awsEndpoint: undefined,
        });
    });

    test.each<[string, Record<string, string>, Record<string, string>, Partial<ServerSettings>]>([
        // name, stack config, environment, expected settings
        [
            "server URL from config",
            { "airbyte:serverUrl": "http://config:8000" },
            {},
            { serverUrl: "http://config:8000", serverUrlSource: "config airbyte:serverUrl" },
        ],
        [
            "server URL from the environment",
            {},
            { AIRBYTE_SERVER_URL: "http://env:8000/api/v1" },
            { serverUrl: "http://env:8000", serverUrlSource: "environment variable AIRBYTE_SERVER_URL", api: "config" },
        ],
        [
            "config wins over the environment",
            { "airbyte:serverUrl": "http://config:8000" },
            { AIRBYTE_SERVER_URL: "http://env:8000" },
            { serverUrl: "http://config:8000", serverUrlSource: "config airbyte:serverUrl" },
        ],
        [
            "an empty config value falls back to the environment",
            { "airbyte:serverUrl": "" },
            { AIRBYTE_SERVER_URL: "http://env:8000" },
            { serverUrl: "http://env:8000", serverUrlSource: "environment variable AIRBYTE_SERVER_URL" },
        ],
        [
            "empty everywhere falls back to the default",
            { "airbyte:serverUrl": "" },
            { AIRBYTE_SERVER_URL: "" },
            { serverUrl: DEFAULT_SERVER_URL, serverUrlSource: "default" },
        ],
        [
            "a config 0 wins over an environment value (0 turns adoption off)",
            { "airbyte:adoptWithinMinutes": "0" },
            { AIRBYTE_ADOPT_WITHIN_MINUTES: "30" },
            { adoptWithinMinutes: 0 },
        ],
        [
            "a config false wins over an environment true",
            { "airbyte:insecureSkipTlsVerify": "false" },
            { AIRBYTE_INSECURE_SKIP_TLS_VERIFY: "true" },
            { insecureSkipTlsVerify: false },
        ],
        [
            "numbers from the environment",
            {},
            {
                AIRBYTE_MAX_CONCURRENT_REQUESTS: "4",
                AIRBYTE_REQUEST_TIMEOUT_SECONDS: "90",
                AIRBYTE_RETRY_LIMIT: "3",
                AIRBYTE_SERVER_READY_TIMEOUT_SECONDS: "0",
                AIRBYTE_MAX_FIELDS_PER_CONNECTION: "500",
            },
            {
                maxConcurrentRequests: 4,
                requestTimeoutSeconds: 90,
                retryLimit: 3,
                serverReadyTimeoutSeconds: 0,
                maxFieldsPerConnection: 500,
            },
        ],
        [
            "workspace, AWS region and endpoint, each from its own source",
            { "airbyte:workspaceId": WORKSPACE, "airbyte:awsRegion": "eu-west-1" },
            { AIRBYTE_AWS_REGION: "us-east-1", AIRBYTE_AWS_ENDPOINT: "http://localhost:5000" },
            { workspaceId: WORKSPACE, awsRegion: "eu-west-1", awsEndpoint: "http://localhost:5000" },
        ],
        ["the API from the environment", {}, { AIRBYTE_API: "public" }, { api: "public" }],
        [
            "credentials from config and environment together (one method)",
            { "airbyte:clientId": "client-1" },
            { AIRBYTE_CLIENT_SECRET: "Env-Client-Secret" },
            { clientId: "client-1", clientSecret: "Env-Client-Secret" },
        ],
    ])("%s", (_name, config, env, expected) => {
        expect(readSettings(lookup(config), env)).toMatchObject(expected);
    });

    test.each<[string, string, boolean]>([
        ["true", "true", true],
        ["TRUE", "TRUE", true],
        ["1", "1", true],
        ["yes", "yes", true],
        ["Yes", "Yes", true],
        ["false", "false", false],
        ["False", "False", false],
        ["0", "0", false],
        ["no", "no", false],
        ["NO", "NO", false],
    ])("boolean %s -> %p", (_name, raw, expected) => {
        expect(readSettings(lookup({ "airbyte:insecureSkipTlsVerify": raw }), {}).insecureSkipTlsVerify).toBe(expected);
        expect(readSettings(lookup({ "airbyte:cloud": raw }), {}).cloud).toBe(expected);
    });

    test.each<[string, Record<string, string>, RegExp, string | undefined]>([
        // name, stack config, message, a credential that must not be echoed
        [
            "a boolean 'on'",
            { "airbyte:insecureSkipTlsVerify": "on" },
            /^airbyte:insecureSkipTlsVerify must be true or false; got "on"$/,
            undefined,
        ],
        [
            "a boolean with a space",
            { "airbyte:insecureSkipTlsVerify": " true" },
            /^airbyte:insecureSkipTlsVerify must be true or false/,
            undefined,
        ],
        ["cloud 'y'", { "airbyte:cloud": "y" }, /^airbyte:cloud must be true or false; got "y"$/, undefined],
        [
            "zero concurrent requests",
            { "airbyte:maxConcurrentRequests": "0" },
            /^airbyte:maxConcurrentRequests must be a positive integer; got "0"$/,
            undefined,
        ],
        [
            "a negative timeout",
            { "airbyte:requestTimeoutSeconds": "-1" },
            /^airbyte:requestTimeoutSeconds must be a positive integer; got "-1"$/,
            undefined,
        ],
        [
            "a fractional retry limit",
            { "airbyte:retryLimit": "2.5" },
            /^airbyte:retryLimit must be a positive integer; got "2.5"$/,
            undefined,
        ],
        [
            "a word for a number",
            { "airbyte:retryLimit": "three" },
            /^airbyte:retryLimit must be a positive integer/,
            undefined,
        ],
        [
            "exponent notation for a count",
            { "airbyte:retryLimit": "1e3" },
            /^airbyte:retryLimit must be a positive integer; got "1e3"$/,
            undefined,
        ],
        [
            "hexadecimal for a count",
            { "airbyte:maxConcurrentRequests": "0x10" },
            /^airbyte:maxConcurrentRequests must be a positive integer; got "0x10"$/,
            undefined,
        ],
        [
            "exponent notation for minutes",
            { "airbyte:adoptWithinMinutes": "5e1" },
            /^airbyte:adoptWithinMinutes must be a whole number of minutes \(0 turns it off\); got "5e1"$/,
            undefined,
        ],
        [
            "negative adoption minutes",
            { "airbyte:adoptWithinMinutes": "-5" },
            /^airbyte:adoptWithinMinutes must be a whole number of minutes \(0 turns it off\); got "-5"$/,
            undefined,
        ],
        [
            "fractional ready-timeout seconds",
            { "airbyte:serverReadyTimeoutSeconds": "1.5" },
            /^airbyte:serverReadyTimeoutSeconds must be a whole number of seconds/,
            undefined,
        ],
        [
            "a word for the field limit",
            { "airbyte:maxFieldsPerConnection": "lots" },
            /^airbyte:maxFieldsPerConnection must be a whole number of fields/,
            undefined,
        ],
        [
            "a workspace name for its id",
            { "airbyte:workspaceId": "default" },
            /^airbyte:workspaceId must be a workspace UUID; got "default"$/,
            undefined,
        ],
        [
            "a token with a trailing newline",
            { "airbyte:token": "Token-Value-1\n" },
            /^airbyte:token contains whitespace or control characters/,
            "Token-Value-1",
        ],
        [
            "a token smuggling a header",
            { "airbyte:token": "Token-Value-2\r\nX-Admin: 1" },
            /^airbyte:token contains whitespace or control characters/,
            "Token-Value-2",
        ],
        [
            "a client secret as JSON that is no reference",
            { "airbyte:clientId": "c", "airbyte:clientSecret": '{"value": "Secret-In-Json-3"}' },
            /^airbyte:clientSecret is a JSON object but not a Secrets Manager reference/,
            "Secret-In-Json-3",
        ],
        [
            "a reference with an unknown field",
            {
                "airbyte:clientId": "c",
                "airbyte:clientSecret": '{"secretsManager": {"secretId": "airbyte/client", "stage": "AWSCURRENT"}}',
            },
            /^airbyte:clientSecret is a Secrets Manager reference with problems: secretsManager\.stage unknown field/,
            undefined,
        ],
        [
            "a password reference without a secretId",
            { "airbyte:username": "u", "airbyte:password": '{"secretsManager": {"secretId": ""}}' },
            /^airbyte:password is a Secrets Manager reference with problems: secretsManager\.secretId must be a non-empty string/,
            undefined,
        ],
        [
            "a client id without its secret",
            { "airbyte:clientId": "client-1" },
            /clientId and clientSecret go together/,
            undefined,
        ],
        [
            "a client secret without its id",
            { "airbyte:clientSecret": "Lonely-Secret-4" },
            /clientId and clientSecret go together/,
            "Lonely-Secret-4",
        ],
        [
            "a username without a password",
            { "airbyte:username": "airbyte" },
            /username and password go together/,
            undefined,
        ],
        [
            "a password without a username",
            { "airbyte:password": "Lonely-Password-5" },
            /username and password go together/,
            "Lonely-Password-5",
        ],
        [
            "a token and client credentials",
            { "airbyte:token": "Token-Value-6", "airbyte:clientId": "c", "airbyte:clientSecret": "Client-Secret-7" },
            /set only one of clientId\/clientSecret, token \(Airbyte accepts one authentication method\)/,
            "Client-Secret-7",
        ],
        [
            "a token and basic auth",
            { "airbyte:token": "Token-Value-8", "airbyte:username": "u", "airbyte:password": "Basic-Password-9" },
            /set only one of token, username\/password/,
            "Basic-Password-9",
        ],
        [
            "a server URL with a password",
            { "airbyte:serverUrl": "https://admin:Url-Password-10@airbyte.example.com" },
            /^config airbyte:serverUrl must not contain credentials/,
            "Url-Password-10",
        ],
        [
            "an unparseable server URL with a password",
            { "airbyte:serverUrl": "https://admin:Url-Password-11@airbyte example.com" },
            /^config airbyte:serverUrl must be an absolute http\(s\) URL/,
            "Url-Password-11",
        ],
    ])("refuses %s", (_name, config, message, credential) => {
        const error = settingsError(() => readSettings(lookup(config), {}));
        expect(error.message).toMatch(message);
        if (credential) expect(error.message).not.toContain(credential);
    });

    test("the same refusal when the value comes from the environment, naming the config key", () => {
        const error = settingsError(() => readSettings(undefined, { AIRBYTE_RETRY_LIMIT: "0" }));
        expect(error.message).toBe('airbyte:retryLimit must be a positive integer; got "0"');
    });

    test.each<[string, Record<string, string>, Partial<ServerSettings>]>([
        [
            "a literal client secret",
            { "airbyte:clientId": "c", "airbyte:clientSecret": "Plain-Secret" },
            { clientSecret: "Plain-Secret" },
        ],
        [
            "a literal that starts with '{' but is not JSON",
            { "airbyte:clientId": "c", "airbyte:clientSecret": "{not-json" },
            { clientSecret: "{not-json" },
        ],
        [
            "a Secrets Manager reference",
            {
                "airbyte:clientId": "c",
                "airbyte:clientSecret": ' {"secretsManager": {"secretId": "airbyte/client", "key": "secret"}}',
            },
            { clientSecret: { secretsManager: { secretId: "airbyte/client", key: "secret" } } },
        ],
        ["a token", { "airbyte:token": "abc.def.ghi" }, { token: "abc.def.ghi" }],
        [
            "basic auth",
            { "airbyte:username": "airbyte", "airbyte:password": "Basic-Pw" },
            { username: "airbyte", password: "Basic-Pw" },
        ],
    ])("accepts %s", (_name, config, expected) => {
        expect(readSettings(lookup(config), {})).toMatchObject(expected);
    });

    test.each<[string, Record<string, string>, string]>([
        [
            "client secret",
            { "airbyte:clientId": "c", "airbyte:clientSecret": "Registered-Secret-1" },
            "Registered-Secret-1",
        ],
        ["token", { "airbyte:token": "Registered-Token-2" }, "Registered-Token-2"],
        ["password", { "airbyte:username": "u", "airbyte:password": "Registered-Password-3" }, "Registered-Password-3"],
        [
            "secret that looks like JSON but is none",
            { "airbyte:clientId": "c", "airbyte:clientSecret": "{Registered-4" },
            "{Registered-4",
        ],
    ])("a literal %s is registered with the redactor", (_name, config, secret) => {
        expect(redact(`value: ${secret}`)).toBe(`value: ${secret}`); // not known before
        readSettings(lookup(config), {});
        expect(redact(`value: ${secret}`)).toBe("value: [redacted]");
    });
});

describe("readSettings: airbyte:api and the server URL", () => {
    test.each<[string, Record<string, string>, "auto" | "config" | "public", boolean]>([
        // name, stack config, api, cloud
        ["unset, with a base URL: auto", {}, "auto", false],
        ["unset, the URL names the Config API", { "airbyte:serverUrl": "http://h:8000/api/v1" }, "config", false],
        [
            "unset, the URL names the public API",
            { "airbyte:serverUrl": "http://h:8000/api/public/v1" },
            "public",
            false,
        ],
        ["config with a base URL", { "airbyte:api": "config" }, "config", false],
        ["public with a base URL", { "airbyte:api": "public" }, "public", false],
        ["the same API in both", { "airbyte:api": "config", "airbyte:serverUrl": "http://h/api/v1" }, "config", false],
        [
            "an explicit auto is kept even when the URL names an API",
            { "airbyte:api": "auto", "airbyte:serverUrl": "http://h/api/v1" },
            "auto",
            false,
        ],
        ["Cloud's URL: public and cloud", { "airbyte:serverUrl": "https://api.airbyte.com/v1" }, "public", true],
        ["Cloud's base URL: auto, cloud", { "airbyte:serverUrl": "https://api.airbyte.com" }, "auto", true],
        [
            "airbyte:cloud on another host",
            { "airbyte:cloud": "true", "airbyte:serverUrl": "https://gw.example.com" },
            "auto",
            true,
        ],
        [
            "airbyte:cloud false cannot undo Cloud's host",
            { "airbyte:cloud": "false", "airbyte:serverUrl": "https://api.airbyte.com" },
            "auto",
            true,
        ],
    ])("%s", (_name, config, api, cloud) => {
        expect(readSettings(lookup(config), {})).toMatchObject({ api, cloud });
    });

    test.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
        [
            "an unknown API",
            { "airbyte:api": "graphql" },
            {},
            /^airbyte:api must be one of auto, config, public; got "graphql"$/,
        ],
        [
            "an API in capitals (the choice is case-sensitive)",
            { "airbyte:api": "Config" },
            {},
            /^airbyte:api must be one of auto, config, public; got "Config"$/,
        ],
        [
            "config on Cloud's host",
            { "airbyte:api": "config", "airbyte:serverUrl": "https://api.airbyte.com" },
            {},
            /^airbyte:api is "config", but Airbyte Cloud serves only its public API; use "public" or "auto"$/,
        ],
        [
            "config with airbyte:cloud",
            { "airbyte:api": "config", "airbyte:cloud": "yes" },
            {},
            /^airbyte:api is "config", but Airbyte Cloud serves only its public API/,
        ],
        [
            "config, but the URL names the public API",
            { "airbyte:api": "config", "airbyte:serverUrl": "http://h/api/public/v1" },
            {},
            /^airbyte:api is "config", but config airbyte:serverUrl points at the public API \(\/api\/public\/v1\); give the server's base URL, or make them agree$/,
        ],
        [
            "public, but the environment's URL names the Config API",
            { "airbyte:api": "public" },
            { AIRBYTE_SERVER_URL: "http://h/api/v1" },
            /^airbyte:api is "public", but environment variable AIRBYTE_SERVER_URL points at the Config API \(\/api\/v1\)/,
        ],
    ])("refuses %s", (_name, config, env, message) => {
        expect(settingsError(() => readSettings(lookup(config), env)).message).toMatch(message);
    });
});

describe("readSettings: airbyte:caBundle", () => {
    test.each<[string, () => string, string]>([
        ["PEM text", () => CA_PEM, CA_PEM],
        ["PEM text after other text (a comment line)", () => `# our CA\n${CA_PEM}`, `# our CA\n${CA_PEM}`],
        ["the path of a PEM file: its contents", () => join(dir, "ca.pem"), CA_PEM],
        ["the path with surrounding spaces", () => `  ${join(dir, "ca.pem")}\n`, CA_PEM],
    ])("accepts %s", (_name, raw, expected) => {
        expect(readSettings(lookup({ "airbyte:caBundle": raw() }), {}).caBundle).toBe(expected);
    });

    test.each<[string, () => Record<string, string>, RegExp]>([
        [
            "a path that does not exist",
            () => ({ "airbyte:caBundle": join(dir, "missing.pem") }),
            /^airbyte:caBundle must be PEM text \("-----BEGIN CERTIFICATE-----\.\.\."\) or the path of a PEM file; cannot read the file ".*missing\.pem" \(ENOENT\)$/,
        ],
        [
            "a directory",
            () => ({ "airbyte:caBundle": dir }),
            /^airbyte:caBundle must be PEM text .*cannot read the file .* \(EISDIR\)$/,
        ],
        [
            "a file without a certificate",
            () => ({ "airbyte:caBundle": join(dir, "notes.txt") }),
            /^airbyte:caBundle \(file ".*notes\.txt"\) holds no PEM certificate/,
        ],
        [
            "PEM text of something else",
            () => ({ "airbyte:caBundle": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }),
            /^airbyte:caBundle holds no PEM certificate/,
        ],
        [
            "a corrupt certificate",
            () => ({ "airbyte:caBundle": "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----" }),
            /^airbyte:caBundle: certificate 1 of 1 is not a valid X\.509 certificate/,
        ],
        [
            "a corrupt second certificate",
            () => ({
                "airbyte:caBundle": `${CA_PEM}-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----`,
            }),
            /^airbyte:caBundle: certificate 2 of 2 is not a valid X\.509 certificate/,
        ],
        [
            "a private key next to the certificate",
            () => ({
                "airbyte:caBundle": `${CA_PEM}-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`,
            }),
            /^airbyte:caBundle contains a private key; give only the CA certificate\(s\)$/,
        ],
        [
            "an EC private key",
            () => ({ "airbyte:caBundle": `-----BEGIN EC PRIVATE KEY-----\n${KEY_BODY}\n-----END EC PRIVATE KEY-----` }),
            /^airbyte:caBundle contains a private key/,
        ],
        [
            "a CA bundle and insecureSkipTlsVerify",
            () => ({ "airbyte:caBundle": CA_PEM, "airbyte:insecureSkipTlsVerify": "true" }),
            /^set either airbyte:caBundle \(trust a private CA\) or airbyte:insecureSkipTlsVerify \(no verification at all\), not both$/,
        ],
    ])("refuses %s", (_name, config, message) => {
        const error = settingsError(() => readSettings(lookup(config()), {}));
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain(KEY_BODY);
    });
});

describe("checkHeaderValue", () => {
    test.each<[string, string]>([
        ["a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl"],
        ["base64 with padding", "dG9rZW4tdmFsdWU="],
        ["token punctuation", "abc_DEF-123.~+/="],
    ])("passes %s through unchanged", (_name, value) => {
        expect(checkHeaderValue(value, "airbyte:token")).toBe(value);
    });

    test.each<[string, string]>([
        ["a trailing newline", "Header-Token-1\n"],
        ["a trailing CR LF", "Header-Token-2\r\n"],
        ["an injected header", "Header-Token-3\r\nX-Admin: 1"],
        ["a space inside", "Header Token-4"],
        ["a leading space", " Header-Token-5"],
        ["a tab", "Header-Token-6\t"],
        ["a NUL byte", "Header-Token-7\u0000"],
        ["DEL", "Header-Token-8\u007f"],
        ["an escape character", "Header-Token-9\u001b[0m"],
        ["a no-break space", "Header-Token-10\u00a0"],
        ["a line separator", "Header-Token-11\u2028"],
    ])("refuses %s, naming the setting and never echoing the value", (_name, value) => {
        const error = settingsError(() => checkHeaderValue(value, "airbyte:profiles.prod.token"));
        expect(error.message).toBe(
            "airbyte:profiles.prod.token contains whitespace or control characters (e.g. a trailing newline); it is sent in an HTTP header and must be a single token",
        );
        expect(error.message).not.toContain(value.trim().slice(0, 12));
    });
});

describe("settingsFor: a resource's server override and airbyte:profiles", () => {
    const base = () => readSettings(lookup({ "airbyte:serverUrl": "http://main:8000" }), {});
    const profiles = (value: unknown) =>
        lookup({ "airbyte:profiles": typeof value === "string" ? value : JSON.stringify(value) });

    test.each<[string, { url: string; profile?: string }, ConfigLookup | undefined, RegExp, string | undefined]>([
        // name, override, config, message, a credential that must not be echoed
        [
            "a profile when none is configured",
            { url: "http://other:8000", profile: "prod" },
            undefined,
            /^server\.profile "prod" is not defined in airbyte:profiles \(no profiles are configured\)$/,
            undefined,
        ],
        [
            "an undefined profile",
            { url: "http://other:8000", profile: "prod" },
            profiles({ dev: {}, test: {} }),
            /^server\.profile "prod" is not defined in airbyte:profiles \(defined: dev, test\)$/,
            undefined,
        ],
        [
            "profiles that are not JSON",
            { url: "http://other:8000", profile: "prod" },
            profiles('{"prod": {"password": "Profile-Secret-1"'),
            /^airbyte:profiles must be a JSON object of named credential profiles$/,
            "Profile-Secret-1",
        ],
        [
            "profiles that are an array",
            { url: "http://other:8000", profile: "prod" },
            profiles([{ token: "Profile-Token-2" }]),
            /^airbyte:profiles must be a JSON object/,
            "Profile-Token-2",
        ],
        [
            "a profile that is not an object",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: "Profile-Secret-3" }),
            /^airbyte:profiles\.prod must be an object$/,
            "Profile-Secret-3",
        ],
        [
            "a profile with an unknown key",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: { secret: "Profile-Secret-4" } }),
            /^airbyte:profiles\.prod\.secret is not a profile setting; allowed: clientId, clientSecret, token, username, password, api$/,
            "Profile-Secret-4",
        ],
        [
            "a profile with an unknown API",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: { api: "soap" } }),
            /^airbyte:profiles\.prod\.api must be one of auto, config, public$/,
            undefined,
        ],
        [
            "a profile secret that is a number",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: { clientId: "c", clientSecret: 12345678 } }),
            /^airbyte:profiles\.prod\.clientSecret must be a string or a Secrets Manager reference$/,
            undefined,
        ],
        [
            "a profile token with a newline",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: { token: "Profile-Token-5\n" } }),
            /^airbyte:profiles\.prod\.token contains whitespace or control characters/,
            "Profile-Token-5",
        ],
        [
            "a profile with a client secret only",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: { clientSecret: "Profile-Secret-6" } }),
            /^airbyte:profiles\.prod: clientId and clientSecret go together/,
            "Profile-Secret-6",
        ],
        [
            "a profile reference with problems",
            { url: "http://other:8000", profile: "prod" },
            profiles({ prod: { token: { secretsManager: { secretId: "t", versionId: "v1" } } } }),
            /^airbyte:profiles\.prod\.token is a Secrets Manager reference with problems: secretsManager\.versionId is recorded by the provider/,
            undefined,
        ],
        [
            "a server.url that is not http",
            { url: "ftp://other" },
            undefined,
            /^server\.url must use http or https; got "ftp:"$/,
            undefined,
        ],
        [
            "a server.url with credentials",
            { url: "http://u:Override-Password-7@other" },
            undefined,
            /^server\.url must not contain credentials/,
            "Override-Password-7",
        ],
        [
            "an unparseable server.url with credentials",
            { url: "http://u:Override-Password-8@other host" },
            undefined,
            /^server\.url must be an absolute http\(s\) URL/,
            "Override-Password-8",
        ],
    ])("refuses %s", (_name, override, config, message, credential) => {
        const error = settingsError(() => settingsFor(base(), override, config, {}));
        expect(error.message).toMatch(message);
        if (credential) expect(error.message).not.toContain(credential);
    });
});
