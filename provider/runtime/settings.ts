/**
 * Provider settings: where the Airbyte server is and how to authenticate.
 *
 * Sources, most specific first:
 * 1. a resource's `server` override (for stacks that manage two Airbyte instances), whose
 *    credentials come from a named profile in stack config, never from resource inputs;
 * 2. stack config read through the dynamic provider's `configure` (`airbyte:serverUrl`, ...);
 * 3. environment variables (`AIRBYTE_SERVER_URL`, ...);
 * 4. defaults (`http://localhost:8000`, the port abctl and the local emulator use).
 *
 * Credentials are kept in the provider process only; outputs record the server URL, never
 * credentials.
 */
import { BACKEND_NAMES, type BackendName } from "../client/backends";
import type { AuthSettings } from "../client/auth";
import type { TransportSettings } from "../client/transport";
import { registerSecret } from "../redact";
import { isSecretsManagerReference } from "../secrets/reference";
import {
    checkedReference,
    checkHeaderValue,
    CLOUD_API_HOST,
    CredentialValue,
    parseBoolean,
    parseCaBundle,
    parseCredential,
    parseNonNegativeInt,
    parsePositiveInt,
    parseServerUrl,
    SettingsError,
} from "./setting-values";
import { isUuid } from "./values";

// What other modules import from here, wherever it is defined.
export { checkHeaderValue, CLOUD_API_HOST, type CredentialValue, parseServerUrl, SettingsError };

export const DEFAULT_SERVER_URL = "http://localhost:8000";

/** What `configure` hands over: a lookup of stack config values (strings; secrets decrypted). */
export type ConfigLookup = (key: string) => string | undefined;

/** The config keys, each with its environment fallback. */
export const SETTINGS = {
    serverUrl: { config: "airbyte:serverUrl", env: "AIRBYTE_SERVER_URL" },
    workspaceId: { config: "airbyte:workspaceId", env: "AIRBYTE_WORKSPACE_ID" },
    clientId: { config: "airbyte:clientId", env: "AIRBYTE_CLIENT_ID" },
    clientSecret: { config: "airbyte:clientSecret", env: "AIRBYTE_CLIENT_SECRET" },
    token: { config: "airbyte:token", env: "AIRBYTE_TOKEN" },
    username: { config: "airbyte:username", env: "AIRBYTE_USERNAME" },
    password: { config: "airbyte:password", env: "AIRBYTE_PASSWORD" },
    caBundle: { config: "airbyte:caBundle", env: "AIRBYTE_CA_BUNDLE" },
    insecureSkipTlsVerify: { config: "airbyte:insecureSkipTlsVerify", env: "AIRBYTE_INSECURE_SKIP_TLS_VERIFY" },
    maxConcurrentRequests: { config: "airbyte:maxConcurrentRequests", env: "AIRBYTE_MAX_CONCURRENT_REQUESTS" },
    requestTimeoutSeconds: { config: "airbyte:requestTimeoutSeconds", env: "AIRBYTE_REQUEST_TIMEOUT_SECONDS" },
    retryLimit: { config: "airbyte:retryLimit", env: "AIRBYTE_RETRY_LIMIT" },
    adoptWithinMinutes: { config: "airbyte:adoptWithinMinutes", env: "AIRBYTE_ADOPT_WITHIN_MINUTES" },
    api: { config: "airbyte:api", env: "AIRBYTE_API" },
    cloud: { config: "airbyte:cloud", env: "AIRBYTE_CLOUD" },
    serverReadyTimeoutSeconds: {
        config: "airbyte:serverReadyTimeoutSeconds",
        env: "AIRBYTE_SERVER_READY_TIMEOUT_SECONDS",
    },
    maxFieldsPerConnection: { config: "airbyte:maxFieldsPerConnection", env: "AIRBYTE_MAX_FIELDS_PER_CONNECTION" },
    profiles: { config: "airbyte:profiles", env: "AIRBYTE_PROFILES" },
    awsRegion: { config: "airbyte:awsRegion", env: "AIRBYTE_AWS_REGION" },
    awsEndpoint: { config: "airbyte:awsEndpoint", env: "AIRBYTE_AWS_ENDPOINT" },
} as const;

export type SettingName = keyof typeof SETTINGS;

/** Credentials of one server, before Secrets Manager references are resolved. */
export interface CredentialSettings {
    /** Not secret, but it may live in Secrets Manager next to the secret (an instance writing both at install). */
    clientId?: CredentialValue;
    clientSecret?: CredentialValue;
    token?: CredentialValue;
    username?: string;
    password?: CredentialValue;
}

/** `airbyte:api`: which of Airbyte's APIs to speak. */
export type ApiChoice = BackendName | "auto";
export const API_CHOICES: readonly ApiChoice[] = ["auto", ...BACKEND_NAMES];

export interface ServerSettings extends CredentialSettings {
    /** The server's identity in state: its base URL without any API path (`http://localhost:8000`, `https://api.airbyte.com`). */
    serverUrl: string;
    /** Where the URL came from, for messages. */
    serverUrlSource: string;
    /** Airbyte Cloud (or a server laid out like it): only the public API, under `/v1`. */
    cloud: boolean;
    /** `airbyte:api` (default `auto`), or the API the URL's path named (`/api/v1`, `/api/public/v1`). */
    api: ApiChoice;
    workspaceId?: string;
    /** PEM text of extra certificate authorities (`airbyte:caBundle` holds PEM text or a path to a PEM file). */
    caBundle?: string;
    insecureSkipTlsVerify: boolean;
    maxConcurrentRequests?: number;
    requestTimeoutSeconds?: number;
    retryLimit?: number;
    /**
     * Create-time reconciliation window: before creating, an unclaimed object this stack would
     * have made, created less than this many minutes ago, is adopted instead (recovery from an
     * interrupted `pulumi up`; see actor-provider.ts). 0 turns it off. Default 60.
     */
    adoptWithinMinutes: number;
    /**
     * How long `pulumi up`, `refresh` and `destroy` wait for a server that does not answer yet
     * (being installed, restarting), and for credentials in Secrets Manager that are not
     * there yet. 0 turns the wait off. Default 120.
     */
    serverReadyTimeoutSeconds: number;
    /**
     * The selected-field limit per connection that `check` enforces (Airbyte's `CatalogValidator`
     * refuses more with a 400; the server default is 20000). 0 turns the check off.
     */
    maxFieldsPerConnection: number;
    awsRegion?: string;
    awsEndpoint?: string;
}

/** A resource's `server` input. */
export interface ServerOverride {
    url: string;
    /** Name of an entry of the `airbyte:profiles` config holding this server's credentials. */
    profile?: string;
    workspaceId?: string;
}

/**
 * `airbyte:api`. Unset, it is `auto`, unless the server URL names an API (`.../api/v1`,
 * `.../api/public/v1`). Airbyte Cloud has only the public API.
 */
function parseApiChoice(
    raw: string | undefined,
    fromUrl: BackendName | undefined,
    cloud: boolean,
    urlSource: string,
): ApiChoice {
    if (raw !== undefined && raw !== "" && !(API_CHOICES as readonly string[]).includes(raw)) {
        throw new SettingsError(`${SETTINGS.api.config} must be one of ${API_CHOICES.join(", ")}; got "${raw}"`);
    }
    const choice = (raw || undefined) as ApiChoice | undefined;
    if (cloud && choice === "config")
        throw new SettingsError(
            `${SETTINGS.api.config} is "config", but Airbyte Cloud serves only its public API; use "public" or "auto"`,
        );
    if (choice && choice !== "auto" && fromUrl && choice !== fromUrl) {
        throw new SettingsError(
            `${SETTINGS.api.config} is "${choice}", but ${urlSource} points at the ${fromUrl === "config" ? "Config API (/api/v1)" : "public API (/api/public/v1)"}; give the server's base URL, or make them agree`,
        );
    }
    return choice ?? fromUrl ?? "auto";
}

/** Reads provider settings from stack config (via `configure`) and the environment. */
export function readSettings(config: ConfigLookup | undefined, env: NodeJS.ProcessEnv = process.env): ServerSettings {
    const get = (name: SettingName): { value?: string; source: string } => {
        const { config: key, env: envName } = SETTINGS[name];
        const fromConfig = config?.(key);
        if (fromConfig !== undefined && fromConfig !== "") return { value: fromConfig, source: `config ${key}` };
        const fromEnv = env[envName];
        if (fromEnv !== undefined && fromEnv !== "")
            return { value: fromEnv, source: `environment variable ${envName}` };
        return { source: "default" };
    };
    const url = get("serverUrl");
    const address = parseServerUrl(url.value ?? DEFAULT_SERVER_URL, url.value ? url.source : "the default server URL");
    const cloud = address.cloud || (parseBoolean(get("cloud").value, SETTINGS.cloud.config) ?? false);
    const api = parseApiChoice(get("api").value, address.api, cloud, url.value ? url.source : "the default server URL");
    const workspaceId = get("workspaceId").value;
    if (workspaceId !== undefined && !isUuid(workspaceId))
        throw new SettingsError(
            `${SETTINGS.workspaceId.config} must be a workspace UUID; got ${JSON.stringify(workspaceId)}`,
        );
    const token = parseCredential(get("token").value, SETTINGS.token.config);
    if (typeof token === "string") checkHeaderValue(token, SETTINGS.token.config);
    const settings: ServerSettings = {
        serverUrl: address.serverUrl,
        serverUrlSource: url.value ? url.source : "default",
        cloud,
        api,
        workspaceId,
        clientId: parseCredential(get("clientId").value, SETTINGS.clientId.config, false),
        clientSecret: parseCredential(get("clientSecret").value, SETTINGS.clientSecret.config),
        token,
        username: get("username").value,
        password: parseCredential(get("password").value, SETTINGS.password.config),
        caBundle: parseCaBundle(get("caBundle").value, SETTINGS.caBundle.config),
        insecureSkipTlsVerify:
            parseBoolean(get("insecureSkipTlsVerify").value, SETTINGS.insecureSkipTlsVerify.config) ?? false,
        maxConcurrentRequests: parsePositiveInt(
            get("maxConcurrentRequests").value,
            SETTINGS.maxConcurrentRequests.config,
        ),
        requestTimeoutSeconds: parsePositiveInt(
            get("requestTimeoutSeconds").value,
            SETTINGS.requestTimeoutSeconds.config,
        ),
        retryLimit: parsePositiveInt(get("retryLimit").value, SETTINGS.retryLimit.config),
        adoptWithinMinutes:
            parseNonNegativeInt(get("adoptWithinMinutes").value, SETTINGS.adoptWithinMinutes.config) ?? 60,
        serverReadyTimeoutSeconds:
            parseNonNegativeInt(
                get("serverReadyTimeoutSeconds").value,
                SETTINGS.serverReadyTimeoutSeconds.config,
                "seconds",
            ) ?? 120,
        maxFieldsPerConnection:
            parseNonNegativeInt(
                get("maxFieldsPerConnection").value,
                SETTINGS.maxFieldsPerConnection.config,
                "fields",
            ) ?? 20_000,
        awsRegion: get("awsRegion").value,
        awsEndpoint: get("awsEndpoint").value,
    };
    if (settings.caBundle && settings.insecureSkipTlsVerify) {
        throw new SettingsError(
            `set either ${SETTINGS.caBundle.config} (trust a private CA) or ${SETTINGS.insecureSkipTlsVerify.config} (no verification at all), not both`,
        );
    }
    validateAuthCombination(settings, "provider settings");
    return settings;
}

function validateAuthCombination(settings: CredentialSettings, where: string): void {
    const modes = [
        settings.clientId || settings.clientSecret ? "clientId/clientSecret" : undefined,
        settings.token ? "token" : undefined,
        settings.username || settings.password ? "username/password" : undefined,
    ].filter(Boolean);
    if (modes.length > 1)
        throw new SettingsError(
            `${where}: set only one of ${modes.join(", ")} (Airbyte accepts one authentication method)`,
        );
    if ((settings.clientId && !settings.clientSecret) || (!settings.clientId && settings.clientSecret)) {
        throw new SettingsError(`${where}: clientId and clientSecret go together; one of them is missing`);
    }
    if ((settings.username && !settings.password) || (!settings.username && settings.password)) {
        throw new SettingsError(`${where}: username and password go together; one of them is missing`);
    }
}

/** Parses the `airbyte:profiles` config: `{ "<name>": { clientId, clientSecret, token, username, password } }`. */
/** An `airbyte:profiles` entry: credentials of another server, and optionally the API to use there. */
interface ProfileSettings extends CredentialSettings {
    api?: ApiChoice;
}

function readProfiles(config: ConfigLookup | undefined, env: NodeJS.ProcessEnv): Record<string, ProfileSettings> {
    const raw = config?.(SETTINGS.profiles.config) ?? env[SETTINGS.profiles.env];
    if (!raw) return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        throw new SettingsError(`${SETTINGS.profiles.config} must be a JSON object of named credential profiles`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new SettingsError(`${SETTINGS.profiles.config} must be a JSON object of named credential profiles`);
    }
    const profiles: Record<string, ProfileSettings> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, Record<string, unknown>>)) {
        const where = `${SETTINGS.profiles.config}.${name}`;
        if (typeof value !== "object" || value === null) throw new SettingsError(`${where} must be an object`);
        const allowed = ["clientId", "clientSecret", "token", "username", "password", "api"];
        for (const key of Object.keys(value)) {
            if (!allowed.includes(key))
                throw new SettingsError(`${where}.${key} is not a profile setting; allowed: ${allowed.join(", ")}`);
        }
        const credential = (key: string, secret = true): CredentialValue | undefined => {
            const v = value[key];
            if (v === undefined || v === null) return undefined;
            if (isSecretsManagerReference(v)) return checkedReference(v, `${where}.${key}`);
            if (typeof v !== "string")
                throw new SettingsError(`${where}.${key} must be a string or a Secrets Manager reference`);
            if (secret) registerSecret(v);
            if (key === "token") checkHeaderValue(v, `${where}.token`);
            return v;
        };
        if (value.api !== undefined && !(API_CHOICES as readonly unknown[]).includes(value.api)) {
            throw new SettingsError(`${where}.api must be one of ${API_CHOICES.join(", ")}`);
        }
        const profile: ProfileSettings = {
            clientId: credential("clientId", false),
            clientSecret: credential("clientSecret"),
            token: credential("token"),
            username: typeof value.username === "string" ? value.username : undefined,
            password: credential("password"),
            ...(value.api !== undefined ? { api: value.api as ApiChoice } : {}),
        };
        validateAuthCombination(profile, where);
        profiles[name] = profile;
    }
    return profiles;
}

/**
 * The settings a resource uses: the provider's, or its `server` override. An override that
 * names the provider's own server reuses its credentials; another server needs a profile
 * (or runs unauthenticated).
 */
export function settingsFor(
    base: ServerSettings,
    override: ServerOverride | undefined,
    config: ConfigLookup | undefined,
    env: NodeJS.ProcessEnv = process.env,
): ServerSettings {
    if (!override) return base;
    const address = parseServerUrl(override.url, "server.url");
    const serverUrl = address.serverUrl;
    const sameServer = serverUrl === base.serverUrl;
    let credentials: ProfileSettings = {};
    if (override.profile) {
        const profiles = readProfiles(config, env);
        const profile = profiles[override.profile];
        if (!profile) {
            const names = Object.keys(profiles);
            throw new SettingsError(
                `server.profile "${override.profile}" is not defined in ${SETTINGS.profiles.config}${names.length ? ` (defined: ${names.join(", ")})` : " (no profiles are configured)"}`,
            );
        }
        credentials = profile;
    } else if (sameServer) {
        credentials = {
            clientId: base.clientId,
            clientSecret: base.clientSecret,
            token: base.token,
            username: base.username,
            password: base.password,
        };
    }
    const { api: profileApi, ...profileCredentials } = credentials;
    const cloud = address.cloud || (sameServer && base.cloud);
    return {
        ...base,
        ...{ clientId: undefined, clientSecret: undefined, token: undefined, username: undefined, password: undefined },
        ...profileCredentials,
        serverUrl,
        serverUrlSource: "the resource's server.url",
        cloud,
        api: parseApiChoice(profileApi ?? (sameServer ? base.api : undefined), address.api, cloud, "server.url"),
        workspaceId: override.workspaceId ?? (sameServer ? base.workspaceId : undefined),
    };
}

/** Turns settings into the client's transport settings, resolving credential references. */
export async function transportSettings(
    settings: ServerSettings,
    resolveCredential: (value: CredentialValue, name: string) => Promise<string>,
): Promise<Omit<TransportSettings, "tokenEndpoint" | "healthPath">> {
    let auth: AuthSettings = { kind: "none" };
    if (settings.clientId && settings.clientSecret) {
        const [clientId, clientSecret] = await Promise.all([
            resolveCredential(settings.clientId, "clientId"),
            resolveCredential(settings.clientSecret, "clientSecret"),
        ]);
        auth = { kind: "client-credentials", clientId, clientSecret };
    } else if (settings.token) {
        // A token kept in Secrets Manager often ends with a newline; it must not reach a header.
        auth = {
            kind: "bearer",
            token: checkHeaderValue((await resolveCredential(settings.token, "token")).trim(), SETTINGS.token.config),
        };
    } else if (settings.username && settings.password) {
        auth = {
            kind: "basic",
            username: settings.username,
            password: await resolveCredential(settings.password, "password"),
        };
    }
    return {
        serverUrl: settings.serverUrl,
        auth,
        caBundle: settings.caBundle,
        insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
        maxConcurrentRequests: settings.maxConcurrentRequests,
        requestTimeoutMs: settings.requestTimeoutSeconds ? settings.requestTimeoutSeconds * 1000 : undefined,
        retryLimit: settings.retryLimit,
        serverReadyTimeoutMs: settings.serverReadyTimeoutSeconds * 1000,
    };
}
