/**
 * Sources and destinations in the public API (airbyte-server `apis/publicapi/controllers/SourcesController.kt`,
 * `DestinationsController.kt`, `services/SourceService.kt`, `DestinationService.kt`,
 * `helpers/ActorConfigurationHelper.kt`), on the Config API's own handlers (handlers/actors.ts):
 *
 * - `POST /sources` → 200: the definition is `definitionId`, else the connector name found as
 *   `sourceType` (`destinationType`) anywhere in `configuration` (`ObjectNode.findValue`) and looked
 *   up in `NameToDefinitionMapper` — none → 422 `UnprocessableEntityProblem()` (default detail, no
 *   data), an unknown name → 400 `UnknownValueProblem {value}`. Then the top-level `sourceType` key
 *   is removed (`removeSourceTypeNode`, also for PUT and PATCH) and `SourceHandler.createSource` runs
 *   (`createSourceWithOptionalSecret`; `secretId` is accepted and ignored here).
 * - `GET /sources/{id}` → `SourceHandler.getSource` (tombstones included: a deleted source answers
 *   200, with `configuration: null` once delete voids it, ≥ 0.63.5).
 * - `PUT` → `SourceHandler.updateSource` (full replacement, masked secrets kept by `copySecrets`);
 *   `PATCH` → `partialUpdateSource` (merge; `workspaceId` ignored); `DELETE` → `deleteSource`, 204.
 * - `GET /sources` → `SourceHandler.listSourcesForWorkspaces` with links (`SourcesResponseMapper`).
 *
 * Internal failures go through `ConfigClientErrorHandler.handleError` (problems.ts).
 */
import {
    createActor,
    deleteActor,
    DESTINATION_NAMES,
    listActorsForWorkspaces,
    partialUpdateActor,
    requireActor,
    actorRead,
    SOURCE_NAMES,
    updateActor,
    type ActorNames,
} from "../../handlers/actors";
import { workspaceIdsForUser } from "../../handlers/workspaces";
import { maskLikelySecrets, maskSecrets } from "../../secrets";
import type { HandlerContext } from "../../context";
import { isPlainObject } from "../../validation";
import { DESTINATION_NAME_TO_DEFINITION_ID, SOURCE_NAME_TO_DEFINITION_ID } from "../definition-names";
import { actorResponse } from "../mappers";
import { listQuery, pageLinks, booleanParam } from "../pagination";
import { callInternal, publicProblem } from "../problems";
import { noContent, ok, type PublicRequest, type PublicRoute } from "../router";
import { uuidPathParam } from "./common";

/**
 * Jackson's `JsonNode.findValue(name)`: the first value of a field called `name`, searching the
 * whole tree (objects and arrays). From jackson-databind 2.16 an object's own field wins over its
 * children's; before, fields were visited in order, each subtree searched before the next field.
 */
export function findValue(node: unknown, name: string, ownFieldFirst: boolean): unknown {
    if (Array.isArray(node)) {
        for (const element of node) {
            const found = findValue(element, name, ownFieldFirst);
            if (found !== undefined) return found;
        }
        return undefined;
    }
    if (!isPlainObject(node)) return undefined;
    if (ownFieldFirst && Object.hasOwn(node, name)) return node[name];
    for (const [key, child] of Object.entries(node)) {
        if (!ownFieldFirst && key === name) return child;
        const found = findValue(child, name, ownFieldFirst);
        if (found !== undefined) return found;
    }
    return undefined;
}

function typeKey(names: ActorNames): "sourceType" | "destinationType" {
    return names.kind === "source" ? "sourceType" : "destinationType";
}

/** `publicCreateSource`'s definition resolution (see the module comment). */
function resolveDefinitionId(ctx: HandlerContext, names: ActorNames, body: Record<string, unknown>): string {
    if (typeof body["definitionId"] === "string") return body["definitionId"];
    const found = findValue(
        body["configuration"],
        typeKey(names),
        ctx.settings.generation.findValueChecksOwnFieldFirst,
    );
    if (found === undefined) throw publicProblem("unprocessableEntity");
    // `findValue(...).toString().replace("\"", "")`: the node's JSON text without its quotes.
    const name = JSON.stringify(found).replaceAll('"', "");
    const id = (names.kind === "source" ? SOURCE_NAME_TO_DEFINITION_ID : DESTINATION_NAME_TO_DEFINITION_ID).get(name);
    if (id === undefined) throw publicProblem("unknownValue", { value: name });
    return id;
}

/** `removeConfigurationNode`: drops the top-level type key of the configuration. */
function removeTypeNode(names: ActorNames, configuration: unknown): void {
    if (isPlainObject(configuration)) delete configuration[typeKey(names)];
}

/** The logged request body: the configuration masked with its definition's spec, then by key name. */
function maskActorBody(names: ActorNames) {
    return (ctx: HandlerContext, request: PublicRequest): unknown => {
        const body = request.body;
        if (!isPlainObject(body["configuration"])) return maskLikelySecrets(body);
        let spec;
        try {
            const actorId = request.params["id"];
            if (actorId !== undefined) {
                const actor = ctx.store.actors(names.kind).get(actorId.toLowerCase());
                spec = actor ? ctx.registry.get(names.kind, actor.definitionId)?.spec : undefined;
            } else {
                spec = ctx.registry.get(names.kind, resolveDefinitionId(ctx, names, body))?.spec;
            }
        } catch {
            spec = undefined;
        }
        let configuration: unknown;
        try {
            configuration = maskLikelySecrets(spec ? maskSecrets(body["configuration"], spec) : body["configuration"]);
        } catch {
            configuration = maskLikelySecrets(body["configuration"]);
        }
        return {
            ...(maskLikelySecrets({ ...body, configuration: undefined }) as Record<string, unknown>),
            configuration,
        };
    };
}

function actorRoutes(names: ActorNames): PublicRoute[] {
    const resource = names.plural;
    const op = (verb: string): string => `public/${resource}/${verb}`;
    const Kind = names.kind === "source" ? "Source" : "Destination";
    const maskBody = maskActorBody(names);
    const byId = `${resource}/{id}`;
    return [
        {
            operation: op("create"),
            method: "POST",
            path: resource,
            body: {
                name: { type: "string", required: true },
                workspaceId: { type: "uuid", required: true },
                configuration: { type: "object", required: true },
                definitionId: { type: "uuid" },
                resourceAllocation: { type: "object" },
                ...(names.kind === "source" ? { secretId: { type: "string" as const } } : {}),
            },
            maskBody,
            handle: (ctx, { body }) => {
                const definitionId = resolveDefinitionId(ctx, names, body);
                const configuration = body["configuration"] as Record<string, unknown>;
                removeTypeNode(names, configuration);
                const read = callInternal(() =>
                    createActor(ctx, names, {
                        workspaceId: body["workspaceId"] as string,
                        name: body["name"] as string,
                        definitionId,
                        configuration,
                        resourceAllocation: body["resourceAllocation"] ?? undefined,
                    }),
                );
                return ok(actorResponse(ctx, names, read));
            },
        },
        {
            operation: op("get"),
            method: "GET",
            path: byId,
            handle: (ctx, { params, query }) => {
                const id = uuidPathParam(params["id"]!);
                booleanParam(query, "includeSecretCoordinates", `publicGet${Kind}`);
                return ok(
                    actorResponse(
                        ctx,
                        names,
                        callInternal(() => actorRead(ctx, names, requireActor(ctx, names, id))),
                    ),
                );
            },
        },
        {
            operation: op("list"),
            method: "GET",
            path: resource,
            handle: (ctx, { query }) => {
                const q = listQuery(query, `list${Kind}s`);
                const workspaceIds = q.workspaceIds.length > 0 ? q.workspaceIds : workspaceIdsForUser(ctx);
                const reads = callInternal(() =>
                    listActorsForWorkspaces(ctx, names, {
                        workspaceIds,
                        includeDeleted: q.includeDeleted,
                        pageSize: q.limit,
                        rowOffset: q.offset,
                    }),
                );
                return ok({
                    ...pageLinks(ctx, resource, q, reads.length),
                    data: reads.map((read) => actorResponse(ctx, names, read)),
                });
            },
        },
        {
            operation: op("patch"),
            method: "PATCH",
            path: byId,
            body: {
                name: { type: "string" },
                workspaceId: { type: "uuid" },
                configuration: { type: "object" },
                resourceAllocation: { type: "object" },
                ...(names.kind === "source" ? { secretId: { type: "string" as const } } : {}),
            },
            maskBody,
            handle: (ctx, { params, body }) => {
                const id = uuidPathParam(params["id"]!);
                removeTypeNode(names, body["configuration"]);
                const read = callInternal(() =>
                    partialUpdateActor(ctx, names, {
                        id,
                        name: (body["name"] as string | undefined) ?? undefined,
                        configuration: body["configuration"] ?? undefined,
                        resourceAllocation: body["resourceAllocation"] ?? undefined,
                    }),
                );
                return ok(actorResponse(ctx, names, read));
            },
        },
        {
            operation: op("put"),
            method: "PUT",
            path: byId,
            body: {
                name: { type: "string", required: true },
                configuration: { type: "object", required: true },
                resourceAllocation: { type: "object" },
            },
            maskBody,
            handle: (ctx, { params, body }) => {
                const id = uuidPathParam(params["id"]!);
                removeTypeNode(names, body["configuration"]);
                const read = callInternal(() =>
                    updateActor(ctx, names, {
                        id,
                        name: body["name"] as string,
                        configuration: body["configuration"] as Record<string, unknown>,
                        resourceAllocation: body["resourceAllocation"] ?? undefined,
                    }),
                );
                return ok(actorResponse(ctx, names, read));
            },
        },
        {
            operation: op("delete"),
            method: "DELETE",
            path: byId,
            handle: (ctx, { params }) => {
                const id = uuidPathParam(params["id"]!);
                callInternal(() => deleteActor(ctx, names, id));
                return noContent();
            },
        },
    ];
}

export const sourceRoutes: PublicRoute[] = actorRoutes(SOURCE_NAMES);
export const destinationRoutes: PublicRoute[] = actorRoutes(DESTINATION_NAMES);
