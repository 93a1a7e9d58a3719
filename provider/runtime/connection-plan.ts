/**
 * What a connection amounts to on the server, before it is written: whether its two ends can be
 * connected, and the catalog its streams ask for (built from the source's discovered catalog,
 * ./catalog). `check` plans from what Airbyte already has; create and update discover.
 */
import type { CatalogWrite, DestinationSyncMode, Problem } from "../client/domain";
import { CapabilityUnavailableError } from "../client/errors";
import { redact } from "../redact";
import { buildStreams, selectedFieldCount, StreamProblem } from "./catalog";
import type { StoredConnectionInputs } from "./connection-inputs";
import type { ServerContext } from "./server-context";
import { digest } from "./values";

/** How messages name a connection: by its name, else its id. */
export function label(inputs: { name?: unknown }, id?: string): string {
    return typeof inputs.name === "string" ? `connection "${inputs.name}"` : id ? `connection ${id}` : "the connection";
}

/** What the streams of a connection amount to on the server: the catalog to write, and what it selects. */
export interface PlannedCatalog {
    catalog: CatalogWrite;
    catalogDigest?: string;
    problems: StreamProblem[];
}

/** Why a source or destination cannot be a connection's end: missing or deleted. */
async function endProblem(
    context: ServerContext,
    kind: "source" | "destination",
    id: string,
): Promise<string | undefined> {
    const state = await context.actorState(kind, id);
    if (state === "missing") return `there is no ${kind} ${id} on ${context.serverUrl}`;
    if (state === "deleted") return `${kind} ${id} has been deleted in Airbyte`;
    return undefined;
}

/**
 * Problems with the two ends: missing, deleted (Airbyte itself accepts a connection to a
 * deleted source), or in different workspaces (`ConnectionHelper.validateWorkspace` refuses
 * that with a bare HTTP 500). Returns the source's workspace when the ends are fine.
 */
export async function endProblems(
    context: ServerContext,
    sourceId: string,
    destinationId: string,
): Promise<{ problems: Problem[]; workspaceId?: string }> {
    const problems: Problem[] = [];
    const sourceProblem = await endProblem(context, "source", sourceId);
    if (sourceProblem) problems.push({ property: "sourceId", reason: sourceProblem });
    const destinationProblem = await endProblem(context, "destination", destinationId);
    if (destinationProblem) problems.push({ property: "destinationId", reason: destinationProblem });
    if (problems.length) return { problems };
    const [source, destination] = await Promise.all([
        context.actor("source", sourceId),
        context.actor("destination", destinationId),
    ]);
    if (source!.workspaceId !== destination!.workspaceId) {
        return {
            problems: [
                {
                    property: "destinationId",
                    reason: `the source is in workspace ${source!.workspaceId} and the destination in workspace ${destination!.workspaceId}; Airbyte connects a source and a destination of the same workspace only`,
                },
            ],
        };
    }
    return { problems, workspaceId: source!.workspaceId };
}

/**
 * From the destination's spec where the backend serves specs (else the discovery made for the destination says).
 */
async function supportedDestinationSyncModes(
    context: ServerContext,
    destinationId: string,
): Promise<DestinationSyncMode[] | undefined> {
    if (!context.backend.capabilities.connectorSpec) return undefined;
    const destination = await context.actor("destination", destinationId);
    if (!destination) return undefined;
    try {
        return (await context.specification("destination", destination.definitionId, destination.workspaceId))
            .supportedDestinationSyncModes;
    } catch (error) {
        if (error instanceof CapabilityUnavailableError) return undefined;
        throw error;
    }
}

/**
 * The catalog the inputs ask for, from the source's discovered catalog. Airbyte answers a
 * discovery from its cache when it has one for this source, connector version and
 * configuration (`SchedulerHandler.discover`), so a table added to the database since then
 * is missing from it: before a stream or column is called unknown, the source is discovered
 * once more without the cache.
 *
 * `forPreview`: a discovery is a connector job (seconds to minutes, and `check` runs one
 * resource at a time), so a preview starts from what the server already has
 * (`ServerContext.catalogWithoutJob`). Without it, the streams are validated at apply
 * (undefined is returned). Only a name missing from it costs a fresh discovery, which tells
 * a misspelling from a table added since.
 */
export async function plannedCatalog(
    context: ServerContext,
    inputs: StoredConnectionInputs,
    rawStreams?: unknown[],
    forPreview?: false,
): Promise<PlannedCatalog>;
export async function plannedCatalog(
    context: ServerContext,
    inputs: StoredConnectionInputs,
    rawStreams: unknown[] | undefined,
    forPreview: true,
): Promise<PlannedCatalog | undefined>;
export async function plannedCatalog(
    context: ServerContext,
    inputs: StoredConnectionInputs,
    rawStreams?: unknown[],
    forPreview = false,
): Promise<PlannedCatalog | undefined> {
    if (inputs.syncCatalog !== undefined) {
        const raw = inputs.syncCatalog as { streams: { stream: unknown }[] };
        return {
            catalog: { kind: "raw", catalog: raw },
            catalogDigest: digest(raw.streams.map((s) => s.stream)),
            problems: [],
        };
    }
    const what = label(inputs);
    const destinationModes = await supportedDestinationSyncModes(context, inputs.destinationId);
    const known = forPreview ? await context.catalogWithoutJob(inputs.sourceId, what) : undefined;
    if (forPreview && !known) return undefined;
    const build = async (fresh: boolean) => {
        const discovered =
            !fresh && known
                ? known
                : await context.discover(inputs.sourceId, what, { fresh, destinationId: inputs.destinationId });
        const built = buildStreams(discovered.streams, inputs.streams ?? [], {
            supportedDestinationSyncModes: destinationModes ?? discovered.supportedDestinationSyncModes,
            allowedCombinations: context.backend.capabilities.syncModeCombinations,
            rawStreams,
        });
        return { discovered, built };
    };
    let { discovered, built } = await build(false);
    if (built.problems.some((p) => p.unknownName)) ({ discovered, built } = await build(true));
    const problems = [...built.problems];
    const limit = context.settings.maxFieldsPerConnection;
    const fields = selectedFieldCount(
        built.streams.map((s, i) => ({ columns: s.columns, discovered: built.selected[i]! })),
    );
    if (limit > 0 && fields > limit) {
        problems.push({
            property: "streams",
            reason: `the connection would sync ${fields} fields, more than the ${limit} Airbyte allows per connection (CatalogValidator; the server's MAX_FIELDS_PER_CONNECTION). Select fewer streams, or fewer columns with streams[].columns (or raise both limits: airbyte:maxFieldsPerConnection)`,
        });
    }
    return {
        catalog: { kind: "streams", streams: built.streams, discovered },
        catalogDigest: built.catalogDigest,
        problems,
    };
}

export function planError(inputs: StoredConnectionInputs, problems: Problem[], what: string): Error {
    return new Error(
        redact(`${label(inputs)}: ${what}:\n${problems.map((p) => `  - ${p.property}: ${p.reason}`).join("\n")}`),
    );
}
