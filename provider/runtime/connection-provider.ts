/**
 * The provider behind `Connection`.
 *
 * Users choose streams by name; at create and update the source's catalog is discovered and the
 * configured streams are built from it (./catalog). State keeps the selections, the schedule in
 * canonical form, the options the user set, and a digest of the discovered streams, never the
 * json schemas of every stream.
 *
 * State layout (inputs after `check`, and outputs):
 *   sourceId, destinationId, name?, streams? | syncCatalog?, schedule, status, namespaceDefinition?,
 *   namespaceFormat?, prefix?, nonBreakingChangesPreference?, adoptId?, server?   — the user's
 *   __resolved: { serverUrl, nameFromServer? }   — derived; internal (`__`), so previews never print it
 *                                                 (state written before 0.2 has it under `resolved`)
 *   connectionId, workspaceId, catalogDigest, streamCount                          — outputs only
 */
import type { CatalogWrite, Connection, ConnectionOptions, ConnectionPatch, Problem } from "../client/domain";
import { duringApply } from "../client/readiness";
import { log } from "../log";
import { redact } from "../redact";
import { CONNECTION_SCHEMA, DERIVED_KEY, derivedValues, LEGACY_DERIVED_KEY, userInputs } from "../schema";
import { knownServer } from "./actor-inputs";
import { liveCatalogDigest, projectCatalog, selectionsFromLive } from "./catalog";
import { resolveCredentialReference, settingsForResource } from "./configuration-store";
import {
    OPTION_DEFAULTS,
    OPTIONS,
    parseConnectionInputs,
    ResolvedConnection,
    storedConnection,
    StoredConnectionInputs,
} from "./connection-inputs";
import { endProblems, label, planError, PlannedCatalog, plannedCatalog } from "./connection-plan";
import {
    createOnce,
    DeletedOutsidePulumiError,
    deleteIgnoringGone,
    ManagedKind,
    readForAdoption,
    readOrGone,
    writeUnlessDeleted,
} from "./lifecycle";
import {
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    DynamicProvider,
    PartialCreateError,
    ReadResult,
    UpdateResult,
} from "./provider-types";
import { trackId } from "./reconciliation";
import { notReadyReason, serverContext, ServerContext } from "./server-context";
import { ServerSettings, SettingsError } from "./settings";
import {
    compact,
    containsUnknown,
    deepEqual,
    digest,
    isKnown,
    isUnknown,
    omit,
    requireUuidFromState,
    UNKNOWN,
} from "./values";

function failures(problems: Problem[]): CheckFailure[] {
    return problems.map((p) => ({ property: p.property, reason: redact(p.reason) }));
}

/** How connections read and delete, for the shared life cycle (./lifecycle). */
const connections: ManagedKind<Connection> = {
    noun: "connection",
    async read(context, id, resource) {
        const live = await context.backend.getConnection(id, { resource });
        // Deleted connections (also those removed with their source or destination) stay readable.
        return live && live.status !== "deleted" ? live : undefined;
    },
    remove: (context, id, resource) => context.backend.deleteConnection(id, { resource }),
};

export function connectionProvider(): DynamicProvider {
    const contextFor = (settings: ServerSettings) => serverContext(settings, resolveCredentialReference);

    async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
        const { normalized, inputs, problems } = parseConnectionInputs(news);
        if (problems.length) return { inputs: normalized, failures: failures(problems) };
        const serverUnknown = isUnknown(inputs.server) || (isKnown(inputs.server) && isUnknown(inputs.server.url));
        let settings: ServerSettings;
        try {
            settings = settingsForResource(knownServer(inputs.server));
        } catch (error) {
            return {
                inputs: normalized,
                failures: [
                    { property: inputs.server ? "server" : "provider", reason: redact((error as Error).message) },
                ],
            };
        }
        const oldResolved = derivedValues<ResolvedConnection>(olds);
        const unchanged =
            oldResolved !== undefined &&
            !containsUnknown(normalized) &&
            deepEqual(userInputs(CONNECTION_SCHEMA, olds), userInputs(CONNECTION_SCHEMA, normalized)) &&
            oldResolved.serverUrl === settings.serverUrl;
        if (unchanged) return { inputs: { ...normalized, [DERIVED_KEY]: oldResolved } };

        const resolved: ResolvedConnection = { serverUrl: serverUnknown ? UNKNOWN : settings.serverUrl };
        if (!serverUnknown) {
            try {
                problems.push(
                    ...(await checkAgainstServer(
                        olds,
                        normalized,
                        inputs,
                        settings,
                        Array.isArray(news.streams) ? news.streams : undefined,
                    )),
                );
            } catch (error) {
                // A server that is being installed (no answer, or no credentials yet): apply waits for it.
                const notReady = notReadyReason(error, settings.serverUrl);
                if (notReady)
                    log.warn(
                        `${label(inputs)}: ${notReady}; it is checked at apply, which waits for the server (airbyte:serverReadyTimeoutSeconds)`,
                    );
                else if (error instanceof SettingsError)
                    return {
                        inputs: normalized,
                        failures: [{ property: inputs.server ? "server" : "provider", reason: redact(error.message) }],
                    };
                else throw error;
            }
        }
        if (
            oldResolved &&
            isKnown(resolved.serverUrl) &&
            oldResolved.serverUrl !== resolved.serverUrl &&
            !problems.length
        ) {
            log.warn(
                `${label(inputs)}: serverUrl "${oldResolved.serverUrl}" → "${resolved.serverUrl}" (derived from the provider settings, so not in the diff)`,
            );
        }
        return { inputs: { ...normalized, [DERIVED_KEY]: resolved }, failures: failures(problems) };
    }

    /**
     * What `check` validates against Airbyte: what this API cannot express, and, with both ends
     * known (not at the first preview of a new stack), what changed: new ends are confirmed to
     * exist, changed selections are validated against the discovered catalog; a schedule or
     * option change needs neither.
     */
    async function checkAgainstServer(
        olds: Record<string, unknown>,
        normalized: Record<string, unknown>,
        inputs: ReturnType<typeof parseConnectionInputs>["inputs"],
        settings: ServerSettings,
        rawStreams: unknown[] | undefined,
    ): Promise<Problem[]> {
        const problems: Problem[] = [];
        const context = await contextFor(settings);
        if (isKnown(inputs.schedule)) {
            problems.push(
                ...context.backend.connectionProblems({
                    ...(isKnown(inputs.name) ? { name: inputs.name } : {}),
                    status: isKnown(inputs.status) ? inputs.status : "active",
                    schedule: inputs.schedule,
                    ...optionsOf(inputs),
                    rawCatalog: inputs.syncCatalog !== undefined,
                }),
            );
        }
        if (
            !problems.length &&
            isKnown(inputs.sourceId) &&
            isKnown(inputs.destinationId) &&
            !containsUnknown(inputs.streams)
        ) {
            const endsChanged =
                derivedValues(olds) === undefined ||
                olds.sourceId !== inputs.sourceId ||
                olds.destinationId !== inputs.destinationId;
            const streamsChanged =
                endsChanged ||
                !deepEqual(olds.streams, normalized.streams) ||
                !deepEqual(olds.syncCatalog, normalized.syncCatalog);
            const ends = endsChanged
                ? await endProblems(context, inputs.sourceId, inputs.destinationId)
                : { problems: [] };
            problems.push(...ends.problems);
            if (!ends.problems.length && inputs.streams && streamsChanged) {
                const planned = await plannedCatalog(context, inputs as StoredConnectionInputs, rawStreams, true);
                if (planned) problems.push(...planned.problems.map(({ property, reason }) => ({ property, reason })));
                else {
                    context.warnOnce(
                        `no-catalog|${inputs.sourceId}`,
                        `streams of source ${inputs.sourceId} are validated at apply: Airbyte has no discovered catalog for it yet, and a preview never launches a discovery (a connector job)`,
                    );
                }
            }
        }
        return problems;
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
            differs(
                derivedValues<ResolvedConnection>(olds)?.serverUrl,
                derivedValues<ResolvedConnection>(news)?.serverUrl,
            );
        return { changes, replaces, deleteBeforeReplace: false };
    }

    function outputsFor(
        props: Record<string, unknown>,
        live: Connection,
        facts: { catalogDigest?: string; workspaceId?: string },
        resolved: ResolvedConnection,
    ): Record<string, unknown> {
        return {
            ...omit(props, [
                "__provider",
                ...CONNECTION_SCHEMA.computedOutputs,
                CONNECTION_SCHEMA.idOutput,
                LEGACY_DERIVED_KEY,
            ]),
            name: live.name,
            [DERIVED_KEY]: compact(resolved as unknown as Record<string, unknown>),
            connectionId: live.id,
            // `connections/get` of the Config API does not report it (ApiPojoConverters.internalToConnectionRead);
            // the source's workspace is the connection's.
            workspaceId: live.workspaceId ?? facts.workspaceId,
            catalogDigest: facts.catalogDigest,
            streamCount: live.streams.length,
            serverUrl: resolved.serverUrl,
        };
    }

    /** The options to send: those set, and Airbyte's default for one the user stopped setting. */
    function optionFields(inputs: StoredConnectionInputs, previous?: Record<string, unknown>): ConnectionOptions {
        const out: Record<string, unknown> = {};
        for (const key of OPTIONS) {
            if (inputs[key] !== undefined) out[key] = inputs[key];
            else if (previous === undefined || previous[key] !== undefined) out[key] = OPTION_DEFAULTS[key];
        }
        return out;
    }

    async function create(raw: Record<string, unknown>): Promise<CreateResult> {
        return duringApply(async () => {
            const { inputs } = storedConnection(raw);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            const resolved: ResolvedConnection = {
                serverUrl: settings.serverUrl,
                nameFromServer: inputs.name === undefined,
            };
            if (inputs.adoptId) return adopt(raw, inputs, inputs.adoptId, context, resolved);

            const ends = await endProblems(context, inputs.sourceId, inputs.destinationId);
            if (ends.problems.length) throw planError(inputs, ends.problems, "nothing was created");
            const workspaceId = ends.workspaceId!;
            const planned = await plannedCatalog(context, inputs);
            if (planned.problems.length)
                throw planError(
                    inputs,
                    planned.problems,
                    "the streams do not match the source's catalog; nothing was created",
                );
            const [source, destination] = await Promise.all([
                context.actor("source", inputs.sourceId),
                context.actor("destination", inputs.destinationId),
            ]);
            // The name Airbyte gives a connection created without one.
            const expectedName = inputs.name ?? `${source!.name} <> ${destination!.name}`;
            const what = label(inputs);

            return createOnce<Connection, CreateResult>({
                kind: connections,
                context,
                settings,
                what,
                fingerprint: digest({
                    kind: "connection",
                    serverUrl: context.serverUrl,
                    sourceId: inputs.sourceId,
                    destinationId: inputs.destinationId,
                    name: expectedName,
                }),
                list: async (notBefore) =>
                    (await context.listItems("connection", workspaceId, notBefore)) as Connection[],
                matches: (c) =>
                    c.sourceId === inputs.sourceId &&
                    c.destinationId === inputs.destinationId &&
                    c.name === expectedName,
                create: () =>
                    context.backend.createConnection(
                        {
                            sourceId: inputs.sourceId,
                            destinationId: inputs.destinationId,
                            ...(inputs.name !== undefined ? { name: inputs.name } : {}),
                            status: inputs.status,
                            schedule: inputs.schedule,
                            ...optionFields(inputs),
                            catalog: planned.catalog,
                        },
                        { resource: what },
                    ),
                adopt: async (orphan) => {
                    try {
                        if (!(await connections.read(context, orphan.id, what))) return undefined;
                        const updated = await applyUpdate(context, orphan.id, inputs, undefined, planned);
                        return {
                            id: orphan.id,
                            outs: outputsFor(
                                raw,
                                updated.live,
                                { catalogDigest: updated.catalogDigest, workspaceId },
                                resolved,
                            ),
                        };
                    } catch (error) {
                        const message = redact(
                            `${what}: adopted connection ${orphan.id}, which an interrupted run created, but could not update it: ${(error as Error).message}. The stack tracks it now; the next \`pulumi up\` updates it.`,
                        );
                        const outs = {
                            ...omit(raw, ["__provider", ...CONNECTION_SCHEMA.computedOutputs]),
                            resolved,
                            connectionId: orphan.id,
                            workspaceId,
                            serverUrl: resolved.serverUrl,
                            __provider: raw.__provider,
                        };
                        throw new PartialCreateError(message, orphan.id, outs, [message]);
                    }
                },
                created: (live) => ({
                    id: live.id,
                    outs: outputsFor(raw, live, { catalogDigest: planned.catalogDigest, workspaceId }, resolved),
                }),
            });
        });
    }

    /** `adoptId`: takes over an existing connection between the same two ends. */
    async function adopt(
        raw: Record<string, unknown>,
        inputs: StoredConnectionInputs,
        adoptId: string,
        context: ServerContext,
        resolved: ResolvedConnection,
    ): Promise<CreateResult> {
        await readForAdoption(connections, context, adoptId, label(inputs), (existing) =>
            existing.sourceId !== inputs.sourceId || existing.destinationId !== inputs.destinationId
                ? `links source ${existing.sourceId} to destination ${existing.destinationId}, not ${inputs.sourceId} to ${inputs.destinationId}`
                : undefined,
        );
        const source = await context.actor("source", inputs.sourceId);
        const updated = await applyUpdate(context, adoptId, inputs, undefined);
        return {
            id: adoptId,
            outs: outputsFor(
                raw,
                updated.live,
                { catalogDigest: updated.catalogDigest, workspaceId: source?.workspaceId },
                resolved,
            ),
        };
    }

    /**
     * Brings a connection to the inputs with one patch. When the selections are what the
     * connection already syncs (e.g. only the schedule changed), the catalog is left out: no
     * discovery, nothing resent. `status` is sent only when it changes: a patch of a connection
     * deleted outside Pulumi then leaves it deleted (Airbyte would bring it back to life,
     * possibly between deleted ends) and its answer tells the deletion.
     */
    async function applyUpdate(
        context: ServerContext,
        id: string,
        inputs: StoredConnectionInputs,
        previous: Record<string, unknown> | undefined,
        planned?: PlannedCatalog,
    ): Promise<{ live: Connection; catalogDigest?: string }> {
        const what = label(inputs, id);
        const catalogUnchanged =
            previous !== undefined &&
            deepEqual(previous.streams, inputs.streams) &&
            deepEqual(previous.syncCatalog, inputs.syncCatalog);
        let catalogDigest = previous?.catalogDigest as string | undefined;
        let catalog: CatalogWrite | undefined;
        if (!catalogUnchanged) {
            const plan = planned ?? (await plannedCatalog(context, inputs));
            if (plan.problems.length)
                throw planError(
                    inputs,
                    plan.problems,
                    "the streams do not match the source's catalog; nothing was changed",
                );
            catalog = plan.catalog;
            catalogDigest = plan.catalogDigest;
        }
        const statusChanges = previous === undefined || previous.status !== inputs.status;
        const patch: ConnectionPatch = {
            ...(inputs.name !== undefined ? { name: inputs.name } : {}),
            ...optionFields(inputs, previous),
            schedule: inputs.schedule,
            ...(catalog ? { catalog } : {}),
            ...(statusChanges ? { status: inputs.status } : {}),
        };
        if (statusChanges && !(await connections.read(context, id, what)))
            throw new DeletedOutsidePulumiError(what, "connection", id, context.serverUrl);
        const live = await writeUnlessDeleted(
            connections,
            context,
            id,
            what,
            () => context.backend.updateConnection(id, patch, { resource: what }),
            (answer) => answer.status === "deleted",
        );
        return { live, catalogDigest };
    }

    async function update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<UpdateResult> {
        requireUuidFromState(id, "connection", "update");
        return duringApply(async () => {
            const { inputs } = storedConnection(news);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            const oldResolved = derivedValues<ResolvedConnection>(olds) ?? ({} as ResolvedConnection);
            const resolved: ResolvedConnection = {
                serverUrl: settings.serverUrl,
                nameFromServer: inputs.name === undefined ? (oldResolved.nameFromServer ?? true) : false,
            };
            const { live, catalogDigest } = await applyUpdate(context, id, inputs, olds);
            return {
                outs: outputsFor(
                    news,
                    live,
                    { catalogDigest, workspaceId: olds.workspaceId as string | undefined },
                    resolved,
                ),
            };
        });
    }

    async function read(id: string, props: Record<string, unknown>): Promise<ReadResult> {
        requireUuidFromState(id, "connection", "read");
        return duringApply(async () => {
            const { inputs, resolved: stored } = storedConnection(props);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            const live = await readOrGone(connections, context, id, label(inputs, id));
            if (!live) return { id: "" };

            const resolved: ResolvedConnection = {
                ...(stored ?? { serverUrl: context.serverUrl }),
                serverUrl: context.serverUrl,
            };
            const next: Record<string, unknown> = { ...omit(props, ["__provider"]) };
            next.sourceId = live.sourceId;
            next.destinationId = live.destinationId;
            next.status = live.status === "inactive" ? "inactive" : "active";
            next.schedule = live.schedule;
            for (const key of OPTIONS) {
                // Options the user never set stay unmanaged; set ones reflect the server.
                if (props[key] !== undefined) next[key] = live[key] ?? OPTION_DEFAULTS[key];
            }
            if (inputs.syncCatalog !== undefined)
                next.syncCatalog = projectCatalog(live.rawCatalog, inputs.syncCatalog);
            else next.streams = selectionsFromLive(live.streams, inputs.streams ?? []);
            if (!resolved.nameFromServer) next.name = live.name;
            else delete next.name;

            const workspaceId =
                live.workspaceId ??
                (props.workspaceId as string | undefined) ??
                (await context.actor("source", live.sourceId))?.workspaceId;
            const outs = outputsFor(
                next,
                live,
                {
                    catalogDigest: liveCatalogDigest(live.streams) ?? (props.catalogDigest as string | undefined),
                    workspaceId,
                },
                resolved,
            );
            // Inputs carry what `check` derives (the server), not output-only facts like nameFromServer.
            return {
                id,
                props: outs,
                inputs: { ...userInputs(CONNECTION_SCHEMA, next), [DERIVED_KEY]: { serverUrl: resolved.serverUrl } },
            };
        });
    }

    async function del(id: string, props: Record<string, unknown>): Promise<void> {
        requireUuidFromState(id, "connection", "delete");
        return duringApply(async () => {
            const { inputs } = storedConnection(props);
            const context = await contextFor(settingsForResource(inputs.server));
            await deleteIgnoringGone(connections, context, id, label(inputs, id));
        });
    }

    return { check, diff, create, read, update, delete: del };
}

function optionsOf(inputs: { [K in keyof ConnectionOptions]?: unknown }): ConnectionOptions {
    const out: Record<string, unknown> = {};
    for (const key of OPTIONS) if (isKnown(inputs[key])) out[key] = inputs[key];
    return out;
}
