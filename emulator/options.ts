/**
 * Emulator options and their defaults. Everything here is also reachable from the CLI
 * (`--flag`) and, where handy, from `AIRBYTE_EMULATOR_*` environment variables (see cli.ts).
 */
import type { AuthMode } from "./auth";
import type { FaultRule } from "./faults";
import {
    isServerProfile,
    SERVER_PROFILES,
    serverGeneration,
    type ErrorStyle,
    type ServerGeneration,
    type ServerProfile,
} from "./generations";
import type { RequestLogEntry } from "./request-log";

export interface EmulatorOptions {
    /** TCP port; 0 (default) picks a free one. */
    port?: number;
    /** Interface to listen on; default `127.0.0.1`. */
    host?: string;
    /** JSON file to load at start and rewrite (atomically) after every change; default: in memory only. */
    stateFile?: string;
    /**
     * Coalesce state-file writes: 0 (default) writes after every change, before answering; N > 0
     * writes at most every N ms (and on close). For benchmarks against a persisted emulator.
     */
    persistIntervalMs?: number;
    /** `none` (default), `simple` (bearer tokens from applications/token) or `basic` (docker-compose era proxy). */
    auth?: AuthMode;
    /** Instance admin client id for `applications/token`; default `airbyte-emulator-client`. */
    clientId?: string;
    /** Instance admin client secret; default `airbyte-emulator-secret`. */
    clientSecret?: string;
    /** Lifetime of issued tokens; default 900 (Airbyte ≥ 1.6 default of 15 min), 180 in the `cloud` profile. */
    tokenLifetimeSeconds?: number;
    /** Bearer tokens always accepted in `simple` mode (e.g. a token handed out of band). */
    staticTokens?: string[];
    /** Credentials for `basic` mode; default airbyte / password. */
    basicAuth?: { username: string; password: string };
    /** Latency added to every API request (not admin requests); default 0. */
    latencyMs?: number;
    /**
     * Extra time the connector jobs behind some requests take, on top of `latencyMs` (see
     * JobLatencies and LATENCY_PROFILES); default none. A real server answers these requests only
     * when the job ends.
     */
    jobLatency?: Partial<JobLatencies>;
    /** More API requests than this in flight at once are answered 429 with `Retry-After`; default unlimited. */
    maxConcurrency?: number;
    /**
     * The Airbyte release to behave like (see generations.ts), e.g. "0.50.45", "1.6.0", "2.0.0";
     * default: the profile's version, else 2.0.0.
     */
    serverVersion?: string;
    /** A named generation with typical settings (version, auth); explicit options override them. */
    profile?: ServerProfile;
    /**
     * Airbyte Cloud's layout: only the public API, under `/v1/...` (also `/v1/applications/token`
     * and `/v1/health`); `/api/v1/...` and `/api/public/v1/...` answer 404. Default false (the
     * `cloud` profile sets it).
     */
    cloud?: boolean;
    /**
     * Base of the absolute `next` / `previous` links of public API lists (the server's
     * `airbyte.api.host`, env `AIRBYTE_API_HOST`); the links are `<host>/v1/<resource>?...`.
     * Default `http://localhost:8001/api/public` (the Helm chart's community default), or
     * `https://api.airbyte.com` in Cloud mode.
     */
    publicApiHost?: string;
    /** @deprecated Use `serverVersion: "1.6.0"` (which is what this means). */
    legacy?: boolean;
    /** @deprecated Use `serverVersion`. */
    version?: string;
    /** Error body family; default: the one of `serverVersion` (`stack` < 1.3, `legacy` 1.3–1.8, `v2` ≥ 2.0). */
    errorStyle?: ErrorStyle;
    /** `community` (default) or `enterprise` (reports a `pro` license); only changes instance_configuration. */
    edition?: Edition;
    /** `CatalogValidator` limit on selected fields per connection (server ≥ 0.58); default 20000. */
    maxFieldsPerConnection?: number;
    /** Micronaut `max-request-size`: larger request bodies are answered 413; default 10485760 (10 MiB). */
    maxRequestBytes?: number;
    /**
     * Answer every API request (health included, admin excluded) with nginx's 502 page until this
     * many ms (on the emulator clock) have passed since start, like an installation still booting.
     */
    unavailableForMs?: number;
    /**
     * Id of the default workspace (fixed ids make runs repeatable); default: a random UUID (kept in the state file).
     */
    defaultWorkspaceId?: string;
    /** How long a sync job stays `running` before it turns `succeeded`; default 1000 ms. */
    syncDurationMs?: number;
    /** Reject catalogs whose streams use sync modes the stream or destination does not support; default true. */
    validateSyncModes?: boolean;
    /** Seed for fault probabilities; default 1. */
    faultSeed?: number;
    /** Fault rules installed at start. */
    faults?: FaultRule[];
    /** Request log capacity; default 10000 (older entries are dropped). */
    maxLogEntries?: number;
    /** Keep response bodies in the request log; default true. */
    logResponseBodies?: boolean;
    /** Called after each API request is logged (the CLI's `--verbose` uses it). */
    onRequest?: (entry: RequestLogEntry) => void;
}

export type Edition = "community" | "enterprise";

/** Options with defaults applied. Latency and concurrency stay adjustable at run time. */
export interface Settings {
    port: number;
    host: string;
    stateFile?: string;
    persistIntervalMs: number;
    generation: ServerGeneration;
    profile?: ServerProfile;
    auth: AuthMode;
    /** Airbyte Cloud's layout (public API under `/v1` only). */
    cloud: boolean;
    /** Host of the public API's pagination links (`airbyte.api.host`). */
    publicApiHost: string;
    tokenLifetimeSeconds: number;
    edition: Edition;
    maxFieldsPerConnection: number;
    maxRequestBytes: number;
    unavailableForMs: number;
    defaultWorkspaceId?: string;
    syncDurationMs: number;
    validateSyncModes: boolean;
    faultSeed: number;
    maxLogEntries: number;
    logResponseBodies: boolean;
    latencyMs: number;
    jobLatency: JobLatencies;
    maxConcurrency?: number;
    onRequest?: (entry: RequestLogEntry) => void;
}

/**
 * How long the connector work behind a request takes, in milliseconds, beyond the request's own
 * latency. On a self-managed server each job is a pod the workload launcher starts
 * (check_connection, discover_schema); a discovery answered from the catalog cache
 * (`SchedulerHandler.discover`) is a database read.
 */
export interface JobLatencies {
    /** `sources|destinations/check_connection(_for_update)`: a check job. */
    check: number;
    /**
     * `sources/discover_schema` (or the public API's streams) on a cache miss, or with `disable_cache`: a discover job.
     */
    discoverMiss: number;
    /** A discovery answered from the catalog cache. */
    discoverHit: number;
}

/**
 * Named latency settings. `realistic` is what a small abctl/Helm install shows; the figures and
 * their sources are in emulator/README.md ("Latency profiles").
 */
export const LATENCY_PROFILES: Record<"none" | "realistic", { latencyMs: number; jobLatency: JobLatencies }> = {
    none: { latencyMs: 0, jobLatency: { check: 0, discoverMiss: 0, discoverHit: 0 } },
    realistic: { latencyMs: 20, jobLatency: { check: 10_000, discoverMiss: 20_000, discoverHit: 150 } },
};

/**
 * Micronaut's `HttpServerConfiguration.DEFAULT_MAX_REQUEST_SIZE`, set explicitly as
 * `micronaut.server.max-request-size: 10485760` in airbyte-server's application.yml since 1aa0dc7417 (v0.58.0).
 */
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/**
 * airbyte-platform `airbyte-commons-server/.../runtime/AirbyteServerConfiguration.kt`
 * `DEFAULT_SERVER_CONNECTION_LIMIT_MAX_FIELDS_PER_CONNECTION`
 * (airbyte-server `application.yml` `max-fields-per-connection: ${MAX_FIELDS_PER_CONNECTION:20000}`).
 */
export const DEFAULT_MAX_FIELDS_PER_CONNECTION = 20000;

/**
 * `airbyte.api.host` (airbyte-server application.yml `${AIRBYTE_API_HOST}`) as the Helm chart sets it
 * for a community install: `http://localhost:<server port 8001>/api/public`
 * (charts/v2/airbyte/templates/config/_common.tpl `airbyte.common.api.host`).
 */
export const DEFAULT_PUBLIC_API_HOST = "http://localhost:8001/api/public";
/** Airbyte Cloud's public API host (api.yaml `servers: https://api.airbyte.com/v1`). */
export const CLOUD_PUBLIC_API_HOST = "https://api.airbyte.com";

export function resolveSettings(options: EmulatorOptions): Settings {
    if (options.profile !== undefined && !isServerProfile(options.profile)) {
        throw new Error(
            `unknown profile "${String(options.profile)}" (one of ${Object.keys(SERVER_PROFILES).join(", ")})`,
        );
    }
    const profile = options.profile === undefined ? undefined : SERVER_PROFILES[options.profile];
    const version =
        options.serverVersion ??
        options.version ??
        (options.legacy ? "1.6.0" : undefined) ??
        profile?.serverVersion ??
        "2.0.0";
    const profileAuth: AuthMode | undefined = profile && "auth" in profile ? profile.auth : undefined;
    const auth = options.auth ?? profileAuth ?? "none";
    const profileExtras = profile as { cloud?: boolean; tokenLifetimeSeconds?: number } | undefined;
    const cloud = options.cloud ?? profileExtras?.cloud ?? false;
    const profileTokenLifetime = profileExtras?.tokenLifetimeSeconds;
    oneOf("auth", auth, ["none", "simple", "basic"]);
    oneOf("edition", options.edition, ["community", "enterprise"]);
    oneOf("errorStyle", options.errorStyle, ["v2", "legacy", "stack"]);
    return {
        port: options.port ?? 0,
        host: options.host ?? "127.0.0.1",
        stateFile: options.stateFile,
        persistIntervalMs: options.persistIntervalMs ?? 0,
        generation: serverGeneration(version, options.errorStyle),
        profile: options.profile,
        auth,
        cloud,
        publicApiHost: (options.publicApiHost ?? (cloud ? CLOUD_PUBLIC_API_HOST : DEFAULT_PUBLIC_API_HOST)).replace(
            /\/+$/,
            "",
        ),
        tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? profileTokenLifetime ?? 900,
        edition: options.edition ?? "community",
        maxFieldsPerConnection: options.maxFieldsPerConnection ?? DEFAULT_MAX_FIELDS_PER_CONNECTION,
        maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
        unavailableForMs: options.unavailableForMs ?? 0,
        defaultWorkspaceId: options.defaultWorkspaceId,
        syncDurationMs: options.syncDurationMs ?? 1000,
        validateSyncModes: options.validateSyncModes ?? true,
        faultSeed: options.faultSeed ?? 1,
        maxLogEntries: options.maxLogEntries ?? 10000,
        logResponseBodies: options.logResponseBodies ?? true,
        latencyMs: options.latencyMs ?? 0,
        jobLatency: { ...LATENCY_PROFILES.none.jobLatency, ...(options.jobLatency ?? {}) },
        maxConcurrency: options.maxConcurrency,
        onRequest: options.onRequest,
    };
}

function oneOf(name: string, value: string | undefined, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value))
        throw new Error(`${name} must be one of ${allowed.join(", ")}, got "${value}"`);
}
