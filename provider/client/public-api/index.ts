/**
 * The public API backend: the Airbyte API, which Airbyte supports for users, at
 * `/api/public/v1` on self-managed servers (served by airbyte-server since 0.50.54) and at
 * `https://api.airbyte.com/v1` on Airbyte Cloud. REST: path parameters, GET/POST/PUT/PATCH/
 * DELETE, offset pagination, problem JSON errors.
 *
 * What it lacks, the runtime learns from `capabilities`: no connector spec and no connection
 * check (a self-managed server's Config API may lend them, read-only: `readOnlyHelper`), no
 * basic schedules, cron in UTC only, some sync-mode pairs without a combined form, no raw
 * catalogs, and reads of a connection's streams without what the source defines for them.
 *
 * Version differences (airbyte-platform commits and first tags): `POST /applications/token`
 * from 0.63.7; `GET /connector_definitions` from 1.2.0; the workspace-scoped definitions from
 * 1.6.0; `createdAt` from 1.2.0 (7f2287865a); a stream's `namespace` in connection writes from
 * 1.7.0.
 */
import type { AirbyteBackend, BackendCapabilities, CallLabel } from "../api";
import type {
    Actor,
    ActorKind,
    ActorWrite,
    CheckOutcome,
    Connection,
    ConnectionCreate,
    ConnectionPatch,
    ConnectorSpec,
    Definition,
    DestinationSyncMode,
    DiscoveredCatalog,
    DiscoveredStream,
    Problem,
    Schedule,
    Workspace,
} from "../domain";
import { AirbyteApiError, CapabilityUnavailableError } from "../errors";
import type { AirbyteTransport, QueryValue, TokenEndpoint } from "../transport";
import { actorFromWire, COMBINED_SYNC_MODES, connectionFromWire, patchToWire, splitSyncMode } from "./mapping";
import type {
    ActorResponse,
    ConnectionCreateRequest,
    ConnectionResponse,
    ConnectorDefinitionResponse,
    DefinitionResponse,
    Page,
    StreamProperties,
    WorkspaceResponse,
} from "./wire";

/** The public API's path on a server: self-managed `api/public/v1`, Cloud `v1`. */
export function publicApiPrefix(cloud: boolean): string {
    return cloud ? "v1" : "api/public/v1";
}

export function publicTokenEndpoint(cloud: boolean): TokenEndpoint {
    return {
        path: `${publicApiPrefix(cloud)}/applications/token`,
        body: (clientId, clientSecret) => ({
            client_id: clientId,
            client_secret: clientSecret,
            grant_type: "client_credentials",
        }),
    };
}

export function publicHealthPath(cloud: boolean): string {
    return `${publicApiPrefix(cloud)}/health`;
}

/** The largest page the list endpoints serve (`limit` is 1..100). */
const PAGE_LIMIT = 100;

/** What a self-managed server's Config API can lend the public API backend: reads only, never writes. */
export type ReadOnlyHelper = Pick<
    AirbyteBackend,
    "specification" | "checkNewActor" | "checkActorUpdate" | "latestCatalog"
>;

const WIRE = {
    source: { path: "sources", id: "sourceId", typeKey: "sourceType" },
    destination: { path: "destinations", id: "destinationId", typeKey: "destinationType" },
} as const;

function isNotFound(error: unknown): boolean {
    return error instanceof AirbyteApiError && error.kind === "not_found";
}

export class PublicApiBackend implements AirbyteBackend {
    readonly name = "public" as const;
    readonly serverUrl: string;
    private readonly prefix: string;
    /** Set once the helper proved unreachable; the capabilities it lends are then gone. */
    private helperUnavailable = false;

    constructor(
        private readonly transport: AirbyteTransport,
        private readonly options: { cloud: boolean; readOnlyHelper?: ReadOnlyHelper },
    ) {
        this.serverUrl = transport.serverUrl;
        this.prefix = publicApiPrefix(options.cloud);
    }

    get capabilities(): BackendCapabilities {
        const helped = this.options.readOnlyHelper !== undefined && !this.helperUnavailable;
        return {
            connectorSpec: helped,
            connectionCheck: helped,
            sourceDefinedStreamFacts: false,
            clientBuildsCatalog: false,
            syncModeCombinations: Object.values(COMBINED_SYNC_MODES),
        };
    }

    private call<T>(
        method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
        path: string,
        options: {
            pathParams?: Record<string, string>;
            query?: Record<string, QueryValue>;
            body?: unknown;
            idempotent?: boolean;
            resource?: string;
            connector?: boolean;
        } = {},
    ): Promise<T> {
        return this.transport.request<T>({
            method,
            path: `${this.prefix}/${path}`,
            pathParams: options.pathParams,
            query: options.query,
            body: options.body,
            idempotent: options.idempotent ?? method !== "POST",
            connector: options.connector,
            resource: options.resource,
            operation: `${method} /${path}`,
        });
    }

    /**
     * Every item of a list endpoint, by offset. The `next` link is not followed: the server
     * builds it from its AIRBYTE_API_HOST setting (Helm's default is `http://localhost:8001`),
     * which is rarely the address this client reaches it at.
     */
    private async listAll<T>(path: string, query: Record<string, QueryValue>, resource?: string): Promise<T[]> {
        const all: T[] = [];
        for (let offset = 0; ; offset += PAGE_LIMIT) {
            const page = await this.call<Page<T>>("GET", path, {
                query: { ...query, limit: PAGE_LIMIT, offset },
                resource,
            });
            all.push(...(page.data ?? []));
            if ((page.data ?? []).length < PAGE_LIMIT) return all;
        }
    }

    waitUntilReady(): Promise<void> {
        return this.transport.waitUntilReady();
    }

    // --- workspaces ------------------------------------------------------------------------

    async workspace(workspaceId: string, label?: CallLabel): Promise<Workspace | undefined> {
        try {
            const w = await this.call<WorkspaceResponse>("GET", "workspaces/{workspaceId}", {
                pathParams: { workspaceId },
                resource: label?.resource ?? `workspace ${workspaceId}`,
            });
            return { id: w.workspaceId, name: w.name };
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    /** The public API does not reveal the server's default workspace. */
    async serverDefaultWorkspaceId(): Promise<string | undefined> {
        return undefined;
    }

    async listWorkspaces(): Promise<Workspace[]> {
        return (await this.listAll<WorkspaceResponse>("workspaces", {})).map((w) => ({
            id: w.workspaceId,
            name: w.name,
        }));
    }

    // --- definitions -----------------------------------------------------------------------

    /**
     * The workspace's definitions (custom ones included, with their docker repositories) from
     * Airbyte 1.6; on 1.2 to 1.5 the instance's (`/connector_definitions`, names and versions
     * only); before 1.2 the public API lists none, and definitions are given by id.
     */
    async listDefinitions(kind: ActorKind, workspaceId: string): Promise<Definition[]> {
        try {
            const answer = await this.call<Page<DefinitionResponse>>(
                "GET",
                `workspaces/{workspaceId}/definitions/${WIRE[kind].path}`,
                { pathParams: { workspaceId }, resource: `workspace ${workspaceId}` },
            );
            return (answer.data ?? []).map((d) => ({
                id: d.id,
                name: d.name,
                dockerRepository: d.dockerRepository,
                dockerImageTag: d.dockerImageTag,
            }));
        } catch (error) {
            if (!isNotFound(error)) throw error;
        }
        try {
            const answer = await this.call<Page<ConnectorDefinitionResponse>>("GET", "connector_definitions", {
                query: { type: kind, workspaceId },
                resource: `workspace ${workspaceId}`,
            });
            return (answer.data ?? []).map((d) => ({ id: d.id, name: d.name, dockerImageTag: d.version }));
        } catch (error) {
            if (isNotFound(error)) return [];
            throw error;
        }
    }

    /** Lent by the Config API where the server has one; a route it does not serve takes the capability away. */
    private async helped<T>(use: (helper: ReadOnlyHelper) => Promise<T>): Promise<T> {
        const helper = this.options.readOnlyHelper;
        if (!helper || this.helperUnavailable)
            throw new CapabilityUnavailableError(
                `the public API of ${this.serverUrl} serves no connector specs or connection checks`,
            );
        try {
            return await use(helper);
        } catch (error) {
            // A proxy that exposes only /api/public, or an older server: the Config API is not there.
            if (
                error instanceof AirbyteApiError &&
                error.statusCode === 404 &&
                /spec|check|catalog/.test(error.operation)
            ) {
                this.helperUnavailable = true;
                throw new CapabilityUnavailableError(
                    `the Config API of ${this.serverUrl}, which lends specs and connection checks to the public API, is not reachable (${error.message})`,
                );
            }
            throw error;
        }
    }

    specification(
        kind: ActorKind,
        definitionId: string,
        workspaceId: string,
        label?: CallLabel,
    ): Promise<ConnectorSpec> {
        return this.helped((helper) => helper.specification(kind, definitionId, workspaceId, label));
    }

    checkNewActor(kind: ActorKind, body: ActorWrite, label?: CallLabel): Promise<CheckOutcome> {
        return this.helped((helper) => helper.checkNewActor(kind, body, label));
    }

    checkActorUpdate(
        kind: ActorKind,
        id: string,
        body: Pick<ActorWrite, "name" | "configuration">,
        label?: CallLabel,
    ): Promise<CheckOutcome> {
        return this.helped((helper) => helper.checkActorUpdate(kind, id, body, label));
    }

    // --- sources and destinations -----------------------------------------------------------

    async createActor(kind: ActorKind, body: ActorWrite, label?: CallLabel): Promise<Actor> {
        // The definition is always named by id; `configuration.sourceType` (a name the server
        // maps to an id) only knows Airbyte's own connectors.
        const read = await this.call<ActorResponse>("POST", WIRE[kind].path, {
            body: {
                name: body.name,
                workspaceId: body.workspaceId,
                definitionId: body.definitionId,
                configuration: body.configuration,
            },
            resource: label?.resource ?? `a new ${kind}`,
        });
        return actorFromWire(kind, read);
    }

    async getActor(kind: ActorKind, id: string, label?: CallLabel): Promise<Actor | undefined> {
        try {
            return actorFromWire(
                kind,
                await this.call<ActorResponse>("GET", `${WIRE[kind].path}/{id}`, {
                    pathParams: { id },
                    resource: label?.resource ?? `${kind} ${id}`,
                }),
            );
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    async listActors(kind: ActorKind, workspaceId: string, label?: CallLabel): Promise<Actor[]> {
        const items = await this.listAll<ActorResponse>(
            WIRE[kind].path,
            { workspaceIds: [workspaceId], includeDeleted: false },
            label?.resource ?? `workspace ${workspaceId}`,
        );
        return items.map((item) => {
            const actor = actorFromWire(kind, item);
            delete actor.possiblyDeleted; // listed: live
            return actor;
        });
    }

    async updateActor(
        kind: ActorKind,
        id: string,
        body: Pick<ActorWrite, "name" | "configuration">,
        label?: CallLabel,
    ): Promise<Actor> {
        // PUT is a full replacement; a secret sent as the mask keeps its stored value (ConfigurationUpdate).
        const read = await this.call<ActorResponse>("PUT", `${WIRE[kind].path}/{id}`, {
            pathParams: { id },
            body: { name: body.name, configuration: body.configuration },
            resource: label?.resource ?? `${kind} ${id}`,
        });
        return actorFromWire(kind, read);
    }

    async deleteActor(kind: ActorKind, id: string, label?: CallLabel): Promise<void> {
        try {
            await this.call("DELETE", `${WIRE[kind].path}/{id}`, {
                pathParams: { id },
                resource: label?.resource ?? `${kind} ${id}`,
            });
        } catch (error) {
            if (!isNotFound(error)) throw error;
        }
    }

    /**
     * The public API has no read of the latest catalog: `GET /streams` discovers on a cache miss
     * (StreamsController → discoverSchemaForSourceFromSourceId). Where the Config API is there
     * too (self-managed), it answers; on Cloud nothing can be known without a job.
     */
    async latestCatalog(sourceId: string, label?: CallLabel): Promise<DiscoveredCatalog | undefined> {
        try {
            return await this.helped((helper) => helper.latestCatalog(sourceId, label));
        } catch (error) {
            if (error instanceof CapabilityUnavailableError) return undefined;
            throw error;
        }
    }

    /**
     * `GET /streams`: what each stream of the source supports with this destination. Airbyte
     * answers from its discovery cache unless `ignoreCache` is set (`SourceService.getSourceSchema`).
     */
    async discover(
        sourceId: string,
        options: { fresh?: boolean; destinationId?: string },
        label?: CallLabel,
    ): Promise<DiscoveredCatalog> {
        const streams = await this.call<StreamProperties[]>("GET", "streams", {
            query: {
                sourceId,
                ...(options.destinationId ? { destinationId: options.destinationId } : {}),
                ...(options.fresh ? { ignoreCache: true } : {}),
            },
            connector: true,
            resource: label?.resource ?? `source ${sourceId}`,
        });
        const destinationModes = new Set<DestinationSyncMode>();
        const discovered = streams.map((s): DiscoveredStream => {
            const pairs = (s.syncModes ?? []).map((m) => splitSyncMode(m));
            for (const [, destination] of pairs) destinationModes.add(destination);
            return {
                name: s.streamName,
                ...(s.streamnamespace ? { namespace: s.streamnamespace } : {}),
                supportedSyncModes: [...new Set(pairs.map(([mode]) => mode))],
                sourceDefinedCursor: s.sourceDefinedCursorField === true,
                defaultCursorField: s.defaultCursorField ?? [],
                sourceDefinedPrimaryKey: s.sourceDefinedPrimaryKey ?? [],
                columns: (s.propertyFields ?? []).filter((path) => path.length === 1).map((path) => path[0]!),
            };
        });
        return {
            streams: discovered,
            ...(options.destinationId && destinationModes.size
                ? { supportedDestinationSyncModes: [...destinationModes] }
                : {}),
        };
    }

    // --- connections -----------------------------------------------------------------------

    async createConnection(body: ConnectionCreate, label?: CallLabel): Promise<Connection> {
        const wire: ConnectionCreateRequest = {
            sourceId: body.sourceId,
            destinationId: body.destinationId,
            ...patchToWire(body),
        };
        return connectionFromWire(
            await this.call<ConnectionResponse>("POST", "connections", {
                body: wire,
                resource: label?.resource ?? "a new connection",
            }),
        );
    }

    async getConnection(id: string, label?: CallLabel): Promise<Connection | undefined> {
        try {
            return connectionFromWire(
                await this.call<ConnectionResponse>("GET", "connections/{id}", {
                    pathParams: { id },
                    resource: label?.resource ?? `connection ${id}`,
                }),
            );
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    async listConnections(workspaceId: string, label?: CallLabel): Promise<Connection[]> {
        const items = await this.listAll<ConnectionResponse>(
            "connections",
            { workspaceIds: [workspaceId], includeDeleted: false },
            label?.resource ?? `workspace ${workspaceId}`,
        );
        return items.map((c) => connectionFromWire(c)).filter((c) => c.status !== "deleted");
    }

    async updateConnection(id: string, patch: ConnectionPatch, label?: CallLabel): Promise<Connection> {
        return connectionFromWire(
            await this.call<ConnectionResponse>("PATCH", "connections/{id}", {
                pathParams: { id },
                body: patchToWire(patch),
                resource: label?.resource ?? `connection ${id}`,
            }),
        );
    }

    async deleteConnection(id: string, label?: CallLabel): Promise<void> {
        try {
            await this.call("DELETE", "connections/{id}", {
                pathParams: { id },
                resource: label?.resource ?? `connection ${id}`,
            });
        } catch (error) {
            if (!isNotFound(error)) throw error;
        }
    }

    connectionProblems(desired: { schedule: Schedule; rawCatalog?: boolean }): Problem[] {
        const problems: Problem[] = [];
        if (desired.schedule.type === "basic") {
            problems.push({
                property: "schedule",
                reason: `the public API has no form for a basic schedule (every ${desired.schedule.units} ${desired.schedule.timeUnit}); write it as a cron expression (e.g. { cron: "0 0 */6 * * ?" } for every 6 hours), or set airbyte:api to "config" on a self-managed server`,
            });
        }
        if (desired.schedule.type === "cron" && desired.schedule.timeZone !== "UTC") {
            problems.push({
                property: "schedule.timeZone",
                reason: `the public API runs cron schedules in UTC only (it has no time zone field); express "${desired.schedule.cron}" in UTC and set timeZone: "UTC", or set airbyte:api to "config" on a self-managed server`,
            });
        }
        if (desired.rawCatalog) {
            problems.push({
                property: "syncCatalog",
                reason: 'a raw syncCatalog is the Config API\'s form; with the public API, choose streams by name with streams, or set airbyte:api to "config" on a self-managed server',
            });
        }
        return problems;
    }
}
