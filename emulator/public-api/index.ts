/**
 * Airbyte's public API (`/api/public/v1/...`, or `/v1/...` in Cloud mode), served from the same
 * store and by the same internal handlers as the Config API. See router.ts for routing,
 * problems.ts for errors, pagination.ts for lists, mappers.ts for response shapes and
 * catalog-helper.ts for connection catalogs; handlers/ has one module per resource.
 */
import type { HandlerContext } from "../context";
import { destinationRoutes, sourceRoutes } from "./handlers/actors";
import { applicationRoutes } from "./handlers/applications";
import { connectionRoutes } from "./handlers/connections";
import { definitionRoutes } from "./handlers/definitions";
import { healthRoutes } from "./handlers/health";
import { streamRoutes } from "./handlers/streams";
import { workspaceRoutes } from "./handlers/workspaces";
import { PublicApiRouter, type PublicRoute } from "./router";

export { PublicApiRouter, CLOUD_PREFIX, SELF_MANAGED_PREFIX } from "./router";

/** Every public route, in matching order. */
export const PUBLIC_ROUTES: readonly PublicRoute[] = [
    ...healthRoutes,
    ...applicationRoutes,
    ...workspaceRoutes,
    ...definitionRoutes,
    ...sourceRoutes,
    ...destinationRoutes,
    ...streamRoutes,
    ...connectionRoutes,
];

export function buildPublicApi(ctx: HandlerContext): PublicApiRouter {
    return new PublicApiRouter(ctx, PUBLIC_ROUTES);
}
