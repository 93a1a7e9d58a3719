/**
 * The Config API's wire shapes to domain values and back: actors, connections, the catalog and
 * option fields of a connection write, and connection-check answers. ./index makes the calls.
 */
import type { Actor, ActorKind, CheckOutcome, Connection, ConnectionCreate, ConnectionPatch } from "../domain";
import { liveStreamsFromWire, syncCatalogFor } from "./catalog";
import { scheduleFromWire } from "./schedule";
import type {
    AirbyteCatalog,
    CheckConnectionRead,
    ConnectionCreate as WireConnectionCreate,
    ConnectionRead,
} from "./wire";

/** The wire names that differ between sources and destinations. */
export const WIRE = {
    source: {
        family: "sources",
        id: "sourceId",
        definitionId: "sourceDefinitionId",
        list: "sources",
        definitions: "source_definitions",
        specifications: "source_definition_specifications",
    },
    destination: {
        family: "destinations",
        id: "destinationId",
        definitionId: "destinationDefinitionId",
        list: "destinations",
        definitions: "destination_definitions",
        specifications: "destination_definition_specifications",
    },
} as const;

export type WireActor = Record<string, unknown> & {
    workspaceId: string;
    name: string;
    connectionConfiguration?: Record<string, unknown> | null;
    createdAt?: number;
};

/** An actor as the Config API reads it, in domain terms. */
export function actorFromWire(kind: ActorKind, read: WireActor): Actor {
    const wire = WIRE[kind];
    const configuration = read.connectionConfiguration ?? {};
    return {
        kind,
        id: read[wire.id] as string,
        workspaceId: read.workspaceId,
        definitionId: read[wire.definitionId] as string,
        name: read.name,
        configuration,
        ...(typeof read.createdAt === "number" ? { createdAt: read.createdAt } : {}),
        // Deleted actors still answer `get` (a deliberate choice upstream, airbytehq/airbyte
        // #8355): with a voided configuration from 0.63.5, with their configuration before.
        // Servers without `createdAt` (before 1.2.0) may be of either kind.
        ...(Object.keys(configuration).length === 0 || typeof read.createdAt !== "number"
            ? { possiblyDeleted: true }
            : {}),
    };
}

/** A connection as the Config API reads it, in domain terms. */
export function connectionFromWire(read: ConnectionRead): Connection {
    return {
        id: read.connectionId,
        name: read.name,
        sourceId: read.sourceId,
        destinationId: read.destinationId,
        ...(read.workspaceId ? { workspaceId: read.workspaceId } : {}),
        status: read.status === "deprecated" ? "deleted" : read.status,
        schedule: scheduleFromWire(read),
        namespaceDefinition: read.namespaceDefinition,
        namespaceFormat: read.namespaceFormat,
        prefix: read.prefix,
        nonBreakingChangesPreference: read.nonBreakingChangesPreference,
        streams: liveStreamsFromWire(read.syncCatalog),
        rawCatalog: read.syncCatalog,
        ...(typeof read.created_at === "number" ? { createdAt: read.created_at } : {}),
    };
}

/** The catalog fields of a connection write: the configured streams, or a raw catalog. */
export function catalogFields(catalog: ConnectionCreate["catalog"] | undefined): Partial<WireConnectionCreate> {
    if (!catalog) return {};
    if (catalog.kind === "raw") return { syncCatalog: catalog.catalog as AirbyteCatalog };
    return {
        syncCatalog: syncCatalogFor(catalog.streams, catalog.discovered.streams),
        ...(catalog.discovered.catalogId ? { sourceCatalogId: catalog.discovered.catalogId } : {}),
    };
}

/** The connection options a write sets. */
export function connectionOptions(body: ConnectionPatch): Partial<WireConnectionCreate> {
    const out: Partial<WireConnectionCreate> = {};
    if (body.namespaceDefinition !== undefined) out.namespaceDefinition = body.namespaceDefinition;
    if (body.namespaceFormat !== undefined) out.namespaceFormat = body.namespaceFormat;
    if (body.prefix !== undefined) out.prefix = body.prefix;
    if (body.nonBreakingChangesPreference !== undefined)
        out.nonBreakingChangesPreference = body.nonBreakingChangesPreference;
    return out;
}

/** A connection check's answer, in domain terms. */
export function checkOutcome(read: CheckConnectionRead): CheckOutcome {
    const failed = read.status === "failed" || read.jobInfo?.succeeded === false;
    return failed
        ? { succeeded: false, message: read.message ?? read.jobInfo?.failureReason?.externalMessage ?? "no message" }
        : { succeeded: true };
}
