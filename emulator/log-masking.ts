/**
 * Masks secrets in request/response bodies before they enter the request log, so that a log
 * dump (or a test failure message) never shows a password. Connector configurations are masked
 * with their spec (like API reads) and by key name; everything else by key name.
 */
import type { HandlerContext } from "./context";
import { maskLikelySecrets, maskSecrets } from "./secrets";
import { isPlainObject } from "./validation";

function specFor(ctx: HandlerContext, body: Record<string, unknown>) {
    const sourceDefinitionId = body["sourceDefinitionId"];
    if (typeof sourceDefinitionId === "string") return ctx.registry.get("source", sourceDefinitionId)?.spec;
    const destinationDefinitionId = body["destinationDefinitionId"];
    if (typeof destinationDefinitionId === "string")
        return ctx.registry.get("destination", destinationDefinitionId)?.spec;
    for (const [field, kind] of [
        ["sourceId", "source"],
        ["destinationId", "destination"],
    ] as const) {
        const id = body[field];
        if (typeof id !== "string") continue;
        const actor = ctx.store.actors(kind).get(id);
        if (actor) return ctx.registry.get(kind, actor.definitionId)?.spec;
    }
    return undefined;
}

export function maskRequestBody(ctx: HandlerContext, body: unknown): unknown {
    if (!isPlainObject(body)) return body;
    if (!isPlainObject(body["connectionConfiguration"])) return maskLikelySecrets(body);
    const spec = specFor(ctx, body);
    let configuration: unknown;
    try {
        // Key names as well: a spec the server cannot use for masking leaves secrets in reads, not in the log.
        configuration = maskLikelySecrets(
            spec ? maskSecrets(body["connectionConfiguration"], spec) : body["connectionConfiguration"],
        );
    } catch {
        // A spec the server cannot traverse (its reads would be 500s): mask by key name only.
        configuration = maskLikelySecrets(body["connectionConfiguration"]);
    }
    return {
        ...(maskLikelySecrets({ ...body, connectionConfiguration: undefined }) as Record<string, unknown>),
        connectionConfiguration: configuration,
    };
}

/** API responses are already masked, except the token itself. */
export function maskResponseBody(operation: string, body: unknown): unknown {
    return operation === "applications/token" || operation === "public/applications/token"
        ? maskLikelySecrets(body)
        : body;
}
