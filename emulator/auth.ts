/**
 * Authentication modes:
 *
 * - `none`: community edition without `API_AUTHORIZATION_ENABLED` (airbyte-server
 *   `application.yml` `micronaut.security.enabled: ${API_AUTHORIZATION_ENABLED:false}`) — no checks;
 * - `simple`: Micronaut security on (`AuthConfigs` reports `AuthMode.SIMPLE` for the community
 *   edition, b2e3e2a15b, first tag v0.60.0): bearer JWTs from `POST /api/v1/applications/token`
 *   with the instance admin's client credentials (wrong pair → `BadRequestException("Invalid client
 *   id or token")`, airbyte-data `ApplicationServiceMicronautImpl`), lifetime
 *   `application-token-expiration-in-minutes: 15` (airbyte-server `application.yml`);
 * - `basic`: the docker-compose era nginx proxy (`airbyte-proxy/nginx-auth.conf.template`)
 *   demanding `Basic airbyte:password` on every path (see proxy.ts for its 401 page).
 *
 * Tokens are HS256 JWTs signed with a key kept in the store, so a persisted emulator restarted
 * with the same state file still accepts the tokens it issued. `expireAll()` invalidates every
 * token issued so far (tests of "token expired mid-run" handling).
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { badRequest } from "./errors";
import { DEFAULT_USER_ID } from "./store";

export type AuthMode = "none" | "simple" | "basic";

export interface AuthSettings {
    mode: AuthMode;
    clientId: string;
    clientSecret: string;
    tokenLifetimeSeconds: number;
    /** Extra bearer tokens accepted as-is in `simple` mode. */
    staticTokens: readonly string[];
    basicUsername: string;
    basicPassword: string;
}

const ISSUER = "airbyte-emulator";

function base64url(input: string | Buffer): string {
    return Buffer.from(input).toString("base64url");
}

export class Authenticator {
    /** Tokens carry the generation they were issued in; `expireAll()` moves to a new one. */
    private generation = 0;

    constructor(
        readonly settings: AuthSettings,
        private readonly signingKey: () => string,
        private readonly nowMs: () => number,
    ) {}

    /** `applications/token`: checks the client credentials and signs a token. */
    issueToken(clientId: unknown, clientSecret: unknown): string {
        if (clientId !== this.settings.clientId || clientSecret !== this.settings.clientSecret)
            throw badRequest("Invalid client id or token");
        const iat = Math.floor(this.nowMs() / 1000);
        const payload = {
            iss: ISSUER,
            aud: "airbyte-server",
            sub: DEFAULT_USER_ID,
            roles: ["ORGANIZATION_ADMIN", "ADMIN", "WORKSPACE_ADMIN", "AUTHENTICATED_USER"],
            iat,
            exp: iat + this.settings.tokenLifetimeSeconds,
            jti: randomUUID(),
            gen: this.generation,
        };
        const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(payload))}`;
        return `${unsigned}.${this.sign(unsigned)}`;
    }

    expireAll(): void {
        this.generation++;
    }

    /** True when the `Authorization` header carries valid credentials for the mode (always in `none`). */
    isAuthorized(authorization: string | undefined): boolean {
        switch (this.settings.mode) {
            case "none":
                return true;
            case "basic":
                return this.checkBasic(authorization);
            case "simple":
                return this.checkBearer(authorization);
        }
    }

    private sign(unsigned: string): string {
        return createHmac("sha256", this.signingKey()).update(unsigned).digest("base64url");
    }

    private checkBearer(authorization: string | undefined): boolean {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
        if (!match) return false;
        const token = match[1]!;
        if (this.settings.staticTokens.includes(token)) return true;
        const parts = token.split(".");
        if (parts.length !== 3) return false;
        const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
        const given = Buffer.from(parts[2]!);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
        try {
            const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as {
                exp?: number;
                gen?: number;
            };
            if (typeof payload.exp !== "number" || payload.exp * 1000 <= this.nowMs()) return false;
            return payload.gen === this.generation;
        } catch {
            return false;
        }
    }

    private checkBasic(authorization: string | undefined): boolean {
        const match = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
        if (!match) return false;
        const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
        return decoded === `${this.settings.basicUsername}:${this.settings.basicPassword}`;
    }
}
