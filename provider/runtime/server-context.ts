/**
 * Everything the providers know about one Airbyte server during a provider process (one Pulumi
 * command): its client and the lookups that do not change within a run (instance
 * configuration, workspaces, definitions, specs, discovered catalogs), each requested at most
 * once and shared by every resource.
 */
import type { AirbyteApi } from "../client/api";
import { createConfigApiClient } from "../client/config-api";
import { AirbyteApiError } from "../client/errors";
import type { AirbyteCatalog, ConnectorSpecSchema, DestinationSyncMode, SourceDiscoverSchemaRead, WorkspaceRead } from "../client/types";
import { describeReference, isSecretsManagerReference, SecretsManagerReference } from "../secrets/reference";
import type { DefinitionSummary } from "./definitions";
import { Memo } from "./memo";
import { CredentialValue, ServerSettings, SettingsError, transportSettings } from "./settings";
import { digest } from "./values";

export type ActorKind = "source" | "destination";

export interface ConnectorSpecification {
    schema: ConnectorSpecSchema;
    supportedDestinationSyncModes?: DestinationSyncMode[];
}

/** How a credential reference in provider settings is turned into its value. */
export type CredentialResolver = (reference: SecretsManagerReference, settings: ServerSettings) => Promise<string>;

/** How long a listing used to confirm that an actor still exists stays fresh. */
const LISTING_TTL_MS = 15_000;

/** What `listItems` lists: actors of a kind, or connections. */
export type ListedKind = ActorKind | "connection";

export class ServerContext {
    private readonly instanceConfig = new Memo<string>();
    private readonly workspaces = new Memo<WorkspaceRead | undefined>();
    private readonly definitions = new Memo<DefinitionSummary[]>();
    private readonly specs = new Memo<ConnectorSpecification>();
    private readonly catalogs = new Memo<SourceDiscoverSchemaRead>();
    /** Ids of live actors per kind and workspace (for `isListed`), kept current by `noteListed`. */
    private readonly listings = new Map<string, { expires: number; promise: Promise<Set<string>> }>();
    private readonly actors = new Memo<Record<string, unknown> | undefined>(LISTING_TTL_MS);
    /** The latest full listing per kind and workspace, with the time it was requested. */
    private readonly fullListings = new Map<string, { startedAt: number; promise: Promise<Record<string, unknown>[]> }>();

    constructor(
        readonly settings: ServerSettings,
        readonly api: AirbyteApi,
    ) {}

    get serverUrl(): string {
        return this.api.serverUrl;
    }

    /**
     * The workspace to use when neither the resource nor the config names one: the server's
     * `defaultWorkspaceId` (`instance_configuration`, servers ≥ 1.7), else the first workspace of
     * `workspaces/list` (older servers).
     */
    defaultWorkspaceId(): Promise<string> {
        return this.instanceConfig.get("default", async () => {
            const instance = await this.api.instanceConfiguration();
            if (instance?.defaultWorkspaceId) return instance.defaultWorkspaceId;
            let workspaces: WorkspaceRead[] = [];
            try {
                workspaces = await this.api.workspaces.listLegacy();
            } catch (error) {
                if (!(error instanceof AirbyteApiError && error.kind === "not_found")) throw error;
                if (instance?.defaultOrganizationId) workspaces = await this.api.workspaces.listByOrganization(instance.defaultOrganizationId);
            }
            const live = workspaces.filter((w) => !w.tombstone);
            if (live.length === 0) throw new Error(`the Airbyte server at ${this.serverUrl} reports no default workspace and lists none; set workspaceId`);
            return live[0].workspaceId;
        });
    }

    /** The workspace, or undefined when the server does not know it. */
    workspace(workspaceId: string): Promise<WorkspaceRead | undefined> {
        return this.workspaces.get(workspaceId, async () => {
            try {
                const w = await this.api.workspaces.get(workspaceId);
                return w.tombstone ? undefined : w;
            } catch (error) {
                if (error instanceof AirbyteApiError && (error.kind === "not_found" || error.statusCode === 422)) return undefined;
                throw error;
            }
        });
    }

    /** The definitions usable in a workspace (custom connectors included). */
    definitionsFor(kind: ActorKind, workspaceId: string): Promise<DefinitionSummary[]> {
        return this.definitions.get(`${kind}|${workspaceId}`, async () => {
            if (kind === "source") {
                return (await this.api.sourceDefinitions.listForWorkspace(workspaceId)).map((d) => ({
                    definitionId: d.sourceDefinitionId,
                    name: d.name,
                    dockerRepository: d.dockerRepository,
                    dockerImageTag: d.dockerImageTag,
                    custom: d.custom,
                }));
            }
            return (await this.api.destinationDefinitions.listForWorkspace(workspaceId)).map((d) => ({
                definitionId: d.destinationDefinitionId,
                name: d.name,
                dockerRepository: d.dockerRepository,
                dockerImageTag: d.dockerImageTag,
                custom: d.custom,
            }));
        });
    }

    /** The connector's `connectionSpecification` (and a destination's supported sync modes). */
    specification(kind: ActorKind, definitionId: string, workspaceId: string): Promise<ConnectorSpecification> {
        return this.specs.get(`${kind}|${definitionId}|${workspaceId}`, async () => {
            const spec =
                kind === "source"
                    ? await this.api.sourceDefinitions.getSpecification(definitionId, workspaceId)
                    : await this.api.destinationDefinitions.getSpecification(definitionId, workspaceId);
            if (spec.jobInfo && spec.jobInfo.succeeded === false) {
                throw new Error(`Airbyte could not read the spec of ${kind} definition ${definitionId}: ${spec.jobInfo.failureReason?.externalMessage ?? "the connector's spec job failed"}`);
            }
            return {
                schema: spec.connectionSpecification ?? { type: "object" },
                supportedDestinationSyncModes: (spec as { supportedDestinationSyncModes?: DestinationSyncMode[] }).supportedDestinationSyncModes,
            };
        });
    }

    /** The source's discovered catalog, once per source and run (Airbyte caches it too). */
    discover(sourceId: string, label: string): Promise<SourceDiscoverSchemaRead & { catalog: AirbyteCatalog }> {
        return this.catalogs.get(sourceId, async () => {
            const result = await this.api.sources.discoverSchema(sourceId, {}, { resource: label });
            if (!result.catalog || result.jobInfo?.succeeded === false) {
                const why = result.jobInfo?.failureReason?.externalMessage ?? "the discover job failed";
                throw new Error(`Airbyte could not discover the streams of source ${sourceId}: ${why}`);
            }
            return result;
        }) as Promise<SourceDiscoverSchemaRead & { catalog: AirbyteCatalog }>;
    }

    /** Forgets the discovered catalog of a source whose configuration just changed. */
    forgetCatalog(sourceId: string): void {
        this.catalogs.delete(sourceId);
    }

    /**
     * Whether an actor is still listed in its workspace. `sources/get` answers 200 for deleted
     * (tombstoned) actors, so a listing is the way to tell; it is shared for a few seconds by
     * every resource of the workspace being refreshed.
     */
    async isListed(kind: ActorKind, workspaceId: string, id: string): Promise<boolean> {
        const key = `${kind}|${workspaceId}`;
        let entry = this.listings.get(key);
        if (!entry || entry.expires <= Date.now()) {
            const promise = (async () => {
                const items = kind === "source" ? await this.api.sources.list(workspaceId) : await this.api.destinations.list(workspaceId);
                return new Set(items.map((i) => (kind === "source" ? (i as { sourceId: string }).sourceId : (i as { destinationId: string }).destinationId)));
            })();
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
     * A source or destination as `get` returns it (undefined on 404), shared for a few seconds:
     * a connection's check and create both need its two ends.
     */
    actor(kind: ActorKind, id: string): Promise<Record<string, unknown> | undefined> {
        return this.actors.get(`${kind}|${id}`, async () => {
            try {
                return (kind === "source" ? await this.api.sources.get(id) : await this.api.destinations.get(id)) as unknown as Record<string, unknown>;
            } catch (error) {
                if (error instanceof AirbyteApiError && error.kind === "not_found") return undefined;
                throw error;
            }
        });
    }

    /** Whether an actor exists, has been deleted (tombstoned), or was never there. */
    async actorState(kind: ActorKind, id: string): Promise<"live" | "deleted" | "missing"> {
        const actor = await this.actor(kind, id);
        if (!actor) return "missing";
        return (await this.isListed(kind, actor.workspaceId as string, id)) ? "live" : "deleted";
    }

    /**
     * Every live item of a kind in a workspace, from a listing requested at or after `notBefore`
     * (epoch ms). Concurrent callers share one request: 200 creates in one run that each need a
     * listing "from this run" cost one call, while a caller that must see an object created a
     * moment ago passes `Date.now()` and gets a new listing. Failures are not kept.
     */
    listItems(kind: ListedKind, workspaceId: string, notBefore: number): Promise<Record<string, unknown>[]> {
        const key = `${kind}|${workspaceId}`;
        const hit = this.fullListings.get(key);
        if (hit && hit.startedAt >= notBefore) return hit.promise;
        const startedAt = Date.now();
        const promise = (async () => {
            if (kind === "connection") return (await this.api.connections.list(workspaceId)) as unknown as Record<string, unknown>[];
            const items = kind === "source" ? await this.api.sources.list(workspaceId) : await this.api.destinations.list(workspaceId);
            return items as unknown as Record<string, unknown>[];
        })();
        const entry = { startedAt, promise };
        this.fullListings.set(key, entry);
        promise.catch(() => {
            if (this.fullListings.get(key) === entry) this.fullListings.delete(key);
        });
        return promise;
    }

    /** Ids of the sources and destinations that a live connection of the workspace uses. */
    async actorsInUse(workspaceId: string, notBefore: number): Promise<Set<string>> {
        const connections = await this.listItems("connection", workspaceId, notBefore);
        const ids = new Set<string>();
        for (const c of connections) {
            if (c.status === "deprecated") continue;
            ids.add(c.sourceId as string);
            ids.add(c.destinationId as string);
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
     * run: a connection planned later in the same `pulumi up` then needs no `get` for its ends.
     */
    rememberActor(kind: ActorKind, id: string, actor: Record<string, unknown>): void {
        this.actors.set(`${kind}|${id}`, actor, Number.POSITIVE_INFINITY);
    }

    /** Forgets what is known of one actor after this process changed or deleted it. */
    forgetActor(kind: ActorKind, id: string): void {
        this.actors.delete(`${kind}|${id}`);
    }
}

const contexts = new Map<string, Promise<ServerContext>>();

/** Identity of a server and its credentials, without any secret in clear. */
function contextKey(settings: ServerSettings): string {
    return digest({
        url: settings.serverUrl,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        token: settings.token,
        username: settings.username,
        password: settings.password,
        ca: settings.caBundle,
        insecure: settings.insecureSkipTlsVerify,
        limits: [settings.maxConcurrentRequests, settings.requestTimeoutSeconds, settings.retryLimit],
    });
}

/** The context for a server and its credentials, shared across resources in this process. */
export function serverContext(settings: ServerSettings, resolveCredential: CredentialResolver): Promise<ServerContext> {
    const key = contextKey(settings);
    let context = contexts.get(key);
    if (!context) {
        context = (async () => {
            const resolve = async (value: CredentialValue, name: string): Promise<string> => {
                if (!isSecretsManagerReference(value)) return value;
                try {
                    return await resolveCredential(value, settings);
                } catch (error) {
                    // A configuration problem: `check` reports it as a failure of the provider settings.
                    throw new SettingsError(`could not read airbyte:${name} from ${describeReference(value)}: ${(error as Error).message}`);
                }
            };
            return new ServerContext(settings, createConfigApiClient(await transportSettings(settings, resolve)));
        })();
        context.catch(() => contexts.delete(key));
        contexts.set(key, context);
    }
    return context;
}

/** Forgets every server context and its cached lookups (a new provider process starts empty). */
export function clearServerContexts(): void {
    contexts.clear();
}
