/** `GET /api/v1/health` and `GET /api/v1/instance_configuration`, both anonymous. */
import type { RouteDefinition } from "../context";
import { DEFAULT_ORGANIZATION_ID, DEFAULT_USER_ID } from "../store";

export const healthRoutes: RouteDefinition[] = [
    { operation: "health", method: "GET", anonymous: true, handle: () => ({ available: true }) },
    {
        operation: "instance_configuration",
        method: "GET",
        anonymous: true,
        handle: (ctx) => {
            const mode = ctx.auth.settings.mode === "simple" ? "simple" : "none";
            const body: Record<string, unknown> = {
                edition: "community",
                version: ctx.settings.version,
                airbyteUrl: ctx.baseUrl,
                auth: { mode },
                initialSetupComplete: true,
                defaultUserId: DEFAULT_USER_ID,
                defaultOrganizationId: DEFAULT_ORGANIZATION_ID,
                defaultOrganizationEmail: "admin@example.com",
                trackingStrategy: "logging",
            };
            // ≤ 1.6 servers had no defaultWorkspaceId; clients then fall back to workspaces/list.
            if (!ctx.settings.legacy) body["defaultWorkspaceId"] = ctx.store.defaultWorkspaceId;
            return body;
        },
    },
];
