/** `POST /api/v1/applications/token` (anonymous): client credentials → `{access_token}`. */
import type { RouteDefinition } from "../context";

export const applicationRoutes: RouteDefinition[] = [
    {
        operation: "applications/token",
        anonymous: true,
        request: { client_id: { type: "string", required: true }, client_secret: { type: "string", required: true } },
        handle: (ctx, body) => {
            const token = ctx.auth.issueToken(body["client_id"], body["client_secret"]);
            ctx.log.counters.tokensIssued++;
            return { access_token: token };
        },
    },
];
