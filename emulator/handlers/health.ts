/** `GET /api/v1/health` (`HealthApiController`, `@Secured(IS_ANONYMOUS)`): `{available: true}` in every release. */
import type { RouteDefinition } from "../context";

export const healthRoutes: RouteDefinition[] = [
    { operation: "health", method: "GET", anonymous: true, handle: () => ({ available: true }) },
];
