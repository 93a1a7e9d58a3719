// @ts-check
/**
 * Runs the real Pulumi CLI and engine (built by scripts/pulumi-cli.sh) against a local `file://`
 * backend with the passphrase secrets provider, in a project directory whose node_modules link
 * to this repository (as a user's `npm install pulumi-airbyte-dynamic` would provide), and
 * samples the memory and CPU of every process of the run from /proc while a command runs.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { now, pulumiCliDir, ROOT, WORK_DIR } from "./common.mjs";

const CLK_TCK = 100; // USER_HZ on Linux

/**
 * @typedef {"helper" | "dynamicProvider" | "program" | "languageHost" | "providerShim" | "engine" | "other"} Role
 * @typedef {{ pid: number, role: Role, cmd: string, hwmKb: number, cpuMs: number }} ProcessSample  one process of a run
 * @typedef {{ count: number, peakRssMb: number, cpuMs: number }} RoleSummary
 * @typedef {Partial<Record<Role, RoleSummary>>} ProcessSummary  per role, of the processes of one command
 * @typedef {{ code: number | null, ms: number, stdout: string, stderr: string, processes: ProcessSummary }} RunResult
 * @typedef {{ type: string, urn: string, inputs?: Record<string, unknown>, outputs?: Record<string, unknown> }}
 *   StateResource
 * @typedef {{ deployment?: { resources?: StateResource[] } }} StackExport
 *   what `pulumi stack export` prints (the parts read here)
 * @typedef {Awaited<ReturnType<typeof pulumiWorkspace>>} Workspace
 */

/**
 * A project directory for a program (plain CommonJS `index.js`, no TypeScript compile step).
 * @param {string} programFile
 * @param {string} name
 */
export function linkedProject(programFile, name) {
    const dir = join(WORK_DIR, "projects", name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "node_modules/@pulumi"), { recursive: true });
    cpSync(programFile, join(dir, "index.js"));
    // The programs share the triple's inputs (bench/programs/inputs.js).
    cpSync(join(dirname(programFile), "inputs.js"), join(dir, "inputs.js"));
    writeFileSync(
        join(dir, "Pulumi.yaml"),
        `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
    );
    writeFileSync(
        join(dir, "package.json"),
        JSON.stringify(
            { name, main: "index.js", dependencies: { "@pulumi/pulumi": "*", "pulumi-airbyte-dynamic": "*" } },
            null,
            2,
        ),
    );
    symlinkSync(ROOT, join(dir, "node_modules/pulumi-airbyte-dynamic"));
    symlinkSync(join(ROOT, "node_modules/@pulumi/pulumi"), join(dir, "node_modules/@pulumi/pulumi"));
    return dir;
}

// ---------------------------------------------------------------------------------------------
// /proc sampling

/** @param {number} pid */
function readProc(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        const fields = stat.slice(close + 2).split(" ");
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = (/** @type {string} */ key) =>
            Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
        return {
            ppid: Number(fields[1]),
            cpuTicks: Number(fields[11]) + Number(fields[12]), // utime + stime
            hwmKb: kb("VmHWM"),
            rssKb: kb("VmRSS"),
        };
    } catch {
        return undefined;
    }
}

/** @param {number} pid */
function cmdline(pid) {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    } catch {
        return "";
    }
}

/** @param {string} cmd @returns {Role} */
function roleOf(cmd) {
    if (/^\S*node\S* -e /.test(cmd)) return "helper"; // e.g. the shim's `node -e "require.resolve(...)"`
    if (cmd.includes("cmd/dynamic-provider")) return "dynamicProvider";
    if (/@pulumi\/pulumi\/cmd\/run|cmd\/run\/index\.js|cmd\/run\s/.test(cmd)) return "program";
    if (cmd.includes("pulumi-language-nodejs")) return "languageHost";
    if (cmd.includes("pulumi-resource-pulumi-nodejs")) return "providerShim";
    if (/(^|\/)pulumi(\s|$)/.test(cmd)) return "engine";
    return "other";
}

/**
 * Polls /proc every `intervalMs` for the descendants of `rootPid`; per process keeps the role,
 * peak VmHWM (the kernel's own high-water mark of resident memory) and CPU time.
 * @param {number} rootPid
 */
export function sampleTree(rootPid, intervalMs = 100) {
    /** @type {Map<number, ProcessSample>} */
    const seen = new Map();
    const tick = () => {
        /** @type {Map<number, NonNullable<ReturnType<typeof readProc>>>} */
        const parents = new Map();
        for (const name of readdirSync("/proc")) {
            if (!/^\d+$/.test(name)) continue;
            const info = readProc(Number(name));
            if (info) parents.set(Number(name), info);
        }
        const inTree = (/** @type {number} */ pid) => {
            for (let p = pid, depth = 0; p > 1 && depth < 20; depth++) {
                if (p === rootPid) return true;
                p = parents.get(p)?.ppid ?? 0;
            }
            return false;
        };
        for (const [pid, info] of parents) {
            if (!inTree(pid)) continue;
            let entry = seen.get(pid);
            if (!entry) {
                const cmd = cmdline(pid);
                entry = { pid, role: roleOf(cmd), cmd: cmd.slice(0, 200), hwmKb: 0, cpuMs: 0 };
                seen.set(pid, entry);
            }
            entry.hwmKb = Math.max(entry.hwmKb, info.hwmKb);
            entry.cpuMs = Math.max(entry.cpuMs, (info.cpuTicks * 1000) / CLK_TCK);
        }
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            return [...seen.values()];
        },
    };
}

/**
 * Per role: the largest peak RSS of a process of that role and the summed CPU time.
 * @param {readonly ProcessSample[]} processes
 */
export function summarizeProcesses(processes) {
    /** @type {ProcessSummary} */
    const out = {};
    for (const p of processes) {
        if (p.role === "other" || p.role === "helper") continue;
        const r = (out[p.role] ??= { count: 0, peakRssMb: 0, cpuMs: 0 });
        r.count++;
        r.peakRssMb = Math.max(r.peakRssMb, Math.round((p.hwmKb / 1024) * 10) / 10);
        r.cpuMs += p.cpuMs;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Stacks

/**
 * A fresh backend, PULUMI_HOME and stack for a project directory.
 * @param {string} dir
 * @param {{ stack?: string, env?: Record<string, string>, parallel?: number }} [options]
 */
export async function pulumiWorkspace(dir, { stack = "bench", env: extraEnv = {}, parallel } = {}) {
    const home = join(WORK_DIR, "pulumi", `${stack}-${Date.now().toString(36)}`);
    mkdirSync(join(home, "state"), { recursive: true });
    const env = { ...process.env };
    for (const k of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "PULUMI_PARALLEL"])
        delete env[k];
    Object.assign(env, extraEnv, {
        PATH: `${pulumiCliDir()}:${process.env.PATH}`,
        PULUMI_HOME: join(home, "home"),
        PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "bench-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        NODE_OPTIONS: "",
        NO_COLOR: "1",
    });
    const parallelArgs = (/** @type {readonly string[]} */ args) =>
        parallel && ["up", "preview", "refresh", "destroy"].includes(args[0] ?? "")
            ? ["--parallel", String(parallel)]
            : [];

    /**
     * Runs `pulumi <args>`, timing it and sampling its process tree.
     * @param {readonly string[]} args
     * @param {{ allowFailure?: boolean, sample?: boolean }} [options]
     * @returns {Promise<RunResult>}
     */
    const run = (args, { allowFailure = false, sample = true } = {}) =>
        new Promise((resolve, reject) => {
            const full = [...args, ...parallelArgs(args), "--non-interactive", "--color", "never"];
            const started = now();
            const child = spawn("pulumi", full, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
            // No pid: the spawn failed, and "error" rejects (there is no process to sample).
            const sampler = sample && child.pid !== undefined ? sampleTree(child.pid) : undefined;
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("error", reject);
            child.on("close", (code) => {
                const ms = now() - started;
                const processes = sampler?.stop() ?? [];
                const result = { code, ms, stdout, stderr, processes: summarizeProcesses(processes) };
                if (code !== 0 && !allowFailure)
                    reject(
                        new Error(
                            `pulumi ${full.join(" ")} exited ${code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`,
                        ),
                    );
                else resolve(result);
            });
        });
    await run(["stack", "init", stack], { sample: false });
    return {
        dir,
        stack,
        env,
        run,
        config: (
            /** @type {string} */ key,
            /** @type {string} */ value,
            /** @type {{ secret?: boolean }} */ { secret = false } = {},
        ) => run(["config", "set", key, value, secret ? "--secret" : "--plaintext"], { sample: false }),
        /** @returns {Promise<StackExport>} */
        exportStack: async () => JSON.parse((await run(["stack", "export"], { sample: false })).stdout),
        /**
         * The stack's outputs, as the program exported them (T: their shape, which the program decides).
         * @template [T=Record<string, unknown>]
         * @returns {Promise<T>}
         */
        outputs: async () => JSON.parse((await run(["stack", "output", "--json"], { sample: false })).stdout),
        dispose: () => rmSync(home, { recursive: true, force: true }),
    };
}

/** `pulumi version` of the CLI on PATH of a workspace environment. */
export async function pulumiVersion() {
    const { execFileSync } = await import("node:child_process");
    return execFileSync(join(pulumiCliDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
}
