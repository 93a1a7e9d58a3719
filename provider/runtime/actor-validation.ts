/**
 * What `check` asks Airbyte about a Source or Destination: which workspace it lands in, which
 * connector definition it names, and whether its configuration satisfies the connector's spec.
 * Every function here makes Airbyte calls; `check` skips them for inputs unchanged since the last
 * apply (./actor-provider).
 */
import type { ActorKind, ConnectorConfiguration, Definition, Problem } from "../client/domain";
import { CapabilityUnavailableError } from "../client/errors";
import { log } from "../log";
import { ActorInputs, knownServer, ResolvedActor } from "./actor-inputs";
import { describeDefinition, matchDefinition, nameDefinition } from "./definitions";
import { listSome, MAX_CLOSE_MATCHES } from "./hints";
import { secretsForValidation } from "./secret-inputs";
import type { ServerContext } from "./server-context";
import type { ServerSettings } from "./settings";
import { speclessProblems } from "./specless-validation";
import { secretFieldPaths, validateConfiguration } from "./spec-validation";
import { deepMerge, isKnown, isUnknown, isUuid, UNKNOWN } from "./values";

export interface Resolution {
    resolved?: Partial<ResolvedActor>;
    problems: Problem[];
}

/** Resolves the workspace and the definition, then validates the configuration against the spec. */
export async function resolveAndValidate(
    kind: ActorKind,
    inputs: ActorInputs,
    settings: ServerSettings,
    context: ServerContext,
): Promise<Resolution> {
    const resolved: Partial<ResolvedActor> = { serverUrl: settings.serverUrl };
    const workspace = await resolveWorkspace(inputs, settings, context);
    if ("problem" in workspace) return { problems: [workspace.problem] };
    Object.assign(resolved, workspace);

    if (!isKnown(inputs.definition) || isUnknown(resolved.workspaceId)) {
        resolved.definitionId = UNKNOWN;
        return { resolved, problems: [] };
    }
    const definition = await resolveDefinition(kind, inputs.definition, resolved.workspaceId!, context);
    if ("problem" in definition) return { problems: [definition.problem] };
    resolved.definitionId = definition.found.id;
    resolved.definitionName = definition.found.name;

    if (!isKnown(inputs.configuration) || isUnknown(inputs.secrets)) return { resolved, problems: [] };
    const problems = await validateAgainstSpec(kind, inputs, definition.found, resolved.workspaceId!, context);
    return { resolved, problems };
}

type WorkspaceResolution = Pick<ResolvedActor, "workspaceId" | "workspaceFrom"> | { problem: Problem };

/** The resource's workspace, else the provider config's, else the server's default (which must exist). */
async function resolveWorkspace(
    inputs: ActorInputs,
    settings: ServerSettings,
    context: ServerContext,
): Promise<WorkspaceResolution> {
    if (isUnknown(inputs.workspaceId)) return { workspaceId: UNKNOWN, workspaceFrom: "input" };
    const explicit = inputs.workspaceId ?? knownServer(inputs.server)?.workspaceId;
    let from: ResolvedActor["workspaceFrom"] = "default";
    if (explicit) from = "input";
    else if (settings.workspaceId) from = "config";

    let workspaceId = explicit ?? settings.workspaceId;
    if (!workspaceId) {
        const found = await context.defaultWorkspace();
        if ("problem" in found) return { problem: { property: "workspaceId", reason: found.problem } };
        workspaceId = found.workspaceId;
    }
    if (await context.workspace(workspaceId)) return { workspaceId, workspaceFrom: from };

    // Name the input the user wrote: the resource's own, or its server block's.
    const property = !inputs.workspaceId && from === "input" ? "server.workspaceId" : "workspaceId";
    const fromConfig = from === "config" ? " (from config airbyte:workspaceId)" : "";
    return {
        problem: {
            property,
            reason: `the Airbyte server at ${context.serverUrl} has no workspace ${workspaceId}${fromConfig}`,
        },
    };
}

/** The connector definition the `definition` input names (repository, name or id), or why none. */
async function resolveDefinition(
    kind: ActorKind,
    query: string,
    workspaceId: string,
    context: ServerContext,
): Promise<{ found: Pick<Definition, "id" | "name"> } | { problem: Problem }> {
    const definitions = await context.definitionsFor(kind, workspaceId);
    // A server whose API lists no definitions (the public API before Airbyte 1.2) takes an id as given.
    if (definitions.length === 0 && isUuid(query)) return { found: { id: query, name: query } };
    const match = matchDefinition(query, definitions);
    if (match.found) return { found: match.found };
    let hint: string;
    if (match.ambiguous?.length) {
        const candidates = listSome(match.ambiguous.map(describeDefinition), MAX_CLOSE_MATCHES);
        hint = `is ambiguous; it matches ${candidates}. Use the definition id`;
    } else {
        const close = match.closeMatches.length
            ? `. Close matches: ${match.closeMatches.map(nameDefinition).join(", ")}`
            : ` (${definitions.length} definitions available)`;
        hint = `matches no ${kind} definition in workspace ${workspaceId}${close}`;
    }
    return { problem: { property: "definition", reason: `"${query}" ${hint}` } };
}

/**
 * The configuration (with the secrets, as placeholders where they are references) against the
 * connector's spec, where the backend serves specs; without one, only what can be told from names.
 */
async function validateAgainstSpec(
    kind: ActorKind,
    inputs: ActorInputs,
    definition: Pick<Definition, "id" | "name">,
    workspaceId: string,
    context: ServerContext,
): Promise<Problem[]> {
    const configuration = inputs.configuration as ConnectorConfiguration;
    const specSkipped = (why: string) => {
        context.warnOnce(
            "spec",
            `${why}: configurations are validated against the connector spec by Airbyte at apply, not at preview`,
        );
        return speclessProblems(configuration, why);
    };
    if (!context.backend.capabilities.connectorSpec)
        return specSkipped(`the ${context.backend.name} API of ${context.serverUrl} serves no connector specs`);
    let spec;
    try {
        spec = await context.specification(kind, definition.id, workspaceId);
    } catch (error) {
        if (!(error instanceof CapabilityUnavailableError)) throw error;
        return specSkipped(error.message);
    }
    const problems: Problem[] = secretFieldPaths(configuration, spec.schema).map((path) => ({
        property: `configuration.${path.join(".")}`,
        reason: `is a secret field (airbyte_secret in the ${definition.name} spec); move it to secrets.${path.join(".")} so it never appears in clear text`,
    }));
    const { values: secretValues, placeholderPaths } = secretsForValidation(inputs.secrets);
    problems.push(
        ...validateConfiguration(
            {
                schema: spec.schema,
                configuration,
                secrets: secretValues,
                placeholderPaths,
                undeclaredKeys: inputs.undeclaredKeys,
            },
            deepMerge(configuration, secretValues),
        ),
    );
    return problems;
}

/**
 * Derived values are internal and never printed by previews; when one changes for a reason the
 * inputs do not show (provider settings, the server's default workspace), the preview says so in
 * one line.
 */
export function noteMovedTarget(what: string, before: Partial<ResolvedActor>, after: Partial<ResolvedActor>): void {
    const keys = after.workspaceFrom === "input" ? (["serverUrl"] as const) : (["serverUrl", "workspaceId"] as const);
    const moves = keys
        .filter((key) => isKnown(after[key]) && isKnown(before[key]) && before[key] !== after[key])
        .map((key) => `${key} "${before[key]}" → "${after[key]}"`);
    if (moves.length)
        log.warn(`${what}: ${moves.join(", ")} (derived from the provider settings or the server, so not in the diff)`);
}
