/**
 * Everything the providers know about one Airbyte server during a provider process (one Pulumi
 * command): its backend, and the lookups that do not change within a run (workspaces,
 * definitions, specs, discovered catalogs, listings), each requested at most once and shared by
 * every resource. Contexts live in the process state (../process-state).
 */
import type { AirbyteBackend } from "../client/api";
import { createBackend } from "../client/backends";
import { isServerNotUp } from "../client/readiness";
import type {
    Actor,
    ActorKind,
    Connection,
    ConnectorSpec,
    Definition,
    DiscoveredCatalog,
    Workspace,
} from "../client/domain";
import { log } from "../log";
import { processState } from "../process-state";
import { describeReference, isSecretsManagerReference, SecretsManagerReference } from "../secrets/reference";
import { Memo } from "./memo";
import { isCredentialNotWrittenYet } from "./configuration-store";
import { CredentialValue, ServerSettings, SettingsError, transportSettings } from "./settings";
import { digest } from "./values";

/**
 * The server cannot be checked against yet: its credentials are not in Secrets Manager yet.
 * (A server that does not answer yet shows as `isServerNotUp` errors of the transport.)
 */
export class ServerNotReadyError extends Error {
    override name = "ServerNotReadyError";
}

/**
 * Why `check` cannot validate against the server now, if the reason is one that goes away by
 * itself (a server being installed): the check is then left to apply, which waits for it.
 */
export function notReadyReason(error: unknown, serverUrl: string): string | undefined {
    if (error instanceof ServerNotReadyError) return error.message;
    if (isServerNotUp(error))
        return `the Airbyte server at ${serverUrl} does not answer yet (${(error as Error).message})`;
    return undefined;
}

/** How a credential reference in provider settings is turned into its value. */
export type CredentialResolver = (reference: SecretsManagerReference, settings: ServerSettings) => Promise<string>;

/** How long a listing used to confirm that an actor still exists stays fresh. */
const LISTING_TTL_MS = 15_000;

/** What `listItems` lists: actors of a kind, or connections. */
export type ListedKind = ActorKind | "connection";

/** The default workspace, or why there is none to take. */
export type DefaultWorkspace = { workspaceId: string } | { problem: string };

export class ServerContext {
    private readonly defaultWorkspaceLookup = new Memo<DefaultWorkspace>();
    private readonly workspaces = new Memo<Workspace | undefined>();
    private readonly definitions = new Memo<Definition[]>();
    private readonly specs = new Memo<ConnectorSpec>();
    private readonly catalogs = new Memo<DiscoveredCatalog>();
    private readonly latestCatalogs = new Memo<DiscoveredCatalog | undefined>();
    /** Ids of live actors per kind and workspace (for `isListed`), kept current by `noteListed`. */
    private readonly listings = new Map<string, { expires: number; promise: Promise<Set<string>> }>();
    private readonly actors = new Memo<Actor | undefined>(LISTING_TTL_MS);
    /** The latest full listing per kind and workspace, with the time it was requested. */
    private readonly fullListings = new Map<string, { startedAt: number; promise: Promise<(Actor | Connection)[]> }>();

    /** What this context has said once already (see `warnOnce`). */
    private readonly said = new Set<string>();

    constructor(
        readonly settings: ServerSettings,
        readonly backend: AirbyteBackend,
    ) {}

    /** A warning about this server, shown once per command however many resources it concerns. */
    warnOnce(key: string, message: string): void {
        if (this.said.has(key)) return;
        this.said.add(key);
        log.warn(message);
    }

    get serverUrl(): string {
        return this.backend.serverUrl;
    }

    /**
     * The workspace to use when neither the resource nor the config names one:
     * - the server's own default, where the API reveals it (`instance_configuration` of Airbyte
     *   0.50.24 to 0.50.50: the oldest workspace, `WorkspacePersistence.getDefaultWorkspaceForOrganization`);
     * - else the only workspace there is.
     * With several workspaces and no way to tell the server's default, the provider does not
     * guess (listings sort by name, not age): the answer names them and how to choose.
     */
    defaultWorkspace(): Promise<DefaultWorkspace> {
        return this.defaultWorkspaceLookup.get("default", async () => {
            const serverDefault = await this.backend.serverDefaultWorkspaceId();
            if (serverDefault && (await this.workspace(serverDefault))) return { workspaceId: serverDefault };
            const workspaces = await this.backend.listWorkspaces();
            if (workspaces.length === 1) return { workspaceId: workspaces[0]!.id };
            if (workspaces.length === 0)
                return {
                    problem: `the Airbyte server at ${this.serverUrl} has no workspace these credentials can use; create one, or set workspaceId`,
                };
            const shown = workspaces.slice(0, 10).map((w) => `"${w.name}" (${w.id})`);
            return {
                problem:
                    `the Airbyte server at ${this.serverUrl} has ${workspaces.length} workspaces and does not say which is its default: ${shown.join(", ")}` +
                    `${workspaces.length > shown.length ? ", …" : ""}. Choose one: set workspaceId on the resource, or \`pulumi config set airbyte:workspaceId <id>\` for the whole stack`,
            };
        });
    }

    /** The workspace, or undefined when the server does not know it (or it was deleted). */
    workspace(workspaceId: string): Promise<Workspace | undefined> {
        return this.workspaces.get(workspaceId, () => this.backend.workspace(workspaceId));
    }

    /** The definitions usable in a workspace (custom connectors included). */
    definitionsFor(kind: ActorKind, workspaceId: string): Promise<Definition[]> {
        return this.definitions.get(`${kind}|${workspaceId}`, () => this.backend.listDefinitions(kind, workspaceId));
    }

    /** The connector's spec (and a destination's supported sync modes), where the backend serves specs. */
    specification(kind: ActorKind, definitionId: string, workspaceId: string): Promise<ConnectorSpec> {
        return this.specs.get(`${kind}|${definitionId}|${workspaceId}`, () =>
            this.backend.specification(kind, definitionId, workspaceId),
        );
    }

    /**
     * The source's discovered catalog, once per source and run. Airbyte answers from its cache
     * when it has discovered this source (at this connector version and configuration) before;
     * `fresh` runs the connector instead, for a table added since then.
     */
    discover(
        sourceId: string,
        label: string,
        options: { fresh?: boolean; destinationId?: string } = {},
    ): Promise<DiscoveredCatalog> {
        if (options.fresh) this.catalogs.delete(sourceId);
        return this.catalogs.get(sourceId, () => this.backend.discover(sourceId, options, { resource: label }));
    }

    /**
     * What a preview may know of a source's streams without launching a connector or waiting for
     * one: the catalog this process has discovered already, else the one the server discovered last (a read, no job;
     * `AirbyteBackend.latestCatalog`). Undefined when there is none, or the API cannot tell.
     */
    async catalogWithoutJob(sourceId: string, label: string): Promise<DiscoveredCatalog | undefined> {
        // A discovery still running (another connection's create) is not waited for: `check`
        // holds up the whole engine, one resource at a time.
        const discovered = this.catalogs.settled(sourceId);
        if (discovered) return discovered.value;
        return this.latestCatalogs.get(sourceId, () => this.backend.latestCatalog(sourceId, { resource: label }));
    }

    /** Forgets the discovered catalog of a source whose configuration just changed. */
    forgetCatalog(sourceId: string): void {
        this.catalogs.delete(sourceId);
        this.latestCatalogs.delete(sourceId);
    }

    /**
     * Whether an actor is still listed in its workspace. Airbyte answers reads of deleted
     * (tombstoned) actors with 200, so a listing is the way to tell; it is shared for a few
     * seconds by every resource of the workspace being refreshed.
     */
    async isListed(kind: ActorKind, workspaceId: string, id: string): Promise<boolean> {
        const key = `${kind}|${workspaceId}`;
        let entry = this.listings.get(key);
        if (!entry || entry.expires <= Date.now()) {
            const promise = this.backend.listActors(kind, workspaceId).then((items) => new Set(items.map((i) => i.id)));
            const fresh = { expires: Date.now() + LISTING_TTL_MS, promise };
            entry = fresh;
            this.listings.set(key, fresh);
            promise.catch(() => {
                if (this.listings.get(key) === fresh) this.listings.delete(key);
            });
        }
        return (await entry.promise).has(id);
    }

    /**
     * A source or destination as the server returns it (undefined when it never existed),
     * shared for a few seconds: a connection's check and create both need its two ends.
     */
    actor(kind: ActorKind, id: string): Promise<Actor | undefined> {
        return this.actors.get(`${kind}|${id}`, () => this.backend.getActor(kind, id));
    }

    /** Whether an actor exists, has been deleted, or was never there. */
    async actorState(kind: ActorKind, id: string): Promise<"live" | "deleted" | "missing"> {
        const actor = await this.actor(kind, id);
        if (!actor) return "missing";
        if (!actor.possiblyDeleted) return "live";
        return (await this.isListed(kind, actor.workspaceId, id)) ? "live" : "deleted";
    }

    /**
     * Every live item of a kind in a workspace, from a listing requested at or after `notBefore`
     * (epoch ms). Concurrent callers share one request: 200 creates in one run that each need a
     * listing "from this run" cost one call, while a caller that must see an object created a
     * moment ago passes `Date.now()` and gets a new listing. Failures are not kept.
     */
    listItems(kind: ListedKind, workspaceId: string, notBefore: number): Promise<(Actor | Connection)[]> {
        const key = `${kind}|${workspaceId}`;
        const hit = this.fullListings.get(key);
        if (hit && hit.startedAt >= notBefore) return hit.promise;
        const startedAt = Date.now();
        const promise: Promise<(Actor | Connection)[]> =
            kind === "connection"
                ? this.backend.listConnections(workspaceId)
                : this.backend.listActors(kind, workspaceId);
        const entry = { startedAt, promise };
        this.fullListings.set(key, entry);
        promise.catch(() => {
            if (this.fullListings.get(key) === entry) this.fullListings.delete(key);
        });
        return promise;
    }

    /** Ids of the sources and destinations that a live connection of the workspace uses. */
    async actorsInUse(workspaceId: string, notBefore: number): Promise<Set<string>> {
        const connections = (await this.listItems("connection", workspaceId, notBefore)) as Connection[];
        const ids = new Set<string>();
        for (const c of connections) {
            ids.add(c.sourceId);
            ids.add(c.destinationId);
        }
        return ids;
    }

    /**
     * Records in the cached listing that this process created (`present`) or deleted an actor,
     * rather than dropping the listing: during an `up` that creates many sources, every
     * connection's existence check would otherwise list the workspace again.
     */
    noteListed(kind: ActorKind, workspaceId: string, id: string, present: boolean): void {
        const entry = this.listings.get(`${kind}|${workspaceId}`);
        // Runs before any later `await` of the same promise sees the set.
        void entry?.promise.then(
            (ids) => (present ? ids.add(id) : ids.delete(id)),
            () => undefined,
        );
    }

    /**
     * Remembers an actor as this process's own create or update returned it, for the rest of the
     * run: a connection planned later in the same `pulumi up` then needs no read of its ends.
     */
    rememberActor(actor: Actor): void {
        this.actors.set(`${actor.kind}|${actor.id}`, { ...actor, possiblyDeleted: false }, Number.POSITIVE_INFINITY);
    }

    /** Forgets what is known of one actor after this process changed or deleted it. */
    forgetActor(kind: ActorKind, id: string): void {
        this.actors.delete(`${kind}|${id}`);
    }
}

/** Identity of a server and its credentials, without any secret in clear. */
function contextKey(settings: ServerSettings): string {
    return digest({
        url: settings.serverUrl,
        api: settings.api,
        cloud: settings.cloud,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        token: settings.token,
        username: settings.username,
        password: settings.password,
        ca: settings.caBundle,
        insecure: settings.insecureSkipTlsVerify,
        limits: [
            settings.maxConcurrentRequests,
            settings.requestTimeoutSeconds,
            settings.retryLimit,
            settings.serverReadyTimeoutSeconds,
        ],
    });
}

/** The context for a server and its credentials, shared across resources in this process. */
export function serverContext(settings: ServerSettings, resolveCredential: CredentialResolver): Promise<ServerContext> {
    const contexts = processState().serverContexts as Map<string, Promise<ServerContext>>;
    const key = contextKey(settings);
    let context = contexts.get(key);
    if (!context) {
        context = (async () => {
            const resolve = async (value: CredentialValue, name: string): Promise<string> => {
                if (!isSecretsManagerReference(value)) return value;
                try {
                    return await resolveCredential(value, settings);
                } catch (error) {
                    const message = `could not read airbyte:${name} from ${describeReference(value)}: ${(error as Error).message}`;
                    // A server being installed writes its credentials there at the end.
                    if (isCredentialNotWrittenYet(error)) throw new ServerNotReadyError(message);
                    // A configuration problem: `check` reports it as a failure of the provider settings.
                    throw new SettingsError(message);
                }
            };
            return new ServerContext(settings, createBackend(await transportSettings(settings, resolve), settings));
        })();
        const created = context;
        created.catch(() => {
            if (contexts.get(key) === created) contexts.delete(key);
        });
        contexts.set(key, created);
    }
    return context;
}
