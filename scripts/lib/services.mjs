// @ts-check
/**
 * Local services for `npm run demo` (scripts/demo.mjs) and `npm run bench`, each a real local
 * process or server:
 * - the Airbyte emulator as its own process (`node dist/emulator/cli.js`), with injected latency;
 * - moto (Secrets Manager), installed by scripts/setup-moto.sh;
 * - a counting HTTP proxy in front of moto, so Secrets Manager calls made by the Pulumi
 *   provider process (which the bench cannot instrument) are counted by operation.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * @import { ChildProcess } from "node:child_process"
 * @import { AddressInfo } from "node:net"
 * @import { EmulatorCounters, RequestLogEntry } from "pulumi-airbyte-dynamic/emulator"
 */

/**
 * @typedef {Awaited<ReturnType<typeof startEmulatorProcess>>} EmulatorProcess
 * @typedef {Awaited<ReturnType<typeof startMoto>>} Moto
 * @typedef {Awaited<ReturnType<typeof startCountingProxy>>} CountingProxy
 */

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {Set<ChildProcess>} */
const children = new Set();
process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
});

/** @template {ChildProcess} T @param {T} child @returns {T} */
function track(child) {
    children.add(child);
    child.on("exit", () => children.delete(child));
    return child;
}

/** @param {ChildProcess} child */
async function stopChild(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
}

/** @returns {Promise<number>} */
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            // A TCP server, listening: its address is an AddressInfo (a string only for a pipe).
            const { port } = /** @type {AddressInfo} */ (server.address());
            server.close(() => resolve(port));
        });
    });
}

/**
 * Starts `node dist/emulator/cli.js` and waits for its "listening on" line.
 * @param {{ latencyMs?: number, auth?: string, latencyProfile?: string }} [options]
 */
export async function startEmulatorProcess({ latencyMs = 0, auth = "none", latencyProfile = undefined } = {}) {
    // A latency profile (emulator/options.ts LATENCY_PROFILES) sets the request latency and the connector jobs' times.
    const latency = latencyProfile ? ["--latency-profile", latencyProfile] : ["--latency-ms", String(latencyMs)];
    const args = [join(ROOT, "dist/emulator/cli.js"), "--port", "0", ...latency, "--auth", auth];
    const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }));
    let stderr = "";
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    /** @type {string} */
    const url = await new Promise((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once("line", (line) => {
            const address = /listening on (http:\/\/\S+)/.exec(line)?.[1];
            if (address) resolve(address);
            else reject(new Error(`unexpected emulator output: ${line}`));
        });
        child.once("exit", (code) => reject(new Error(`emulator exited (${code}): ${stderr}`)));
    });
    /**
     * A request to the emulator's admin API; its JSON answer, undefined when empty.
     * @param {string} method
     * @param {string} path
     * @param {unknown} [body]
     */
    const admin = async (method, path, body) => {
        const res = await fetch(`${url}/_emulator/${path}`, {
            method,
            headers: body ? { "content-type": "application/json" } : {},
            body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${text}`);
        return text ? JSON.parse(text) : undefined;
    };
    // From the emulator's own settings: instance_configuration names no workspace from 0.50.50 on.
    /** @type {{ defaultWorkspaceId: string }} */
    const { defaultWorkspaceId } = await admin("GET", "settings");
    return {
        url,
        defaultWorkspaceId,
        /** @returns {Promise<EmulatorCounters>} */
        counters: () => admin("GET", "counters"),
        /** @returns {Promise<RequestLogEntry[]>} */
        requests: async () => (await admin("GET", "requests")).requests,
        /** @returns {Promise<void>} */
        clearLog: () => admin("POST", "clear-log"),
        /** @returns {Promise<void>} */
        reset: () => admin("POST", "reset"),
        /**
         * Plain API call (no auth) for setup and checks; the answer's JSON, undefined when empty.
         * @param {string} path
         * @param {unknown} body
         * @param {string} [token]
         */
        api: async (path, body, token) => {
            const res = await fetch(`${url}/api/v1/${path}`, {
                method: "POST",
                headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
                body: JSON.stringify(body),
            });
            const text = await res.text();
            if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
            return text ? JSON.parse(text) : undefined;
        },
        stop: () => stopChild(child),
    };
}

/** Starts moto's server (Secrets Manager), installing it with scripts/setup-moto.sh if needed. */
export async function startMoto() {
    const server = execFileSync(join(ROOT, "scripts/setup-moto.sh"), {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    if (!existsSync(server)) throw new Error(`moto_server not found at ${server}`);
    const port = await freePort();
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, PYTHONUNBUFFERED: "1" };
    delete env.TEST_SERVER_MODE;
    delete env.INITIAL_NO_AUTH_ACTION_COUNT;
    const child = track(
        spawn(server, ["-H", "127.0.0.1", "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] }),
    );
    let output = "";
    child.stdout.on("data", (d) => (output = (output + d).slice(-4000)));
    child.stderr.on("data", (d) => (output = (output + d).slice(-4000)));
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
        if (child.exitCode !== null) throw new Error(`moto_server exited: ${output}`);
        try {
            const res = await fetch(`${endpoint}/moto-api/`);
            await res.arrayBuffer();
            break;
        } catch {
            if (Date.now() > deadline) throw new Error(`moto_server did not answer within 30 s: ${output}`);
            await sleep(200);
        }
    }
    return { endpoint, stop: () => stopChild(child) };
}

/**
 * A pass-through HTTP proxy that counts requests by their `X-Amz-Target` operation
 * (`secretsmanager.DescribeSecret` → `DescribeSecret`).
 * @param {string} target
 */
export async function startCountingProxy(target) {
    const upstream = new URL(target);
    /** @type {Record<string, number>} */
    const counts = {};
    const server = http.createServer((req, res) => {
        const op = String(req.headers["x-amz-target"] ?? `${req.method} ${req.url}`).replace(/^secretsmanager\./, "");
        counts[op] = (counts[op] ?? 0) + 1;
        const forward = http.request(
            {
                host: upstream.hostname,
                port: upstream.port,
                method: req.method,
                path: req.url,
                headers: { ...req.headers, host: upstream.host },
            },
            (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            },
        );
        forward.on("error", (e) => {
            res.writeHead(502);
            res.end(String(e));
        });
        req.pipe(forward);
    });
    server.keepAliveTimeout = 60_000;
    /** @type {Promise<void>} */
    const listening = new Promise((r) => server.listen(0, "127.0.0.1", r));
    await listening;
    // A TCP server, listening: its address is an AddressInfo (a string only for a pipe).
    const { port } = /** @type {AddressInfo} */ (server.address());
    return {
        url: `http://127.0.0.1:${port}`,
        counts: () => ({ ...counts }),
        reset: () => {
            for (const k of Object.keys(counts)) delete counts[k];
        },
        /** @type {() => Promise<void>} */
        stop: () => new Promise((r) => server.close(() => r())),
    };
}

/**
 * Environment for the AWS SDK's default chain against moto (dummy keys, no profile files).
 * @param {string} endpoint
 */
export function awsEnvironment(endpoint) {
    return {
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "us-east-1",
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_MAX_ATTEMPTS: "1",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
}
