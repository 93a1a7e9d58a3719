/**
 * The inputs of a Source or Destination, parsed once from what the engine hands over into typed
 * values, with every shape problem named by property. `check` parses raw inputs; the other
 * methods read state that `check` produced earlier.
 */
import type { Problem } from "../client/domain";
import { derivedValues, DESTINATION_SCHEMA, knownKeys, SOURCE_SCHEMA } from "../schema";
import { secretEntries, secretsProblems } from "./secret-inputs";
import type { ServerOverride } from "./settings";
import { isKnown, isPlainObject, isUnknown, isUuid, type Maybe } from "./values";

export interface ActorInputs {
    name: string;
    definition: Maybe<string>;
    configuration: Maybe<Record<string, unknown>>;
    /** The secrets tree; leaves are strings or Secrets Manager references (some may be unknown at preview). */
    secrets?: Maybe<Record<string, unknown>>;
    workspaceId?: Maybe<string>;
    checkConnection?: Maybe<boolean>;
    adoptId?: Maybe<string>;
    /**
     * Dotted paths inside the configuration whose keys the connector spec need not declare (entries may be unknown at
     * preview).
     */
    undeclaredKeys?: Maybe<Maybe<string>[]>;
    server?: Maybe<ServerOverrideInput>;
}

/** A resource's `server` input: its URL may be unknown during a preview (e.g. a new instance's address). */
export interface ServerOverrideInput {
    url: Maybe<string>;
    profile?: string;
    workspaceId?: string;
}

/** What `check` derived from the inputs (kept in state under `__resolved`, hidden from previews). */
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

/** The server override with a known URL, or undefined. */
export function knownServer(server: ActorInputs["server"]): ServerOverride | undefined {
    return isKnown(server) && isKnown(server.url) ? server : undefined;
}

/** Parses raw inputs; `problems` is empty when they are well-formed (values may still be unknown). */
export function parseActorInputs(
    raw: Record<string, unknown>,
    noun: "source" | "destination",
): { inputs: ActorInputs; problems: Problem[] } {
    const schema = noun === "source" ? SOURCE_SCHEMA : DESTINATION_SCHEMA;
    const problems: Problem[] = [];
    const known = knownKeys(schema);
    for (const key of Object.keys(raw)) {
        if (!known.has(key))
            problems.push({ property: key, reason: `is not a ${noun} argument; allowed: ${schema.inputs.join(", ")}` });
    }
    const { name, definition, configuration, secrets, workspaceId, checkConnection, adoptId, undeclaredKeys, server } =
        raw;
    if (isKnown(name) && (typeof name !== "string" || name.trim() === ""))
        problems.push({ property: "name", reason: "must be a non-empty string" });
    if (definition === undefined || definition === null) {
        problems.push({
            property: "definition",
            reason: `is required: the connector's docker repository (e.g. "airbyte/${noun}-postgres"), its name, or its definition id`,
        });
    } else if (isKnown(definition) && (typeof definition !== "string" || definition.trim() === "")) {
        problems.push({ property: "definition", reason: "must be a non-empty string" });
    }
    if (isKnown(configuration) && !isPlainObject(configuration))
        problems.push({
            property: "configuration",
            reason: "must be an object (the connector configuration without its secrets)",
        });
    problems.push(...secretsProblems(secrets));
    for (const [key, value] of [
        ["workspaceId", workspaceId],
        ["adoptId", adoptId],
    ] as const) {
        if (isKnown(value) && !isUuid(value))
            problems.push({ property: key, reason: `must be a UUID; got ${JSON.stringify(value)}` });
    }
    if (isKnown(checkConnection) && typeof checkConnection !== "boolean")
        problems.push({ property: "checkConnection", reason: "must be true or false" });
    problems.push(...undeclaredKeysProblems(undeclaredKeys));
    problems.push(...serverProblems(server));
    // The same field in both places would leave it ambiguous which value Airbyte gets.
    if (isPlainObject(configuration) && isPlainObject(secrets)) {
        for (const { path } of secretEntries(secrets)) {
            let node: unknown = configuration;
            for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
            if (node !== undefined)
                problems.push({
                    property: `configuration.${path.join(".")}`,
                    reason: `is also given under secrets.${path.join(".")}; keep it in one place`,
                });
        }
    }
    const inputs: ActorInputs = {
        name: typeof name === "string" ? name : "",
        definition: definition as Maybe<string>,
        configuration: (configuration ?? {}) as Maybe<Record<string, unknown>>,
        ...(secrets !== undefined && secrets !== null ? { secrets: secrets as Maybe<Record<string, unknown>> } : {}),
        ...(workspaceId !== undefined && workspaceId !== null ? { workspaceId: workspaceId as Maybe<string> } : {}),
        ...(checkConnection !== undefined && checkConnection !== null
            ? { checkConnection: checkConnection as Maybe<boolean> }
            : {}),
        ...(adoptId !== undefined && adoptId !== null ? { adoptId: adoptId as Maybe<string> } : {}),
        ...(undeclaredKeys !== undefined && undeclaredKeys !== null
            ? { undeclaredKeys: undeclaredKeys as Maybe<Maybe<string>[]> }
            : {}),
        ...(server !== undefined && server !== null ? { server: server as Maybe<ServerOverrideInput> } : {}),
    };
    return { inputs, problems };
}

/**
 * Shape problems of `undeclaredKeys`: a list of dotted paths inside the configuration
 * (`"jdbc_url_param"`, `"replication_method.new_flag"`), each naming a key the connector spec
 * need not declare. Entries unknown at preview are judged once known.
 */
function undeclaredKeysProblems(value: unknown): Problem[] {
    if (!isKnown(value)) return [];
    const example = 'e.g. ["jdbc_url_param", "replication_method.new_flag"]';
    if (!Array.isArray(value))
        return [
            {
                property: "undeclaredKeys",
                reason: `must be a list of dotted paths inside the configuration, ${example}; got ${JSON.stringify(value)}`,
            },
        ];
    const problems: Problem[] = [];
    value.forEach((entry, i) => {
        if (isUnknown(entry)) return;
        if (typeof entry !== "string" || entry.trim() === "") {
            problems.push({
                property: `undeclaredKeys[${i}]`,
                reason: `must be a non-empty string: a dotted path inside the configuration, ${example}; got ${JSON.stringify(entry)}`,
            });
        } else if (entry.split(".").some((segment) => segment === "")) {
            problems.push({
                property: `undeclaredKeys[${i}]`,
                reason: `"${entry}" is not a dotted path (an empty segment); ${example}`,
            });
        }
    });
    return problems;
}

/** Shape problems of a `server` input (shared with the Connection). */
export function serverProblems(server: unknown): Problem[] {
    const problems: Problem[] = [];
    if (!isKnown(server)) return problems;
    if (!isPlainObject(server)) return [{ property: "server", reason: "must be { url, profile?, workspaceId? }" }];
    for (const key of Object.keys(server))
        if (!["url", "profile", "workspaceId"].includes(key))
            problems.push({
                property: `server.${key}`,
                reason: "is not a server setting; allowed: url, profile, workspaceId",
            });
    if (!isKnown(server.url) && !isUnknown(server.url))
        problems.push({ property: "server.url", reason: "is required" });
    else if (isKnown(server.url) && typeof server.url !== "string")
        problems.push({ property: "server.url", reason: "must be a URL string" });
    if (isKnown(server.workspaceId) && !isUuid(server.workspaceId))
        problems.push({ property: "server.workspaceId", reason: "must be a UUID" });
    if (isKnown(server.profile) && typeof server.profile !== "string")
        problems.push({ property: "server.profile", reason: "must be the name of an airbyte:profiles entry" });
    return problems;
}

/** The inputs and derived values kept in state (written by an earlier `check`, so well-formed and known). */
export function storedActor(
    props: Record<string, unknown>,
    noun: "source" | "destination",
): { inputs: StoredActorInputs; resolved?: ResolvedActor } {
    const { inputs } = parseActorInputs(props, noun);
    return { inputs: inputs as StoredActorInputs, resolved: derivedValues<ResolvedActor>(props) };
}

/** Inputs after a preview: every value known. */
export interface StoredActorInputs extends ActorInputs {
    definition: string;
    configuration: Record<string, unknown>;
    secrets?: Record<string, unknown>;
    workspaceId?: string;
    checkConnection?: boolean;
    adoptId?: string;
    undeclaredKeys?: string[];
    server?: ServerOverride;
}
