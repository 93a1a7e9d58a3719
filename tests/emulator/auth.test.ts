import { get, post, withEmulator } from "./helpers";

async function token(url: string, clientId: string, clientSecret: string): Promise<string> {
    const response = await post(url, "applications/token", { client_id: clientId, client_secret: clientSecret });
    if (response.status !== 200) throw new Error(`token: ${response.status} ${response.text}`);
    return response.body.access_token;
}

describe("auth: none (default)", () => {
    test("protected endpoints need no credentials", async () => {
        await withEmulator({}, async (emu) => {
            expect((await post(emu, "source_definitions/list")).status).toBe(200);
            expect((await get(emu, "instance_configuration")).body.auth).toEqual({ mode: "none" });
        });
    });
});

describe("auth: simple (bearer tokens)", () => {
    const options = { auth: "simple" as const, clientId: "admin-client", clientSecret: "admin-secret" };

    test("health, instance_configuration and applications/token are anonymous; everything else is 401 without a token", async () => {
        await withEmulator(options, async (emu) => {
            expect((await get(emu, "health")).status).toBe(200);
            const instance = await get(emu, "instance_configuration");
            expect(instance.status).toBe(200);
            expect(instance.body.auth).toEqual({ mode: "simple" });
            const denied = await post(emu, "source_definitions/list");
            expect(denied.status).toBe(401);
            // DefaultAuthorizationExceptionHandler → Micronaut's JSON error.
            expect(denied.body).toEqual({
                _links: { self: { href: "/api/v1/source_definitions/list", templated: false } },
                _embedded: { errors: [{ message: "Unauthorized" }] },
                message: "Unauthorized",
            });
            expect(
                (await post(emu, "source_definitions/list", {}, { authorization: "Bearer not-a-token" })).status,
            ).toBe(401);
            expect(emu.counters().authFailures).toBe(2);
        });
    });

    test("applications/token issues a JWT with an exp claim that grants access", async () => {
        await withEmulator(options, async (emu) => {
            const access = await token(emu.url, "admin-client", "admin-secret");
            const [, payload] = access.split(".");
            const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
            expect(claims.exp - claims.iat).toBe(900);
            const response = await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${access}` });
            expect(response.status).toBe(200);
        });
    });

    test("wrong client credentials are a 400 'Invalid client id or token'", async () => {
        await withEmulator(options, async (emu) => {
            const response = await post(emu, "applications/token", {
                client_id: "admin-client",
                client_secret: "nope",
            });
            expect(response.status).toBe(400);
            expect(response.body.message).toBe("Invalid client id or token");
        });
    });

    test("a token expires after the configured lifetime", async () => {
        await withEmulator({ ...options, tokenLifetimeSeconds: 60 }, async (emu) => {
            const access = await token(emu.url, "admin-client", "admin-secret");
            const headers = { authorization: `Bearer ${access}` };
            expect((await post(emu, "source_definitions/list", {}, headers)).status).toBe(200);
            emu.advanceTime(61_000);
            expect((await post(emu, "source_definitions/list", {}, headers)).status).toBe(401);
            const fresh = await token(emu.url, "admin-client", "admin-secret");
            expect((await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${fresh}` })).status).toBe(
                200,
            );
        });
    });

    test("expireTokens() invalidates every issued token; tampered tokens are rejected", async () => {
        await withEmulator(options, async (emu) => {
            const access = await token(emu.url, "admin-client", "admin-secret");
            const [header, payload, signature] = access.split(".");
            const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
            const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString("base64url")}.${signature}`;
            expect((await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${forged}` })).status).toBe(
                401,
            );
            emu.expireTokens();
            expect((await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${access}` })).status).toBe(
                401,
            );
        });
    });

    test("configured static tokens are accepted", async () => {
        await withEmulator({ ...options, staticTokens: ["ci-token"] }, async (emu) => {
            expect((await post(emu, "source_definitions/list", {}, { authorization: "Bearer ci-token" })).status).toBe(
                200,
            );
        });
    });
});

describe("auth: basic (docker-compose era proxy)", () => {
    const basic = (user: string, password: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
    });

    test("airbyte:password by default; anything else is the proxy's 401 page with a Basic challenge, on every path", async () => {
        await withEmulator({ auth: "basic" }, async (emu) => {
            expect((await post(emu, "source_definitions/list", {}, basic("airbyte", "password"))).status).toBe(200);
            const denied = await post(emu, "source_definitions/list", {}, basic("airbyte", "guess"));
            expect(denied.status).toBe(401);
            expect(denied.headers.get("www-authenticate")).toBe('Basic realm="Welcome to Airbyte"');
            expect(denied.headers.get("content-type")).toBe("text/html");
            expect(denied.text).toContain("This deployment of Airbyte is protected by HTTP Basic Authentication.");
            expect((await post(emu, "source_definitions/list")).status).toBe(401);
            // nginx's auth_basic covers every location, health included.
            expect((await get(emu, "health")).status).toBe(401);
            expect((await get(emu, "health", basic("airbyte", "password"))).status).toBe(200);
        });
    });

    test("credentials are configurable", async () => {
        await withEmulator({ auth: "basic", basicAuth: { username: "ops", password: "hunter2" } }, async (emu) => {
            expect((await post(emu, "source_definitions/list", {}, basic("ops", "hunter2"))).status).toBe(200);
            expect((await post(emu, "source_definitions/list", {}, basic("airbyte", "password"))).status).toBe(401);
        });
    });
});
