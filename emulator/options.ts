/**
 * Emulator options and their defaults. Everything here is also reachable from the CLI
 * (`--flag`) and, where handy, from `AIRBYTE_EMULATOR_*` environment variables (see cli.ts).
 */
import type { AuthMode } from "./auth";
import type { ErrorStyle } from "./errors";
import type { FaultRule } from "./faults";
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
    /** Lifetime of issued tokens; default 900 (Airbyte ≥ 1.6 default of 15 min). */
    tokenLifetimeSeconds?: number;
    /** Bearer tokens always accepted in `simple` mode (e.g. a token handed out of band). */
    staticTokens?: string[];
    /** Credentials for `basic` mode; default airbyte / password. */
    basicAuth?: { username: string; password: string };
    /** Latency added to every API request (not admin requests); default 0. */
    latencyMs?: number;
    /** More API requests than this in flight at once are answered 429 with `Retry-After`; default unlimited. */
    maxConcurrency?: number;
    /** Behave like a ≤ 1.6 server: `workspaces/list`, no `defaultWorkspaceId`, unpaginated lists, pre-2.0 error bodies. */
    legacy?: boolean;
    /** Error body style; default `legacy` when `legacy` is set, else `v2` (bodies cut to `{errorId}`). */
    errorStyle?: ErrorStyle;
    /** Version reported by `instance_configuration`; default 2.0.0 (1.6.0 in legacy mode). */
    version?: string;
    /** Id of the default workspace (fixed ids make runs repeatable); default: a random UUID (kept in the state file). */
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

/** Options with defaults applied. Latency and concurrency stay adjustable at run time. */
export interface Settings {
    port: number;
    host: string;
    stateFile?: string;
    persistIntervalMs: number;
    legacy: boolean;
    errorStyle: ErrorStyle;
    version: string;
    defaultWorkspaceId?: string;
    syncDurationMs: number;
    validateSyncModes: boolean;
    faultSeed: number;
    maxLogEntries: number;
    logResponseBodies: boolean;
    latencyMs: number;
    maxConcurrency?: number;
    onRequest?: (entry: RequestLogEntry) => void;
}

export function resolveSettings(options: EmulatorOptions): Settings {
    const legacy = options.legacy ?? false;
    return {
        port: options.port ?? 0,
        host: options.host ?? "127.0.0.1",
        stateFile: options.stateFile,
        persistIntervalMs: options.persistIntervalMs ?? 0,
        legacy,
        errorStyle: options.errorStyle ?? (legacy ? "legacy" : "v2"),
        version: options.version ?? (legacy ? "1.6.0" : "2.0.0"),
        defaultWorkspaceId: options.defaultWorkspaceId,
        syncDurationMs: options.syncDurationMs ?? 1000,
        validateSyncModes: options.validateSyncModes ?? true,
        faultSeed: options.faultSeed ?? 1,
        maxLogEntries: options.maxLogEntries ?? 10000,
        logResponseBodies: options.logResponseBodies ?? true,
        latencyMs: options.latencyMs ?? 0,
        maxConcurrency: options.maxConcurrency,
        onRequest: options.onRequest,
    };
}
