/**
 * The emulator's single store: in-memory maps of workspaces, sources, destinations, connections,
 * jobs and custom definitions, with optional JSON-file persistence.
 *
 * Persistence exists so that separate processes (e.g. successive `pulumi up` runs against a
 * CLI-started emulator, or an emulator restarted between runs) see the same server. The file is
 * rewritten after every request that changed something, atomically (write a temporary file, then
 * rename), so a crash or a kill never leaves half a file behind.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { StoredCustomDefinition } from "./connectors";
import type {
    ActorKind,
    DatabaseTable,
    DestinationSyncMode,
    DiscoveredStream,
    SimulatedDatabase,
    SyncMode,
} from "./connectors/types";
import type { AddedTable } from "./discovery";

export const DEFAULT_ORGANIZATION_ID = "00000000-0000-0000-0000-000000000000";
export const DEFAULT_USER_ID = "00000000-0000-0000-0000-000000000000";
/** The dataplane group every OSS workspace and connection belongs to ("AUTO"). */
export const DEFAULT_DATAPLANE_GROUP_ID = "6a8b1a9e-4d3c-4b7e-9a55-27c6ca6c0d1e";

/** A write-through state file slower than this per write earns a one-time hint on stderr. */
const SLOW_WRITE_MS = 100;

export interface WorkspaceRecord {
    workspaceId: string;
    customerId: string;
    name: string;
    slug: string;
    email?: string;
    organizationId: string;
    initialSetupComplete: boolean;
    displaySetupWizard: boolean;
    anonymousDataCollection?: boolean;
    news?: boolean;
    securityUpdates?: boolean;
    notifications?: unknown[];
    tombstone: boolean;
    dataplaneGroupId: string;
    /**
     * Epoch ms; internal (`WorkspaceRead` has no creation time), it decides the instance's default
     * workspace (`WorkspacePersistence.getDefaultWorkspaceForOrganization`: oldest non-tombstoned).
     */
    createdAtMs: number;
}

export interface ActorRecord {
    kind: ActorKind;
    id: string;
    definitionId: string;
    workspaceId: string;
    name: string;
    /**
     * Unmasked configuration; `null` once deleted by a server that voids it on delete (≥ 0.63.5,
     * generations.ts `deleteVoidsActorConfiguration`); older servers keep it on the tombstone.
     */
    configuration: Record<string, unknown> | null;
    tombstone: boolean;
    /** Epoch seconds. */
    createdAt: number;
    resourceAllocation?: unknown;
}

export interface StoredStreamConfig {
    syncMode: SyncMode;
    destinationSyncMode: DestinationSyncMode;
    cursorField?: string[];
    primaryKey: string[][];
    destinationObjectName?: string;
    includeFiles: boolean;
    fieldSelectionEnabled: boolean;
    selectedFields?: { fieldPath: string[] }[];
    mappers: unknown[];
    hashedFields: unknown[];
}

export interface StoredStream {
    stream: Omit<DiscoveredStream, "sourceDefinedCursor" | "defaultCursorField" | "sourceDefinedPrimaryKey"> & {
        sourceDefinedCursor?: boolean;
        defaultCursorField?: string[];
        sourceDefinedPrimaryKey?: string[][];
    };
    config: StoredStreamConfig;
}

export type ScheduleType = "manual" | "basic" | "cron";
export type TimeUnit = "minutes" | "hours" | "days" | "weeks" | "months";

export interface ScheduleData {
    basicSchedule?: { timeUnit: TimeUnit; units: number };
    cron?: { cronExpression: string; cronTimeZone: string };
}

export type ConnectionStatus = "active" | "inactive" | "deprecated" | "locked";

export interface ConnectionRecord {
    connectionId: string;
    workspaceId: string;
    name: string;
    sourceId: string;
    destinationId: string;
    status: ConnectionStatus;
    namespaceDefinition: "source" | "destination" | "customformat";
    namespaceFormat?: string;
    prefix: string;
    syncCatalog: StoredStream[];
    scheduleType: ScheduleType;
    scheduleData?: ScheduleData;
    sourceCatalogId?: string;
    destinationCatalogId?: string;
    nonBreakingChangesPreference: string;
    backfillPreference: string;
    notifySchemaChanges: boolean;
    notifySchemaChangesByEmail: boolean;
    breakingChange: boolean;
    resourceRequirements?: Record<string, unknown>;
    operationIds: string[];
    tags: unknown[];
    onDemandEnabled: boolean;
    /** Epoch seconds. */
    createdAt: number;
    dataplaneGroupId: string;
}

export interface JobRecord {
    id: number;
    configType: "sync";
    configId: string;
    /** Epoch milliseconds (the API reports seconds). */
    createdAtMs: number;
    /** When the job turns `succeeded`, in epoch milliseconds. */
    completesAtMs: number;
    /** Set when a job ended early (e.g. cancelled); otherwise derived from the clock. */
    finalStatus?: "cancelled" | "failed";
}

/** Everything that is persisted, and what `snapshot()` returns. */
export interface StoreSnapshot {
    version: 1;
    defaultWorkspaceId: string;
    tokenSigningKey: string;
    nextJobId: number;
    workspaces: WorkspaceRecord[];
    sources: ActorRecord[];
    destinations: ActorRecord[];
    connections: ConnectionRecord[];
    jobs: JobRecord[];
    customDefinitions: StoredCustomDefinition[];
    /** Tables created in the simulated databases through the admin API. */
    databaseTables: AddedTable[];
}

/** A state file as older emulators wrote it: no workspace creation times, no added tables. */
type PersistedState = Omit<StoreSnapshot, "workspaces" | "databaseTables"> & {
    workspaces: (Omit<WorkspaceRecord, "createdAtMs"> & { createdAtMs?: number })[];
    databaseTables?: AddedTable[];
};

export interface CachedDiscovery {
    catalogId: string;
    streams: DiscoveredStream[];
}

/** The last catalog a discover job produced for a source (an `actor_catalog_fetch_event`). */
export interface FetchedCatalog {
    streams: DiscoveredStream[];
    /** Epoch ms. */
    fetchedAtMs: number;
}

export class Store implements SimulatedDatabase {
    readonly workspaces = new Map<string, WorkspaceRecord>();
    readonly sources = new Map<string, ActorRecord>();
    readonly destinations = new Map<string, ActorRecord>();
    readonly connections = new Map<string, ConnectionRecord>();
    readonly jobs = new Map<number, JobRecord>();
    readonly customDefinitions = new Map<string, StoredCustomDefinition>();
    /** Not persisted: like the server's actor catalog cache, keyed by (sourceId, image tag, config hash). */
    readonly discoveryCache = new Map<string, CachedDiscovery>();
    /** Catalog ids by content hash: identical discovered catalogs share one id, as on the server. */
    readonly catalogIdsByHash = new Map<string, string>();
    /** Not persisted, like the discovery cache: the latest discover result per source. */
    readonly latestCatalogs = new Map<string, FetchedCatalog>();
    readonly databaseTables: AddedTable[] = [];
    /** connectionIds per source/destination id, for cascades and `numConnections`. */
    private readonly connectionsByActor = new Map<string, Set<string>>();
    /** Sorted active actors per (kind, workspace), rebuilt when actors change. */
    private readonly sortedActors = new Map<string, ActorRecord[]>();

    defaultWorkspaceId: string;
    tokenSigningKey: string;
    nextJobId = 1;
    private dirty = false;
    private flushTimer: NodeJS.Timeout | undefined;
    private warnedSlowWrites = false;
    /** Latest sync job per connection, so `connections/sync` need not scan every job. */
    private readonly latestJobByConnection = new Map<string, number>();

    constructor(
        private readonly stateFile: string | undefined,
        defaultWorkspaceId: string | undefined,
        private readonly persistIntervalMs = 0,
    ) {
        this.defaultWorkspaceId = defaultWorkspaceId ?? randomUUID();
        this.tokenSigningKey = randomBytes(32).toString("base64url");
        if (stateFile && existsSync(stateFile)) {
            this.load(JSON.parse(readFileSync(stateFile, "utf8")) as PersistedState);
        } else {
            this.ensureDefaultWorkspace();
            this.dirty = true;
        }
    }

    private ensureDefaultWorkspace(): void {
        if (this.workspaces.has(this.defaultWorkspaceId)) return;
        this.workspaces.set(this.defaultWorkspaceId, {
            workspaceId: this.defaultWorkspaceId,
            customerId: randomUUID(),
            name: "Default Workspace",
            slug: "default-workspace",
            email: "admin@example.com",
            organizationId: DEFAULT_ORGANIZATION_ID,
            initialSetupComplete: true,
            displaySetupWizard: false,
            anonymousDataCollection: false,
            news: false,
            securityUpdates: false,
            notifications: [],
            tombstone: false,
            dataplaneGroupId: DEFAULT_DATAPLANE_GROUP_ID,
            createdAtMs: Date.now(),
        });
    }

    private load(state: PersistedState): void {
        this.defaultWorkspaceId = state.defaultWorkspaceId;
        this.tokenSigningKey = state.tokenSigningKey;
        this.nextJobId = state.nextJobId;
        // Files without creation times list workspaces in creation order (the default one first).
        state.workspaces.forEach((w, index) =>
            this.workspaces.set(w.workspaceId, { ...w, createdAtMs: w.createdAtMs ?? index }),
        );
        for (const s of state.sources) this.sources.set(s.id, s);
        for (const d of state.destinations) this.destinations.set(d.id, d);
        for (const c of state.connections) this.putConnection(c);
        for (const j of state.jobs) {
            this.jobs.set(j.id, j);
            this.latestJobByConnection.set(j.configId, Math.max(j.id, this.latestJobByConnection.get(j.configId) ?? 0));
        }
        for (const d of state.customDefinitions) this.customDefinitions.set(d.definitionId, d);
        this.databaseTables.push(...(state.databaseTables ?? []));
        this.ensureDefaultWorkspace();
    }

    snapshot(): StoreSnapshot {
        return structuredClone(this.state());
    }

    /** The persisted state, sharing the live records (callers must not mutate it). */
    private state(): StoreSnapshot {
        return {
            version: 1 as const,
            defaultWorkspaceId: this.defaultWorkspaceId,
            tokenSigningKey: this.tokenSigningKey,
            nextJobId: this.nextJobId,
            workspaces: [...this.workspaces.values()],
            sources: [...this.sources.values()],
            destinations: [...this.destinations.values()],
            connections: [...this.connections.values()],
            jobs: [...this.jobs.values()],
            customDefinitions: [...this.customDefinitions.values()],
            databaseTables: this.databaseTables,
        };
    }

    /** Wipes resources; keeps the default workspace, custom definitions, added database tables and the token key. */
    reset(): void {
        for (const id of [...this.workspaces.keys()]) if (id !== this.defaultWorkspaceId) this.workspaces.delete(id);
        this.sources.clear();
        this.destinations.clear();
        this.connections.clear();
        this.jobs.clear();
        this.latestJobByConnection.clear();
        this.discoveryCache.clear();
        this.catalogIdsByHash.clear();
        this.latestCatalogs.clear();
        this.connectionsByActor.clear();
        this.sortedActors.clear();
        this.nextJobId = 1;
        this.markDirty();
    }

    markDirty(): void {
        this.dirty = true;
    }

    /** Called after every request: writes the state file now, or schedules a coalesced write. */
    persist(): void {
        if (!this.stateFile || !this.dirty) return;
        if (this.persistIntervalMs <= 0) return this.flush();
        if (this.flushTimer) return;
        this.flushTimer = setTimeout(() => this.flush(), this.persistIntervalMs);
        this.flushTimer.unref();
    }

    /** Writes the state file (atomically) if anything changed since the last write. */
    flush(): void {
        if (this.flushTimer) clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
        if (!this.stateFile || !this.dirty) return;
        const started = performance.now();
        const temporary = `${this.stateFile}.${process.pid}.tmp`;
        // snapshot() deep-copies; stringifying the live maps directly is cheaper and equivalent.
        writeFileSync(temporary, JSON.stringify(this.state()));
        renameSync(temporary, this.stateFile);
        this.dirty = false;
        const elapsed = performance.now() - started;
        if (this.persistIntervalMs <= 0 && elapsed > SLOW_WRITE_MS && !this.warnedSlowWrites) {
            this.warnedSlowWrites = true;
            process.stderr.write(
                `airbyte emulator: writing the state file took ${Math.round(elapsed)} ms per change; set persistIntervalMs (--persist-interval-ms) to coalesce writes\n`,
            );
        }
    }

    // --- workspaces -------------------------------------------------------------------------

    /**
     * `WorkspacePersistence.getDefaultWorkspaceForOrganization`: the oldest non-tombstoned workspace (ties: insertion
     * order).
     */
    oldestWorkspace(): WorkspaceRecord {
        let oldest: WorkspaceRecord | undefined;
        for (const w of this.workspaces.values())
            if (!w.tombstone && (!oldest || w.createdAtMs < oldest.createdAtMs)) oldest = w;
        return oldest ?? this.workspaces.get(this.defaultWorkspaceId)!;
    }

    // --- simulated databases ------------------------------------------------------------------

    tablesAddedTo(namespace: string): readonly DatabaseTable[] {
        return this.databaseTables.filter((table) => table.namespace === namespace);
    }

    /** Records a table created in the database; one of the same namespace and name is replaced. */
    addDatabaseTable(table: AddedTable): void {
        const index = this.databaseTables.findIndex((t) => t.namespace === table.namespace && t.name === table.name);
        if (index >= 0) this.databaseTables.splice(index, 1);
        this.databaseTables.push(table);
        this.markDirty();
    }

    // --- actors -----------------------------------------------------------------------------

    actors(kind: ActorKind): Map<string, ActorRecord> {
        return kind === "source" ? this.sources : this.destinations;
    }

    putActor(actor: ActorRecord): void {
        this.actors(actor.kind).set(actor.id, actor);
        this.sortedActors.delete(`${actor.kind}:${actor.workspaceId}`);
        this.markDirty();
    }

    /** Active (not tombstoned) actors of a workspace in insertion order (a query without ORDER BY). */
    activeActors(kind: ActorKind, workspaceId: string): ActorRecord[] {
        return [...this.actors(kind).values()].filter((a) => a.workspaceId === workspaceId && !a.tombstone);
    }

    /**
     * Active (not tombstoned) actors of a workspace, sorted like paginated lists. Cached per
     * workspace so that paging through thousands of actors stays cheap.
     */
    sortedActiveActors(kind: ActorKind, workspaceId: string): ActorRecord[] {
        const key = `${kind}:${workspaceId}`;
        let sorted = this.sortedActors.get(key);
        if (!sorted) {
            sorted = this.activeActors(kind, workspaceId).sort(compareActors);
            this.sortedActors.set(key, sorted);
        }
        return sorted;
    }

    // --- connections ------------------------------------------------------------------------

    putConnection(connection: ConnectionRecord): void {
        this.connections.set(connection.connectionId, connection);
        for (const actorId of [connection.sourceId, connection.destinationId]) {
            let ids = this.connectionsByActor.get(actorId);
            if (!ids) this.connectionsByActor.set(actorId, (ids = new Set()));
            ids.add(connection.connectionId);
        }
        this.markDirty();
    }

    /** Connections (any status) that use the given source or destination. */
    connectionsOfActor(actorId: string): ConnectionRecord[] {
        const ids = this.connectionsByActor.get(actorId);
        return ids ? [...ids].map((id) => this.connections.get(id)!).filter(Boolean) : [];
    }

    // --- jobs -------------------------------------------------------------------------------

    addJob(job: Omit<JobRecord, "id">): JobRecord {
        const record = { ...job, id: this.nextJobId++ };
        this.jobs.set(record.id, record);
        this.latestJobByConnection.set(record.configId, record.id);
        this.markDirty();
        return record;
    }

    /** The most recent sync job of a connection (only the latest can still be running). */
    latestJob(connectionId: string): JobRecord | undefined {
        const id = this.latestJobByConnection.get(connectionId);
        return id === undefined ? undefined : this.jobs.get(id);
    }
}

/**
 * Sort order of paginated `sources/list` / `destinations/list`: `ORDER BY LOWER(a.name) ASC, a.id ASC`
 * (airbyte-data `ActorServicePaginationHelper.buildOrderByClause`, c742220ed8, first tag v1.8.0).
 * Lower-cased names compare by code point here; Postgres uses the database collation.
 */
export function compareActors(a: ActorRecord, b: ActorRecord): number {
    const an = a.name.toLowerCase();
    const bn = b.name.toLowerCase();
    if (an !== bn) return an < bn ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
