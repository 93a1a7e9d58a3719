/**
 * Connector definitions in the public API:
 *
 * - `GET /connector_definitions?type=source|destination&workspaceId=` (airbyte-server
 *   `apis/publicapi/controllers/ConnectorDefinitionsController.kt`, `services/ConnectorDefinitionsService.kt`;
 *   5234d887f2, first tag v1.2.0): `type` is required (bean validation → 400); a missing
 *   `workspaceId` throws `IllegalArgumentException("Workspace ID must be provided.")` and an unknown
 *   one a `ConfigNotFoundException`, neither mapped to a problem (the controller does not go through
 *   `ConfigClientErrorHandler`) → the uncaught handler's 500. Answer
 *   `{data: [{id, name, connectorDefinitionType, version}]}` (`version` = docker image tag), no links.
 * - `GET /workspaces/{workspaceId}/definitions/{sources|destinations}[/{definitionId}]`
 *   (`DefinitionsController`, 29679d8baa, first tag v1.6.0): `listSourceDefinitionsForWorkspace`
 *   (declarative-manifest sources filtered out; the emulator has none), each as
 *   `DefinitionResponse {id, name, dockerRepository, dockerImageTag, documentationUrl}`; get finds
 *   the definition in that list, else 404 STANDARD_SOURCE_DEFINITION / STANDARD_DESTINATION_DEFINITION.
 *   Errors go through `ConfigClientErrorHandler.handleError` (`wrap`): an unknown workspace is a 404
 *   problem. `documentationUrl` is `this.documentationUrl.toString()`, so a null URL would read "null".
 */
import type { ActorKind, ConnectorDefinition } from "../../connectors/types";
import { definitionsForWorkspace } from "../../handlers/definitions";
import { ApiError, constraintViolation, internalError, notFound } from "../../errors";
import { isUuid } from "../../validation";
import { callInternal } from "../problems";
import { ok, type PublicRoute } from "../router";

function connectorDefinitionResponse(def: ConnectorDefinition): Record<string, unknown> {
    return { id: def.definitionId, name: def.name, connectorDefinitionType: def.kind, version: def.dockerImageTag };
}

function definitionResponse(def: ConnectorDefinition): Record<string, unknown> {
    return {
        id: def.definitionId,
        name: def.name,
        dockerRepository: def.dockerRepository,
        dockerImageTag: def.dockerImageTag,
        documentationUrl: String(def.documentationUrl ?? null),
    };
}

/** A `UUID`-typed path parameter: Micronaut fails to convert a malformed one (400, not a problem). */
function uuidArgument(value: string, name: string, operation: string): string {
    if (!isUuid(value))
        throw constraintViolation(
            `${operation}.${name}`,
            `Failed to convert argument [${name}] for value [${value}]`,
            value,
        );
    return value.toLowerCase();
}

const KINDS: readonly {
    kind: ActorKind;
    segment: string;
    missing: "STANDARD_SOURCE_DEFINITION" | "STANDARD_DESTINATION_DEFINITION";
}[] = [
    { kind: "source", segment: "sources", missing: "STANDARD_SOURCE_DEFINITION" },
    { kind: "destination", segment: "destinations", missing: "STANDARD_DESTINATION_DEFINITION" },
];

export const definitionRoutes: PublicRoute[] = [
    {
        operation: "public/definitions/list",
        method: "GET",
        path: "connector_definitions",
        servedBy: (g) => g.hasPublicConnectorDefinitions,
        handle: (ctx, { query }) => {
            const type = query.get("type");
            if (type === null || type === "")
                throw constraintViolation("listConnectorDefinitions.type", "must not be null", "null");
            if (type !== "source" && type !== "destination")
                throw constraintViolation(
                    "listConnectorDefinitions.type",
                    `Failed to convert argument [type] for value [${type}]`,
                    type,
                );
            const workspaceId = query.get("workspaceId");
            if (workspaceId === null || workspaceId === "") throw internalError("Workspace ID must be provided.");
            const id = uuidArgument(workspaceId, "workspaceId", "listConnectorDefinitions");
            // Not wrapped in ConfigClientErrorHandler: a ConfigNotFoundException stays an uncaught exception (500).
            let defs: ConnectorDefinition[];
            try {
                defs = definitionsForWorkspace(ctx, type, id);
            } catch (error) {
                if (error instanceof ApiError && error.kind === "not-found")
                    throw internalError(error.message, "io.airbyte.config.persistence.ConfigNotFoundException");
                throw error;
            }
            return ok({ data: defs.map(connectorDefinitionResponse) });
        },
    },
    ...KINDS.flatMap(({ kind, segment, missing }): PublicRoute[] => [
        {
            operation: "public/definitions/list",
            method: "GET",
            path: `workspaces/{workspaceId}/definitions/${segment}`,
            servedBy: (g) => g.hasPublicWorkspaceDefinitions,
            handle: (ctx, { params }) => {
                const workspaceId = uuidArgument(
                    params["workspaceId"]!,
                    "workspaceId",
                    `publicList${kind === "source" ? "Source" : "Destination"}Definitions`,
                );
                return ok({
                    data: callInternal(() => definitionsForWorkspace(ctx, kind, workspaceId)).map(definitionResponse),
                });
            },
        },
        {
            operation: "public/definitions/get",
            method: "GET",
            path: `workspaces/{workspaceId}/definitions/${segment}/{definitionId}`,
            servedBy: (g) => g.hasPublicWorkspaceDefinitions,
            handle: (ctx, { params }) => {
                const operation = `publicGet${kind === "source" ? "Source" : "Destination"}Definition`;
                const workspaceId = uuidArgument(params["workspaceId"]!, "workspaceId", operation);
                const definitionId = uuidArgument(params["definitionId"]!, "definitionId", operation);
                const def = callInternal(() => {
                    const found = definitionsForWorkspace(ctx, kind, workspaceId).find(
                        (d) => d.definitionId === definitionId,
                    );
                    if (!found) throw notFound(missing, definitionId);
                    return found;
                });
                return ok(definitionResponse(def));
            },
        },
    ]),
];
