#!/usr/bin/env node
/**
 * `airbyte-emulator` / `node dist/emulator/cli.js`: runs the emulator as a standalone process,
 * e.g. for `pulumi up` runs or benchmarks. Every flag has an `AIRBYTE_EMULATOR_*` environment
 * variable twin (flags win). Prints exactly one line on stdout once listening.
 */
import { parseArgs } from "node:util";
import type { AuthMode } from "./auth";
import { isServerProfile, parseVersion, SERVER_PROFILES, type ErrorStyle } from "./generations";
import { startEmulator, type EmulatorOptions } from "./index";
import { LATENCY_PROFILES, type Edition, type JobLatencies } from "./options";

const USAGE = `Usage: airbyte-emulator [options]

  --server-version X             Airbyte release to behave like (default 2.0.0)      AIRBYTE_EMULATOR_SERVER_VERSION
  --profile P                    0.50 | 0.63 | 1.6 | 1.7 | 1.8 | 2.0 | cloud         AIRBYTE_EMULATOR_PROFILE
  --cloud                        Airbyte Cloud layout: public API under /v1 only      AIRBYTE_EMULATOR_CLOUD=1
  --public-api-host URL          host of public API list links                       AIRBYTE_EMULATOR_PUBLIC_API_HOST
                                 (default http://localhost:8001/api/public; Cloud: https://api.airbyte.com)
  --port N                       TCP port (default 8000; 0 = any free port)          AIRBYTE_EMULATOR_PORT
  --host H                       interface (default 127.0.0.1)                       AIRBYTE_EMULATOR_HOST
  --state-file F                 persist state to this JSON file                     AIRBYTE_EMULATOR_STATE_FILE
  --persist-interval-ms N        coalesce state-file writes (0 = every write)        AIRBYTE_EMULATOR_PERSIST_INTERVAL_MS
  --auth none|simple|basic       authentication (default: the profile's, else none)  AIRBYTE_EMULATOR_AUTH
  --client-id X                  client id for applications/token                    AIRBYTE_EMULATOR_CLIENT_ID
  --client-secret Y              client secret for applications/token                AIRBYTE_EMULATOR_CLIENT_SECRET
  --token-lifetime-seconds N     token lifetime (default 900)                        AIRBYTE_EMULATOR_TOKEN_LIFETIME_SECONDS
  --static-token T               extra accepted bearer token (repeatable)            AIRBYTE_EMULATOR_STATIC_TOKENS (comma separated)
  --basic-user U                 basic auth user (default airbyte)                   AIRBYTE_EMULATOR_BASIC_USER
  --basic-password P             basic auth password (default password)              AIRBYTE_EMULATOR_BASIC_PASSWORD
  --latency-ms N                 latency added to every API request                  AIRBYTE_EMULATOR_LATENCY_MS
  --latency-profile P            none | realistic: request and connector-job times   AIRBYTE_EMULATOR_LATENCY_PROFILE
                                 (realistic: 20 ms, check 10 s, discover 20 s / 150 ms cached)
  --check-ms N                   extra time of a check_connection job                AIRBYTE_EMULATOR_CHECK_MS
  --discover-miss-ms N           extra time of a discover job (cache miss)           AIRBYTE_EMULATOR_DISCOVER_MISS_MS
  --discover-hit-ms N            extra time of a discovery answered from the cache   AIRBYTE_EMULATOR_DISCOVER_HIT_MS
  --max-concurrency N            answer 429 above N requests in flight               AIRBYTE_EMULATOR_MAX_CONCURRENCY
  --sync-duration-ms N           how long sync jobs run (default 1000)               AIRBYTE_EMULATOR_SYNC_DURATION_MS
  --default-workspace-id U       fixed id for the workspace created at start         AIRBYTE_EMULATOR_DEFAULT_WORKSPACE_ID
  --error-style S                v2 | legacy | stack (default: the version's)        AIRBYTE_EMULATOR_ERROR_STYLE
  --edition E                    community | enterprise (default community)          AIRBYTE_EMULATOR_EDITION
  --max-fields-per-connection N  selected-field limit (default 20000)                AIRBYTE_EMULATOR_MAX_FIELDS_PER_CONNECTION
  --max-request-bytes N          request body limit (default 10485760)               AIRBYTE_EMULATOR_MAX_REQUEST_BYTES
  --unavailable-for-ms N         answer 502 (nginx) for N ms after start             AIRBYTE_EMULATOR_UNAVAILABLE_FOR_MS
  --legacy                       deprecated: same as --server-version 1.6.0          AIRBYTE_EMULATOR_LEGACY=1
  --verbose                      log every API request to stderr                     AIRBYTE_EMULATOR_VERBOSE=1
  --help                         show this help
`;

function fail(message: string): never {
    process.stderr.write(`airbyte-emulator: ${message}\n\n${USAGE}`);
    process.exit(2);
}

function integer(value: string | undefined, name: string): number | undefined {
    if (value === undefined || value === "") return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) fail(`${name} must be a non-negative integer, got "${value}"`);
    return n;
}

function flag(value: boolean | undefined, env: string | undefined): boolean {
    return value ?? (env !== undefined && /^(1|true|yes)$/i.test(env));
}

function parseOptions(argv: string[]): EmulatorOptions & { verbose: boolean } {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                port: { type: "string" },
                host: { type: "string" },
                "state-file": { type: "string" },
                "persist-interval-ms": { type: "string" },
                auth: { type: "string" },
                "client-id": { type: "string" },
                "client-secret": { type: "string" },
                "token-lifetime-seconds": { type: "string" },
                "static-token": { type: "string", multiple: true },
                "basic-user": { type: "string" },
                "basic-password": { type: "string" },
                "latency-ms": { type: "string" },
                "latency-profile": { type: "string" },
                "check-ms": { type: "string" },
                "discover-miss-ms": { type: "string" },
                "discover-hit-ms": { type: "string" },
                "max-concurrency": { type: "string" },
                "sync-duration-ms": { type: "string" },
                "default-workspace-id": { type: "string" },
                "error-style": { type: "string" },
                "server-version": { type: "string" },
                profile: { type: "string" },
                edition: { type: "string" },
                "max-fields-per-connection": { type: "string" },
                "max-request-bytes": { type: "string" },
                "unavailable-for-ms": { type: "string" },
                legacy: { type: "boolean" },
                cloud: { type: "boolean" },
                "public-api-host": { type: "string" },
                verbose: { type: "boolean" },
                help: { type: "boolean" },
            },
            strict: true,
        });
    } catch (error) {
        fail((error as Error).message);
    }
    const v = parsed.values;
    if (v.help) {
        process.stdout.write(USAGE);
        process.exit(0);
    }
    const env = process.env;
    // Without --auth, the profile's auth mode applies (resolveSettings), else none.
    const auth = (v.auth ?? env["AIRBYTE_EMULATOR_AUTH"]) as AuthMode | undefined;
    if (auth !== undefined && !["none", "simple", "basic"].includes(auth))
        fail(`--auth must be none, simple or basic, got "${auth}"`);
    const errorStyle = (v["error-style"] ?? env["AIRBYTE_EMULATOR_ERROR_STYLE"]) as ErrorStyle | undefined;
    if (errorStyle !== undefined && !["v2", "legacy", "stack"].includes(errorStyle))
        fail(`--error-style must be v2, legacy or stack`);
    const profile = v.profile ?? env["AIRBYTE_EMULATOR_PROFILE"];
    if (profile !== undefined && !isServerProfile(profile))
        fail(`--profile must be one of ${Object.keys(SERVER_PROFILES).join(", ")}, got "${profile}"`);
    const serverVersion = v["server-version"] ?? env["AIRBYTE_EMULATOR_SERVER_VERSION"];
    if (serverVersion !== undefined) {
        try {
            parseVersion(serverVersion);
        } catch (error) {
            fail(`--server-version: ${(error as Error).message}`);
        }
    }
    const edition = (v.edition ?? env["AIRBYTE_EMULATOR_EDITION"]) as Edition | undefined;
    if (edition !== undefined && edition !== "community" && edition !== "enterprise")
        fail(`--edition must be community or enterprise`);
    const staticTokens =
        v["static-token"] ??
        (env["AIRBYTE_EMULATOR_STATIC_TOKENS"] ? env["AIRBYTE_EMULATOR_STATIC_TOKENS"].split(",") : undefined);
    const basicUser = v["basic-user"] ?? env["AIRBYTE_EMULATOR_BASIC_USER"];
    const basicPassword = v["basic-password"] ?? env["AIRBYTE_EMULATOR_BASIC_PASSWORD"];
    return {
        port: integer(v.port ?? env["AIRBYTE_EMULATOR_PORT"], "--port") ?? 8000,
        host: v.host ?? env["AIRBYTE_EMULATOR_HOST"],
        stateFile: v["state-file"] ?? env["AIRBYTE_EMULATOR_STATE_FILE"],
        persistIntervalMs: integer(
            v["persist-interval-ms"] ?? env["AIRBYTE_EMULATOR_PERSIST_INTERVAL_MS"],
            "--persist-interval-ms",
        ),
        auth,
        clientId: v["client-id"] ?? env["AIRBYTE_EMULATOR_CLIENT_ID"],
        clientSecret: v["client-secret"] ?? env["AIRBYTE_EMULATOR_CLIENT_SECRET"],
        tokenLifetimeSeconds: integer(
            v["token-lifetime-seconds"] ?? env["AIRBYTE_EMULATOR_TOKEN_LIFETIME_SECONDS"],
            "--token-lifetime-seconds",
        ),
        staticTokens,
        basicAuth:
            basicUser || basicPassword
                ? { username: basicUser ?? "airbyte", password: basicPassword ?? "password" }
                : undefined,
        ...latencies(v, env),
        maxConcurrency: integer(v["max-concurrency"] ?? env["AIRBYTE_EMULATOR_MAX_CONCURRENCY"], "--max-concurrency"),
        syncDurationMs: integer(
            v["sync-duration-ms"] ?? env["AIRBYTE_EMULATOR_SYNC_DURATION_MS"],
            "--sync-duration-ms",
        ),
        defaultWorkspaceId: v["default-workspace-id"] ?? env["AIRBYTE_EMULATOR_DEFAULT_WORKSPACE_ID"],
        errorStyle,
        serverVersion,
        profile,
        edition,
        maxFieldsPerConnection: integer(
            v["max-fields-per-connection"] ?? env["AIRBYTE_EMULATOR_MAX_FIELDS_PER_CONNECTION"],
            "--max-fields-per-connection",
        ),
        maxRequestBytes: integer(
            v["max-request-bytes"] ?? env["AIRBYTE_EMULATOR_MAX_REQUEST_BYTES"],
            "--max-request-bytes",
        ),
        unavailableForMs: integer(
            v["unavailable-for-ms"] ?? env["AIRBYTE_EMULATOR_UNAVAILABLE_FOR_MS"],
            "--unavailable-for-ms",
        ),
        legacy: flag(v.legacy, env["AIRBYTE_EMULATOR_LEGACY"]),
        // Without --cloud (or its env twin), the profile decides (resolveSettings).
        cloud: v.cloud || flag(undefined, env["AIRBYTE_EMULATOR_CLOUD"]) ? true : undefined,
        publicApiHost: v["public-api-host"] ?? env["AIRBYTE_EMULATOR_PUBLIC_API_HOST"],
        verbose: flag(v.verbose, env["AIRBYTE_EMULATOR_VERBOSE"]),
    };
}

async function main(): Promise<void> {
    const { verbose, ...options } = parseOptions(process.argv.slice(2));
    if (verbose) {
        options.onRequest = (e) =>
            process.stderr.write(
                `${e.timestamp} ${e.status} ${e.method} ${e.path} ${e.durationMs}ms${e.fault ? ` [fault: ${e.fault}]` : ""}\n`,
            );
    }
    const emulator = await startEmulator(options);
    process.stdout.write(`Airbyte emulator listening on ${emulator.url}\n`);
    const settings = emulator.settings();
    process.stderr.write(
        `Airbyte ${settings.serverVersion}${settings.profile ? ` (profile ${settings.profile})` : ""}, auth ${settings.auth}${settings.auth === "simple" ? ` (client_id=${emulator.credentials.clientId})` : ""}\n`,
    );
    if (settings.publicApiPath)
        process.stderr.write(
            `public API at ${emulator.url}${settings.publicApiPath}${settings.cloud ? " (Cloud layout: no Config API)" : ""}\n`,
        );

    let stopping = false;
    const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        if (verbose) process.stderr.write(`received ${signal}, shutting down\n`);
        emulator.close().then(
            () => process.exit(0),
            (error: unknown) => {
                process.stderr.write(`airbyte-emulator: error while closing: ${String(error)}\n`);
                process.exit(1);
            },
        );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
    process.stderr.write(`airbyte-emulator: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
});

/** `--latency-profile` first, then the single settings over it. */
function latencies(
    v: Record<string, unknown>,
    env: NodeJS.ProcessEnv,
): Pick<EmulatorOptions, "latencyMs" | "jobLatency"> {
    const name = (v["latency-profile"] as string | undefined) ?? env["AIRBYTE_EMULATOR_LATENCY_PROFILE"];
    if (name !== undefined && !(name in LATENCY_PROFILES))
        throw new Error(`--latency-profile must be one of: ${Object.keys(LATENCY_PROFILES).join(", ")}; got "${name}"`);
    const profile = name !== undefined ? LATENCY_PROFILES[name as keyof typeof LATENCY_PROFILES] : undefined;
    const jobLatency: Partial<JobLatencies> = { ...(profile?.jobLatency ?? {}) };
    const check = integer((v["check-ms"] as string | undefined) ?? env["AIRBYTE_EMULATOR_CHECK_MS"], "--check-ms");
    const miss = integer(
        (v["discover-miss-ms"] as string | undefined) ?? env["AIRBYTE_EMULATOR_DISCOVER_MISS_MS"],
        "--discover-miss-ms",
    );
    const hit = integer(
        (v["discover-hit-ms"] as string | undefined) ?? env["AIRBYTE_EMULATOR_DISCOVER_HIT_MS"],
        "--discover-hit-ms",
    );
    if (check !== undefined) jobLatency.check = check;
    if (miss !== undefined) jobLatency.discoverMiss = miss;
    if (hit !== undefined) jobLatency.discoverHit = hit;
    return {
        latencyMs:
            integer((v["latency-ms"] as string | undefined) ?? env["AIRBYTE_EMULATOR_LATENCY_MS"], "--latency-ms") ??
            profile?.latencyMs,
        jobLatency,
    };
}
