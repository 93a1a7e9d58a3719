/**
 * The inputs of a Connection, parsed once into typed, normalized values (streams sorted,
 * schedule in canonical form, status defaulted), with every shape problem named by property.
 */
import type {
    ConnectionOptions,
    NamespaceDefinition,
    NonBreakingChangesPreference,
    Problem,
    Schedule,
} from "../client/domain";
import { NAMESPACE_DEFINITIONS, NON_BREAKING_CHANGES_PREFERENCES } from "../client/domain";
import { CONNECTION_SCHEMA, derivedValues, knownKeys } from "../schema";
import { serverProblems, ServerOverrideInput } from "./actor-inputs";
import { normalizeRawCatalog, normalizeStreams, StreamSelection } from "./catalog";
import { normalizeSchedule } from "./schedule";
import type { ServerOverride } from "./settings";
import { isKnown, isUuid, type Maybe, omit } from "./values";

const STATUSES = ["active", "inactive"] as const;

/** Options sent as given; when the user stops setting one, the server default is restored. */
export const OPTION_DEFAULTS: Required<ConnectionOptions> = {
    namespaceDefinition: "source",
    namespaceFormat: "${SOURCE_NAMESPACE}",
    prefix: "",
    nonBreakingChangesPreference: "ignore",
};
export type OptionName = keyof ConnectionOptions;
export const OPTIONS = Object.keys(OPTION_DEFAULTS) as OptionName[];

export interface ConnectionInputs extends ConnectionOptions {
    sourceId: Maybe<string>;
    destinationId: Maybe<string>;
    name?: Maybe<string>;
    streams?: Maybe<StreamSelection[]>;
    /** A raw `syncCatalog` (Config API escape hatch). */
    syncCatalog?: unknown;
    schedule: Maybe<Schedule>;
    status: Maybe<"active" | "inactive">;
    adoptId?: Maybe<string>;
    server?: Maybe<ServerOverrideInput>;
}

/** What `check` derived (kept in state under `resolved`). */
export interface ResolvedConnection {
    serverUrl: string;
    /** The name was chosen by Airbyte ("<source> <> <destination>"), not the user. */
    nameFromServer?: boolean;
}

/**
 * Validates the shape and returns the normalized inputs as the engine should keep them
 * (`normalized`, an object of the user's keys) and typed (`inputs`).
 */
export function parseConnectionInputs(raw: Record<string, unknown>): {
    normalized: Record<string, unknown>;
    inputs: ConnectionInputs;
    problems: Problem[];
} {
    const problems: Problem[] = [];
    const known = knownKeys(CONNECTION_SCHEMA);
    for (const key of Object.keys(raw)) {
        if (!known.has(key))
            problems.push({
                property: key,
                reason: `is not a connection argument; allowed: ${CONNECTION_SCHEMA.inputs.join(", ")}`,
            });
    }
    for (const key of ["sourceId", "destinationId"] as const) {
        const value = raw[key];
        if (value === undefined || value === null) {
            problems.push({
                property: key,
                reason: `is required: the ${key === "sourceId" ? "source" : "destination"}'s id (e.g. ${key === "sourceId" ? "source.sourceId" : "destination.destinationId"})`,
            });
        } else if (isKnown(value) && !isUuid(value))
            problems.push({ property: key, reason: `must be a UUID; got ${JSON.stringify(value)}` });
    }
    if (isKnown(raw.adoptId) && !isUuid(raw.adoptId))
        problems.push({ property: "adoptId", reason: `must be a UUID; got ${JSON.stringify(raw.adoptId)}` });
    if (isKnown(raw.name) && (typeof raw.name !== "string" || raw.name.trim() === ""))
        problems.push({ property: "name", reason: "must be a non-empty string" });
    if (isKnown(raw.status) && !(STATUSES as readonly unknown[]).includes(raw.status))
        problems.push({
            property: "status",
            reason: `must be one of: ${STATUSES.join(", ")}; got ${JSON.stringify(raw.status)}`,
        });
    if (
        isKnown(raw.namespaceDefinition) &&
        !(NAMESPACE_DEFINITIONS as readonly unknown[]).includes(raw.namespaceDefinition)
    ) {
        problems.push({
            property: "namespaceDefinition",
            reason: `must be one of: ${NAMESPACE_DEFINITIONS.join(", ")}; got ${JSON.stringify(raw.namespaceDefinition)}`,
        });
    }
    if (isKnown(raw.namespaceFormat)) {
        if (typeof raw.namespaceFormat !== "string")
            problems.push({
                property: "namespaceFormat",
                reason: 'must be a string such as "${SOURCE_NAMESPACE}_raw"',
            });
        else if (isKnown(raw.namespaceDefinition) && raw.namespaceDefinition !== "customformat") {
            problems.push({
                property: "namespaceFormat",
                reason: 'only applies with namespaceDefinition: "customformat"',
            });
        }
    }
    if (isKnown(raw.prefix) && typeof raw.prefix !== "string")
        problems.push({ property: "prefix", reason: "must be a string" });
    if (
        isKnown(raw.nonBreakingChangesPreference) &&
        !(NON_BREAKING_CHANGES_PREFERENCES as readonly unknown[]).includes(raw.nonBreakingChangesPreference)
    ) {
        problems.push({
            property: "nonBreakingChangesPreference",
            reason: `must be one of: ${NON_BREAKING_CHANGES_PREFERENCES.join(", ")}; got ${JSON.stringify(raw.nonBreakingChangesPreference)}`,
        });
    }
    problems.push(...serverProblems(raw.server));
    if (
        raw.streams !== undefined &&
        raw.streams !== null &&
        raw.syncCatalog !== undefined &&
        raw.syncCatalog !== null
    ) {
        problems.push({
            property: "syncCatalog",
            reason: "give either streams (by name) or a raw syncCatalog, not both",
        });
    }
    const streams = normalizeStreams(raw.streams);
    const catalog = normalizeRawCatalog(raw.syncCatalog);
    const schedule = normalizeSchedule(raw.schedule);
    problems.push(...streams.problems, ...catalog.problems, ...schedule.problems);
    const normalized: Record<string, unknown> = {
        ...omit(raw, [
            ...CONNECTION_SCHEMA.computedOutputs,
            CONNECTION_SCHEMA.idOutput,
            "streams",
            "syncCatalog",
            "schedule",
            "status",
        ]),
        ...(streams.streams !== undefined ? { streams: streams.streams } : {}),
        ...(catalog.catalog !== undefined ? { syncCatalog: catalog.catalog } : {}),
        schedule: schedule.schedule ?? raw.schedule,
        status: raw.status ?? "active",
    };
    return { normalized, inputs: typed(normalized), problems };
}

function typed(normalized: Record<string, unknown>): ConnectionInputs {
    const optional = (key: string) =>
        normalized[key] !== undefined && normalized[key] !== null ? { [key]: normalized[key] } : {};
    return {
        sourceId: normalized.sourceId as Maybe<string>,
        destinationId: normalized.destinationId as Maybe<string>,
        schedule: normalized.schedule as Maybe<Schedule>,
        status: normalized.status as Maybe<"active" | "inactive">,
        ...optional("name"),
        ...optional("streams"),
        ...optional("syncCatalog"),
        ...optional("adoptId"),
        ...optional("server"),
        ...(optional("namespaceDefinition") as { namespaceDefinition?: NamespaceDefinition }),
        ...(optional("namespaceFormat") as { namespaceFormat?: string }),
        ...(optional("prefix") as { prefix?: string }),
        ...(optional("nonBreakingChangesPreference") as {
            nonBreakingChangesPreference?: NonBreakingChangesPreference;
        }),
    };
}

/** Inputs after a preview: every value known. */
export interface StoredConnectionInputs extends ConnectionInputs {
    sourceId: string;
    destinationId: string;
    name?: string;
    streams?: StreamSelection[];
    schedule: Schedule;
    status: "active" | "inactive";
    adoptId?: string;
    server?: ServerOverride;
}

/** The inputs and derived values kept in state (written by an earlier `check`). */
export function storedConnection(props: Record<string, unknown>): {
    inputs: StoredConnectionInputs;
    resolved?: ResolvedConnection;
} {
    return {
        inputs: typed({
            ...props,
            status: props.status ?? "active",
            schedule: props.schedule ?? { type: "manual" },
        }) as StoredConnectionInputs,
        resolved: derivedValues<ResolvedConnection>(props),
    };
}
