/**
 * The provider behind `Source` and `Destination` ("actors" in Airbyte's code): both have the
 * same life cycle and differ only in names, so one implementation serves both kinds.
 *
 * State layout (inputs after `check`, and outputs):
 *   name, definition, configuration, secrets, workspaceId?, checkConnection?, adoptId?, server?
 *     — what the user wrote (secrets are Pulumi secrets or Secrets Manager references)
 *     — each Secrets Manager reference also holds the VersionId `check` saw (`secretsManager.versionId`),
 *       so a rotation shows next to the secret in `pulumi preview --diff`
 *   __resolved: { serverUrl, workspaceId, workspaceFrom, definitionId, definitionName, secretVersions? }
 *     — what `check` derived from them; internal (`__`), so previews never print it. State
 *       written before 0.2 has it under `resolved`, which is still read.
 *   sourceId | destinationId, workspaceId, definitionId, definitionName, serverUrl   (outputs only)
 */
import type { Actor, ActorKind, CheckOutcome, ConnectorConfiguration, Problem } from "../client/domain";
import { AirbyteApiError, CapabilityUnavailableError } from "../client/errors";
import { duringApply } from "../client/readiness";
import { log } from "../log";
import { redact } from "../redact";
import {
    DERIVED_KEY,
    derivedValues,
    DESTINATION_SCHEMA,
    LEGACY_DERIVED_KEY,
    SOURCE_SCHEMA,
    userInputs,
} from "../schema";
import type { SecretsManagerDefaults } from "../secrets/aws-secrets-manager";
import { knownServer, parseActorInputs, ResolvedActor, storedActor, StoredActorInputs } from "./actor-inputs";
import { noteMovedTarget, resolveAndValidate } from "./actor-validation";
import { comparable, withoutSecretPaths, withoutSecrets } from "./masked-configuration";
import { resolveCredentialReference, settingsForResource } from "./configuration-store";
import {
    createOnce,
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
import {
    currentVersions,
    recordedVersions,
    resolveSecrets,
    secretEntries,
    verifyReadable,
    withoutRecordedVersions,
    withRecordedVersions,
} from "./secret-inputs";
import { notReadyReason, serverContext, ServerContext } from "./server-context";
import { ServerSettings, SettingsError } from "./settings";
import { problemsFromServerValidation } from "./specless-validation";
import {
    compact,
    containsUnknown,
    deepEqual,
    deepMerge,
    digest,
    isKnown,
    isPlainObject,
    isUnknown,
    isUuid,
    omit,
    requireUuidFromState,
    UNKNOWN,
} from "./values";

function awsDefaults(settings: ServerSettings): SecretsManagerDefaults {
    return { region: settings.awsRegion, endpoint: settings.awsEndpoint };
}

function failures(problems: Problem[]): CheckFailure[] {
    return problems.map((p) => ({ property: p.property, reason: redact(p.reason) }));
}

/** How an actor's kind reads and deletes, for the shared life cycle (./lifecycle). */
function managedKind(kind: ActorKind): ManagedKind<Actor> {
    return {
        noun: kind,
        async read(context, id, label) {
            const actor = await context.backend.getActor(kind, id, { resource: label });
            if (!actor) return undefined;
            // Airbyte answers reads of deleted actors with 200; a listing tells (./server-context).
            if (actor.possiblyDeleted && !(await context.isListed(kind, actor.workspaceId, id))) return undefined;
            return actor;
        },
        remove: (context, id, label) => context.backend.deleteActor(kind, id, { resource: label }),
    };
}

export function actorProvider(kind: ActorKind): DynamicProvider {
    const schema = kind === "source" ? SOURCE_SCHEMA : DESTINATION_SCHEMA;
    const actors = managedKind(kind);
    const label = (inputs: { name?: unknown }) =>
        `${kind} "${typeof inputs.name === "string" && inputs.name ? inputs.name : "?"}"`;
    const contextFor = (settings: ServerSettings) => serverContext(settings, resolveCredentialReference);

    async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
        const { inputs, problems } = parseActorInputs(news, kind);
        if (problems.length) return { inputs: news, failures: failures(problems) };
        const serverUnknown = isUnknown(inputs.server) || (isKnown(inputs.server) && isUnknown(inputs.server.url));

        let settings: ServerSettings;
        try {
            settings = settingsForResource(knownServer(inputs.server));
        } catch (error) {
            return {
                inputs: news,
                failures: [
                    { property: inputs.server ? "server" : "provider", reason: redact((error as Error).message) },
                ],
            };
        }
        const oldResolved = derivedValues<ResolvedActor>(olds);
        const oldVersions = versionsIn(olds);
        const unchanged =
            oldResolved !== undefined &&
            !containsUnknown(news) &&
            deepEqual(
                userInputs(schema, { ...olds, secrets: withoutRecordedVersions(olds.secrets) }),
                userInputs(schema, news),
            ) &&
            oldResolved.serverUrl === settings.serverUrl &&
            (oldResolved.workspaceFrom !== "config" || oldResolved.workspaceId === settings.workspaceId) &&
            (oldResolved.workspaceFrom !== "default" || !settings.workspaceId);

        let resolved: Partial<ResolvedActor> | undefined;
        if (unchanged) {
            // Validated at the last apply: no Airbyte calls for an unchanged resource.
            resolved = { ...oldResolved };
            delete resolved.secretVersions;
        } else if (serverUnknown) {
            resolved = {
                serverUrl: UNKNOWN,
                workspaceId: UNKNOWN,
                workspaceFrom: inputs.workspaceId ? "input" : "default",
                definitionId: UNKNOWN,
            };
        } else {
            try {
                const result = await resolveAndValidate(kind, inputs, settings, await contextFor(settings));
                problems.push(...result.problems);
                resolved = result.resolved;
            } catch (error) {
                // A server that is being installed (no answer, or no credentials yet): apply waits for it.
                const notReady = notReadyReason(error, settings.serverUrl);
                if (notReady) {
                    log.warn(
                        `${label(inputs)}: ${notReady}; it is checked at apply, which waits for the server (airbyte:serverReadyTimeoutSeconds)`,
                    );
                    // No unknown values here: during `pulumi up` the engine refuses them. What the
                    // last apply resolved stands (a change of workspace or connector is still seen
                    // by diff from the inputs); a new resource is resolved by create.
                    const sameTarget =
                        oldResolved &&
                        olds.definition === news.definition &&
                        (olds.workspaceId ?? undefined) === (news.workspaceId ?? undefined);
                    resolved = sameTarget
                        ? { ...oldResolved, serverUrl: settings.serverUrl }
                        : { serverUrl: settings.serverUrl };
                    delete resolved.secretVersions;
                } else if (error instanceof SettingsError) {
                    // E.g. airbyte:clientSecret refers to a Secrets Manager secret that cannot be read.
                    return {
                        inputs: news,
                        failures: [{ property: inputs.server ? "server" : "provider", reason: redact(error.message) }],
                    };
                } else throw error;
            }
        }

        // Secrets Manager: learn each referenced secret's current version (no value is read), so
        // a rotation shows up as a change of resolved.secretVersions in the preview.
        const versions = await currentVersions(inputs.secrets, awsDefaults(settings));
        problems.push(...versions.problems);
        if (resolved && Object.keys(versions.versions).length) resolved.secretVersions = versions.versions;
        // Read a referenced value only when it is new or rotated (or other inputs changed), to
        // report a missing key or a non-JSON secret now; an unchanged preview reads no value.
        const toVerify = new Set(
            Object.keys(versions.versions).filter(
                (path) => !unchanged || oldVersions[path] !== versions.versions[path],
            ),
        );
        if (toVerify.size && !problems.length)
            problems.push(
                ...(await verifyReadable(inputs.secrets, versions.versions, toVerify, awsDefaults(settings))),
            );
        if (resolved && oldResolved && !problems.length) noteMovedTarget(label(inputs), oldResolved, resolved);

        const checked: Record<string, unknown> = omit(news, [
            ...schema.computedOutputs,
            schema.idOutput,
            LEGACY_DERIVED_KEY,
        ]);
        if (isPlainObject(news.secrets)) checked.secrets = withRecordedVersions(news.secrets, versions.versions);
        if (resolved) checked[DERIVED_KEY] = compact(resolved as Record<string, unknown>);
        return { inputs: checked, failures: failures(problems) };
    }

    async function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
        // The engine diffs every resource it has state for: this object belongs to the stack.
        trackId(id);
        const oldResolved = derivedValues<Partial<ResolvedActor>>(olds) ?? {};
        const newResolved = derivedValues<Partial<ResolvedActor>>(news) ?? {};
        const replaces: string[] = [];
        const differs = (a: unknown, b: unknown) => containsUnknown(b) || !deepEqual(a, b);

        // Replacement: another workspace or another connector is another Airbyte object.
        // Not resolved yet (unknown at preview, or the server was not up at check): judged by the inputs.
        const workspaceChanged = !isKnown(newResolved.workspaceId)
            ? (olds.workspaceId ?? undefined) !== (news.workspaceId ?? undefined)
            : oldResolved.workspaceId !== newResolved.workspaceId;
        if (workspaceChanged) replaces.push("workspaceId");
        const definitionChanged = !isKnown(newResolved.definitionId)
            ? olds.definition !== news.definition
            : oldResolved.definitionId !== newResolved.definitionId;
        if (definitionChanged) replaces.push("definition");

        const changes =
            replaces.length > 0 ||
            differs(olds.name, news.name) ||
            differs(olds.configuration ?? {}, news.configuration ?? {}) ||
            differs(withoutRecordedVersions(olds.secrets ?? {}), withoutRecordedVersions(news.secrets ?? {})) ||
            differs(versionsIn(olds), versionsIn(news)) ||
            differs(oldResolved.serverUrl, newResolved.serverUrl);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    /** The full configuration Airbyte gets: configuration plus resolved secrets. */
    async function fullConfiguration(
        inputs: StoredActorInputs,
        resolved: ResolvedActor,
        settings: ServerSettings,
    ): Promise<ConnectorConfiguration> {
        const secrets = await resolveSecrets(inputs.secrets, resolved.secretVersions, awsDefaults(settings));
        return deepMerge(inputs.configuration ?? {}, secrets);
    }

    function outputsFor(
        props: Record<string, unknown>,
        id: string,
        resolved: ResolvedActor,
        live?: { name: string; configuration?: Record<string, unknown> },
    ): Record<string, unknown> {
        return {
            ...omit(props, ["__provider", ...schema.computedOutputs, schema.idOutput, LEGACY_DERIVED_KEY]),
            ...(live ? { name: live.name, configuration: live.configuration } : {}),
            [DERIVED_KEY]: resolved,
            [schema.idOutput]: id,
            workspaceId: resolved.workspaceId,
            definitionId: resolved.definitionId,
            definitionName: resolved.definitionName,
            serverUrl: resolved.serverUrl,
        };
    }

    async function ensureResolved(
        inputs: StoredActorInputs,
        stored: ResolvedActor | undefined,
        settings: ServerSettings,
    ): Promise<ResolvedActor> {
        if (
            stored &&
            stored.serverUrl === settings.serverUrl &&
            isUuid(stored.workspaceId) &&
            isUuid(stored.definitionId)
        )
            return stored;
        const result = await resolveAndValidate(kind, inputs, settings, await contextFor(settings));
        if (result.problems.length || !result.resolved) {
            throw new Error(`${label(inputs)}: ${result.problems.map((p) => `${p.property}: ${p.reason}`).join("; ")}`);
        }
        return {
            ...(result.resolved as ResolvedActor),
            ...(stored?.secretVersions ? { secretVersions: stored.secretVersions } : {}),
        };
    }

    function checkFailed(outcome: CheckOutcome, inputs: StoredActorInputs, what: string): Error | undefined {
        if (outcome.succeeded) return undefined;
        return new Error(
            redact(
                `Airbyte's connection check for ${label(inputs)} failed: ${outcome.message ?? "no message"}. ${what} (Set checkConnection: false to skip the check.)`,
            ),
        );
    }

    /**
     * Airbyte's connection check, where the backend offers one and the resource wants it;
     * undefined when it was skipped (said in the log).
     */
    async function connectionCheck(
        context: ServerContext,
        inputs: StoredActorInputs,
        run: () => Promise<CheckOutcome>,
    ): Promise<CheckOutcome | undefined> {
        if (inputs.checkConnection === false) return undefined;
        const skipped = (why: string) =>
            context.warnOnce(
                "check",
                `${why}: Airbyte's connection check before create and update is skipped; credentials are tested at the first sync`,
            );
        if (!context.backend.capabilities.connectionCheck) {
            skipped(`the ${context.backend.name} API of ${context.serverUrl} offers no connection check`);
            return undefined;
        }
        try {
            return await run();
        } catch (error) {
            if (!(error instanceof CapabilityUnavailableError)) throw error;
            skipped(error.message);
            return undefined;
        }
    }

    /**
     * Runs a create or update; a 422 in which Airbyte's own validation of the configuration
     * names fields (what a server without specs for the provider, Airbyte Cloud, reports only at
     * apply) becomes an error naming them as the user wrote them.
     */
    async function refusedConfiguration<R>(
        inputs: StoredActorInputs,
        outcome: string,
        write: () => Promise<R>,
    ): Promise<R> {
        try {
            return await write();
        } catch (error) {
            if (!(error instanceof AirbyteApiError) || error.statusCode !== 422 || !error.serverMessage) throw error;
            const secretKeys = new Set(secretEntries(inputs.secrets).map((e) => e.path.join(".")));
            const problems = problemsFromServerValidation(error.serverMessage, secretKeys);
            if (problems.length === 0) throw error;
            throw new Error(
                redact(
                    `${label(inputs)}: Airbyte refused the configuration (HTTP 422): ${problems.map((p) => `${p.property}: ${p.reason}`).join("; ")}. ${outcome}`,
                ),
            );
        }
    }

    /** Whether a listed actor is what `configuration` would make (secrets and masked fields aside). */
    function sameObject(
        item: Actor,
        inputs: StoredActorInputs,
        resolved: ResolvedActor,
        configuration: ConnectorConfiguration,
    ): boolean {
        if (
            item.name !== inputs.name ||
            item.definitionId !== resolved.definitionId ||
            item.workspaceId !== resolved.workspaceId
        )
            return false;
        const [live, desired] = comparable(item.configuration, configuration, inputs.secrets);
        return deepEqual(live, desired);
    }

    async function create(raw: Record<string, unknown>): Promise<CreateResult> {
        return duringApply(async () => {
            const { inputs, resolved: storedResolved } = storedActor(raw, kind);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            const resolved = await ensureResolved(inputs, storedResolved, settings);
            const configuration = await fullConfiguration(inputs, resolved, settings);
            const what = label(inputs);

            if (inputs.adoptId) return adopt(raw, inputs, inputs.adoptId, resolved, configuration, context);

            const outcome = await connectionCheck(context, inputs, () =>
                context.backend.checkNewActor(
                    kind,
                    {
                        workspaceId: resolved.workspaceId,
                        definitionId: resolved.definitionId,
                        name: inputs.name,
                        configuration,
                    },
                    { resource: what },
                ),
            );
            const refused = outcome && checkFailed(outcome, inputs, "Nothing was created in Airbyte.");
            if (refused) throw refused;

            return refusedConfiguration(inputs, "Nothing was created in Airbyte.", () =>
                createOnce<Actor, CreateResult>({
                    kind: actors,
                    context,
                    settings,
                    what,
                    fingerprint: digest({
                        kind,
                        serverUrl: context.serverUrl,
                        workspaceId: resolved.workspaceId,
                        name: inputs.name,
                        definitionId: resolved.definitionId,
                        configuration: withoutSecretPaths(configuration, inputs.secrets),
                    }),
                    list: async (notBefore) =>
                        (await context.listItems(kind, resolved.workspaceId, notBefore)) as Actor[],
                    matches: (item) => sameObject(item, inputs, resolved, configuration),
                    // An orphan of an interrupted run cannot have a connection yet: one that has is someone else's.
                    inUse: (notBefore) => context.actorsInUse(resolved.workspaceId, notBefore),
                    create: () =>
                        context.backend.createActor(
                            kind,
                            {
                                workspaceId: resolved.workspaceId,
                                definitionId: resolved.definitionId,
                                name: inputs.name,
                                configuration,
                            },
                            { resource: what },
                        ),
                    adopt: (orphan) => adoptOrphan(raw, orphan, inputs, resolved, configuration, context),
                    created: (actor) => {
                        context.noteListed(kind, resolved.workspaceId, actor.id, true);
                        context.rememberActor(actor);
                        return { id: actor.id, outs: outputsFor(raw, actor.id, resolved) };
                    },
                }),
            );
        });
    }

    /**
     * Finishes what an interrupted run started: applies the full configuration (secrets
     * included) to the orphan it left. Undefined when the orphan vanished meanwhile. A failure
     * after that point still hands the id to the engine (`PartialCreateError`), so the object is
     * tracked rather than orphaned again; the next `pulumi up` finishes the update.
     */
    async function adoptOrphan(
        raw: Record<string, unknown>,
        orphan: Actor,
        inputs: StoredActorInputs,
        resolved: ResolvedActor,
        configuration: ConnectorConfiguration,
        context: ServerContext,
    ): Promise<CreateResult | undefined> {
        const what = `${label(inputs)} (adopting ${orphan.id})`;
        try {
            if (!(await actors.read(context, orphan.id, what))) return undefined;
            context.rememberActor(
                await context.backend.updateActor(
                    kind,
                    orphan.id,
                    { name: inputs.name, configuration },
                    { resource: what },
                ),
            );
        } catch (error) {
            const message = redact(
                `${label(inputs)}: adopted ${kind} ${orphan.id}, which an interrupted run created, but could not update it: ${(error as Error).message}. The stack tracks it now; the next \`pulumi up\` updates it.`,
            );
            throw new PartialCreateError(
                message,
                orphan.id,
                { ...outputsFor(raw, orphan.id, resolved), __provider: raw.__provider },
                [message],
            );
        }
        if (kind === "source") context.forgetCatalog(orphan.id);
        return { id: orphan.id, outs: outputsFor(raw, orphan.id, resolved) };
    }

    /** `adoptId`: takes over an existing actor, after checking it is the same kind of thing in the same place. */
    async function adopt(
        raw: Record<string, unknown>,
        inputs: StoredActorInputs,
        adoptId: string,
        resolved: ResolvedActor,
        configuration: ConnectorConfiguration,
        context: ServerContext,
    ): Promise<CreateResult> {
        const what = `${label(inputs)} (adopting ${adoptId})`;
        await readForAdoption(actors, context, adoptId, label(inputs), (existing) => {
            if (existing.workspaceId !== resolved.workspaceId)
                return `belongs to workspace ${existing.workspaceId}, not ${resolved.workspaceId}; set workspaceId to adopt it`;
            if (existing.definitionId !== resolved.definitionId)
                return `uses definition ${existing.definitionId}, not ${resolved.definitionId} (${inputs.definition})`;
            return undefined;
        });
        const update = { name: inputs.name, configuration };
        const outcome = await connectionCheck(context, inputs, () =>
            context.backend.checkActorUpdate(kind, adoptId, update, { resource: what }),
        );
        const refused = outcome && checkFailed(outcome, inputs, `${kind} ${adoptId} was not adopted.`);
        if (refused) throw refused;
        context.rememberActor(await context.backend.updateActor(kind, adoptId, update, { resource: what }));
        if (kind === "source") context.forgetCatalog(adoptId);
        return { id: adoptId, outs: outputsFor(raw, adoptId, resolved) };
    }

    async function read(id: string, props: Record<string, unknown>): Promise<ReadResult> {
        requireUuidFromState(id, kind, "read");
        return duringApply(async () => {
            const { inputs, resolved: stored } = storedActor(props, kind);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            const live = await readOrGone(actors, context, id, label(inputs));
            if (!live) return { id: "" };
            const resolved: ResolvedActor = {
                ...(stored ?? ({} as ResolvedActor)),
                serverUrl: context.serverUrl,
                workspaceId: live.workspaceId,
                definitionId: live.definitionId,
            };
            const configuration = withoutSecrets(live.configuration, inputs.secrets, inputs.configuration);
            const outs = outputsFor(props, id, resolved, { name: live.name, configuration });
            // Outputs carry the resolved workspace; as an input it exists only if the user gave it.
            const readInputs = userInputs(schema, outs);
            if (resolved.workspaceFrom !== "input") delete readInputs.workspaceId;
            return { id, props: outs, inputs: { ...readInputs, [DERIVED_KEY]: resolved } };
        });
    }

    async function update(
        id: string,
        _olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<UpdateResult> {
        requireUuidFromState(id, kind, "update");
        return duringApply(async () => {
            const { inputs, resolved: stored } = storedActor(news, kind);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            const resolved = await ensureResolved(inputs, stored, settings);
            const configuration = await fullConfiguration(inputs, resolved, settings);
            const body = { name: inputs.name, configuration };
            const what = label(inputs);
            context.forgetActor(kind, id);
            const updated = await writeUnlessDeleted(
                actors,
                context,
                id,
                what,
                async () => {
                    const outcome = await connectionCheck(context, inputs, () =>
                        context.backend.checkActorUpdate(kind, id, body, { resource: what }),
                    );
                    const refused = outcome && checkFailed(outcome, inputs, "Nothing was changed in Airbyte.");
                    if (refused) throw refused;
                    return refusedConfiguration(inputs, "Nothing was changed in Airbyte.", () =>
                        context.backend.updateActor(kind, id, body, { resource: what }),
                    );
                },
                // Servers before 0.63.5 accept updates of deleted actors (they keep the tombstone).
                async (actor) =>
                    actor.possiblyDeleted === true && !(await context.isListed(kind, actor.workspaceId, id)),
            );
            context.rememberActor(updated);
            if (kind === "source") context.forgetCatalog(id);
            return { outs: outputsFor(news, id, resolved) };
        });
    }

    async function del(id: string, props: Record<string, unknown>): Promise<void> {
        requireUuidFromState(id, kind, "delete");
        return duringApply(async () => {
            const { inputs, resolved } = storedActor(props, kind);
            const settings = settingsForResource(inputs.server);
            const context = await contextFor(settings);
            await deleteIgnoringGone(actors, context, id, label(inputs));
            context.forgetActor(kind, id);
            if (resolved?.workspaceId) context.noteListed(kind, resolved.workspaceId, id, false);
        });
    }

    return { check, diff, create, read, update, delete: del };
}

/**
 * The Secrets Manager VersionId per secret path that `props` records (next to each secret, or, in state written before
 * 0.2, in the derived values).
 */
function versionsIn(props: Record<string, unknown>): Record<string, string> {
    return {
        ...(derivedValues<Partial<ResolvedActor>>(props)?.secretVersions ?? {}),
        ...recordedVersions(props.secrets),
    };
}
