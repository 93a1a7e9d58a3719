/**
 * The provider behind `Connection`.
 *
 * Users choose streams by name; at create and update the source's catalog is discovered and
 * `syncCatalog` is built from it (./catalog). State keeps the selections, the schedule in
 * canonical form, the options the user set, and a digest of the discovered streams, never the
 * json schemas of every stream.
 *
 * State layout (inputs after `check`, and outputs):
 *   sourceId, destinationId, name?, streams? | syncCatalog?, schedule, status, namespaceDefinition?,
 *   namespaceFormat?, prefix?, nonBreakingChangesPreference?, adoptId?, server?   — the user's
 *   resolved: { serverUrl, nameFromServer? }                                       — derived
 *   connectionId, workspaceId, catalogDigest, streamCount                          — outputs only
 */
import { AirbyteApiError } from "../client/errors";
import type { AirbyteCatalog, ConnectionCreate, ConnectionRead, ConnectionUpdate, DestinationSyncMode } from "../client/types";
import { log } from "../log";
import { redact } from "../redact";
import { buildSyncCatalog, normalizeRawCatalog, normalizeStreams, projectCatalog, selectionsFromLive, StreamSelection } from "./catalog";
import { resolveCredentialReference, settingsForResource } from "./configuration-store";
import { CheckFailure, CheckResult, CreateResult, DiffResult, DynamicProvider, PartialCreateError, ReadResult, UpdateResult } from "./provider-types";
import { CanonicalSchedule, normalizeSchedule, Problem, scheduleFromApi, scheduleToApi } from "./schedule";
import { createWithReconciliation, serializedByKey, trackId, unclaimedNewestFirst } from "./reconciliation";
import { serverContext, ServerContext } from "./server-context";
import { ServerOverride, ServerSettings, SettingsError } from "./settings";
import { compact, containsUnknown, deepEqual, digest, isPlainObject, isUnknown, isUuid, omit, requireUuidFromState, UNKNOWN } from "./values";

const STATUSES = ["active", "inactive"];
const NAMESPACE_DEFINITIONS = ["source", "destination", "customformat"];
const NON_BREAKING_PREFERENCES = ["ignore", "disable", "propagate_columns", "propagate_fully"];

/** Options sent as given; when the user stops setting one, the server default is restored. */
const OPTION_DEFAULTS = {
    namespaceDefinition: "source",
    namespaceFormat: "${SOURCE_NAMESPACE}",
    prefix: "",
    nonBreakingChangesPreference: "ignore",
} as const;
type OptionName = keyof typeof OPTION_DEFAULTS;
const OPTIONS = Object.keys(OPTION_DEFAULTS) as OptionName[];

const USER_KEYS = ["sourceId", "destinationId", "name", "streams", "syncCatalog", "schedule", "status", ...OPTIONS, "adoptId", "server"] as const;
const OUTPUT_KEYS = ["connectionId", "workspaceId", "catalogDigest", "streamCount", "serverUrl"];

export interface ResolvedConnection {
    serverUrl: string;
    /** The name was chosen by Airbyte ("<source> <> <destination>"), not the user. */
    nameFromServer?: boolean;
}

export interface ConnectionInputs {
    sourceId: string;
    destinationId: string;
    name?: string;
    streams?: StreamSelection[];
    syncCatalog?: AirbyteCatalog;
    schedule: CanonicalSchedule;
    status: "active" | "inactive";
    namespaceDefinition?: string;
    namespaceFormat?: string;
    prefix?: string;
    nonBreakingChangesPreference?: string;
    adoptId?: string;
    server?: ServerOverride;
    resolved?: ResolvedConnection;
}

function userInputs(props: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of USER_KEYS) if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
    return out;
}

function label(inputs: { name?: unknown }, id?: string): string {
    return typeof inputs.name === "string" ? `connection "${inputs.name}"` : id ? `connection ${id}` : "the connection";
}

/** Validates the shape and returns the normalized inputs (sorted streams, canonical schedule, defaults). */
function normalize(news: Record<string, unknown>): { inputs: Record<string, unknown>; problems: Problem[] } {
    const problems: Problem[] = [];
    const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);
    for (const key of Object.keys(news)) {
        if (!(USER_KEYS as readonly string[]).includes(key) && key !== "resolved" && key !== "__provider" && !OUTPUT_KEYS.includes(key)) {
            problems.push({ property: key, reason: `is not a connection argument; allowed: ${USER_KEYS.join(", ")}` });
        }
    }
    for (const key of ["sourceId", "destinationId"] as const) {
        if (news[key] === undefined || news[key] === null) problems.push({ property: key, reason: `is required: the ${key === "sourceId" ? "source" : "destination"}'s id (e.g. ${key === "sourceId" ? "source.sourceId" : "destination.destinationId"})` });
        else if (known(news[key]) && !isUuid(news[key])) problems.push({ property: key, reason: `must be a UUID; got ${JSON.stringify(news[key])}` });
    }
    if (known(news.adoptId) && !isUuid(news.adoptId)) problems.push({ property: "adoptId", reason: `must be a UUID; got ${JSON.stringify(news.adoptId)}` });
    if (known(news.name) && (typeof news.name !== "string" || news.name.trim() === "")) problems.push({ property: "name", reason: "must be a non-empty string" });
    if (known(news.status) && !STATUSES.includes(news.status as string)) problems.push({ property: "status", reason: `must be one of: ${STATUSES.join(", ")}; got ${JSON.stringify(news.status)}` });
    if (known(news.namespaceDefinition) && !NAMESPACE_DEFINITIONS.includes(news.namespaceDefinition as string)) {
        problems.push({ property: "namespaceDefinition", reason: `must be one of: ${NAMESPACE_DEFINITIONS.join(", ")}; got ${JSON.stringify(news.namespaceDefinition)}` });
    }
    if (known(news.namespaceFormat)) {
        if (typeof news.namespaceFormat !== "string") problems.push({ property: "namespaceFormat", reason: "must be a string such as \"${SOURCE_NAMESPACE}_raw\"" });
        else if (known(news.namespaceDefinition) && news.namespaceDefinition !== "customformat") {
            problems.push({ property: "namespaceFormat", reason: 'only applies with namespaceDefinition: "customformat"' });
        }
    }
    if (known(news.prefix) && typeof news.prefix !== "string") problems.push({ property: "prefix", reason: "must be a string" });
    if (known(news.nonBreakingChangesPreference) && !NON_BREAKING_PREFERENCES.includes(news.nonBreakingChangesPreference as string)) {
        problems.push({ property: "nonBreakingChangesPreference", reason: `must be one of: ${NON_BREAKING_PREFERENCES.join(", ")}; got ${JSON.stringify(news.nonBreakingChangesPreference)}` });
    }
    if (known(news.server)) {
        const server = news.server as Record<string, unknown>;
        if (!isPlainObject(server) || (!known(server.url) && !isUnknown(server.url))) problems.push({ property: "server", reason: "must be { url, profile?, workspaceId? }" });
    }
    if (news.streams !== undefined && news.streams !== null && news.syncCatalog !== undefined && news.syncCatalog !== null) {
        problems.push({ property: "syncCatalog", reason: "give either streams (by name) or a raw syncCatalog, not both" });
    }
    const streams = normalizeStreams(news.streams);
    const catalog = normalizeRawCatalog(news.syncCatalog);
    const schedule = normalizeSchedule(news.schedule);
    problems.push(...streams.problems, ...catalog.problems, ...schedule.problems);
    const inputs: Record<string, unknown> = {
        ...omit(news, [...OUTPUT_KEYS, "streams", "syncCatalog", "schedule", "status"]),
        ...(streams.streams !== undefined ? { streams: streams.streams } : {}),
        ...(catalog.catalog !== undefined ? { syncCatalog: catalog.catalog } : {}),
        schedule: schedule.schedule ?? news.schedule,
        status: news.status ?? "active",
    };
    return { inputs, problems };
}

function failures(problems: Problem[]): CheckFailure[] {
    return problems.map((p) => ({ property: p.property, reason: redact(p.reason) }));
}

/** Where a listed connection keeps its id and creation time (epoch seconds). */
const CONNECTION_FIELDS = { id: "connectionId", createdAt: "created_at" };

export function connectionProvider(): DynamicProvider {
    async function contextFor(settings: ServerSettings): Promise<ServerContext> {
        return serverContext(settings, resolveCredentialReference);
    }

    /** Whether a source or destination exists and is not deleted. */
    async function actorProblem(context: ServerContext, kind: "source" | "destination", id: string): Promise<string | undefined> {
        const state = await context.actorState(kind, id);
        if (state === "missing") return `there is no ${kind} ${id} on ${context.serverUrl}`;
        if (state === "deleted") return `${kind} ${id} has been deleted in Airbyte`;
        return undefined;
    }

    async function supportedDestinationSyncModes(context: ServerContext, destinationId: string): Promise<DestinationSyncMode[] | undefined> {
        const destination = (await context.actor("destination", destinationId)) as { destinationDefinitionId: string; workspaceId: string };
        const spec = await context.specification("destination", destination.destinationDefinitionId, destination.workspaceId);
        return spec.supportedDestinationSyncModes;
    }

    /** Discovers the source and builds the catalog the inputs ask for. */
    async function plannedCatalog(
        context: ServerContext,
        inputs: ConnectionInputs,
        rawStreams?: unknown[],
    ): Promise<{ catalog?: AirbyteCatalog; sourceCatalogId?: string; catalogDigest?: string; problems: Problem[] }> {
        if (inputs.syncCatalog) {
            return { catalog: inputs.syncCatalog, catalogDigest: digest(inputs.syncCatalog.streams.map((s) => s.stream)), problems: [] };
        }
        const discovered = await context.discover(inputs.sourceId, label(inputs));
        const destinationModes = await supportedDestinationSyncModes(context, inputs.destinationId);
        const built = buildSyncCatalog(discovered.catalog, inputs.streams ?? [], { supportedDestinationSyncModes: destinationModes, rawStreams });
        return { catalog: built.catalog, sourceCatalogId: discovered.catalogId, catalogDigest: built.catalogDigest, problems: built.problems };
    }

    async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
        const { inputs, problems } = normalize(news);
        if (problems.length) return { inputs, failures: failures(problems) };
        const server = inputs.server as ServerOverride | undefined;
        let settings: ServerSettings;
        try {
            settings = settingsForResource(isUnknown(server?.url) ? undefined : server);
        } catch (error) {
            return { inputs, failures: [{ property: server ? "server" : "provider", reason: redact((error as Error).message) }] };
        }
        const oldResolved = olds.resolved as ResolvedConnection | undefined;
        const unchanged = oldResolved !== undefined && !containsUnknown(inputs) && deepEqual(userInputs(olds), userInputs(inputs)) && oldResolved.serverUrl === settings.serverUrl;
        if (unchanged) return { inputs: { ...inputs, resolved: oldResolved } };

        const resolved: ResolvedConnection = { serverUrl: isUnknown(server?.url) ? UNKNOWN : settings.serverUrl };
        // With both ends known (not at the first preview of a new stack), validate the streams
        // against the source's real catalog now rather than failing at apply.
        if (!isUnknown(server?.url) && !isUnknown(inputs.sourceId) && !isUnknown(inputs.destinationId) && !containsUnknown(inputs.streams)) {
            let context: ServerContext;
            try {
                context = await contextFor(settings);
            } catch (error) {
                if (error instanceof SettingsError) return { inputs, failures: [{ property: server ? "server" : "provider", reason: redact(error.message) }] };
                throw error;
            }
            // Only what changed is checked against Airbyte: new ends are confirmed to exist (Airbyte
            // itself accepts a connection to a deleted source), changed selections are validated
            // against the discovered catalog; a schedule or option change needs neither.
            const known = oldResolved !== undefined;
            const endsChanged = !known || olds.sourceId !== inputs.sourceId || olds.destinationId !== inputs.destinationId;
            const streamsChanged = endsChanged || !deepEqual(olds.streams, inputs.streams) || !deepEqual(olds.syncCatalog, inputs.syncCatalog);
            const sourceProblem = endsChanged ? await actorProblem(context, "source", inputs.sourceId as string) : undefined;
            if (sourceProblem) problems.push({ property: "sourceId", reason: sourceProblem });
            const destinationProblem = endsChanged ? await actorProblem(context, "destination", inputs.destinationId as string) : undefined;
            if (destinationProblem) problems.push({ property: "destinationId", reason: destinationProblem });
            if (!sourceProblem && !destinationProblem && inputs.streams && streamsChanged) {
                const planned = await plannedCatalog(context, inputs as unknown as ConnectionInputs, Array.isArray(news.streams) ? news.streams : undefined);
                problems.push(...planned.problems);
            }
        }
        return { inputs: { ...inputs, resolved }, failures: failures(problems) };
    }

    async function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
        // The engine diffs every resource it has state for: this object belongs to the stack.
        trackId(id);
        const differs = (a: unknown, b: unknown) => containsUnknown(b) || !deepEqual(a, b);
        const replaces = (["sourceId", "destinationId"] as const).filter((k) => differs(olds[k], news[k]));
        const optionChanged = OPTIONS.some((k) => differs(olds[k] ?? undefined, news[k] ?? undefined));
        const changes =
            replaces.length > 0 ||
            (news.name !== undefined && differs(olds.name, news.name)) ||
            differs(olds.streams, news.streams) ||
            differs(olds.syncCatalog, news.syncCatalog) ||
            differs(olds.schedule, news.schedule) ||
            differs(olds.status, news.status) ||
            optionChanged ||
            differs((olds.resolved as ResolvedConnection | undefined)?.serverUrl, (news.resolved as ResolvedConnection | undefined)?.serverUrl);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    function outputsFor(inputs: ConnectionInputs, live: ConnectionRead, catalogDigest: string | undefined, resolved: ResolvedConnection): Record<string, unknown> {
        return {
            ...omit(inputs as unknown as Record<string, unknown>, ["__provider", ...OUTPUT_KEYS]),
            name: live.name,
            resolved: compact(resolved as unknown as Record<string, unknown>),
            connectionId: live.connectionId,
            workspaceId: live.workspaceId,
            catalogDigest,
            streamCount: live.syncCatalog?.streams?.length ?? 0,
            serverUrl: resolved.serverUrl,
        };
    }

    function planError(inputs: ConnectionInputs, problems: Problem[], what: string): Error {
        return new Error(redact(`${label(inputs)}: ${what}:\n${problems.map((p) => `  - ${p.property}: ${p.reason}`).join("\n")}`));
    }

    function optionFields(inputs: ConnectionInputs, previous?: Record<string, unknown>): Partial<ConnectionUpdate> {
        const out: Record<string, unknown> = {};
        for (const key of OPTIONS) {
            if (inputs[key] !== undefined) out[key] = inputs[key];
            else if (previous?.[key] !== undefined) out[key] = OPTION_DEFAULTS[key];
        }
        return out as Partial<ConnectionUpdate>;
    }

    async function create(raw: Record<string, unknown>): Promise<CreateResult> {
        const inputs = raw as unknown as ConnectionInputs;
        const settings = settingsForResource(inputs.server);
        const context = await contextFor(settings);
        const resolved: ResolvedConnection = { serverUrl: settings.serverUrl, nameFromServer: inputs.name === undefined };
        if (inputs.adoptId) {
            const adopted = await adopt(inputs, inputs.adoptId, context, resolved);
            trackId(adopted.id);
            return adopted;
        }

        for (const kind of ["source", "destination"] as const) {
            const problem = await actorProblem(context, kind, kind === "source" ? inputs.sourceId : inputs.destinationId);
            if (problem) throw new Error(`${label(inputs)}: ${kind}Id: ${problem}. Nothing was created.`);
        }
        const planned = await plannedCatalog(context, inputs);
        if (planned.problems.length) throw planError(inputs, planned.problems, "the streams do not match the source's catalog; nothing was created");
        const body: ConnectionCreate = {
            sourceId: inputs.sourceId,
            destinationId: inputs.destinationId,
            status: inputs.status ?? "active",
            ...(inputs.name !== undefined ? { name: inputs.name } : {}),
            ...optionFields(inputs),
            syncCatalog: planned.catalog,
            ...(planned.sourceCatalogId ? { sourceCatalogId: planned.sourceCatalogId } : {}),
            ...scheduleToApi(inputs.schedule ?? { type: "manual" }),
        };
        const source = (await context.actor("source", inputs.sourceId)) as { workspaceId: string; name: string };
        const destination = (await context.actor("destination", inputs.destinationId)) as { name: string };
        // The name Airbyte gives a connection created without one.
        const expectedName = inputs.name ?? `${source.name} <> ${destination.name}`;
        const fingerprint = digest({ kind: "connection", serverUrl: context.serverUrl, sourceId: inputs.sourceId, destinationId: inputs.destinationId, name: expectedName });
        return serializedByKey(fingerprint, async () => {
            const orphan = await findOrphan(context, source.workspaceId, inputs, expectedName, settings);
            if (orphan) {
                const adopted = await adoptOrphan(orphan, raw, inputs, context, resolved);
                if (adopted) return adopted;
            }
            const created = await createReconciled(context, body, inputs, source.workspaceId, expectedName, settings);
            trackId(created.connectionId);
            return { id: created.connectionId, outs: outputsFor(inputs, created, planned.catalogDigest, resolved) };
        });
    }

    /** Whether a listed connection links this resource's source and destination under its name. */
    function sameEnds(c: Record<string, unknown>, inputs: ConnectionInputs, expectedName: string): boolean {
        return c.sourceId === inputs.sourceId && c.destinationId === inputs.destinationId && c.name === expectedName && c.status !== "deprecated";
    }

    /**
     * Create-time reconciliation, as for sources and destinations (see actor-provider.ts): before
     * creating, a connection linking the same source and destination under the same name (the
     * server's default name when none is given), created less than `airbyte:adoptWithinMinutes`
     * ago and tracked by no resource this process has seen, is what an interrupted `pulumi up`
     * left behind; it is adopted and brought to the desired state (streams, schedule, options)
     * with a patch. Both ends are already the stack's own (from state or adopted themselves).
     */
    async function findOrphan(context: ServerContext, workspaceId: string, inputs: ConnectionInputs, expectedName: string, settings: ServerSettings): Promise<Record<string, unknown> | undefined> {
        if (settings.adoptWithinMinutes <= 0) return undefined;
        const createdSince = Date.now() / 1000 - settings.adoptWithinMinutes * 60;
        let items: Record<string, unknown>[];
        try {
            items = await context.listItems("connection", workspaceId, Date.now() - 60_000);
        } catch (error) {
            throw new Error(
                redact(`${label(inputs)}: could not look for a connection an interrupted run may have left (${(error as Error).message}), so nothing was created; run \`pulumi up\` again.`),
            );
        }
        return unclaimedNewestFirst(items, CONNECTION_FIELDS, createdSince, (c) => sameEnds(c, inputs, expectedName))[0];
    }

    /** Adopts an orphan connection; a failure after choosing it still hands its id to the engine. */
    async function adoptOrphan(orphan: Record<string, unknown>, raw: Record<string, unknown>, inputs: ConnectionInputs, context: ServerContext, resolved: ResolvedConnection): Promise<CreateResult | undefined> {
        const id = orphan.connectionId as string;
        trackId(id);
        let updated: { live: ConnectionRead; catalogDigest?: string };
        try {
            const live = await context.api.connections.get(id, { resource: `${label(inputs)} (adopting ${id})` });
            if (live.status === "deprecated") return undefined;
            updated = await applyUpdate(context, id, inputs, undefined);
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") return undefined;
            const message = redact(
                `${label(inputs)}: adopted connection ${id}, which an interrupted run created, but could not update it: ${(error as Error).message}. The stack tracks it now; the next \`pulumi up\` updates it.`,
            );
            const outs = { ...omit(inputs as unknown as Record<string, unknown>, ["__provider", ...OUTPUT_KEYS]), resolved, connectionId: id, serverUrl: resolved.serverUrl, __provider: raw.__provider };
            throw new PartialCreateError(message, id, outs, [message]);
        }
        const age = Math.max(0, Math.round(Date.now() / 1000 - Number(orphan.created_at)));
        log.warn(
            `${label(inputs)}: adopted connection ${id} instead of creating a duplicate: it links the same source and destination, was created ${age} s ago and no resource tracks it (most likely an interrupted \`pulumi up\` made it)`,
        );
        return { id, outs: outputsFor(inputs, updated.live, updated.catalogDigest, resolved) };
    }

    /**
     * Like sources: a create whose answer was lost is reconciled (a connection linking the same
     * source and destination under the same name, created since the attempt began and tracked
     * by no resource, is adopted) before it is repeated.
     */
    async function createReconciled(
        context: ServerContext,
        body: ConnectionCreate,
        inputs: ConnectionInputs,
        workspaceId: string,
        expectedName: string,
        settings: ServerSettings,
    ): Promise<ConnectionRead> {
        return createWithReconciliation<ConnectionRead>({
            what: label(inputs),
            noun: "connection",
            settings,
            create: () => context.api.connections.create(body, { resource: label(inputs) }),
            findLost: async (since, notBefore) => {
                const items = await context.listItems("connection", workspaceId, notBefore);
                return unclaimedNewestFirst(items, CONNECTION_FIELDS, since, (c) => sameEnds(c, inputs, expectedName), true)[0] as unknown as ConnectionRead | undefined;
            },
        });
    }

    async function adopt(inputs: ConnectionInputs, adoptId: string, context: ServerContext, resolved: ResolvedConnection): Promise<CreateResult> {
        let existing: ConnectionRead;
        try {
            existing = await context.api.connections.get(adoptId, { resource: `${label(inputs)} (adopting ${adoptId})` });
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") throw new Error(`adoptId: there is no connection ${adoptId} on ${context.serverUrl} to adopt`);
            throw error;
        }
        if (existing.status === "deprecated") throw new Error(`adoptId: connection ${adoptId} has been deleted in Airbyte; it cannot be adopted`);
        if (existing.sourceId !== inputs.sourceId || existing.destinationId !== inputs.destinationId) {
            throw new Error(
                `adoptId: connection ${adoptId} links source ${existing.sourceId} to destination ${existing.destinationId}, not ${inputs.sourceId} to ${inputs.destinationId}`,
            );
        }
        resolved.nameFromServer = inputs.name === undefined;
        const updated = await applyUpdate(context, adoptId, inputs, undefined);
        return { id: adoptId, outs: outputsFor(inputs, updated.live, updated.catalogDigest, resolved) };
    }

    async function applyUpdate(context: ServerContext, id: string, inputs: ConnectionInputs, previous: Record<string, unknown> | undefined): Promise<{ live: ConnectionRead; catalogDigest?: string }> {
        // When the selections are what the connection already syncs (e.g. only the schedule
        // changed), the catalog is left out of the patch: no discover, nothing resent.
        const catalogUnchanged = previous !== undefined && deepEqual(previous.streams, inputs.streams) && deepEqual(previous.syncCatalog, inputs.syncCatalog);
        const planned = catalogUnchanged
            ? { catalog: undefined, sourceCatalogId: undefined, catalogDigest: previous.catalogDigest as string | undefined, problems: [] as Problem[] }
            : await plannedCatalog(context, inputs);
        if (planned.problems.length) throw planError(inputs, planned.problems, "the streams do not match the source's catalog; nothing was changed");
        // Patch-style update; the legacy `schedule` field is never sent.
        const body: ConnectionUpdate = {
            connectionId: id,
            status: inputs.status ?? "active",
            ...(inputs.name !== undefined ? { name: inputs.name } : {}),
            ...optionFields(inputs, previous),
            ...(planned.catalog ? { syncCatalog: planned.catalog } : {}),
            ...(planned.sourceCatalogId ? { sourceCatalogId: planned.sourceCatalogId } : {}),
            ...scheduleToApi(inputs.schedule ?? { type: "manual" }),
        };
        try {
            return { live: await context.api.connections.update(body, { resource: label(inputs, id) }), catalogDigest: planned.catalogDigest };
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") {
                throw new Error(`${label(inputs, id)}: connection ${id} no longer exists on ${context.serverUrl}; run \`pulumi refresh\` to drop it, then \`pulumi up\``);
            }
            throw error;
        }
    }

    async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<UpdateResult> {
        requireUuidFromState(id, "connection", "update");
        trackId(id);
        const inputs = news as unknown as ConnectionInputs;
        const settings = settingsForResource(inputs.server);
        const context = await contextFor(settings);
        const oldResolved = (olds.resolved ?? {}) as ResolvedConnection;
        const resolved: ResolvedConnection = { serverUrl: settings.serverUrl, nameFromServer: inputs.name === undefined ? (oldResolved.nameFromServer ?? true) : false };
        const { live, catalogDigest } = await applyUpdate(context, id, inputs, olds);
        return { outs: outputsFor(inputs, live, catalogDigest, resolved) };
    }

    async function read(id: string, props: Record<string, unknown>): Promise<ReadResult> {
        requireUuidFromState(id, "connection", "read");
        trackId(id);
        const stored = props as unknown as ConnectionInputs & Record<string, unknown>;
        const settings = settingsForResource(stored.server);
        const context = await contextFor(settings);
        let live: ConnectionRead;
        try {
            live = await context.api.connections.get(id, { resource: label(stored, id) });
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") return { id: "" };
            throw error;
        }
        // Deleted connections (including those removed with their source or destination) stay readable as "deprecated".
        if (live.status === "deprecated") return { id: "" };

        const resolved: ResolvedConnection = { ...((stored.resolved ?? { serverUrl: context.serverUrl }) as ResolvedConnection), serverUrl: context.serverUrl };
        const next: Record<string, unknown> = { ...omit(stored, ["__provider"]) };
        next.sourceId = live.sourceId;
        next.destinationId = live.destinationId;
        next.status = live.status === "inactive" ? "inactive" : "active";
        next.schedule = scheduleFromApi(live);
        for (const key of OPTIONS) {
            // Options the user never set stay unmanaged; set ones reflect the server.
            if (stored[key] !== undefined) next[key] = live[key] ?? OPTION_DEFAULTS[key];
        }
        if (stored.syncCatalog) next.syncCatalog = projectCatalog(live.syncCatalog, stored.syncCatalog);
        else next.streams = selectionsFromLive(live.syncCatalog, stored.streams ?? []);
        if (!resolved.nameFromServer) next.name = live.name;
        else delete next.name;

        const liveDigest = digest((live.syncCatalog?.streams ?? []).map((s) => s.stream).sort((a, b) => `${a.namespace ?? ""}\u0000${a.name}`.localeCompare(`${b.namespace ?? ""}\u0000${b.name}`)));
        const outs = outputsFor(next as unknown as ConnectionInputs, live, liveDigest, resolved);
        // Inputs carry what `check` derives (the server), not output-only facts like nameFromServer.
        return { id, props: outs, inputs: { ...userInputs(next), resolved: { serverUrl: resolved.serverUrl } } };
    }

    async function del(id: string, props: Record<string, unknown>): Promise<void> {
        requireUuidFromState(id, "connection", "delete");
        trackId(id);
        const stored = props as unknown as ConnectionInputs;
        const settings = settingsForResource(stored.server);
        const context = await contextFor(settings);
        try {
            await context.api.connections.delete(id, { resource: label(stored, id) });
        } catch (error) {
            // Gone already, e.g. deleted together with its source or destination.
            if (!(error instanceof AirbyteApiError && error.kind === "not_found")) throw error;
        }
    }

    return { check, diff, create, read, update, delete: del };
}
