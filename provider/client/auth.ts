/**
 * How requests to Airbyte are authenticated.
 *
 * - `none`: servers with `API_AUTHORIZATION_ENABLED=false`.
 * - `bearer`: a static access token.
 * - `client-credentials`: the instance admin's (or an application's) client id and secret are
 *   exchanged at the backend's token endpoint (`POST /api/v1/applications/token`, or
 *   `/applications/token` of the public API) for a short-lived JWT (15 minutes by default
 *   since Airbyte 1.6). The token is cached in memory per server and client, refreshed shortly
 *   before it expires, and once more when the server answers 401.
 * - `basic`: docker-compose era servers (≤ 0.63) behind the nginx proxy with basic auth.
 *
 * Tokens and secrets live only in the provider process's memory and are registered with the
 * redactor; they are never written to Pulumi state or logs.
 */
import { createHash } from "node:crypto";
import { processState } from "../process-state";
import { registerSecret } from "../redact";

export type AuthSettings =
    | { kind: "none" }
    | { kind: "bearer"; token: string }
    | { kind: "client-credentials"; clientId: string; clientSecret: string }
    | { kind: "basic"; username: string; password: string };

/** Used when a token carries no readable expiry (Airbyte's default lifetime since 1.6). */
export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** Refresh this long before expiry, or at 80% of a shorter lifetime. */
const REFRESH_MARGIN_MS = 60 * 1000;

export interface CachedToken {
    accessToken: string;
    /** Epoch ms after which the token is refreshed before use. */
    refreshAt: number;
}

/** The expiry of a JWT, in epoch ms, or undefined when the token is opaque. */
export function jwtExpiryMs(token: string): number | undefined {
    const [, payloadPart, signature, ...rest] = token.split(".");
    if (payloadPart === undefined || signature === undefined || rest.length) return undefined;
    try {
        const payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as { exp?: unknown } | null;
        return typeof payload?.exp === "number" ? payload.exp * 1000 : undefined;
    } catch {
        return undefined;
    }
}

/** When to refresh a token issued `issuedAt` (epoch ms). */
export function refreshTimeFor(token: string, issuedAt: number, expiresInSeconds?: number): number {
    const expiry =
        jwtExpiryMs(token) ??
        (expiresInSeconds ? issuedAt + expiresInSeconds * 1000 : issuedAt + DEFAULT_TOKEN_LIFETIME_MS);
    const lifetime = Math.max(0, expiry - issuedAt);
    return expiry - Math.min(REFRESH_MARGIN_MS, lifetime * 0.2);
}

export function tokenCacheKey(serverUrl: string, clientId: string, clientSecret: string): string {
    const secretDigest = createHash("sha256").update(clientSecret).digest("hex").slice(0, 16);
    return `${serverUrl}|${clientId}|${secretDigest}`;
}

/**
 * Returns a valid token for `key`, fetching one with `fetchToken` when none is cached, the
 * cached one is due for refresh, or `forceRefresh` is set (after a 401). Concurrent callers
 * share a single token request.
 */
export async function getAccessToken(
    key: string,
    fetchToken: () => Promise<{ accessToken: string; expiresInSeconds?: number }>,
    options: { forceRefresh?: boolean; rejected?: string } = {},
): Promise<string> {
    // Process-wide (../process-state): every resource talking to the same server with the same
    // credentials shares one token, and one token request at a time.
    const { tokens: tokenCache, tokenRequests: inFlight } = processState();
    const cached = tokenCache.get(key);
    const stale = !cached || Date.now() >= cached.refreshAt;
    // After a 401, refresh unless another request already replaced the rejected token.
    const rejected = options.forceRefresh && cached && (!options.rejected || options.rejected === cached.accessToken);
    if (!stale && !rejected && cached) return cached.accessToken;

    let pending = inFlight.get(key);
    if (!pending) {
        pending = (async () => {
            const issuedAt = Date.now();
            const { accessToken, expiresInSeconds } = await fetchToken();
            registerSecret(accessToken);
            const entry = { accessToken, refreshAt: refreshTimeFor(accessToken, issuedAt, expiresInSeconds) };
            tokenCache.set(key, entry);
            return entry;
        })().finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
    }
    return (await pending).accessToken;
}

/** Registers every secret an auth setting carries, so no message can contain them. */
export function registerAuthSecrets(auth: AuthSettings): void {
    if (auth.kind === "bearer") registerSecret(auth.token);
    if (auth.kind === "client-credentials") registerSecret(auth.clientSecret);
    if (auth.kind === "basic") {
        registerSecret(auth.password);
        registerSecret(Buffer.from(`${auth.username}:${auth.password}`).toString("base64"));
    }
}
