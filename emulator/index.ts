/**
 * Local Airbyte server emulator: the Config API (`/api/v1/...`) and the public API (`/api/public/v1/...`,
 * or `/v1/...` in Cloud mode) as a real HTTP server on 127.0.0.1, with an in-process admin handle (request log,
 * counters, fault injection, secret readout) and the same controls over HTTP under `/_emulator/...`.
 * See emulator/README.md.
 */
import { AdminRouter } from "./admin";
import { Authenticator, type AuthMode } from "./auth";
import type { ActorKind, ColumnType } from "./connectors/types";
import type { HandlerContext } from "./context";
import { parseAddedTable } from "./discovery";
import { FaultInjector, type ActiveFault, type FaultRule } from "./faults";
import type { ErrorStyle, ServerProfile } from "./generations";
import { buildRouteTable } from "./handlers";
import { definitionRead } from "./handlers/definitions";
import { resolveSettings, type Edition, type EmulatorOptions, type JobLatencies } from "./options";
import { DefinitionRegistry, type CustomDefinitionInput } from "./registry";
import { RequestLog, type EmulatorCounters, type RequestLogEntry } from "./request-log";
import { buildPublicApi } from "./public-api";
import { EmulatorServer } from "./server";
import { Store, type StoreSnapshot } from "./store";

export type { AuthMode } from "./auth";
export type { ActorKind, ColumnType, ConnectorDefinition, JsonSchema } from "./connectors/types";
export type { ActiveFault, FaultKind, FaultRule } from "./faults";
export type { ErrorStyle, ServerGeneration, ServerProfile } from "./generations";
export { SERVER_PROFILES, serverGeneration } from "./generations";
export type { Edition, EmulatorOptions, JobLatencies } from "./options";
export { LATENCY_PROFILES } from "./options";
export type { CustomDefinitionInput } from "./registry";
export type { EmulatorCounters, OperationCounters, RequestLogEntry } from "./request-log";
export type { StoreSnapshot } from "./store";
export { SECRET_MASK } from "./secrets";
export { WRONG_PASSWORD } from "./connectors/simulate";
export { SALES_TABLE_COUNT } from "./discovery";
export { BUILT_IN_DESTINATIONS, BUILT_IN_SOURCES } from "./connectors";
export { DEFAULT_ORGANIZATION_ID, DEFAULT_USER_ID } from "./store";

/** Run-time settings as `settings()` and `GET /_emulator/settings` report them. */
export interface EmulatorRuntimeSettings {
    auth: AuthMode;
    /** The emulated Airbyte release. */
    serverVersion: string;
    /** Same as `serverVersion` (kept for older callers). */
    version: string;
    /**
     * The workspace the emulator starts with. Newer releases no longer name it in
     * `instance_configuration`, so tools that drive the emulator from outside read it here.
     */
    defaultWorkspaceId: string;
    profile?: ServerProfile;
    /** Airbyte Cloud's layout: only the public API, under `/v1`. */
    cloud: boolean;
    /**
     * Where the public API is served on this emulator: `/api/public/v1` (self-managed, from 0.50.54),
     * `/v1` (Cloud), or null when the emulated release has none.
     */
    publicApiPath: string | null;
    /** Host of the public API's pagination links (`next` / `previous`). */
    publicApiHost: string;
    /** @deprecated True when the emulated release is older than 1.7.0 (the old "legacy mode"). */
    legacy: boolean;
    errorStyle: ErrorStyle;
    edition: Edition;
    maxFieldsPerConnection: number;
    maxRequestBytes: number;
    unavailableForMs: number;
    latencyMs: number;
    jobLatency: JobLatencies;
    maxConcurrency?: number;
    syncDurationMs: number;
    tokenLifetimeSeconds: number;
    stateFile?: string;
}

/** A table created in the simulated databases (`addDatabaseTable`, `POST /_emulator/database-tables`). */
export interface DatabaseTableInput {
    /** Schema (MSSQL/Postgres) or database (MySQL) the table belongs to. */
    namespace: string;
    name: string;
    /** Column name → type; default `{id: "integer", name: "string", updated_at: "timestamp"}`. */
    columns?: Record<string, ColumnType>;
    /** Default: no primary key. */
    primaryKey?: string[];
}

export interface EmulatorFaults {
    /** Installs a rule; returns its id. */
    add(rule: FaultRule): string;
    /** Removes one rule, or every rule when no id is given. */
    clear(id?: string): void;
    list(): ActiveFault[];
}

export interface EmulatorHandle {
    /** Base URL without `/api`, e.g. `http://127.0.0.1:41234`. */
    readonly url: string;
    readonly port: number;
    readonly host: string;
    /**
     * The instance's default workspace: the oldest non-deleted one, created at start (what
     * `instance_configuration` reports as `defaultWorkspaceId` on 0.50.24–0.50.50 servers).
     */
    readonly defaultWorkspaceId: string;
    /** The instance admin's client credentials for `applications/token`. */
    readonly credentials: { readonly clientId: string; readonly clientSecret: string };
    /** Stops listening and drops every open connection (hung requests included). */
    close(): Promise<void>;
    /** Logged API requests in completion order, optionally one operation only or those with `seq` > `since`. */
    requests(filter?: { operation?: string; since?: number }): RequestLogEntry[];
    counters(): EmulatorCounters;
    /** Clears the request log and resets the counters. */
    clearLog(): void;
    readonly faults: EmulatorFaults;
    /**
     * The stored, unmasked configuration of an actor (server-side secret readout); undefined when unknown or voided by
     * delete.
     */
    storedConfiguration(kind: ActorKind, id: string): Record<string, unknown> | undefined;
    /** Invalidates every token issued so far. */
    expireTokens(): void;
    /** Issues a token as `applications/token` would, without an HTTP round trip. */
    issueToken(): string;
    /** Deletes every workspace (but the default one), actor, connection and job; keeps definitions. */
    reset(): void;
    /** Request latency, and optionally the connector-job times (JobLatencies) from now on. */
    setLatency(ms: number, jobs?: Partial<JobLatencies>): void;
    setMaxConcurrency(limit: number | undefined): void;
    /** Moves the emulator's clock forward (token expiry, job completion, timestamps). */
    advanceTime(ms: number): void;
    /** Adds a custom definition to one workspace; returns its DefinitionRead. */
    addCustomDefinition(input: CustomDefinitionInput): Record<string, unknown>;
    /**
     * Creates a table in the simulated databases (namespace = schema, or MySQL database): later
     * uncached discovers of database sources include it; cached discovers do not change.
     * Default columns `{id: "integer", name: "string", updated_at: "timestamp"}`, no primary key.
     */
    addDatabaseTable(input: DatabaseTableInput): void;
    snapshot(): StoreSnapshot;
    settings(): EmulatorRuntimeSettings;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
    const settings = resolveSettings(options);
    const store = new Store(settings.stateFile, settings.defaultWorkspaceId, settings.persistIntervalMs);
    const registry = new DefinitionRegistry(store);
    let clockOffsetMs = 0;
    const now = (): number => Date.now() + clockOffsetMs;
    const auth = new Authenticator(
        {
            mode: settings.auth,
            clientId: options.clientId ?? "airbyte-emulator-client",
            clientSecret: options.clientSecret ?? "airbyte-emulator-secret",
            tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
            staticTokens: options.staticTokens ?? [],
            basicUsername: options.basicAuth?.username ?? "airbyte",
            basicPassword: options.basicAuth?.password ?? "password",
        },
        () => store.tokenSigningKey,
        now,
    );
    const faults = new FaultInjector(settings.faultSeed);
    for (const rule of options.faults ?? []) faults.add(rule);
    const log = new RequestLog(settings.maxLogEntries);

    let baseUrl = "";
    const ctx: HandlerContext = {
        store,
        registry,
        settings,
        auth,
        log,
        get baseUrl() {
            return baseUrl;
        },
        now,
    };
    // eslint-disable-next-line prefer-const -- assigned once the server listens; the admin router reads it later
    let handle: EmulatorHandle | undefined;
    const server = new EmulatorServer(
        ctx,
        buildRouteTable(),
        faults,
        new AdminRouter(() => handle!),
        buildPublicApi(ctx),
    );
    const port = await server.listen(settings.port, settings.host);
    const urlHost = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
    baseUrl = `http://${urlHost}:${port}`;
    // Write the initial state at once, so the file (and the default workspace id) exists.
    store.flush();

    handle = {
        url: baseUrl,
        port,
        host: settings.host,
        get defaultWorkspaceId() {
            return store.oldestWorkspace().workspaceId;
        },
        credentials: { clientId: auth.settings.clientId, clientSecret: auth.settings.clientSecret },
        close: async () => {
            await server.close();
            store.flush();
        },
        requests: (filter) => log.list(filter),
        counters: () => structuredClone(log.counters),
        clearLog: () => log.clear(),
        faults: {
            add: (rule) => faults.add(rule),
            clear: (id) => faults.clear(id),
            list: () => faults.list(),
        },
        storedConfiguration: (kind, id) => {
            const configuration = store.actors(kind).get(id)?.configuration;
            return configuration ? structuredClone(configuration) : undefined;
        },
        expireTokens: () => auth.expireAll(),
        issueToken: () => auth.issueToken(auth.settings.clientId, auth.settings.clientSecret),
        reset: () => {
            store.reset();
            store.persist();
        },
        setLatency: (ms, jobs) => {
            settings.latencyMs = ms;
            if (jobs) settings.jobLatency = { ...settings.jobLatency, ...jobs };
        },
        setMaxConcurrency: (limit) => {
            settings.maxConcurrency = limit;
        },
        advanceTime: (ms) => {
            clockOffsetMs += ms;
        },
        addCustomDefinition: (input) => {
            if (!store.workspaces.has(input.workspaceId)) throw new Error(`unknown workspace ${input.workspaceId}`);
            if (input.kind !== "source" && input.kind !== "destination")
                throw new Error('kind must be "source" or "destination"');
            for (const field of ["name", "dockerRepository", "dockerImageTag"] as const) {
                if (typeof input[field] !== "string" || input[field] === "")
                    throw new Error(`${field} must be a non-empty string`);
            }
            if (typeof input.connectionSpecification !== "object" || input.connectionSpecification === null)
                throw new Error("connectionSpecification must be a JSON Schema object");
            const def = registry.addCustom(input);
            store.persist();
            return definitionRead(def);
        },
        addDatabaseTable: (input) => {
            store.addDatabaseTable(parseAddedTable(input));
            store.persist();
        },
        snapshot: () => store.snapshot(),
        settings: () => ({
            auth: settings.auth,
            serverVersion: settings.generation.version,
            version: settings.generation.version,
            defaultWorkspaceId: store.oldestWorkspace().workspaceId,
            profile: settings.profile,
            cloud: settings.cloud,
            publicApiPath: settings.generation.hasPublicApi ? (settings.cloud ? "/v1" : "/api/public/v1") : null,
            publicApiHost: settings.publicApiHost,
            legacy: settings.generation.hasWorkspacesList,
            errorStyle: settings.generation.errorStyle,
            edition: settings.edition,
            maxFieldsPerConnection: settings.maxFieldsPerConnection,
            maxRequestBytes: settings.maxRequestBytes,
            unavailableForMs: settings.unavailableForMs,
            latencyMs: settings.latencyMs,
            jobLatency: { ...settings.jobLatency },
            maxConcurrency: settings.maxConcurrency,
            syncDurationMs: settings.syncDurationMs,
            tokenLifetimeSeconds: auth.settings.tokenLifetimeSeconds,
            stateFile: settings.stateFile,
        }),
    };
    return handle;
}
