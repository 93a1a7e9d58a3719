/**
 * One declaration per resource of the properties it has, used by both sides: the program-side
 * classes (../resources) register exactly these with the engine, and the runtime (../runtime)
 * separates what users wrote from what it derived, and refuses keys it does not know. Plain
 * data, importable without `@pulumi/pulumi`.
 *
 * The Args interfaces users see are checked against these lists at compile time
 * (`SameKeys` in ../resources).
 */

export interface ResourceSchema<Input extends string = string, Output extends string = string> {
    /** The type name in the token `pulumi-nodejs:dynamic/airbyte:<type>` (never changes: it is in users' state). */
    type: "Source" | "Destination" | "Connection";
    /** The output holding the Airbyte id, which is also the resource's id. */
    idOutput: string;
    /** What users write, in the order the engine gets them. */
    inputs: readonly Input[];
    /**
     * Inputs registered even when unset, because they are also outputs users read (a property
     * Pulumi does not see registered is not exposed). Other inputs are registered only when
     * set: every registered property costs the SDK CPU per resource in large stacks.
     */
    alwaysRegistered: readonly Input[];
    /** Outputs the provider computes, registered unset so that Pulumi exposes them. */
    computedOutputs: readonly Output[];
}

/**
 * What the runtime keeps in state next to the user's inputs: what `check` derived from them
 * (server URL, workspace, definition id, Secrets Manager versions). The `__` prefix makes it an
 * internal property that Pulumi's display never prints (`resource.IsInternalPropertyKey`, like
 * `__provider`), so `pulumi preview --diff` shows what the user wrote and nothing derived.
 */
export const DERIVED_KEY = "__resolved";
/** Where state written before 0.2 kept the derived values (shown in every diff); still read. */
export const LEGACY_DERIVED_KEY = "resolved";
/** Where Pulumi keeps the serialized provider, in inputs and outputs. */
export const PROVIDER_KEY = "__provider";

const ACTOR_INPUTS = [
    "name",
    "definition",
    "configuration",
    "secrets",
    "workspaceId",
    "checkConnection",
    "adoptId",
    "undeclaredKeys",
    "server",
] as const;
export type ActorInputName = (typeof ACTOR_INPUTS)[number];
const ACTOR_OUTPUTS = ["definitionId", "definitionName", "serverUrl"] as const;

export const SOURCE_SCHEMA: ResourceSchema<ActorInputName, (typeof ACTOR_OUTPUTS)[number]> = {
    type: "Source",
    idOutput: "sourceId",
    inputs: ACTOR_INPUTS,
    alwaysRegistered: ["name", "definition", "configuration", "workspaceId"],
    computedOutputs: ACTOR_OUTPUTS,
};

export const DESTINATION_SCHEMA: ResourceSchema<ActorInputName, (typeof ACTOR_OUTPUTS)[number]> = {
    ...SOURCE_SCHEMA,
    type: "Destination",
    idOutput: "destinationId",
};

const CONNECTION_INPUTS = [
    "sourceId",
    "destinationId",
    "name",
    "streams",
    "syncCatalog",
    "schedule",
    "status",
    "namespaceDefinition",
    "namespaceFormat",
    "prefix",
    "nonBreakingChangesPreference",
    "adoptId",
    "server",
] as const;
export type ConnectionInputName = (typeof CONNECTION_INPUTS)[number];
const CONNECTION_OUTPUTS = ["workspaceId", "catalogDigest", "streamCount", "serverUrl"] as const;

export const CONNECTION_SCHEMA: ResourceSchema<ConnectionInputName, (typeof CONNECTION_OUTPUTS)[number]> = {
    type: "Connection",
    idOutput: "connectionId",
    inputs: CONNECTION_INPUTS,
    alwaysRegistered: ["sourceId", "destinationId", "name", "schedule", "status"],
    computedOutputs: CONNECTION_OUTPUTS,
};

/** Every key the engine may hand the runtime for a resource (inputs, outputs, and bookkeeping). */
export function knownKeys(schema: ResourceSchema): Set<string> {
    return new Set<string>([
        ...schema.inputs,
        ...schema.computedOutputs,
        schema.idOutput,
        DERIVED_KEY,
        LEGACY_DERIVED_KEY,
        PROVIDER_KEY,
    ]);
}

/** The derived values kept in `props` (inputs or outputs in state), wherever this or an earlier version kept them. */
export function derivedValues<T>(props: Record<string, unknown>): T | undefined {
    const value = props[DERIVED_KEY] ?? props[LEGACY_DERIVED_KEY];
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as T) : undefined;
}

/** The user's inputs among `props` (set ones only; Pulumi sends absent optional inputs as undefined or null). */
export function userInputs(schema: ResourceSchema, props: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of schema.inputs) if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
    return out;
}
