/**
 * The seam between the provider runtime and an Airbyte server: everything the Source,
 * Destination and Connection providers need, in domain terms (./domain). A backend implements
 * it over one of Airbyte's APIs and owns that API's wire names, pagination, deletion semantics,
 * schedule and catalog encoding and error shapes:
 *
 *   ./config-api   the Config API (`/api/v1`), served by every self-managed Airbyte
 *   ./public-api   the Airbyte API (`/api/public/v1`, Cloud `https://api.airbyte.com/v1`)
 *
 * `./backends` chooses one. Adding a backend means a new folder and a line in that choice.
 */
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
    Problem,
    SyncMode,
    Workspace,
} from "./domain";
import type { BackendName } from "./backends";

export type { BackendName };

/** Names the resource a call is for, so error messages can say so. */
export interface CallLabel {
    resource?: string;
}

/** What a backend can do beyond the common operations. */
export interface BackendCapabilities {
    /** The connector's configuration schema, for validation at preview. */
    connectorSpec: boolean;
    /** Airbyte's connection check of a configuration, before create and update. */
    connectionCheck: boolean;
    /** Reads report, per stream of a connection, what the source defines (cursor, primary key). */
    sourceDefinedStreamFacts: boolean;
    /** Connection writes carry the discovered catalog (the server does not discover on its own). */
    clientBuildsCatalog: boolean;
    /** The (syncMode, destinationSyncMode) pairs the API can express; all when absent. */
    syncModeCombinations?: readonly (readonly [SyncMode, DestinationSyncMode])[];
}

export interface AirbyteBackend {
    readonly name: BackendName;
    /** Normalized server URL, the identity kept in state (e.g. `http://localhost:8000`). */
    readonly serverUrl: string;
    readonly capabilities: BackendCapabilities;

    /** Resolves once the server answers its health endpoint (waits while it starts; see transport). */
    waitUntilReady(): Promise<void>;

    /** The workspace, or undefined when the server has none with this id (or it was deleted). */
    workspace(workspaceId: string, label?: CallLabel): Promise<Workspace | undefined>;
    /** The server's own default workspace, where the API reveals one (Airbyte 0.50.24 to 0.50.50). */
    serverDefaultWorkspaceId(): Promise<string | undefined>;
    /** Every workspace the credentials can use. */
    listWorkspaces(): Promise<Workspace[]>;

    /** The definitions usable in a workspace, custom connectors included. */
    listDefinitions(kind: ActorKind, workspaceId: string): Promise<Definition[]>;
    /** The connector's spec; only with `capabilities.connectorSpec`. */
    specification(
        kind: ActorKind,
        definitionId: string,
        workspaceId: string,
        label?: CallLabel,
    ): Promise<ConnectorSpec>;

    createActor(kind: ActorKind, body: ActorWrite, label?: CallLabel): Promise<Actor>;
    /** The actor, or undefined when the server says it does not exist or was deleted. */
    getActor(kind: ActorKind, id: string, label?: CallLabel): Promise<Actor | undefined>;
    /** Every live actor of a kind in a workspace (all pages). */
    listActors(kind: ActorKind, workspaceId: string, label?: CallLabel): Promise<Actor[]>;
    /** Full replacement of name and configuration. */
    updateActor(
        kind: ActorKind,
        id: string,
        body: Pick<ActorWrite, "name" | "configuration">,
        label?: CallLabel,
    ): Promise<Actor>;
    /** Deletes; an actor that is already gone is not an error. */
    deleteActor(kind: ActorKind, id: string, label?: CallLabel): Promise<void>;
    /** Checks a configuration before anything exists; only with `capabilities.connectionCheck`. */
    checkNewActor(kind: ActorKind, body: ActorWrite, label?: CallLabel): Promise<CheckOutcome>;
    /** Checks an actor's new configuration before an update; only with `capabilities.connectionCheck`. */
    checkActorUpdate(
        kind: ActorKind,
        id: string,
        body: Pick<ActorWrite, "name" | "configuration">,
        label?: CallLabel,
    ): Promise<CheckOutcome>;

    /**
     * The streams a source offers. Airbyte caches discoveries per source, connector version and
     * configuration; `fresh` bypasses that cache (it launches the connector).
     */
    discover(
        sourceId: string,
        options: { fresh?: boolean; destinationId?: string },
        label?: CallLabel,
    ): Promise<DiscoveredCatalog>;

    /**
     * The catalog the server discovered last for a source, read without launching a connector
     * (a discovery is a job that takes seconds to minutes). Undefined when the source was never
     * discovered, or when this API cannot tell without a job. For validation only: writes use
     * `discover`.
     */
    latestCatalog(sourceId: string, label?: CallLabel): Promise<DiscoveredCatalog | undefined>;

    createConnection(body: ConnectionCreate, label?: CallLabel): Promise<Connection>;
    /** The connection, or undefined when it does not exist (a deleted one is returned with status `deleted`). */
    getConnection(id: string, label?: CallLabel): Promise<Connection | undefined>;
    /** Live connections of a workspace. */
    listConnections(workspaceId: string, label?: CallLabel): Promise<Connection[]>;
    updateConnection(id: string, patch: ConnectionPatch, label?: CallLabel): Promise<Connection>;
    /** Deletes; a connection that is already gone is not an error. */
    deleteConnection(id: string, label?: CallLabel): Promise<void>;

    /**
     * What this API cannot express of a connection's desired settings (e.g. a basic schedule on
     * the public API), as check failures naming the property.
     */
    connectionProblems(
        desired: Omit<ConnectionCreate, "catalog" | "sourceId" | "destinationId"> & { rawCatalog?: boolean },
    ): Problem[];
}
