/**
 * `GET /health` (airbyte-server `apis/publicapi/controllers/HealthController.kt`,
 * `@Controller("/api/public/v1/health") @Secured(IS_ANONYMOUS)`): `HttpResponse.ok(...).body("Successful operation")`,
 * a plain string under the controller's default `application/json` content type (no `@Produces`).
 * The emulated server is always healthy (no `ServiceUnavailableProblem`).
 */
import type { PublicRoute } from "../router";

export const healthRoutes: PublicRoute[] = [
    {
        operation: "public/health",
        method: "GET",
        path: "health",
        anonymous: true,
        handle: () => ({ status: 200, body: "Successful operation", contentType: "application/json" }),
    },
];
