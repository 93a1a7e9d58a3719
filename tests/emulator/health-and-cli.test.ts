import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { eventually } from "../helpers/eventually";
import { DEFINITIONS, admin, get, post, withEmulator } from "./helpers";

describe("health and instance configuration", () => {
    test("GET /api/v1/health answers {available: true}", async () => {
        await withEmulator({}, async (emu) => {
            const response = await get(emu, "health");
            expect(response.status).toBe(200);
            expect(response.body).toEqual({ available: true });
        });
    });

    test("instance_configuration of a 2.0 server reports organization, user and version, but no default workspace", async () => {
        await withEmulator({}, async (emu) => {
            const { status, body } = await get(emu, "instance_configuration");
            expect(status).toBe(200);
            expect(body).toEqual({
                airbyteUrl: emu.url,
                edition: "community",
                version: "2.0.0",
                auth: { mode: "none" },
                initialSetupComplete: true,
                defaultUserId: "00000000-0000-0000-0000-000000000000",
                defaultOrganizationId: "00000000-0000-0000-0000-000000000000",
                defaultOrganizationEmail: "admin@example.com",
                trackingStrategy: "logging",
            });
        });
    });

    test("unknown routes answer Micronaut's 404 and wrong methods 405 (auth none)", async () => {
        await withEmulator({}, async (emu) => {
            expect((await post(emu, "sources/frobnicate", {})).status).toBe(404);
            expect((await fetch(`${emu.url}/nothing-here`)).status).toBe(404);
            expect((await get(emu, "sources/list")).status).toBe(405);
        });
    });

    test("the base URL has no /api suffix and points at 127.0.0.1", async () => {
        await withEmulator({}, async (emu) => {
            expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
        });
    });
});

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
        });
    });
}

describe("CLI", () => {
    const root = process.cwd();
    const cli = join(root, "dist", "emulator", "cli.js");

    beforeAll(() => {
        // Build the current code (a failed build fails here rather than testing an old dist/).
        execFileSync(
            process.execPath,
            [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
            { cwd: root, stdio: "pipe" },
        );
    }, 120_000);

    test("starts, announces itself and serves health + source_definitions/list within 5 s; exits cleanly on SIGTERM", async () => {
        const port = await freePort();
        const started = Date.now();
        const child = spawn(process.execPath, [cli, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
        try {
            let timer: NodeJS.Timeout | undefined;
            const line = await new Promise<string>((resolve, reject) => {
                let out = "";
                child.stdout.on("data", (chunk: Buffer) => {
                    out += chunk.toString();
                    if (out.includes("\n")) resolve(out.split("\n")[0]!);
                });
                child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
                timer = setTimeout(() => reject(new Error("no startup line within 5 s")), 5000);
            }).finally(() => clearTimeout(timer));
            expect(line).toBe(`Airbyte emulator listening on http://127.0.0.1:${port}`);
            const url = `http://127.0.0.1:${port}`;
            expect((await get(url, "health")).body).toEqual({ available: true });
            const definitions = await post(url, "source_definitions/list");
            expect(definitions.status).toBe(200);
            expect(definitions.body.sourceDefinitions.map((d: any) => d.sourceDefinitionId)).toContain(
                DEFINITIONS.mssql,
            );
            expect(Date.now() - started).toBeLessThan(5000);
        } finally {
            const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
            child.kill("SIGTERM");
            expect(await exited).toBe(0);
        }
    });

    test("honours --profile, --auth simple and the admin API of a separate process", async () => {
        const port = await freePort();
        const child = spawn(
            process.execPath,
            [
                cli,
                "--port",
                String(port),
                "--auth",
                "simple",
                "--client-id",
                "ci",
                "--client-secret",
                "cs",
                "--profile",
                "1.6",
            ],
            {
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        try {
            await new Promise<void>((resolve, reject) => {
                child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
                child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
            });
            const url = `http://127.0.0.1:${port}`;
            expect((await post(url, "workspaces/list")).status).toBe(401);
            const token = await post(url, "applications/token", { client_id: "ci", client_secret: "cs" });
            expect(token.status).toBe(200);
            const list = await post(url, "workspaces/list", {}, { authorization: `Bearer ${token.body.access_token}` });
            expect(list.status).toBe(200);
            const counters = await admin(url, "GET", "counters");
            expect(counters.body.operations["workspaces/list"].statuses).toEqual({ "200": 1, "401": 1 });
            expect((await admin(url, "GET", "settings")).body).toMatchObject({
                serverVersion: "1.6.0",
                profile: "1.6",
                auth: "simple",
            });
        } finally {
            const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
            child.kill("SIGINT");
            expect(await exited).toBe(0);
        }
    });

    test("--server-version and --unavailable-for-ms (with env twins); a bad version is a usage error", async () => {
        const port = await freePort();
        const child = spawn(process.execPath, [cli, "--port", String(port), "--unavailable-for-ms", "300"], {
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, AIRBYTE_EMULATOR_SERVER_VERSION: "0.50.45" },
        });
        try {
            await new Promise<void>((resolve, reject) => {
                child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
                child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
            });
            const url = `http://127.0.0.1:${port}`;
            expect((await get(url, "health")).status).toBe(502);
            await eventually(
                async () => (await get(url, "health")).status === 200,
                "the server to answer once --unavailable-for-ms 300 is over",
            );
            const instance = await get(url, "instance_configuration");
            expect(instance.status).toBe(200);
            expect(instance.body.webappUrl).toBe(url);
            expect(instance.body.version).toBeUndefined();
            const bad = spawn(process.execPath, [cli, "--server-version", "latest"], {
                stdio: ["ignore", "pipe", "pipe"],
            });
            expect(await new Promise<number | null>((resolve) => bad.once("exit", (code) => resolve(code)))).toBe(2);
        } finally {
            const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
            child.kill("SIGINT");
            expect(await exited).toBe(0);
        }
    });

    test.each([
        { how: "--cloud", args: ["--cloud", "--public-api-host", "https://api.example.test"], env: {} },
        {
            how: "AIRBYTE_EMULATOR_CLOUD=1",
            args: [],
            env: { AIRBYTE_EMULATOR_CLOUD: "1", AIRBYTE_EMULATOR_PUBLIC_API_HOST: "https://api.example.test" },
        },
    ])("$how: the public API under /v1 only, announced on stderr", async ({ args, env }) => {
        const port = await freePort();
        const child = spawn(process.execPath, [cli, "--port", String(port), ...args], {
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, ...env },
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        try {
            await new Promise<void>((resolve, reject) => {
                child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
                child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
            });
            const url = `http://127.0.0.1:${port}`;
            expect((await fetch(`${url}/v1/health`)).status).toBe(200);
            expect((await get(url, "health")).status).toBe(404);
            expect((await fetch(`${url}/api/public/v1/health`)).status).toBe(404);
            const created = await fetch(`${url}/v1/workspaces`);
            expect(((await created.json()) as { next: string }).next).toBe(
                "https://api.example.test/v1/workspaces?includeDeleted=false&limit=20&offset=20",
            );
            expect((await admin(url, "GET", "settings")).body).toMatchObject({
                cloud: true,
                publicApiPath: "/v1",
                publicApiHost: "https://api.example.test",
            });
            await eventually(() => stderr.includes("public API at"), "the CLI's startup lines on stderr");
            expect(stderr).toContain(`public API at ${url}/v1 (Cloud layout: no Config API)`);
        } finally {
            const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
            child.kill("SIGTERM");
            expect(await exited).toBe(0);
        }
    });
});
