/**
 * The seam between the resources and Airbyte: everything the Source, Destination and Connection
 * providers need from a server, as one interface. `ConfigApiClient` implements it over the
 * Config API (`/api/v1`). A backend for the public API (`/api/public/v1`, the only API Airbyte
 * Cloud offers) can implement the same interface and map its models, without touching the
 * resources.
 *
 * Models are the Config API's (./types), the richest of the two; the public API's are a subset.
 */
import type {
    AirbyteCatalog,
    CheckConnectionRead,
    ConnectionCreate,
    ConnectionRead,
    ConnectionUpdate,
    ConnectorConfiguration,
    DestinationCreate,
    DestinationDefinitionRead,
    DestinationDefinitionSpecificationRead,
    DestinationRead,
    DestinationUpdate,
    InstanceConfiguration,
    JobInfoRead,
    SourceCreate,
    SourceDefinitionRead,
    SourceDefinitionSpecificationRead,
    SourceDiscoverSchemaRead,
    SourceRead,
    SourceUpdate,
    WorkspaceRead,
} from "./types";

/** Names the resource a call is for, so error messages can say so. */
export interface CallLabel {
    resource?: string;
}

export interface WorkspacesApi {
    get(workspaceId: string, label?: CallLabel): Promise<WorkspaceRead>;
    getBySlug(slug: string, label?: CallLabel): Promise<WorkspaceRead>;
    listByOrganization(organizationId: string): Promise<WorkspaceRead[]>;
    /** `workspaces/list`, removed in Airbyte 1.7; for older servers only. */
    listLegacy(): Promise<WorkspaceRead[]>;
}

export interface DefinitionsApi<Definition, Specification> {
    /** The definitions usable in a workspace, custom connectors included. */
    listForWorkspace(workspaceId: string): Promise<Definition[]>;
    get(definitionId: string, label?: CallLabel): Promise<Definition>;
    getSpecification(definitionId: string, workspaceId: string, label?: CallLabel): Promise<Specification>;
}

export interface ActorsApi<Create, Update, Read> {
    create(body: Create, label?: CallLabel): Promise<Read>;
    get(id: string, label?: CallLabel): Promise<Read>;
    /** Every item, following the cursor pagination of servers ≥ 1.8. Deleted actors are not listed. */
    list(workspaceId: string, label?: CallLabel): Promise<Read[]>;
    update(body: Update, label?: CallLabel): Promise<Read>;
    delete(id: string, label?: CallLabel): Promise<void>;
    checkConnection(id: string, label?: CallLabel): Promise<CheckConnectionRead>;
    checkConnectionForUpdate(body: Update, label?: CallLabel): Promise<CheckConnectionRead>;
    /** Checks a configuration before anything exists (`scheduler/*​/check_connection`). */
    checkConfiguration(definitionId: string, configuration: ConnectorConfiguration, workspaceId: string, label?: CallLabel): Promise<CheckConnectionRead>;
}

export interface SourcesApi extends ActorsApi<SourceCreate, SourceUpdate, SourceRead> {
    discoverSchema(sourceId: string, options?: { disableCache?: boolean }, label?: CallLabel): Promise<SourceDiscoverSchemaRead>;
}

export type DestinationsApi = ActorsApi<DestinationCreate, DestinationUpdate, DestinationRead>;

export interface ConnectionsApi {
    create(body: ConnectionCreate, label?: CallLabel): Promise<ConnectionRead>;
    get(connectionId: string, label?: CallLabel): Promise<ConnectionRead>;
    /** Connections of a workspace (not paginated; deleted ones excluded). */
    list(workspaceId: string, label?: CallLabel): Promise<ConnectionRead[]>;
    update(body: ConnectionUpdate, label?: CallLabel): Promise<ConnectionRead>;
    delete(connectionId: string, label?: CallLabel): Promise<void>;
    sync(connectionId: string, label?: CallLabel): Promise<JobInfoRead>;
}

export interface JobsApi {
    get(jobId: number): Promise<JobInfoRead>;
}

export interface AirbyteApi {
    /** Normalized base URL, e.g. `http://localhost:8000`. */
    readonly serverUrl: string;
    /** `GET /api/v1/instance_configuration`; undefined where the server has none (Cloud). */
    instanceConfiguration(): Promise<InstanceConfiguration | undefined>;
    readonly workspaces: WorkspacesApi;
    readonly sourceDefinitions: DefinitionsApi<SourceDefinitionRead, SourceDefinitionSpecificationRead>;
    readonly destinationDefinitions: DefinitionsApi<DestinationDefinitionRead, DestinationDefinitionSpecificationRead>;
    readonly sources: SourcesApi;
    readonly destinations: DestinationsApi;
    readonly connections: ConnectionsApi;
    readonly jobs: JobsApi;
}

export type { AirbyteCatalog };
