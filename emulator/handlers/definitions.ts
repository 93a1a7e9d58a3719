/**
 * Connector definitions and their specifications:
 * `{source,destination}_definitions/{list,list_latest,list_for_workspace,get,get_for_workspace}` and
 * `{source,destination}_definition_specifications/{get,get_for_source|get_for_destination}`.
 */
import type { ActorKind, ConnectorDefinition } from "../connectors/types";
import type { HandlerContext, RouteDefinition } from "../context";
import { notFound } from "../errors";
import { synchronousJob } from "../synchronous-job";
import { requireWorkspace } from "./workspaces";

const FIELDS = {
    source: { id: "sourceDefinitionId", list: "sourceDefinitions", missing: "STANDARD_SOURCE_DEFINITION" },
    destination: {
        id: "destinationDefinitionId",
        list: "destinationDefinitions",
        missing: "STANDARD_DESTINATION_DEFINITION",
    },
} as const;

export function definitionRead(def: ConnectorDefinition): Record<string, unknown> {
    const read: Record<string, unknown> = {
        [FIELDS[def.kind].id]: def.definitionId,
        name: def.name,
        dockerRepository: def.dockerRepository,
        dockerImageTag: def.dockerImageTag,
        documentationUrl: def.documentationUrl,
        icon: def.icon,
        protocolVersion: def.protocolVersion,
        custom: def.custom,
        enterprise: false,
        supportLevel: def.supportLevel,
        releaseStage: def.releaseStage,
        releaseDate: def.releaseDate,
        sourceType: def.kind === "source" ? def.sourceType : undefined,
        language: def.language,
        supportsDataActivation: def.kind === "destination" ? false : undefined,
    };
    for (const key of Object.keys(read)) if (read[key] === undefined) delete read[key];
    return read;
}

/** The definition or the server's 404. */
export function requireDefinition(
    ctx: HandlerContext,
    kind: ActorKind,
    definitionId: string,
    workspaceId?: string,
): ConnectorDefinition {
    const def =
        workspaceId === undefined
            ? ctx.registry.get(kind, definitionId)
            : ctx.registry.getForWorkspace(kind, definitionId, workspaceId);
    if (!def) throw notFound(FIELDS[kind].missing, definitionId);
    return def;
}

export function specificationRead(ctx: HandlerContext, def: ConnectorDefinition): Record<string, unknown> {
    const read: Record<string, unknown> = {
        [FIELDS[def.kind].id]: def.definitionId,
        documentationUrl: def.documentationUrl,
        connectionSpecification: def.spec,
        jobInfo: synchronousJob(ctx, "get_spec"),
    };
    if (def.kind === "destination") read["supportedDestinationSyncModes"] = def.supportedDestinationSyncModes ?? [];
    return read;
}

/**
 * `SourceDefinitionsHandler.listSourceDefinitionsForWorkspace` → `listAllowedSourceDefinitions`:
 * the public definitions plus the workspace's custom ones. The workspace is read with
 * `getStandardWorkspaceNoSecrets(workspaceId, includeTombstone = true)`: unknown → ConfigNotFoundException.
 */
export function definitionsForWorkspace(
    ctx: HandlerContext,
    kind: ActorKind,
    workspaceId: string,
): ConnectorDefinition[] {
    requireWorkspace(ctx, workspaceId, true);
    return ctx.registry.forWorkspace(kind, workspaceId);
}

function definitionRoutes(kind: ActorKind): RouteDefinition[] {
    const family = `${kind}_definitions`;
    const { id, list } = FIELDS[kind];
    return [
        { operation: `${family}/list`, handle: (ctx) => ({ [list]: ctx.registry.builtIns(kind).map(definitionRead) }) },
        // The real endpoint asks the remote registry; an air-gapped emulator knows only its own catalog.
        {
            operation: `${family}/list_latest`,
            handle: (ctx) => ({ [list]: ctx.registry.builtIns(kind).map(definitionRead) }),
        },
        {
            operation: `${family}/list_for_workspace`,
            request: {
                workspaceId: { type: "uuid", required: true },
                includeTombstone: { type: "boolean" },
                filterByUsed: { type: "boolean" },
            },
            handle: (ctx, body) => {
                const workspaceId = body["workspaceId"] as string;
                requireWorkspace(ctx, workspaceId);
                let defs = ctx.registry.forWorkspace(kind, workspaceId);
                if (body["filterByUsed"] === true) {
                    const used = new Set(
                        [...ctx.store.actors(kind).values()]
                            .filter((a) => a.workspaceId === workspaceId && !a.tombstone)
                            .map((a) => a.definitionId),
                    );
                    defs = defs.filter((d) => used.has(d.definitionId));
                }
                return { [list]: defs.map(definitionRead) };
            },
        },
        {
            operation: `${family}/get`,
            request: { [id]: { type: "uuid", required: true } },
            handle: (ctx, body) => definitionRead(requireDefinition(ctx, kind, body[id] as string)),
        },
        {
            operation: `${family}/get_for_workspace`,
            request: { [id]: { type: "uuid", required: true }, workspaceId: { type: "uuid", required: true } },
            handle: (ctx, body) => {
                requireWorkspace(ctx, body["workspaceId"] as string);
                return definitionRead(requireDefinition(ctx, kind, body[id] as string, body["workspaceId"] as string));
            },
        },
        {
            operation: `${kind}_definition_specifications/get`,
            request: { [id]: { type: "uuid", required: true }, workspaceId: { type: "uuid", required: true } },
            handle: (ctx, body) => {
                requireWorkspace(ctx, body["workspaceId"] as string);
                return specificationRead(
                    ctx,
                    requireDefinition(ctx, kind, body[id] as string, body["workspaceId"] as string),
                );
            },
        },
        {
            operation: `${kind}_definition_specifications/get_for_${kind}`,
            request: { [`${kind}Id`]: { type: "uuid", required: true } },
            handle: (ctx, body) => {
                const actorId = body[`${kind}Id`] as string;
                const actor = ctx.store.actors(kind).get(actorId);
                if (!actor) throw notFound(kind === "source" ? "SOURCE_CONNECTION" : "DESTINATION_CONNECTION", actorId);
                return specificationRead(ctx, requireDefinition(ctx, kind, actor.definitionId));
            },
        },
    ];
}

export const definitionsRoutes: RouteDefinition[] = [...definitionRoutes("source"), ...definitionRoutes("destination")];
