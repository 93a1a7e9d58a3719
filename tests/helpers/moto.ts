/**
 * A real AWS emulator (moto, in server mode) for tests that talk to Secrets Manager and IAM.
 *
 * Install it once with `scripts/setup-moto.sh` (a Python venv in .tools/venv, pinned by
 * requirements-moto.txt). `startMoto()` then runs `<venv>/bin/moto_server -H 127.0.0.1 -p <free
 * port>` (through a small watchdog, see WATCHDOG) and waits until it answers; `stop()` kills it,
 * and so does the test process exiting, even abnormally.
 *
 * Environment:
 * - `MOTO_ENDPOINT=http://127.0.0.1:5000`: use that already running server instead of starting
 *   one (`stop()` then leaves it running). Tests must use unique names (see `uniqueName`), since
 *   several test files may share it and nothing is reset.
 * - `MOTO_IAM_ENDPOINT`: the same for `startMoto({ enforceIam: true })`; it must be a server
 *   started with `INITIAL_NO_AUTH_ACTION_COUNT=0`. Without it a separate server is started even
 *   when MOTO_ENDPOINT is set, because IAM enforcement is server-wide.
 * - `MOTO_VENV`: the venv holding moto (default `<repo>/.tools/venv`), as for setup-moto.sh.
 * - `MOTO_LOG=1`: pass moto's request log through to stderr.
 */
import { ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export interface MotoServer {
    /** e.g. `http://127.0.0.1:41234` */
    endpoint: string;
    port: number;
    /** Whether IAM authentication and authorization are enforced (`INITIAL_NO_AUTH_ACTION_COUNT=0`). */
    enforceIam: boolean;
    stop(): Promise<void>;
}

/** The region tests use unless they say otherwise. */
export const MOTO_REGION = "us-east-1";
/** Dummy credentials moto accepts while IAM is not enforced. */
export const DUMMY_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

const STARTUP_TIMEOUT_MS = 20_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a moto server (or reuses MOTO_ENDPOINT / MOTO_IAM_ENDPOINT); see the module comment. */
export async function startMoto(options: { enforceIam?: boolean } = {}): Promise<MotoServer> {
    const enforceIam = options.enforceIam === true;
    const reuse = (enforceIam ? process.env.MOTO_IAM_ENDPOINT : process.env.MOTO_ENDPOINT)?.trim();
    if (reuse) {
        const endpoint = reuse.replace(/\/+$/, "");
        await waitUntilAnswering(endpoint, undefined, () => "");
        return { endpoint, port: Number(new URL(endpoint).port || 80), enforceIam, stop: async () => undefined };
    }

    const command = motoCommand();
    let lastError: unknown;
    // A free port can be taken between probing and binding; try a few.
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        try {
            return await launch(command, port, enforceIam);
        } catch (error) {
            lastError = error;
            if (!(error instanceof PortInUseError)) throw error;
        }
    }
    throw lastError;
}

class PortInUseError extends Error {}

async function launch(
    command: { file: string; args: string[] },
    port: number,
    enforceIam: boolean,
): Promise<MotoServer> {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
    // Moto's own settings: never let a developer's shell config change the server.
    delete env.TEST_SERVER_MODE;
    delete env.MOTO_ALLOW_NONEXISTENT_REGION;
    if (enforceIam) env.INITIAL_NO_AUTH_ACTION_COUNT = "0";
    else delete env.INITIAL_NO_AUTH_ACTION_COUNT;

    const child = spawn(command.file, [...command.args, "-H", "127.0.0.1", "-p", String(port)], {
        env,
        stdio: ["pipe", "pipe", "pipe"],
    });
    running.add(child);
    installExitHook();
    let output = "";
    const collect = (chunk: Buffer) => {
        if (process.env.MOTO_LOG === "1") process.stderr.write(chunk);
        output = (output + chunk.toString("utf8")).slice(-4000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: Error | undefined;
    const exitPromise = new Promise<void>((resolve) => {
        child.on("exit", (code, signal) => {
            exited = { code, signal };
            running.delete(child);
            resolve();
        });
        child.on("error", (error) => {
            spawnError = error;
            running.delete(child);
            resolve();
        });
    });

    const endpoint = `http://127.0.0.1:${port}`;
    try {
        await waitUntilAnswering(
            endpoint,
            () => {
                if (spawnError) return `could not run ${command.file}: ${spawnError.message}`;
                if (exited) return `moto_server exited (${exited.signal ?? `code ${exited.code}`})`;
                return undefined;
            },
            () => output,
        );
    } catch (error) {
        child.kill("SIGKILL");
        if (/address already in use/i.test(output)) throw new PortInUseError(`port ${port} is in use`);
        throw error;
    }

    let stopped: Promise<void> | undefined;
    return {
        endpoint,
        port,
        enforceIam,
        stop: () => {
            stopped ??= (async () => {
                if (exited || spawnError) return;
                child.kill("SIGTERM");
                const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
                await exitPromise;
                clearTimeout(timer);
            })();
            return stopped;
        },
    };
}

/** Polls `endpoint` until moto answers; fails early when `failed()` says the process died. */
async function waitUntilAnswering(
    endpoint: string,
    failed: (() => string | undefined) | undefined,
    output: () => string,
): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
        const problem = failed?.();
        if (problem) throw new Error(`${problem}.\n${hint()}\n--- moto output ---\n${output()}`);
        try {
            const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
            await response.arrayBuffer();
            if (response.status < 500) return;
        } catch {
            // not up yet
        }
        if (Date.now() > deadline) {
            throw new Error(
                `moto did not answer at ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s.\n${hint()}\n--- moto output ---\n${output()}`,
            );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

function hint(): string {
    return "Install moto with `scripts/setup-moto.sh` (creates .tools/venv), or point MOTO_ENDPOINT at a running moto server.";
}

/** The repository root: the nearest directory upwards from the working directory holding requirements-moto.txt. */
function repoRoot(): string {
    let dir = process.cwd();
    for (;;) {
        if (existsSync(path.join(dir, "requirements-moto.txt"))) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) return process.cwd();
        dir = parent;
    }
}

/**
 * Moto's server entry point (what `moto_server` runs), behind a watchdog thread that exits
 * when stdin closes: if the test process dies without running its exit hook (SIGKILL, a
 * crashed jest worker), the pipe closes and the server goes with it instead of lingering.
 */
const WATCHDOG = [
    "import os, sys, threading",
    "def _watch():",
    "    try:",
    "        while sys.stdin.buffer.read(4096): pass",
    "    finally:",
    "        os._exit(0)",
    "threading.Thread(target=_watch, daemon=True).start()",
    "from moto.server import main",
    "sys.argv[0] = 'moto_server'",
    "main()",
].join("\n");

function motoCommand(): { file: string; args: string[] } {
    const venv = process.env.MOTO_VENV?.trim() || path.join(repoRoot(), ".tools", "venv");
    const python = path.join(venv, "bin", "python");
    const server = path.join(venv, "bin", "moto_server");
    if (!existsSync(python) || !existsSync(server))
        throw new Error(`moto is not installed: ${server} does not exist.\n${hint()}`);
    return { file: python, args: ["-c", WATCHDOG] };
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const child of running) child.kill("SIGKILL");
    });
}

// ---------------------------------------------------------------------------------------------
// Test setup helpers

/** A Secrets Manager client for test setup (create, rotate, delete), with dummy or given credentials. */
export async function motoSecretsManagerClient(
    endpoint: string,
    options: { region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<SecretsManagerClient> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const sm = await import("@aws-sdk/client-secrets-manager");
    return new sm.SecretsManagerClient({
        region: options.region ?? MOTO_REGION,
        endpoint,
        credentials: options.credentials ?? DUMMY_CREDENTIALS,
        maxAttempts: 1,
    });
}

/**
 * Sets environment variables (undefined deletes) and returns a function restoring the previous
 * values. `dummyAwsEnvironment()` is the usual set for code using the SDK's default chain.
 */
export function setEnv(vars: Record<string, string | undefined>): () => void {
    const previous: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(vars)) {
        previous[name] = process.env[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    return () => {
        for (const [name, value] of Object.entries(previous)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
}

/**
 * Environment for the SDK's default credential chain against moto: dummy keys, no profile or shared files, one attempt.
 */
export function dummyAwsEnvironment(
    extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
    return {
        AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_DEFAULT_PROFILE: undefined,
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
        AWS_ENDPOINT_URL: undefined,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: undefined,
        AWS_MAX_ATTEMPTS: "1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...extra,
    };
}

/** A name unique to this test process, e.g. `uniqueName("db")` → `db-k3x9a1-1`. */
let nameCounter = 0;
const runTag = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
export function uniqueName(prefix: string): string {
    return `${prefix}-${runTag}-${++nameCounter}`;
}

/**
 * Runs `fn` with IAM enforcement switched off on a server started with `enforceIam`, for setup
 * (creating users, policies and secrets), and switches it back on afterwards.
 */
export async function withIamDisabled<T>(server: MotoServer, fn: () => Promise<T>): Promise<T> {
    await resetAuth(server.endpoint, "inf");
    try {
        return await fn();
    } finally {
        await resetAuth(server.endpoint, "0");
    }
}

async function resetAuth(endpoint: string, initialNoAuthActionCount: string): Promise<void> {
    const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: initialNoAuthActionCount });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status} ${text}`);
}

/**
 * Creates an IAM user with an inline policy and an access key (moto's IAM query API; no IAM
 * SDK client needed). Call inside `withIamDisabled` on an enforcing server.
 */
export async function createIamUser(
    endpoint: string,
    userName: string,
    policy: object,
): Promise<{ accessKeyId: string; secretAccessKey: string; arn: string }> {
    const user = await iamQuery(endpoint, { Action: "CreateUser", UserName: userName });
    await iamQuery(endpoint, {
        Action: "PutUserPolicy",
        UserName: userName,
        PolicyName: `${userName}-policy`,
        PolicyDocument: JSON.stringify(policy),
    });
    const key = await iamQuery(endpoint, { Action: "CreateAccessKey", UserName: userName });
    const pick = (xml: string, tag: string) => {
        const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
        if (!match) throw new Error(`moto IAM answer has no <${tag}>: ${xml.slice(0, 300)}`);
        return match[1]!;
    };
    return {
        accessKeyId: pick(key, "AccessKeyId"),
        secretAccessKey: pick(key, "SecretAccessKey"),
        arn: pick(user, "Arn"),
    };
}

async function iamQuery(endpoint: string, params: Record<string, string>): Promise<string> {
    const response = await fetch(`${endpoint}/`, {
        method: "POST",
        headers: {
            "content-type": "application/x-www-form-urlencoded; charset=utf-8",
            // Moto routes on the credential scope's service name; the signature is not checked
            // while IAM enforcement is off.
            authorization: `AWS4-HMAC-SHA256 Credential=${DUMMY_CREDENTIALS.accessKeyId}/20240101/${MOTO_REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: new URLSearchParams({ Version: "2010-05-08", ...params }).toString(),
    });
    const text = await response.text();
    if (!response.ok)
        throw new Error(`moto IAM ${params.Action} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
    return text;
}
