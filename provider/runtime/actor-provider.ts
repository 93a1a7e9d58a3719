/**
 * The provider behind `Source` and `Destination` ("actors" in Airbyte's code): both have the
 * same life cycle and differ only in wire names, so one implementation serves both kinds.
 *
 * State layout (inputs after `check`, and outputs):
 *   name, definition, configuration, secrets, workspaceId?, checkConnection?, adoptId?, server?
 *     — what the user wrote (secrets are Pulumi secrets or Secrets Manager references)
 *   resolved: { serverUrl, workspaceId, workspaceFrom, definitionId, definitionName, secretVersions? }
 *     — what `check` derived from them; `secretVersions` are Secrets Manager VersionIds
 *   sourceId | destinationId, workspaceId, definitionId, serverUrl   (outputs only)
 */
import type { ActorsApi } from "../client/api";
import { AirbyteApiError } from "../client/errors";
import type { CheckConnectionRead, ConnectorConfiguration } from "../client/types";
import { log } from "../log";
import { redact } from "../redact";
import type { SecretsManagerDefaults } from "../secrets/aws-secrets-manager";
import { configLookup, resolveCredentialReference, settingsForResource } from "./configuration-store";
import { describeDefinition, matchDefinition } from "./definitions";
import { CheckFailure, CheckResult, CreateResult, DiffResult, DynamicProvider, PartialCreateError, ReadResult, UpdateResult } from "./provider-types";
import type { Problem } from "./schedule";
import { currentVersions, resolveSecrets, secretEntries, secretsForValidation, secretsProblems, verifyReadable } from "./secret-inputs";
import { createWithReconciliation, serializedByKey, trackId, unclaimedNewestFirst } from "./reconciliation";
import { ActorKind, serverContext, ServerContext } from "./server-context";
import { ServerOverride, ServerSettings, SettingsError } from "./settings";
import { secretFieldPaths, validateConfiguration } from "./spec-validation";
import { compact, containsUnknown, deepEqual, deepMerge, digest, isPlainObject, isUnknown, isUuid, omit, requireUuidFromState, UNKNOWN } from "./values";

const MASK = "**********";

export interface ResolvedActor {
    serverUrl: string;
    workspaceId: string;
    /** Where the workspace came from: the resource, the provider config, or the server's default. */
    workspaceFrom: "input" | "config" | "default";
    definitionId: string;
    definitionName?: string;
    /** Secrets Manager VersionId per secret path, as seen by the last `check`. */
    secretVersions?: Record<string, string>;
}

export interface ActorInputs {
    name: string;
    definition: string;
    configuration?: Record<string, unknown>;
    secrets?: Record<string, unknown>;
    workspaceId?: string;
    checkConnection?: boolean;
    adoptId?: string;
    server?: ServerOverride;
    resolved?: ResolvedActor;
}

/** Inputs the user writes (everything else in state is derived). */
const USER_KEYS = ["name", "definition", "configuration", "secrets", "workspaceId", "checkConnection", "adoptId", "server"] as const;

interface KindInfo {
    kind: ActorKind;
    noun: string;
    idOutput: "sourceId" | "destinationId";
    definitionField: "sourceDefinitionId" | "destinationDefinitionId";
    api(context: ServerContext): ActorsApi<any, any, any>;
}

const KINDS: Record<ActorKind, KindInfo> = {
    source: { kind: "source", noun: "source", idOutput: "sourceId", definitionField: "sourceDefinitionId", api: (c) => c.api.sources },
    destination: { kind: "destination", noun: "destination", idOutput: "destinationId", definitionField: "destinationDefinitionId", api: (c) => c.api.destinations },
};

/** Output keys the program-side class registers; they may appear (empty) among the inputs. */
const OUTPUT_KEYS = ["sourceId", "destinationId", "definitionId", "serverUrl", "definitionName"];

function userInputs(props: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of USER_KEYS) if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
    return out;
}

function awsDefaults(settings: ServerSettings): SecretsManagerDefaults {
    return { region: settings.awsRegion, endpoint: settings.awsEndpoint };
}

/** Shape checks that need no server. */
function shapeProblems(news: Record<string, unknown>, noun: string): Problem[] {
    const problems: Problem[] = [];
    const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);
    for (const key of Object.keys(news)) {
        if (!(USER_KEYS as readonly string[]).includes(key) && key !== "resolved" && key !== "__provider" && !OUTPUT_KEYS.includes(key)) {
            problems.push({ property: key, reason: `is not a ${noun} argument; allowed: ${USER_KEYS.join(", ")}` });
        }
    }
    if (known(news.name) && (typeof news.name !== "string" || news.name.trim() === "")) problems.push({ property: "name", reason: "must be a non-empty string" });
    if (news.definition === undefined || news.definition === null) {
        problems.push({ property: "definition", reason: `is required: the connector's docker repository (e.g. "airbyte/${noun}-postgres"), its name, or its definition id` });
    } else if (known(news.definition) && (typeof news.definition !== "string" || news.definition.trim() === "")) {
        problems.push({ property: "definition", reason: "must be a non-empty string" });
    }
    if (known(news.configuration) && !isPlainObject(news.configuration)) problems.push({ property: "configuration", reason: "must be an object (the connector configuration without its secrets)" });
    problems.push(...secretsProblems(news.secrets));
    for (const key of ["workspaceId", "adoptId"] as const) {
        if (known(news[key]) && !isUuid(news[key])) problems.push({ property: key, reason: `must be a UUID; got ${JSON.stringify(news[key])}` });
    }
    if (known(news.checkConnection) && typeof news.checkConnection !== "boolean") problems.push({ property: "checkConnection", reason: "must be true or false" });
    if (known(news.server)) {
        const server = news.server as Record<string, unknown>;
        if (!isPlainObject(server)) problems.push({ property: "server", reason: "must be { url, profile?, workspaceId? }" });
        else {
            for (const key of Object.keys(server)) if (!["url", "profile", "workspaceId"].includes(key)) problems.push({ property: `server.${key}`, reason: "is not a server setting; allowed: url, profile, workspaceId" });
            if (!known(server.url) && !isUnknown(server.url)) problems.push({ property: "server.url", reason: "is required" });
            if (known(server.workspaceId) && !isUuid(server.workspaceId)) problems.push({ property: "server.workspaceId", reason: "must be a UUID" });
            if (known(server.profile) && typeof server.profile !== "string") problems.push({ property: "server.profile", reason: "must be the name of an airbyte:profiles entry" });
        }
    }
    // The same field in both places would leave it ambiguous which value Airbyte gets.
    if (isPlainObject(news.configuration) && isPlainObject(news.secrets)) {
        for (const { path } of secretEntries(news.secrets)) {
            let node: unknown = news.configuration;
            for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
            if (node !== undefined) problems.push({ property: `configuration.${path.join(".")}`, reason: `is also given under secrets.${path.join(".")}; keep it in one place` });
        }
    }
    return problems;
}

function failure(problems: Problem[]): CheckFailure[] {
    return problems.map((p) => ({ property: p.property, reason: redact(p.reason) }));
}

export function actorProvider(kind: ActorKind): DynamicProvider {
    const info = KINDS[kind];
    const label = (inputs: { name?: unknown }) => `${info.noun} "${typeof inputs.name === "string" ? inputs.name : "?"}"`;

    async function contextFor(settings: ServerSettings): Promise<ServerContext> {
        return serverContext(settings, resolveCredentialReference);
    }

    /**
     * Resolves the workspace and the definition, and validates the configuration against the
     * connector spec. Every call here goes to Airbyte; `check` skips it when the user inputs
     * are unchanged since the last apply.
     */
    async function resolveAndValidate(news: Record<string, unknown>, settings: ServerSettings): Promise<{ resolved?: Partial<ResolvedActor>; problems: Problem[] }> {
        const problems: Problem[] = [];
        const context = await contextFor(settings);
        const resolved: Partial<ResolvedActor> = { serverUrl: settings.serverUrl };

        // Workspace: the resource's, else the config's, else the server's default.
        if (isUnknown(news.workspaceId)) {
            resolved.workspaceId = UNKNOWN;
            resolved.workspaceFrom = "input";
        } else {
            const explicit = (news.workspaceId as string | undefined) ?? (news.server as ServerOverride | undefined)?.workspaceId;
            const from: ResolvedActor["workspaceFrom"] = explicit ? "input" : settings.workspaceId ? "config" : "default";
            const workspaceId = explicit ?? settings.workspaceId ?? (await context.defaultWorkspaceId());
            if (!(await context.workspace(workspaceId))) {
                const property = news.workspaceId ? "workspaceId" : from === "input" ? "server.workspaceId" : "workspaceId";
                problems.push({ property, reason: `the Airbyte server at ${context.serverUrl} has no workspace ${workspaceId}${from === "config" ? " (from config airbyte:workspaceId)" : ""}` });
                return { problems };
            }
            resolved.workspaceId = workspaceId;
            resolved.workspaceFrom = from;
        }

        if (isUnknown(news.definition) || isUnknown(resolved.workspaceId)) {
            resolved.definitionId = UNKNOWN;
            return { resolved, problems };
        }
        const definitions = await context.definitionsFor(kind, resolved.workspaceId!);
        const match = matchDefinition(news.definition as string, definitions);
        if (!match.found) {
            const hint = match.ambiguous?.length
                ? `is ambiguous; it matches ${match.ambiguous.map(describeDefinition).join("; ")}. Use the definition id`
                : `matches no ${info.noun} definition in workspace ${resolved.workspaceId}${
                      match.closeMatches.length ? `. Close matches: ${match.closeMatches.map(describeDefinition).join("; ")}` : ` (${definitions.length} definitions available)`
                  }`;
            problems.push({ property: "definition", reason: `"${news.definition}" ${hint}` });
            return { problems };
        }
        resolved.definitionId = match.found.definitionId;
        resolved.definitionName = match.found.name;

        // The configuration against the connector's spec.
        if (isUnknown(news.configuration) || isUnknown(news.secrets)) return { resolved, problems };
        const spec = await context.specification(kind, match.found.definitionId, resolved.workspaceId!);
        const configuration = (news.configuration as Record<string, unknown> | undefined) ?? {};
        for (const path of secretFieldPaths(configuration, spec.schema)) {
            problems.push({
                property: `configuration.${path.join(".")}`,
                reason: `is a secret field (airbyte_secret in the ${match.found.name} spec); move it to secrets.${path.join(".")} so it never appears in clear text`,
            });
        }
        const { values: secretValues, placeholderPaths } = secretsForValidation(news.secrets);
        const merged = deepMerge(configuration, secretValues);
        problems.push(...validateConfiguration({ schema: spec.schema, configuration, secrets: secretValues, placeholderPaths }, merged));
        return { resolved, problems };
    }

    async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
        const problems = shapeProblems(news, info.noun);
        if (problems.length) return { inputs: news, failures: failure(problems) };

        let settings: ServerSettings;
        try {
            settings = isUnknown((news.server as ServerOverride | undefined)?.url) ? settingsForResource(undefined) : settingsForResource(news.server as ServerOverride | undefined);
        } catch (error) {
            if (error instanceof SettingsError || error instanceof Error) return { inputs: news, failures: [{ property: news.server ? "server" : "provider", reason: redact(error.message) }] };
            throw error;
        }
        const oldResolved = olds.resolved as ResolvedActor | undefined;
        const unchanged =
            oldResolved !== undefined &&
            !containsUnknown(news) &&
            deepEqual(userInputs(olds), userInputs(news)) &&
            oldResolved.serverUrl === settings.serverUrl &&
            (oldResolved.workspaceFrom !== "config" || oldResolved.workspaceId === settings.workspaceId) &&
            (oldResolved.workspaceFrom !== "default" || !settings.workspaceId);

        let resolved: Partial<ResolvedActor> | undefined;
        if (unchanged) {
            // Validated at the last apply: no Airbyte calls for an unchanged resource.
            resolved = { ...oldResolved };
            delete resolved.secretVersions;
        } else if (isUnknown((news.server as ServerOverride | undefined)?.url)) {
            resolved = { serverUrl: UNKNOWN, workspaceId: UNKNOWN, workspaceFrom: news.workspaceId ? "input" : "default", definitionId: UNKNOWN };
        } else {
            try {
                const result = await resolveAndValidate(news, settings);
                problems.push(...result.problems);
                resolved = result.resolved;
            } catch (error) {
                // E.g. airbyte:clientSecret refers to a Secrets Manager secret that cannot be read.
                if (error instanceof SettingsError) return { inputs: news, failures: [{ property: news.server ? "server" : "provider", reason: redact(error.message) }] };
                throw error;
            }
        }

        // Secrets Manager: learn each referenced secret's current version (no value is read), so
        // a rotation shows up as a change of resolved.secretVersions in the preview.
        const versions = await currentVersions(news.secrets, awsDefaults(settings));
        problems.push(...versions.problems);
        if (resolved && Object.keys(versions.versions).length) resolved.secretVersions = versions.versions;
        // Read a referenced value only when it is new or rotated (or other inputs changed), to
        // report a missing key or a non-JSON secret now; an unchanged preview reads no value.
        const toVerify = new Set(Object.keys(versions.versions).filter((path) => !unchanged || oldResolved?.secretVersions?.[path] !== versions.versions[path]));
        if (toVerify.size && !problems.length) problems.push(...(await verifyReadable(news.secrets, versions.versions, toVerify, awsDefaults(settings))));

        const inputs = { ...omit(news, OUTPUT_KEYS), ...(resolved ? { resolved: compact(resolved as Record<string, unknown>) } : {}) };
        return { inputs, failures: failure(problems) };
    }

    async function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
        // The engine diffs every resource it has state for: this object belongs to the stack.
        trackId(id);
        const oldResolved = (olds.resolved ?? {}) as Partial<ResolvedActor>;
        const newResolved = (news.resolved ?? {}) as Partial<ResolvedActor>;
        const replaces: string[] = [];
        const differs = (a: unknown, b: unknown) => containsUnknown(b) || !deepEqual(a, b);

        // Replacement: another workspace or another connector is another Airbyte object.
        const workspaceChanged = isUnknown(newResolved.workspaceId) ? (olds.workspaceId ?? undefined) !== (news.workspaceId ?? undefined) : oldResolved.workspaceId !== newResolved.workspaceId;
        if (workspaceChanged) replaces.push("workspaceId");
        const definitionChanged = isUnknown(newResolved.definitionId) ? olds.definition !== news.definition : oldResolved.definitionId !== newResolved.definitionId;
        if (definitionChanged) replaces.push("definition");

        const changes =
            replaces.length > 0 ||
            differs(olds.name, news.name) ||
            differs(olds.configuration ?? {}, news.configuration ?? {}) ||
            differs(olds.secrets ?? {}, news.secrets ?? {}) ||
            differs(oldResolved.secretVersions ?? {}, newResolved.secretVersions ?? {}) ||
            differs(oldResolved.serverUrl, newResolved.serverUrl);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    /** The full configuration Airbyte gets: configuration plus resolved secrets. */
    async function fullConfiguration(inputs: ActorInputs, settings: ServerSettings): Promise<ConnectorConfiguration> {
        const secrets = await resolveSecrets(inputs.secrets, inputs.resolved?.secretVersions, awsDefaults(settings));
        return deepMerge(inputs.configuration ?? {}, secrets);
    }

    function outputsFor(inputs: ActorInputs, id: string, resolved: ResolvedActor, live?: { name: string; configuration?: Record<string, unknown> }): Record<string, unknown> {
        return {
            ...omit(inputs as unknown as Record<string, unknown>, ["__provider", ...OUTPUT_KEYS]),
            ...(live ? { name: live.name, configuration: live.configuration } : {}),
            resolved,
            [info.idOutput]: id,
            workspaceId: resolved.workspaceId,
            definitionId: resolved.definitionId,
            definitionName: resolved.definitionName,
            serverUrl: resolved.serverUrl,
        };
    }

    async function ensureResolved(inputs: ActorInputs, settings: ServerSettings): Promise<ResolvedActor> {
        const r = inputs.resolved;
        if (r && r.serverUrl === settings.serverUrl && isUuid(r.workspaceId) && isUuid(r.definitionId)) return r;
        const result = await resolveAndValidate(inputs as unknown as Record<string, unknown>, settings);
        if (result.problems.length || !result.resolved) {
            throw new Error(`${label(inputs)}: ${result.problems.map((p) => `${p.property}: ${p.reason}`).join("; ")}`);
        }
        return { ...(result.resolved as ResolvedActor), secretVersions: r?.secretVersions };
    }

    function checkFailed(result: CheckConnectionRead, inputs: ActorInputs, what: string): Error | undefined {
        const failed = result.status === "failed" || result.jobInfo?.succeeded === false;
        if (!failed) return undefined;
        const message = result.message ?? result.jobInfo?.failureReason?.externalMessage ?? "no message";
        return new Error(redact(`Airbyte's connection check for ${label(inputs)} failed: ${message}. ${what} (Set checkConnection: false to skip the check.)`));
    }

    async function create(raw: Record<string, unknown>): Promise<CreateResult> {
        const inputs = raw as unknown as ActorInputs;
        const settings = settingsForResource(inputs.server);
        const context = await contextFor(settings);
        const api = info.api(context);
        const resolved = await ensureResolved(inputs, settings);
        const connectionConfiguration = await fullConfiguration(inputs, settings);
        const l = { resource: label(inputs) };

        if (inputs.adoptId) {
            const adopted = await adopt(inputs, inputs.adoptId, resolved, connectionConfiguration, context);
            trackId(adopted.id);
            return adopted;
        }

        if (inputs.checkConnection !== false) {
            const result = await api.checkConfiguration(resolved.definitionId, connectionConfiguration, resolved.workspaceId, l);
            const error = checkFailed(result, inputs, "Nothing was created in Airbyte.");
            if (error) throw error;
        }

        const body = { workspaceId: resolved.workspaceId, name: inputs.name, [info.definitionField]: resolved.definitionId, connectionConfiguration };
        const fingerprint = digest({
            kind,
            serverUrl: context.serverUrl,
            workspaceId: resolved.workspaceId,
            name: inputs.name,
            definitionId: resolved.definitionId,
            configuration: maskedLike(connectionConfiguration, inputs.secrets),
        });
        return serializedByKey(fingerprint, async () => {
            const orphan = await findOrphan(context, body, inputs, resolved, settings);
            if (orphan) {
                const adopted = await adoptOrphan(orphan, raw, inputs, resolved, connectionConfiguration, context);
                if (adopted) return adopted;
            }
            const created = await createReconciled(context, api, body, inputs, resolved, settings);
            const id = (created as Record<string, string>)[info.idOutput];
            trackId(id);
            context.noteListed(kind, resolved.workspaceId, id, true);
            context.rememberActor(kind, id, created as Record<string, unknown>);
            return { id, outs: outputsFor(inputs, id, resolved) };
        });
    }

    /** Whether a listed actor is what `body` would create (secrets aside: Airbyte masks them). */
    function sameDefinition(item: Record<string, unknown>, body: Record<string, unknown>, inputs: ActorInputs, resolved: ResolvedActor): boolean {
        return (
            item.name === body.name &&
            item[info.definitionField] === resolved.definitionId &&
            (item.workspaceId === undefined || item.workspaceId === resolved.workspaceId) &&
            deepEqual(maskedLike(item.connectionConfiguration as Record<string, unknown>, inputs.secrets), maskedLike(body.connectionConfiguration as Record<string, unknown>, inputs.secrets))
        );
    }

    /**
     * CREATE-TIME RECONCILIATION (recovery from an interrupted `pulumi up`).
     *
     * When `pulumi up` is killed while a create is in flight, Airbyte may hold the object while
     * the stack does not: the engine keeps only a "pending CREATE" note, and the next `pulumi up`
     * (which warns about it) creates the resource again. So before creating, the provider looks
     * for an object this stack would have made and adopts it instead of making a duplicate. An
     * object qualifies when all of these hold:
     *
     *  - same workspace, name and connector definition, and the same non-secret configuration
     *    (secrets cannot be compared, Airbyte masks them; adoption rewrites them with a full update);
     *  - created less than `airbyte:adoptWithinMinutes` ago (default 60; 0 turns this off), by the
     *    server's `createdAt`;
     *  - no connection uses it: an interrupted run orphans an actor only before the engine learns
     *    its id, so no connection of the stack can point at it, whereas an actor that another stack
     *    manages usually has one;
     *  - this provider process has not seen it belong to a resource (created, adopted, diffed, read,
     *    updated or deleted in this command), and creates that look identical are serialized, so
     *    two identical resources of one program never share one object.
     *
     * The listing is shared: every create of the run uses one listing (and one `connections/list`)
     * per workspace taken during the last minute, so 200 creates cost one or two list calls.
     * Limits: two stacks (or two runs an hour apart) that declare identical actors without
     * connections in the same workspace cannot be told apart; give them distinct names, or set
     * `airbyte:adoptWithinMinutes` to 0.
     */
    async function findOrphan(
        context: ServerContext,
        body: Record<string, unknown>,
        inputs: ActorInputs,
        resolved: ResolvedActor,
        settings: ServerSettings,
    ): Promise<Record<string, unknown> | undefined> {
        if (settings.adoptWithinMinutes <= 0) return undefined;
        const notBefore = Date.now() - 60_000;
        const createdSince = Date.now() / 1000 - settings.adoptWithinMinutes * 60;
        try {
            const items = await context.listItems(kind, resolved.workspaceId, notBefore);
            const candidates = unclaimedNewestFirst(items, { id: info.idOutput, createdAt: "createdAt" }, createdSince, (item) => sameDefinition(item, body, inputs, resolved));
            if (candidates.length === 0) return undefined;
            const inUse = await context.actorsInUse(resolved.workspaceId, notBefore);
            return candidates.find((item) => !inUse.has(item[info.idOutput] as string));
        } catch (error) {
            throw new Error(
                redact(`${label(inputs)}: could not look for a ${info.noun} an interrupted run may have left (${(error as Error).message}), so nothing was created; run \`pulumi up\` again.`),
            );
        }
    }

    /**
     * Adopts an orphan found by `findOrphan`: checks that it still exists, then applies the full
     * configuration (secrets included). Undefined when it has gone meanwhile (then it is created).
     * A failure after that point still hands the id to the engine (`PartialCreateError`), so the
     * object is tracked rather than orphaned; the next `pulumi up` finishes the update.
     */
    async function adoptOrphan(
        orphan: Record<string, unknown>,
        raw: Record<string, unknown>,
        inputs: ActorInputs,
        resolved: ResolvedActor,
        connectionConfiguration: ConnectorConfiguration,
        context: ServerContext,
    ): Promise<CreateResult | undefined> {
        const api = info.api(context);
        const id = orphan[info.idOutput] as string;
        const l = { resource: `${label(inputs)} (adopting ${id})` };
        trackId(id);
        try {
            const live = await api.get(id, l);
            // `get` still answers for a deleted actor, with a blank configuration.
            if (Object.keys((live.connectionConfiguration ?? {}) as object).length === 0) return undefined;
            await api.update({ [info.idOutput]: id, name: inputs.name, connectionConfiguration }, l);
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") return undefined;
            const message = redact(
                `${label(inputs)}: adopted ${info.noun} ${id}, which an interrupted run created, but could not update it: ${(error as Error).message}. The stack tracks it now; the next \`pulumi up\` updates it.`,
            );
            throw new PartialCreateError(message, id, { ...outputsFor(inputs, id, resolved), __provider: raw.__provider }, [message]);
        }
        if (kind === "source") context.forgetCatalog(id);
        context.forgetActor(kind, id);
        const age = Math.max(0, Math.round(Date.now() / 1000 - Number(orphan.createdAt)));
        log.warn(
            `${label(inputs)}: adopted ${info.noun} ${id} instead of creating a duplicate: it matches this resource, was created ${age} s ago and no resource tracks it (most likely an interrupted \`pulumi up\` made it)`,
        );
        return { id, outs: outputsFor(inputs, id, resolved) };
    }

    /**
     * A create whose answer was lost (reset, timeout, 500/502/504) may or may not have been
     * processed. Rather than repeat it blindly, look for the object it would have made (same
     * name, definition and non-secret configuration, created since the attempt began, tracked by
     * no resource) for as long as the server may still be working on it, and adopt it; only when
     * none appears is the create repeated.
     */
    async function createReconciled(
        context: ServerContext,
        api: ActorsApi<any, any, any>,
        body: Record<string, unknown>,
        inputs: ActorInputs,
        resolved: ResolvedActor,
        settings: ServerSettings,
    ): Promise<unknown> {
        return createWithReconciliation({
            what: label(inputs),
            noun: info.noun,
            settings,
            create: () => api.create(body, { resource: label(inputs) }),
            findLost: async (since, notBefore) =>
                unclaimedNewestFirst(
                    await context.listItems(kind, resolved.workspaceId, notBefore),
                    { id: info.idOutput, createdAt: "createdAt" },
                    since,
                    (item) => sameDefinition(item, body, inputs, resolved),
                    true,
                )[0],
        });
    }

    /** The configuration with every secret path (and every masked value) removed, for comparisons. */
    function maskedLike(configuration: Record<string, unknown> | undefined, secrets: unknown): Record<string, unknown> {
        return withoutSecrets(configuration ?? {}, secrets);
    }

    async function adopt(inputs: ActorInputs, adoptId: string, resolved: ResolvedActor, connectionConfiguration: ConnectorConfiguration, context: ServerContext): Promise<CreateResult> {
        const api = info.api(context);
        const l = { resource: `${label(inputs)} (adopting ${adoptId})` };
        let existing: Record<string, unknown>;
        try {
            existing = await api.get(adoptId, l);
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") throw new Error(`adoptId: there is no ${info.noun} ${adoptId} on ${context.serverUrl} to adopt`);
            throw error;
        }
        if (!(await context.isListed(kind, existing.workspaceId as string, adoptId))) {
            throw new Error(`adoptId: ${info.noun} ${adoptId} has been deleted in Airbyte; it cannot be adopted`);
        }
        if (existing.workspaceId !== resolved.workspaceId) {
            throw new Error(`adoptId: ${info.noun} ${adoptId} belongs to workspace ${existing.workspaceId}, not ${resolved.workspaceId}; set workspaceId to adopt it`);
        }
        if (existing[info.definitionField] !== resolved.definitionId) {
            throw new Error(`adoptId: ${info.noun} ${adoptId} uses definition ${existing[info.definitionField]}, not ${resolved.definitionId} (${inputs.definition})`);
        }
        const update = { [info.idOutput]: adoptId, name: inputs.name, connectionConfiguration };
        if (inputs.checkConnection !== false) {
            const error = checkFailed(await api.checkConnectionForUpdate(update, l), inputs, `${info.noun} ${adoptId} was not adopted.`);
            if (error) throw error;
        }
        await api.update(update, l);
        if (kind === "source") context.forgetCatalog(adoptId);
        return { id: adoptId, outs: outputsFor(inputs, adoptId, resolved) };
    }

    async function read(id: string, props: Record<string, unknown>): Promise<ReadResult> {
        requireUuidFromState(id, info.noun, "read");
        trackId(id);
        const stored = props as unknown as ActorInputs & Record<string, unknown>;
        const settings = settingsForResource(stored.server);
        const context = await contextFor(settings);
        const api = info.api(context);
        let live: Record<string, unknown>;
        try {
            live = await api.get(id, { resource: label(stored) });
        } catch (error) {
            if (error instanceof AirbyteApiError && error.kind === "not_found") return { id: "" };
            throw error;
        }
        // `get` answers 200 for deleted actors (with a blanked configuration); the listing tells.
        const liveConfiguration = (live.connectionConfiguration ?? {}) as Record<string, unknown>;
        if (Object.keys(liveConfiguration).length === 0 && !(await context.isListed(kind, live.workspaceId as string, id))) return { id: "" };

        const resolved: ResolvedActor = {
            ...((stored.resolved ?? {}) as ResolvedActor),
            serverUrl: context.serverUrl,
            workspaceId: live.workspaceId as string,
            definitionId: live[info.definitionField] as string,
        };
        const configuration = withoutSecrets(liveConfiguration, stored.secrets);
        const outs = outputsFor(stored, id, resolved, { name: live.name as string, configuration });
        // Outputs carry the resolved workspace; as an input it exists only if the user gave it.
        const inputs = userInputs(outs);
        if (resolved.workspaceFrom !== "input") delete inputs.workspaceId;
        return { id, props: outs, inputs: { ...inputs, resolved } };
    }

    async function update(id: string, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<UpdateResult> {
        requireUuidFromState(id, info.noun, "update");
        trackId(id);
        const inputs = news as unknown as ActorInputs;
        const settings = settingsForResource(inputs.server);
        const context = await contextFor(settings);
        const api = info.api(context);
        const resolved = await ensureResolved(inputs, settings);
        const connectionConfiguration = await fullConfiguration(inputs, settings);
        const body = { [info.idOutput]: id, name: inputs.name, connectionConfiguration };
        const l = { resource: label(inputs) };
        try {
            if (inputs.checkConnection !== false) {
                const error = checkFailed(await api.checkConnectionForUpdate(body, l), inputs, "Nothing was changed in Airbyte.");
                if (error) throw error;
            }
            context.rememberActor(kind, id, (await api.update(body, l)) as Record<string, unknown>);
        } catch (error) {
            context.forgetActor(kind, id);
            if (error instanceof AirbyteApiError && error.kind === "not_found") {
                throw new Error(`${label(inputs)}: ${info.noun} ${id} no longer exists on ${context.serverUrl}; run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to create it again`);
            }
            throw error;
        }
        if (kind === "source") context.forgetCatalog(id);
        return { outs: outputsFor(inputs, id, resolved) };
    }

    async function del(id: string, props: Record<string, unknown>): Promise<void> {
        requireUuidFromState(id, info.noun, "delete");
        trackId(id);
        const stored = props as unknown as ActorInputs;
        const settings = settingsForResource(stored.server);
        const context = await contextFor(settings);
        try {
            await info.api(context).delete(id, { resource: label(stored) });
        } catch (error) {
            // Already gone (deleted in the UI, or by a retried request) is what we wanted.
            if (!(error instanceof AirbyteApiError && error.kind === "not_found")) throw error;
        }
        context.forgetActor(kind, id);
        if (stored.resolved?.workspaceId) context.noteListed(kind, stored.resolved.workspaceId, id, false);
    }

    return { check, diff, create, read, update, delete: del };
}

/**
 * A live configuration without its secrets: masked values (`**********`) and every path the
 * user supplies under `secrets` are removed, so only non-secret fields are compared for drift.
 */
export function withoutSecrets(configuration: Record<string, unknown>, secrets: unknown): Record<string, unknown> {
    const secretPaths = new Set(secretEntries(secrets ?? {}).map((e) => e.path.join(".")));
    const strip = (node: unknown, path: string[]): unknown => {
        if (isPlainObject(node)) {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(node)) {
                const p = [...path, k];
                if (v === MASK || secretPaths.has(p.join("."))) continue;
                out[k] = strip(v, p);
            }
            return out;
        }
        if (Array.isArray(node)) return node.map((v, i) => strip(v, [...path, String(i)]));
        return node;
    };
    return strip(configuration, []) as Record<string, unknown>;
}
