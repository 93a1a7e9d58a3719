/**
 * Token bookkeeping of provider/client/auth.ts: reading a JWT's expiry, deciding when a token is
 * refreshed, and the cache key of a server's token (which must not hold the client secret).
 */
import { createHash } from "node:crypto";
import { DEFAULT_TOKEN_LIFETIME_MS, jwtExpiryMs, refreshTimeFor, tokenCacheKey } from "../../provider/client/auth";

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const HEADER = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
const SIGNATURE = b64url("not-a-real-signature");
/** A JWT whose payload is `payload` serialized as JSON (or the raw text, when a string). */
const jwt = (payload: unknown) =>
    `${HEADER}.${b64url(typeof payload === "string" ? payload : JSON.stringify(payload))}.${SIGNATURE}`;

/** Epoch seconds of a fixed instant (2026-01-01T00:00:00Z). */
const EXP = Date.UTC(2026, 0, 1) / 1000;

describe("jwtExpiryMs", () => {
    test.each<[string, number | undefined, string]>([
        ["a JWT with a numeric exp", EXP * 1000, jwt({ sub: "admin", exp: EXP })],
        ["an exp with a fraction of a second", EXP * 1000 + 500, jwt({ exp: EXP + 0.5 })],
        [
            "an unsigned JWT (alg none, empty signature)",
            EXP * 1000,
            `${HEADER}.${b64url(JSON.stringify({ exp: EXP }))}.`,
        ],
        [
            "a payload in standard base64 with padding",
            EXP * 1000,
            `${HEADER}.${Buffer.from(`{"exp": ${EXP}}`).toString("base64")}.${SIGNATURE}`,
        ],
        ["an opaque token (no dots)", undefined, "opaque-access-token-123"],
        ["an empty string", undefined, ""],
        ["two parts only", undefined, `${HEADER}.${b64url(JSON.stringify({ exp: EXP }))}`],
        ["five parts (a JWE)", undefined, `${jwt({ exp: EXP })}.iv.tag`],
        ["four parts", undefined, `${jwt({ exp: EXP })}.extra`],
        ["a JWT without exp", undefined, jwt({ sub: "admin", iat: EXP })],
        ["an exp given as a string", undefined, jwt({ exp: String(EXP) })],
        ["an exp of null", undefined, jwt({ exp: null })],
        ["an exp that is an object", undefined, jwt({ exp: { seconds: EXP } })],
        ["a payload that is JSON null", undefined, jwt("null")],
        ["a payload that is a JSON number", undefined, jwt("42")],
        ["a payload that is a JSON array", undefined, jwt([EXP])],
        ["a payload that is not JSON", undefined, jwt("exp=1767225600")],
        ["a payload that is not base64 at all", undefined, `${HEADER}.%%%***.${SIGNATURE}`],
        ["an empty payload", undefined, `${HEADER}..${SIGNATURE}`],
    ])("%s -> %p", (_name, expected, token) => {
        expect(jwtExpiryMs(token)).toBe(expected);
    });
});

describe("refreshTimeFor", () => {
    const ISSUED = EXP * 1000 - 15 * 60_000; // the JWT below expires 15 minutes after this
    const MINUTE = 60_000;

    test.each<[string, string, number | undefined, number]>([
        // name, token, expires_in (s), refresh time relative to issue (ms)
        ["a 15-minute JWT: one minute before its exp", jwt({ exp: EXP }), undefined, 14 * MINUTE],
        ["the JWT's exp wins over expires_in", jwt({ exp: EXP }), 3600, 14 * MINUTE],
        ["an opaque token with expires_in: one minute before that", "opaque", 3600, 59 * MINUTE],
        [
            "an opaque token without expires_in: Airbyte's default lifetime",
            "opaque",
            undefined,
            DEFAULT_TOKEN_LIFETIME_MS - MINUTE,
        ],
        ["expires_in 0 counts as absent: the default lifetime", "opaque", 0, DEFAULT_TOKEN_LIFETIME_MS - MINUTE],
        ["a 5-minute lifetime: the 1-minute margin is exactly 20%", "opaque", 300, 4 * MINUTE],
        ["a 100-second lifetime: at 80% (the margin would be over 20%)", "opaque", 100, 80_000],
        ["a 1-second lifetime: at 80%", "opaque", 1, 800],
        ["a JWT without exp falls back to expires_in", jwt({ sub: "admin" }), 600, 9 * MINUTE],
    ])("%s", (_name, token, expiresIn, expected) => {
        expect(refreshTimeFor(token, ISSUED, expiresIn) - ISSUED).toBe(expected);
    });

    test("a JWT that expired before it was issued is refreshed at its exp, i.e. at once", () => {
        const issuedAfterExpiry = EXP * 1000 + 5 * MINUTE;
        expect(refreshTimeFor(jwt({ exp: EXP }), issuedAfterExpiry)).toBe(EXP * 1000);
    });

    test.each<[string, number | undefined]>([
        ["Airbyte's 15-minute default", undefined],
        ["a one-hour expires_in", 3600],
        ["a 100-second expires_in", 100],
        ["a 2-second expires_in", 2],
    ])("the refresh comes before the expiry and after the issue: %s", (_name, expiresIn) => {
        const refreshAt = refreshTimeFor("opaque", ISSUED, expiresIn);
        const expiry = ISSUED + (expiresIn ? expiresIn * 1000 : DEFAULT_TOKEN_LIFETIME_MS);
        expect(refreshAt).toBeGreaterThan(ISSUED);
        expect(refreshAt).toBeLessThan(expiry);
    });
});

describe("tokenCacheKey", () => {
    const SERVER = "http://localhost:8000";
    const CLIENT = "client-1";
    const SECRET = "Client-Secret-That-Must-Not-Show";
    const base = tokenCacheKey(SERVER, CLIENT, SECRET);

    test("is the same for the same server, client and secret", () => {
        expect(tokenCacheKey(SERVER, CLIENT, SECRET)).toBe(base);
    });

    test.each<[string, string, string, string]>([
        ["another server", "http://airbyte.internal:8000", CLIENT, SECRET],
        ["another scheme of the same host", "https://localhost:8000", CLIENT, SECRET],
        ["another client id", SERVER, "client-2", SECRET],
        ["another secret (a rotated one)", SERVER, CLIENT, `${SECRET}-rotated`],
        ["a secret differing in case only", SERVER, CLIENT, SECRET.toLowerCase()],
    ])("differs for %s", (_name, server, client, secret) => {
        expect(tokenCacheKey(server, client, secret)).not.toBe(base);
    });

    test.each<[string, string]>([
        ["an ordinary secret", SECRET],
        ["a short secret", "s3cr3t"],
        ["a secret with separators in it", "a|b|c"],
    ])("does not contain %s in clear, nor its full SHA-256", (_name, secret) => {
        const key = tokenCacheKey(SERVER, CLIENT, secret);
        expect(key).not.toContain(secret);
        expect(key).not.toContain(createHash("sha256").update(secret).digest("hex"));
        // Server and client are kept readable (they are not secret).
        expect(key.startsWith(`${SERVER}|${CLIENT}|`)).toBe(true);
    });
});
