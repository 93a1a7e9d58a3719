/**
 * `POST /applications/token` (airbyte-server `apis/publicapi/controllers/ApplicationsController.kt`
 * `publicGetAccessToken`, `@Secured(IS_ANONYMOUS)`; ff7d645cea, first tag v0.63.7):
 * `ApplicationTokenRequestWithGrant` (`client_id`, `client_secret`, `grant-type`; api.yaml lists
 * `application/json` and `application/x-www-form-urlencoded`) →
 * `PublicAccessTokenResponse {access_token, token_type: "Bearer", expires_in}` with `expires_in`
 * the application token lifetime in seconds (`application-token-expiration-in-minutes`).
 * Wrong credentials: `ApplicationServiceMicronautImpl.getToken` → `BadRequestException("Invalid
 * client id or token")` → 400 (not through `ConfigClientErrorHandler`: a KnownException body).
 * The grant type is not checked (`grant-type` with a hyphen is the model's property;
 * the Python SDK sends `grant_type`, an unknown property).
 */
import type { PublicRoute } from "../router";

export const applicationRoutes: PublicRoute[] = [
    {
        operation: "public/applications/token",
        method: "POST",
        path: "applications/token",
        anonymous: true,
        acceptsForm: true,
        servedBy: (g) => g.hasPublicApplicationsToken,
        body: {
            client_id: { type: "string", required: true },
            client_secret: { type: "string", required: true },
            "grant-type": { type: "string" },
        },
        handle: (ctx, { body }) => {
            const token = ctx.auth.issueToken(body["client_id"], body["client_secret"]);
            ctx.log.counters.tokensIssued++;
            return {
                status: 200,
                body: { access_token: token, token_type: "Bearer", expires_in: ctx.auth.settings.tokenLifetimeSeconds },
            };
        },
    },
];
