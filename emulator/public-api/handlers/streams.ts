/**
 * `GET /streams?sourceId=&destinationId=&ignoreCache=` (airbyte-server
 * `apis/publicapi/controllers/StreamsController.kt` `getStreamProperties`): the source's catalog
 * from `SourceServiceImpl.getSourceSchema(sourceId, ignoreCache)` — the Config API's discover
 * (`SchedulerHandler.discoverSchemaForSourceFromSourceId`, the same discover cache; `ignoreCache`
 * is `disable_cache`) — then, with `destinationId`, the destination's supported sync modes
 * (`DestinationServiceImpl.getDestinationSyncModes`: its definition's spec). A bare JSON array of
 * `StreamProperties`:
 * `{streamName, streamnamespace, syncModes, defaultCursorField, sourceDefinedCursorField, sourceDefinedPrimaryKey,
 * propertyFields}`;
 * `syncModes` only with a destination (`getValidSyncModes` returns null without one), in the order
 * full_refresh × {append, overwrite, update, soft_delete}, then incremental × {append,
 * append_dedup → incremental_deduped_history, update, soft_delete}; `propertyFields` lists every
 * property path. A failed discover → 500 `UnexpectedProblem` "Something went wrong in the
 * connector. logs:<message>"; an unknown source or destination → 404 problem. `sourceId` is
 * required (400); it is a String the controller parses with `UUID.fromString` (malformed → 500).
 */
import type { DestinationSyncMode, DiscoveredStream } from "../../connectors/types";
import type { HandlerContext } from "../../context";
import { constraintViolation } from "../../errors";
import { definitionOf, DESTINATION_NAMES, requireActor } from "../../handlers/actors";
import { discoverSchema } from "../../handlers/sources";
import { streamFields, type ReferenceStream } from "../catalog-helper";
import { nonAbsent, type ConnectionSyncMode } from "../mappers";
import { booleanParam } from "../pagination";
import { callInternal, publicProblem } from "../problems";
import { ok, type PublicRoute } from "../router";
import { uuidPathParam } from "./common";

/**
 * `SourceServiceImpl.getSourceSchema`: the discovered catalog (with the server's default stream
 * configurations) and its id; a failed discover job → 500 UnexpectedProblem.
 */
export function sourceSchema(
    ctx: HandlerContext,
    sourceId: string,
    disableCache: boolean,
): { catalog: ReferenceStream[]; catalogId: string } {
    const read = callInternal(() => discoverSchema(ctx, { sourceId, disable_cache: disableCache }));
    const jobInfo = read["jobInfo"] as
        { succeeded?: boolean; failureReason?: { externalMessage?: string; internalMessage?: string } } | undefined;
    if (jobInfo?.succeeded === false) {
        let message = "Something went wrong in the connector.";
        const failure = jobInfo.failureReason;
        if (failure?.externalMessage != null) message += ` logs:${failure.externalMessage}`;
        else if (failure?.internalMessage != null) message += ` logs:${failure.internalMessage}`;
        throw publicProblem("unexpected", { message });
    }
    return {
        catalog: (read["catalog"] as { streams: ReferenceStream[] }).streams,
        catalogId: read["catalogId"] as string,
    };
}

/**
 * `DestinationServiceImpl.getDestinationRead` + `getDestinationSyncModes`: the destination (404
 * problem when unknown; tombstones are readable) and its definition's `supportedDestinationSyncModes`.
 */
export function destinationSyncModes(
    ctx: HandlerContext,
    destinationId: string,
): { workspaceId: string; modes: DestinationSyncMode[] } {
    return callInternal(() => {
        const destination = requireActor(ctx, DESTINATION_NAMES, destinationId);
        return {
            workspaceId: destination.workspaceId,
            modes: [...(definitionOf(ctx, destination).supportedDestinationSyncModes ?? [])],
        };
    });
}

/** `StreamsController.getValidSyncModes`. */
function validSyncModes(
    stream: DiscoveredStream,
    modes: readonly DestinationSyncMode[] | undefined,
): ConnectionSyncMode[] | undefined {
    if (modes === undefined || modes.length === 0) return undefined;
    const result: ConnectionSyncMode[] = [];
    if (stream.supportedSyncModes.includes("full_refresh")) {
        if (modes.includes("append")) result.push("full_refresh_append");
        if (modes.includes("overwrite")) result.push("full_refresh_overwrite");
        if (modes.includes("update")) result.push("full_refresh_update");
        if (modes.includes("soft_delete")) result.push("full_refresh_soft_delete");
    }
    if (stream.supportedSyncModes.includes("incremental")) {
        if (modes.includes("append")) result.push("incremental_append");
        if (modes.includes("append_dedup")) result.push("incremental_deduped_history");
        if (modes.includes("update")) result.push("incremental_update");
        if (modes.includes("soft_delete")) result.push("incremental_soft_delete");
    }
    return result;
}

export const streamRoutes: PublicRoute[] = [
    {
        operation: "public/streams/get",
        method: "GET",
        path: "streams",
        handle: (ctx, { query }) => {
            const rawSourceId = query.get("sourceId");
            if (rawSourceId === null)
                throw constraintViolation("getStreamProperties.sourceId", "must not be null", "null");
            const rawDestinationId = query.get("destinationId");
            const ignoreCache = booleanParam(query, "ignoreCache", "getStreamProperties");
            const sourceId = uuidPathParam(rawSourceId);
            const destinationId = rawDestinationId === null ? undefined : uuidPathParam(rawDestinationId);
            const { catalog } = sourceSchema(ctx, sourceId, ignoreCache);
            const modes = destinationId === undefined ? undefined : destinationSyncModes(ctx, destinationId).modes;
            return ok(
                catalog.map(({ stream }) =>
                    nonAbsent({
                        streamName: stream.name,
                        streamnamespace: stream.namespace,
                        syncModes: validSyncModes(stream, modes),
                        defaultCursorField: stream.defaultCursorField,
                        sourceDefinedCursorField: stream.sourceDefinedCursor === true,
                        sourceDefinedPrimaryKey: stream.sourceDefinedPrimaryKey,
                        propertyFields: streamFields(stream.jsonSchema),
                    }),
                ),
            );
        },
    },
];
