/**
 * Runs the real Pulumi CLI and engine (built by scripts/pulumi-cli.sh) against an offline
 * local backend (`file://`) with the passphrase secrets provider, in a throwaway project
 * directory. Used by the end-to-end tests and kept close to what users type.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(".");

/** Flags added to every command: what the pull-request recipe (examples/github-actions) uses too. */
export const COMMON_FLAGS = ["--non-interactive", "--color", "never"];
/** The preview a reviewer reads; examples/github-actions/preview.yml runs the same. */
export const REVIEW_PREVIEW = ["preview", "--diff"];
let cliDir: string | undefined;

/** The directory holding `pulumi`, `pulumi-language-nodejs` and the dynamic-provider shim. */
export function pulumiCliDir(): string {
    cliDir ??= execFileSync(join(ROOT, "scripts/pulumi-cli.sh"), {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    return cliDir;
}

export interface PulumiResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface Workspace {
    /** The project directory (the program). */
    dir: string;
    stack: string;
    env: NodeJS.ProcessEnv;
    run(args: string[], options?: { allowFailure?: boolean }): Promise<PulumiResult>;
    /** `pulumi config set` (secret with `secret: true`). */
    config(key: string, value: string, options?: { secret?: boolean }): Promise<void>;
    outputs(): Promise<Record<string, any>>;
    /** `pulumi stack export` (no --show-secrets). */
    exportStack(): Promise<any>;
    /** Starts a command in the background (for interruption tests; stop it with `killProcessTree`). */
    spawn(args: string[]): ReturnType<typeof spawn>;
    dispose(): void;
}

/**
 * SIGKILLs `pid` and every process it started, at once: what a cancelled CI job or a stopped
 * container does. Killing pulumi's process group is not enough: the engine starts its language
 * host and providers in process groups of their own (they outlive it, and a provider would
 * go on to finish its requests), so the tree is read from `ps` before anything is killed.
 */
export function killProcessTree(pid: number): void {
    const children = new Map<number, number[]>();
    for (const line of execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n")) {
        const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
        children.set(parent, [...(children.get(parent) ?? []), child]);
    }
    const tree: number[] = [];
    for (const queue = [pid]; queue.length > 0;) {
        const next = queue.shift()!;
        tree.push(next);
        queue.push(...(children.get(next) ?? []));
    }
    for (const member of tree) {
        try {
            process.kill(member, "SIGKILL");
        } catch {
            // already gone
        }
    }
}

/**
 * A project directory for `programDir`'s index.ts, laid out like `pulumi new typescript`, with
 * node_modules entries linked to this repository (the package itself, @pulumi/pulumi, typescript).
 */
export function linkedProject(programDir: string, name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
    cpSync(join(programDir, "index.ts"), join(dir, "index.ts"));
    writeFileSync(
        join(dir, "Pulumi.yaml"),
        `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    writeFileSync(
        join(dir, "package.json"),
        JSON.stringify(
            { name, main: "index.ts", dependencies: { "@pulumi/pulumi": "*", "pulumi-airbyte-dynamic": "*" } },
            null,
            2,
        ),
    );
    writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify(
            {
                compilerOptions: {
                    strict: true,
                    outDir: "bin",
                    target: "es2020",
                    module: "commonjs",
                    moduleResolution: "node",
                    sourceMap: true,
                    skipLibCheck: true,
                },
                files: ["index.ts"],
            },
            null,
            2,
        ),
    );
    mkdirSync(join(dir, "node_modules/@pulumi"), { recursive: true });
    symlinkSync(ROOT, join(dir, "node_modules/pulumi-airbyte-dynamic"));
    symlinkSync(join(ROOT, "node_modules/@pulumi/pulumi"), join(dir, "node_modules/@pulumi/pulumi"));
    symlinkSync(join(ROOT, "node_modules/typescript"), join(dir, "node_modules/typescript"));
    return dir;
}

/** A fresh backend, PULUMI_HOME and stack for a project directory. */
export async function pulumiWorkspace(
    dir: string,
    options: { stack?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Workspace> {
    const home = mkdtempSync(join(tmpdir(), "pulumi-home-"));
    mkdirSync(join(home, "state"));
    const stack = options.stack ?? "e2e";
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...options.env,
        PATH: `${pulumiCliDir()}:${process.env.PATH}`,
        PULUMI_HOME: join(home, "home"),
        PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        NODE_OPTIONS: "",
        NO_COLOR: "1",
    };
    const run = (args: string[], opts: { allowFailure?: boolean } = {}) =>
        new Promise<PulumiResult>((resolvePromise, reject) => {
            execFile(
                "pulumi",
                [...args, ...COMMON_FLAGS],
                { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
                (error, stdout, stderr) => {
                    const code = error ? ((error as { code?: number }).code ?? 1) : 0;
                    const result = { code: typeof code === "number" ? code : 1, stdout, stderr };
                    if (result.code !== 0 && !opts.allowFailure)
                        reject(new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${stdout}\n${stderr}`));
                    else resolvePromise(result);
                },
            );
        });
    await run(["stack", "init", stack]);
    return {
        dir,
        stack,
        env,
        run,
        config: async (key, value, o = {}) => {
            await run(["config", "set", key, value, ...(o.secret ? ["--secret"] : ["--plaintext"])]);
        },
        outputs: async () => JSON.parse((await run(["stack", "output", "--json"])).stdout),
        exportStack: async () => JSON.parse((await run(["stack", "export"])).stdout),
        spawn: (args) =>
            spawn("pulumi", [...args, ...COMMON_FLAGS], {
                cwd: dir,
                env,
                detached: true,
                stdio: ["ignore", "pipe", "pipe"],
            }),
        dispose: () => rmSync(home, { recursive: true, force: true }),
    };
}
