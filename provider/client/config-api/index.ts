/**
 * The Config API backend (`POST /api/v1/<family>/<method>`): what every self-managed Airbyte
 * serves and its own web app uses. Wire names, pagination, deletion semantics and version
 * differences are handled here; the runtime sees domain objects only.
 *
 * Version differences (airbyte-platform commits and first tags):
 * - `instance_configuration` reports `defaultWorkspaceId` only from 0.50.24 to 0.50.50
 *   (1f09d1698f removed it) and `version` from 0.57.4;
 * - `workspaces/list` exists up to 1.6 (3e5ff65dc7 removed it in 1.7.0; with auth on, the
 *   missing route answers 403, not 404), `workspaces/list_by_organization_id` from 0.50.18;
 * - `sources/list` and `destinations/list` are cursor-paginated from 1.8.0 (c742220ed8), and a
 *   cursor naming an actor deleted since the previous page answers 404
 *   (`ActorServicePaginationHelper.getCursorActor`);
 * - `createdAt` on sources and destinations from 1.2.0 (7f2287865a), `created_at` on
 *   connections from 0.50.46 (609d3dd4f6);
 * - deleting an actor voids its configuration from 0.63.5 (275832edb0); before, a deleted
 *   actor keeps answering `get` with its configuration.
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
    DiscoveredCatalog,
    Problem,
    Workspace,
} from "../domain";
import { AirbyteApiError } from "../errors";
import { isAtLeast } from "../server-version";
import type { AirbyteTransport, TokenEndpoint } from "../transport";
import { type ProtocolStream, streamFromProtocol, streamFromWire } from "./catalog";
import {
    actorFromWire,
    catalogFields,
    checkOutcome,
    connectionFromWire,
    connectionOptions,
    WIRE,
    type WireActor,
} from "./mapping";
import { scheduleToWire } from "./schedule";
import type {
    CheckConnectionRead,
    ConnectionCreate as WireConnectionCreate,
    ConnectionRead,
    ConnectionReadList,
    ConnectionUpdate,
    DestinationDefinitionRead,
    DestinationDefinitionSpecificationRead,
    InstanceConfiguration,
    SourceDefinitionRead,
    SourceDiscoverSchemaRead,
    WorkspaceRead,
    WorkspaceReadList,
} from "./wire";

/** Page size asked of `sources/list` and `destinations/list` (the server's default is 20). */
export const DEFAULT_LIST_PAGE_SIZE = 100;
/** How many times a listing restarts after its cursor vanished (an actor deleted between pages). */
const MAX_LISTING_RESTARTS = 3;

export const CONFIG_API_TOKEN_ENDPOINT: TokenEndpoint = {
    path: "api/v1/applications/token",
    body: (clientId, clientSecret) => ({ client_id: clientId, client_secret: clientSecret }),
};
export const CONFIG_API_HEALTH_PATH = "api/v1/health";

function isNotFound(error: unknown): boolean {
    return error instanceof AirbyteApiError && error.kind === "not_found";
}

export class ConfigApiBackend implements AirbyteBackend {
    readonly name = "config" as const;
    readonly capabilities: BackendCapabilities = {
        connectorSpec: true,
        connectionCheck: true,
        sourceDefinedStreamFacts: true,
        clientBuildsCatalog: true,
    };
    readonly serverUrl: string;
    private instance?: Promise<InstanceConfiguration | undefined>;

    constructor(
        private readonly transport: AirbyteTransport,
        private readonly options: { listPageSize?: number } = {},
    ) {
        this.serverUrl = transport.serverUrl;
    }

    private post<T>(
        operation: string,
        body: unknown,
        options: { idempotent?: boolean; connector?: boolean; resource?: string } = {},
    ): Promise<T> {
        return this.transport.request<T>({
            method: "POST",
            path: `api/v1/${operation}`,
            body,
            operation,
            idempotent: options.idempotent ?? true,
            connector: options.connector,
            resource: options.resource,
        });
    }

    waitUntilReady(): Promise<void> {
        return this.transport.waitUntilReady();
    }

    /** `instance_configuration`, once per backend; undefined where the server has none (before 0.50.9). */
    instanceConfiguration(): Promise<InstanceConfiguration | undefined> {
        this.instance ??= this.transport
            .request<InstanceConfiguration>({
                method: "GET",
                path: "api/v1/instance_configuration",
                operation: "instance_configuration",
                idempotent: true,
            })
            .catch((error: unknown) => {
                if (isNotFound(error)) return undefined;
                this.instance = undefined;
                throw error;
            });
        return this.instance;
    }

    // --- workspaces ------------------------------------------------------------------------

    async workspace(workspaceId: string, label?: CallLabel): Promise<Workspace | undefined> {
        try {
            const w = await this.post<WorkspaceRead>(
                "workspaces/get",
                { workspaceId },
                { resource: label?.resource ?? `workspace ${workspaceId}` },
            );
            return w.tombstone ? undefined : { id: w.workspaceId, name: w.name };
        } catch (error) {
            if (isNotFound(error) || (error instanceof AirbyteApiError && error.statusCode === 422)) return undefined;
            throw error;
        }
    }

    async serverDefaultWorkspaceId(): Promise<string | undefined> {
        return (await this.instanceConfiguration())?.defaultWorkspaceId;
    }

    /**
     * Every workspace: `workspaces/list` on servers before 1.7, else
     * `workspaces/list_by_organization_id` of the default organization (OSS has one). The route is
     * chosen by the server's version, never by trying: on 1.7+ with auth on, the removed route
     * answers 403, which reads like a permission problem.
     */
    async listWorkspaces(): Promise<Workspace[]> {
        const instance = await this.instanceConfiguration();
        // No version at all: a server older than 0.57.4, which still has workspaces/list. An
        // unreadable one (a development build): use the route current servers have.
        const byOrganization =
            isAtLeast(instance?.version, "1.7.0") ??
            (instance?.version !== undefined && instance.defaultOrganizationId !== undefined);
        const list = byOrganization
            ? await this.post<WorkspaceReadList>("workspaces/list_by_organization_id", {
                  organizationId: instance?.defaultOrganizationId ?? "00000000-0000-0000-0000-000000000000",
              })
            : await this.post<WorkspaceReadList>("workspaces/list", {});
        return (list.workspaces ?? []).filter((w) => !w.tombstone).map((w) => ({ id: w.workspaceId, name: w.name }));
    }

    // --- definitions -----------------------------------------------------------------------

    async listDefinitions(kind: ActorKind, workspaceId: string): Promise<Definition[]> {
        const wire = WIRE[kind];
        const answer = await this.post<Record<string, (SourceDefinitionRead | DestinationDefinitionRead)[]>>(
            `${wire.definitions}/list_for_workspace`,
            { workspaceId },
            { resource: `workspace ${workspaceId}` },
        );
        const key = kind === "source" ? "sourceDefinitions" : "destinationDefinitions";
        return (answer[key] ?? []).map((d) => ({
            id: (d as unknown as Record<string, string>)[wire.definitionId]!,
            name: d.name,
            dockerRepository: d.dockerRepository,
            dockerImageTag: d.dockerImageTag,
            custom: d.custom,
        }));
    }

    async specification(
        kind: ActorKind,
        definitionId: string,
        workspaceId: string,
        label?: CallLabel,
    ): Promise<ConnectorSpec> {
        const wire = WIRE[kind];
        const spec = await this.post<DestinationDefinitionSpecificationRead>(
            `${wire.specifications}/get`,
            { [wire.definitionId]: definitionId, workspaceId },
            {
                connector: true,
                resource: label?.resource ?? `${kind} definition ${definitionId}`,
            },
        );
        if (spec.jobInfo && spec.jobInfo.succeeded === false) {
            throw new Error(
                `Airbyte could not read the spec of ${kind} definition ${definitionId}: ${spec.jobInfo.failureReason?.externalMessage ?? "the connector's spec job failed"}`,
            );
        }
        return {
            schema: spec.connectionSpecification ?? { type: "object" },
            supportedDestinationSyncModes: spec.supportedDestinationSyncModes,
        };
    }

    // --- sources and destinations -----------------------------------------------------------

    async createActor(kind: ActorKind, body: ActorWrite, label?: CallLabel): Promise<Actor> {
        const wire = WIRE[kind];
        // Not idempotent: names are not unique, so a repeated create makes a second actor.
        const read = await this.post<WireActor>(
            `${wire.family}/create`,
            {
                workspaceId: body.workspaceId,
                name: body.name,
                [wire.definitionId]: body.definitionId,
                connectionConfiguration: body.configuration,
            },
            { idempotent: false, resource: label?.resource ?? `a new ${kind}` },
        );
        return actorFromWire(kind, read);
    }

    async getActor(kind: ActorKind, id: string, label?: CallLabel): Promise<Actor | undefined> {
        const wire = WIRE[kind];
        try {
            return actorFromWire(
                kind,
                await this.post<WireActor>(
                    `${wire.family}/get`,
                    { [wire.id]: id },
                    { resource: label?.resource ?? `${kind} ${id}` },
                ),
            );
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    /**
     * Every live actor of a workspace, following the cursor pagination of servers ≥ 1.8 (older
     * servers ignore the cursor and return everything). When an actor used as the cursor is
     * deleted between two pages, the server answers 404; the listing then starts over.
     */
    async listActors(kind: ActorKind, workspaceId: string, label?: CallLabel): Promise<Actor[]> {
        const wire = WIRE[kind];
        const pageSize = this.options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
        for (let restarts = 0; ; restarts++) {
            const all: Actor[] = [];
            const seen = new Set<string>();
            let cursor: string | undefined;
            try {
                for (;;) {
                    const page = await this.post<Record<string, unknown>>(
                        `${wire.family}/list`,
                        { workspaceId, pageSize, ...(cursor ? { cursor } : {}) },
                        { resource: label?.resource ?? `workspace ${workspaceId}` },
                    );
                    const items = (page[wire.list] as WireActor[] | undefined) ?? [];
                    let fresh = 0;
                    for (const item of items) {
                        const actor = actorFromWire(kind, item);
                        if (seen.has(actor.id)) continue; // servers before 1.8 ignore the cursor and repeat the list
                        seen.add(actor.id);
                        // A listed actor is live, whatever its read looks like.
                        delete actor.possiblyDeleted;
                        all.push(actor);
                        fresh++;
                    }
                    const served = typeof page.page_size === "number" && page.page_size > 0 ? page.page_size : pageSize;
                    if (fresh === 0 || items.length < Math.min(served, pageSize)) return all;
                    cursor = (items[items.length - 1] as Record<string, string>)[wire.id];
                }
            } catch (error) {
                if (!(cursor && isNotFound(error) && restarts < MAX_LISTING_RESTARTS)) throw error;
            }
        }
    }

    async updateActor(
        kind: ActorKind,
        id: string,
        body: Pick<ActorWrite, "name" | "configuration">,
        label?: CallLabel,
    ): Promise<Actor> {
        const wire = WIRE[kind];
        // Full replacement: repeating it yields the same state.
        const read = await this.post<WireActor>(
            `${wire.family}/update`,
            { [wire.id]: id, name: body.name, connectionConfiguration: body.configuration },
            { resource: label?.resource ?? `${kind} ${id}` },
        );
        return actorFromWire(kind, read);
    }

    async deleteActor(kind: ActorKind, id: string, label?: CallLabel): Promise<void> {
        const wire = WIRE[kind];
        try {
            await this.post(
                `${wire.family}/delete`,
                { [wire.id]: id },
                { resource: label?.resource ?? `${kind} ${id}` },
            );
        } catch (error) {
            if (!isNotFound(error)) throw error;
        }
    }

    async checkNewActor(kind: ActorKind, body: ActorWrite, label?: CallLabel): Promise<CheckOutcome> {
        const wire = WIRE[kind];
        return checkOutcome(
            await this.post<CheckConnectionRead>(
                `scheduler/${wire.family}/check_connection`,
                {
                    [wire.definitionId]: body.definitionId,
                    connectionConfiguration: body.configuration,
                    workspaceId: body.workspaceId,
                },
                { connector: true, resource: label?.resource ?? `a new ${kind}` },
            ),
        );
    }

    async checkActorUpdate(
        kind: ActorKind,
        id: string,
        body: Pick<ActorWrite, "name" | "configuration">,
        label?: CallLabel,
    ): Promise<CheckOutcome> {
        const wire = WIRE[kind];
        return checkOutcome(
            await this.post<CheckConnectionRead>(
                `${wire.family}/check_connection_for_update`,
                { [wire.id]: id, name: body.name, connectionConfiguration: body.configuration },
                {
                    connector: true,
                    resource: label?.resource ?? `${kind} ${id}`,
                },
            ),
        );
    }

    async discover(sourceId: string, options: { fresh?: boolean }, label?: CallLabel): Promise<DiscoveredCatalog> {
        const result = await this.post<SourceDiscoverSchemaRead>(
            "sources/discover_schema",
            { sourceId, ...(options.fresh ? { disable_cache: true } : {}) },
            {
                connector: true,
                resource: label?.resource ?? `source ${sourceId}`,
            },
        );
        if (!result.catalog || result.jobInfo?.succeeded === false) {
            const why = result.jobInfo?.failureReason?.externalMessage ?? "the discover job failed";
            throw new Error(`Airbyte could not discover the streams of source ${sourceId}: ${why}`);
        }
        return {
            streams: result.catalog.streams.map((s) => streamFromWire(s.stream)),
            ...(result.catalogId ? { catalogId: result.catalogId } : {}),
        };
    }

    /**
     * `sources/most_recent_source_actor_catalog` (SourceHandler.getMostRecentSourceActorCatalogWithUpdatedAt):
     * the protocol catalog of the source's latest discovery, whatever connector version or
     * configuration it was made with; `{}` when there was none. A database read, no job.
     */
    async latestCatalog(sourceId: string, label?: CallLabel): Promise<DiscoveredCatalog | undefined> {
        const result = await this.post<{ catalog?: { streams?: ProtocolStream[] } | null; updatedAt?: number }>(
            "sources/most_recent_source_actor_catalog",
            { sourceId },
            { resource: label?.resource ?? `source ${sourceId}` },
        );
        const streams = result.catalog?.streams;
        return Array.isArray(streams) ? { streams: streams.map(streamFromProtocol) } : undefined;
    }

    // --- connections -----------------------------------------------------------------------

    async createConnection(body: ConnectionCreate, label?: CallLabel): Promise<Connection> {
        const wire: WireConnectionCreate = {
            sourceId: body.sourceId,
            destinationId: body.destinationId,
            status: body.status,
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...connectionOptions(body),
            ...catalogFields(body.catalog),
            ...scheduleToWire(body.schedule),
        };
        return connectionFromWire(
            await this.post<ConnectionRead>("connections/create", wire, {
                idempotent: false,
                resource: label?.resource ?? "a new connection",
            }),
        );
    }

    async getConnection(id: string, label?: CallLabel): Promise<Connection | undefined> {
        try {
            return connectionFromWire(
                await this.post<ConnectionRead>(
                    "connections/get",
                    { connectionId: id },
                    { resource: label?.resource ?? `connection ${id}` },
                ),
            );
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    async listConnections(workspaceId: string, label?: CallLabel): Promise<Connection[]> {
        const list = await this.post<ConnectionReadList>(
            "connections/list",
            { workspaceId },
            { resource: label?.resource ?? `workspace ${workspaceId}` },
        );
        return (list.connections ?? []).map((c) => connectionFromWire(c)).filter((c) => c.status !== "deleted");
    }

    async updateConnection(id: string, patch: ConnectionPatch, label?: CallLabel): Promise<Connection> {
        // Patch-style: absent fields stay; a present syncCatalog replaces the whole catalog.
        const wire: ConnectionUpdate = {
            connectionId: id,
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...connectionOptions(patch),
            ...catalogFields(patch.catalog),
            ...(patch.schedule ? scheduleToWire(patch.schedule) : {}),
        };
        return connectionFromWire(
            await this.post<ConnectionRead>("connections/update", wire, {
                resource: label?.resource ?? `connection ${id}`,
            }),
        );
    }

    async deleteConnection(id: string, label?: CallLabel): Promise<void> {
        try {
            await this.post(
                "connections/delete",
                { connectionId: id },
                { resource: label?.resource ?? `connection ${id}` },
            );
        } catch (error) {
            if (!isNotFound(error)) throw error;
        }
    }

    /** The Config API expresses every setting the resources offer. */
    connectionProblems(): Problem[] {
        return [];
    }
}
