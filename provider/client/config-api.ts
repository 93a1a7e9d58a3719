/**
 * `AirbyteApi` over Airbyte's Config API (`POST /api/v1/<family>/<method>`), the API of
 * self-managed Airbyte. Field names, pagination and status codes are described in
 * airbyte-platform's `config.yaml`; version differences are handled here, not in the resources.
 */
import type {
    ActorsApi,
    AirbyteApi,
    CallLabel,
    ConnectionsApi,
    DefinitionsApi,
    DestinationsApi,
    JobsApi,
    SourcesApi,
    WorkspacesApi,
} from "./api";
import { AirbyteApiError } from "./errors";
import { AirbyteTransport, TransportSettings } from "./transport";
import type {
    CheckConnectionRead,
    ConnectionRead,
    ConnectionReadList,
    ConnectorConfiguration,
    DestinationDefinitionRead,
    DestinationDefinitionSpecificationRead,
    DestinationRead,
    InstanceConfiguration,
    JobInfoRead,
    SourceDefinitionRead,
    SourceDefinitionSpecificationRead,
    SourceDiscoverSchemaRead,
    SourceRead,
    WorkspaceRead,
    WorkspaceReadList,
} from "./types";

/** Page size asked of `sources/list` and `destinations/list`; the server default is 20. */
export const DEFAULT_LIST_PAGE_SIZE = 100;

/** The wire names that differ between sources and destinations. */
interface ActorKind {
    family: "sources" | "destinations";
    idField: "sourceId" | "destinationId";
    definitionIdField: "sourceDefinitionId" | "destinationDefinitionId";
    listField: "sources" | "destinations";
    noun: "source" | "destination";
}

const SOURCE: ActorKind = { family: "sources", idField: "sourceId", definitionIdField: "sourceDefinitionId", listField: "sources", noun: "source" };
const DESTINATION: ActorKind = {
    family: "destinations",
    idField: "destinationId",
    definitionIdField: "destinationDefinitionId",
    listField: "destinations",
    noun: "destination",
};

function label(label: CallLabel | undefined, fallback: string): string {
    return label?.resource ?? fallback;
}

class ConfigApiActors<Create, Update, Read> implements ActorsApi<Create, Update, Read> {
    constructor(
        protected readonly transport: AirbyteTransport,
        protected readonly kind: ActorKind,
        protected readonly pageSize = DEFAULT_LIST_PAGE_SIZE,
    ) {}

    create(body: Create, l?: CallLabel): Promise<Read> {
        // Not idempotent: names are not unique, so a repeated create makes a second actor.
        return this.transport.call(`${this.kind.family}/create`, body, { idempotent: false, resource: label(l, `a new ${this.kind.noun}`) });
    }

    get(id: string, l?: CallLabel): Promise<Read> {
        return this.transport.call(`${this.kind.family}/get`, { [this.kind.idField]: id }, { idempotent: true, resource: label(l, `${this.kind.noun} ${id}`) });
    }

    async list(workspaceId: string, l?: CallLabel): Promise<Read[]> {
        const all: Read[] = [];
        const seen = new Set<string>();
        let cursor: string | undefined;
        for (;;) {
            const page = await this.transport.call<Record<string, unknown>>(
                `${this.kind.family}/list`,
                { workspaceId, pageSize: this.pageSize, ...(cursor ? { cursor } : {}) },
                { idempotent: true, resource: label(l, `workspace ${workspaceId}`) },
            );
            const items = (page?.[this.kind.listField] as Read[] | undefined) ?? [];
            let fresh = 0;
            for (const item of items) {
                const id = (item as Record<string, string>)[this.kind.idField];
                if (seen.has(id)) continue; // servers before 1.8 ignore the cursor and repeat the list
                seen.add(id);
                all.push(item);
                fresh++;
            }
            const pageSize = typeof page?.page_size === "number" && page.page_size > 0 ? page.page_size : this.pageSize;
            if (fresh === 0 || items.length < Math.min(pageSize, this.pageSize)) return all;
            cursor = (items[items.length - 1] as Record<string, string>)[this.kind.idField];
        }
    }

    update(body: Update, l?: CallLabel): Promise<Read> {
        // Full replacement: repeating it yields the same state.
        const id = (body as Record<string, string>)[this.kind.idField];
        return this.transport.call(`${this.kind.family}/update`, body, { idempotent: true, resource: label(l, `${this.kind.noun} ${id}`) });
    }

    delete(id: string, l?: CallLabel): Promise<void> {
        return this.transport.call(`${this.kind.family}/delete`, { [this.kind.idField]: id }, { idempotent: true, resource: label(l, `${this.kind.noun} ${id}`) });
    }

    checkConnection(id: string, l?: CallLabel): Promise<CheckConnectionRead> {
        return this.transport.call(`${this.kind.family}/check_connection`, { [this.kind.idField]: id }, { idempotent: true, connector: true, resource: label(l, `${this.kind.noun} ${id}`) });
    }

    checkConnectionForUpdate(body: Update, l?: CallLabel): Promise<CheckConnectionRead> {
        const id = (body as Record<string, string>)[this.kind.idField];
        return this.transport.call(`${this.kind.family}/check_connection_for_update`, body, {
            idempotent: true,
            connector: true,
            resource: label(l, `${this.kind.noun} ${id}`),
        });
    }

    checkConfiguration(definitionId: string, connectionConfiguration: ConnectorConfiguration, workspaceId: string, l?: CallLabel): Promise<CheckConnectionRead> {
        return this.transport.call(
            `scheduler/${this.kind.family}/check_connection`,
            { [this.kind.definitionIdField]: definitionId, connectionConfiguration, workspaceId },
            { idempotent: true, connector: true, resource: label(l, `a new ${this.kind.noun}`) },
        );
    }
}

class ConfigApiSources extends ConfigApiActors<import("./types").SourceCreate, import("./types").SourceUpdate, SourceRead> implements SourcesApi {
    discoverSchema(sourceId: string, options: { disableCache?: boolean } = {}, l?: CallLabel): Promise<SourceDiscoverSchemaRead> {
        return this.transport.call(
            "sources/discover_schema",
            { sourceId, ...(options.disableCache ? { disable_cache: true } : {}) },
            { idempotent: true, connector: true, resource: label(l, `source ${sourceId}`) },
        );
    }
}

export class ConfigApiClient implements AirbyteApi {
    readonly serverUrl: string;
    readonly workspaces: WorkspacesApi;
    readonly sourceDefinitions: DefinitionsApi<SourceDefinitionRead, SourceDefinitionSpecificationRead>;
    readonly destinationDefinitions: DefinitionsApi<DestinationDefinitionRead, DestinationDefinitionSpecificationRead>;
    readonly sources: SourcesApi;
    readonly destinations: DestinationsApi;
    readonly connections: ConnectionsApi;
    readonly jobs: JobsApi;

    constructor(
        readonly transport: AirbyteTransport,
        options: { listPageSize?: number } = {},
    ) {
        this.serverUrl = transport.serverUrl;
        const t = transport;
        this.workspaces = {
            get: (workspaceId, l) => t.call<WorkspaceRead>("workspaces/get", { workspaceId }, { idempotent: true, resource: label(l, `workspace ${workspaceId}`) }),
            getBySlug: (slug, l) => t.call<WorkspaceRead>("workspaces/get_by_slug", { slug }, { idempotent: true, resource: label(l, `workspace slug "${slug}"`) }),
            listByOrganization: async (organizationId) =>
                (await t.call<WorkspaceReadList>("workspaces/list_by_organization_id", { organizationId }, { idempotent: true, resource: `organization ${organizationId}` })).workspaces ?? [],
            listLegacy: async () => (await t.call<WorkspaceReadList>("workspaces/list", {}, { idempotent: true })).workspaces ?? [],
        };
        this.sourceDefinitions = {
            listForWorkspace: async (workspaceId) =>
                (await t.call<{ sourceDefinitions: SourceDefinitionRead[] }>("source_definitions/list_for_workspace", { workspaceId }, { idempotent: true, resource: `workspace ${workspaceId}` }))
                    .sourceDefinitions ?? [],
            get: (sourceDefinitionId, l) => t.call("source_definitions/get", { sourceDefinitionId }, { idempotent: true, resource: label(l, `source definition ${sourceDefinitionId}`) }),
            getSpecification: (sourceDefinitionId, workspaceId, l) =>
                t.call("source_definition_specifications/get", { sourceDefinitionId, workspaceId }, { idempotent: true, connector: true, resource: label(l, `source definition ${sourceDefinitionId}`) }),
        };
        this.destinationDefinitions = {
            listForWorkspace: async (workspaceId) =>
                (
                    await t.call<{ destinationDefinitions: DestinationDefinitionRead[] }>(
                        "destination_definitions/list_for_workspace",
                        { workspaceId },
                        { idempotent: true, resource: `workspace ${workspaceId}` },
                    )
                ).destinationDefinitions ?? [],
            get: (destinationDefinitionId, l) =>
                t.call("destination_definitions/get", { destinationDefinitionId }, { idempotent: true, resource: label(l, `destination definition ${destinationDefinitionId}`) }),
            getSpecification: (destinationDefinitionId, workspaceId, l) =>
                t.call(
                    "destination_definition_specifications/get",
                    { destinationDefinitionId, workspaceId },
                    { idempotent: true, connector: true, resource: label(l, `destination definition ${destinationDefinitionId}`) },
                ),
        };
        this.sources = new ConfigApiSources(t, SOURCE, options.listPageSize);
        this.destinations = new ConfigApiActors(t, DESTINATION, options.listPageSize);
        this.connections = {
            create: (body, l) => t.call<ConnectionRead>("connections/create", body, { idempotent: false, resource: label(l, "a new connection") }),
            get: (connectionId, l) => t.call<ConnectionRead>("connections/get", { connectionId }, { idempotent: true, resource: label(l, `connection ${connectionId}`) }),
            list: async (workspaceId, l) =>
                (await t.call<ConnectionReadList>("connections/list", { workspaceId }, { idempotent: true, resource: label(l, `workspace ${workspaceId}`) })).connections ?? [],
            update: (body, l) => {
                if ("schedule" in (body as object)) {
                    // The server answers 500 to a legacy `schedule` in an update; never send one.
                    throw new Error("connections/update must not carry the legacy `schedule` field; use scheduleType/scheduleData");
                }
                return t.call<ConnectionRead>("connections/update", body, { idempotent: true, resource: label(l, `connection ${body.connectionId}`) });
            },
            delete: (connectionId, l) => t.call<void>("connections/delete", { connectionId }, { idempotent: true, resource: label(l, `connection ${connectionId}`) }),
            sync: (connectionId, l) => t.call<JobInfoRead>("connections/sync", { connectionId }, { idempotent: false, resource: label(l, `connection ${connectionId}`) }),
        };
        this.jobs = {
            get: (id) => t.call<JobInfoRead>("jobs/get", { id }, { idempotent: true, resource: `job ${id}` }),
        };
    }

    async instanceConfiguration(): Promise<InstanceConfiguration | undefined> {
        try {
            return await this.transport.call<InstanceConfiguration>("instance_configuration", undefined, { idempotent: true, method: "GET" });
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") return undefined;
            throw error;
        }
    }
}

/** Creates the Config API client for a server. */
export function createConfigApiClient(settings: TransportSettings, options: { listPageSize?: number } = {}): ConfigApiClient {
    return new ConfigApiClient(new AirbyteTransport(settings), options);
}
