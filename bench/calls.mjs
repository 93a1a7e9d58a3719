/**
 * HTTP calls per operation, per resource type, next to the least that could be made.
 *
 * The real providers are serialized as `pulumi.dynamic.Resource` does it, revived with
 * require-from-string (as the dynamic-provider process does) and called the way the engine
 * calls them (check → diff → create/update, read, delete), against the emulator in this
 * process with `auth: "simple"` (so token fetches show) and moto for Secrets Manager.
 *
 * Run alone: `node bench/calls.mjs [--public]` (after `npm run build`).
 *
 * "cold": the first resource of its type in a fresh provider process (runtime caches reset);
 * "warm": a second resource of the same type right after, in the same process (lookups of
 * definitions, specs, workspace and tokens already cached).
 */
import { BENCH_DIR, log, nonZero, requireRoot, ROOT, sum } from "./lib/common.mjs";
import { awsEnvironment, startMoto } from "../scripts/lib/services.mjs";

/** The triple's inputs, shared with the programs and the raw baseline. */
const inputs = requireRoot("./bench/programs/inputs.js");

const requireFromString = requireRoot("require-from-string");
const { serializedProvider } = requireRoot("./bench/lib/serialize.cjs");

/** Endpoints that are lookups (the same answer for every resource in a run), cached per process. */
const CONFIG_LOOKUPS = [
    "applications/token",
    "instance_configuration",
    "workspaces/get",
    "workspaces/list", // the default workspace, before 1.0
    "workspaces/list_by_organization_id", // the default workspace, from 1.0
    "source_definitions/list_for_workspace",
    "destination_definitions/list_for_workspace",
    "source_definition_specifications/get",
    "destination_definition_specifications/get",
];

/**
 * Through the public API on a self-managed server: its token and workspace endpoints, and the
 * Config API lookups the read-only helper makes (specs, for validation at preview; the
 * instance configuration, for the server's version).
 */
const PUBLIC_LOOKUPS = [
    ...CONFIG_LOOKUPS,
    "public/applications/token",
    "public/workspaces/list",
    "public/workspaces/get",
    "public/definitions/list",
    "public/definitions/get",
];
export const LOOKUPS = { config: CONFIG_LOOKUPS, public: PUBLIC_LOOKUPS };

/** The least an operation needs through the Config API, lookups aside (a hand-written client that knows every id). */
const CONFIG_MINIMUM = {
    Source: {
        create: { "scheduler/sources/check_connection": 1, "sources/create": 1 },
        update: { "sources/check_connection_for_update": 1, "sources/update": 1 },
        read: { "sources/get": 1 },
        delete: { "sources/delete": 1 },
        noop: {},
    },
    Destination: {
        create: { "scheduler/destinations/check_connection": 1, "destinations/create": 1 },
        update: { "destinations/check_connection_for_update": 1, "destinations/update": 1 },
        read: { "destinations/get": 1 },
        delete: { "destinations/delete": 1 },
        noop: {},
    },
    Connection: {
        // The catalog to send comes from a discover; a schedule change needs only the patch.
        create: { "sources/discover_schema": 1, "connections/create": 1 },
        update: { "connections/update": 1 },
        read: { "connections/get": 1 },
        delete: { "connections/delete": 1 },
        noop: {},
    },
};

/**
 * The same through the public API. It has no connection check, so the Config API's (the
 * read-only helper's) is counted; a source's catalog comes from `GET /streams`.
 */
const PUBLIC_MINIMUM = {
    Source: {
        create: { "scheduler/sources/check_connection": 1, "public/sources/create": 1 },
        update: { "sources/check_connection_for_update": 1, "public/sources/put": 1 },
        read: { "public/sources/get": 1 },
        delete: { "public/sources/delete": 1 },
        noop: {},
    },
    Destination: {
        create: { "scheduler/destinations/check_connection": 1, "public/destinations/create": 1 },
        update: { "destinations/check_connection_for_update": 1, "public/destinations/put": 1 },
        read: { "public/destinations/get": 1 },
        delete: { "public/destinations/delete": 1 },
        noop: {},
    },
    Connection: {
        create: { "public/streams/get": 1, "public/connections/create": 1 },
        update: { "public/connections/patch": 1 },
        read: { "public/connections/get": 1 },
        delete: { "public/connections/delete": 1 },
        noop: {},
    },
};
export const MINIMUM = { config: CONFIG_MINIMUM, public: PUBLIC_MINIMUM };

/** What each measured update changes. */
const UPDATE_CHANGE = {
    Source: "configuration.database: sales → sales_eu",
    Destination: "configuration.s3_bucket_path changed",
    Connection: 'schedule.cron: "0 0 * * * ?" → "0 30 * * * ?"',
};

const OPS = ["create", "noop", "update", "read", "delete"];

/**
 * `moto`: a running moto server to use (one is started, and stopped, when absent); `api`: which
 * of Airbyte's APIs the provider speaks (`airbyte:api`).
 */
export async function measureCalls({ moto: sharedMoto, api = "config" } = {}) {
    process.chdir(ROOT); // the revived providers import pulumi-airbyte-dynamic/runtime from the cwd
    const { startEmulator } = requireRoot("./dist/emulator/index.js");
    const sm = requireRoot("@aws-sdk/client-secrets-manager");
    const moto = sharedMoto ?? (await startMoto());
    Object.assign(process.env, awsEnvironment(moto.endpoint));
    const emulator = await startEmulator({ auth: "simple" });
    const runtime = await import("pulumi-airbyte-dynamic/runtime").then((m) => m.default ?? m);
    try {
        const client = new sm.SecretsManagerClient({
            region: "us-east-1",
            endpoint: moto.endpoint,
            credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
        });
        const secretArn = (
            await client.send(
                new sm.CreateSecretCommand({
                    Name: `bench/calls-${Date.now()}`,
                    SecretString: JSON.stringify({ password: "Bench-Mssql-Passw0rd" }),
                }),
            )
        ).ARN;
        client.destroy();

        const config = {
            "airbyte:serverUrl": emulator.url,
            "airbyte:api": api,
            "airbyte:clientId": emulator.credentials.clientId,
            "airbyte:clientSecret": emulator.credentials.clientSecret,
        };
        const providers = {};
        const providerBytes = {};
        for (const type of ["Source", "Destination", "Connection"]) {
            const text = await serializedProvider(type);
            providerBytes[type] = Buffer.byteLength(text);
            const p = requireFromString(text).handler();
            await p.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
            providers[type] = Object.assign(p, { text });
        }

        // --- the engine's calls (as tests/helpers/providers.ts simulates them) ----------------
        const withProvider = (p, news) => ({ ...news, __provider: p.text });
        async function planned(p, news, prior) {
            const checked = await p.check(prior?.inputs ?? {}, withProvider(p, news));
            if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
            const inputs = withProvider(p, checked.inputs ?? news);
            if (!prior) return { step: "create", inputs };
            const diff = await p.diff(prior.id, prior.outputs, inputs);
            return { step: diff.replaces?.length ? "replace" : diff.changes ? "update" : "same", inputs };
        }
        const ops = {
            async create(p, news) {
                const plan = await planned(p, news);
                const created = await p.create(plan.inputs);
                return { id: created.id, inputs: plan.inputs, outputs: { ...created.outs, __provider: p.text } };
            },
            async noop(p, news, prior) {
                const plan = await planned(p, news, prior);
                if (plan.step !== "same") throw new Error(`expected no change, got ${plan.step}`);
                return prior;
            },
            async update(p, news, prior) {
                const plan = await planned(p, news, prior);
                if (plan.step !== "update") throw new Error(`expected an update, got ${plan.step}`);
                const result = await p.update(prior.id, prior.outputs, plan.inputs);
                return { id: prior.id, inputs: plan.inputs, outputs: { ...result.outs, __provider: p.text } };
            },
            async read(p, _news, prior) {
                const result = await p.read(prior.id, prior.outputs);
                if (!result.id) throw new Error("read lost the resource");
                return {
                    id: prior.id,
                    inputs: { ...result.inputs, __provider: p.text },
                    outputs: { ...result.props, __provider: p.text },
                };
            },
            async delete(p, _news, prior) {
                await p.delete(prior.id, prior.outputs);
                return undefined;
            },
        };

        // --- inputs as the program-side classes hand them over --------------------------------
        const secretRef = { secretsManager: { secretId: secretArn, key: "password" } };
        const args = {
            Source: (i, changed) => {
                const { name, configuration } = inputs.triple(i).source;
                return {
                    name,
                    definition: "airbyte/source-mssql",
                    configuration: { ...configuration, ...(changed ? { database: "sales_eu" } : {}) },
                    secrets: { password: secretRef },
                };
            },
            Destination: (i, changed) => {
                const { name, configuration } = inputs.triple(i).destination;
                return {
                    name,
                    definition: "airbyte/destination-s3",
                    configuration: changed ? inputs.s3Configuration(`airbyte/v2/mssql-${i}`) : configuration,
                };
            },
            Connection: (i, changed, ends) => ({
                sourceId: ends.sources[i],
                destinationId: ends.destinations[i],
                streams: inputs.STREAMS,
                schedule: changed ? { ...inputs.SCHEDULE, cron: "0 30 * * * ?" } : inputs.SCHEDULE,
                nonBreakingChangesPreference: inputs.NON_BREAKING_CHANGES,
            }),
        };

        // The connections' two ends (not measured).
        const ends = { sources: [], destinations: [] };
        for (const i of [100, 101]) {
            ends.sources.push((await ops.create(providers.Source, args.Source(i))).id);
            ends.destinations.push((await ops.create(providers.Destination, args.Destination(i))).id);
        }

        const measured = {};
        const noopCpu = {};
        for (const type of ["Source", "Destination", "Connection"]) {
            const p = providers[type];
            const states = [];
            measured[type] = {};
            for (const op of OPS) {
                runtime.resetCaches(); // a new provider process: nothing cached
                measured[type][op] = {};
                for (const [k, temperature] of [
                    [0, "cold"],
                    [1, "warm"],
                ]) {
                    const news = args[type](k, op === "update" || op === "read" || op === "delete", ends);
                    const smBefore = runtime.secretsManagerCallCounts();
                    emulator.clearLog();
                    const next = await ops[op](p, news, states[k]);
                    const byEndpoint = callsByEndpoint(emulator);
                    const smAfter = runtime.secretsManagerCallCounts();
                    if (op !== "delete") states[k] = next;
                    measured[type][op][temperature] = summarize(api, type, op, byEndpoint, {
                        DescribeSecret: smAfter.describeSecret - smBefore.describeSecret,
                        GetSecretValue: smAfter.getSecretValue - smBefore.getSecretValue,
                    });
                }
                if (op === "noop") {
                    // The provider's own time for a no-op check + diff (no I/O once warm): the
                    // engine calls these one resource at a time, so it adds up in wall time.
                    const news = args[type](0, false, ends);
                    for (let i = 0; i < 20; i++) await ops.noop(p, news, states[0]);
                    const rounds = 300;
                    const cpu0 = process.cpuUsage();
                    const t0 = performance.now();
                    for (let i = 0; i < rounds; i++) await ops.noop(p, news, states[0]);
                    const cpu = process.cpuUsage(cpu0);
                    noopCpu[type] = {
                        rounds,
                        wallMsPerResource: Math.round(((performance.now() - t0) / rounds) * 1000) / 1000,
                        cpuMsPerResource: Math.round(((cpu.user + cpu.system) / 1000 / rounds) * 1000) / 1000,
                    };
                }
            }
        }
        // Connection create as a first `up` makes it: both ends created earlier in the same
        // provider process, which remembers them (no existence checks, no re-reads).
        runtime.resetCaches();
        const sameRunEnds = { sources: [], destinations: [] };
        for (const i of [102, 103]) {
            sameRunEnds.sources.push((await ops.create(providers.Source, args.Source(i))).id);
            sameRunEnds.destinations.push((await ops.create(providers.Destination, args.Destination(i))).id);
        }
        const connectionCreateWithEndsFromSameRun = {};
        for (const [k, temperature] of [
            [0, "cold"],
            [1, "warm"],
        ]) {
            emulator.clearLog();
            await ops.create(providers.Connection, args.Connection(k, false, sameRunEnds));
            const byEndpoint = callsByEndpoint(emulator);
            connectionCreateWithEndsFromSameRun[temperature] = summarize(api, "Connection", "create", byEndpoint, {});
        }

        log(
            `calls per operation measured through the ${api} API (emulator auth simple; __provider ${JSON.stringify(providerBytes)} bytes)`,
        );
        return {
            setup: {
                api,
                emulatorAuth: "simple",
                secretsManager:
                    "moto; Source password from a Secrets Manager reference (one secret shared by both sources)",
                updates: UPDATE_CHANGE,
            },
            providerBytes,
            perOperation: measured,
            connectionCreateWithEndsFromSameRun: {
                note: "Connection create (check + create) when its source and destination were created earlier in the same provider process, as in a first `up`; perOperation.Connection.create has ends that existed before the process started",
                ...connectionCreateWithEndsFromSameRun,
            },
            noopCheckDiffCost: {
                note: "in-process, warm: check + diff of an unchanged resource, as a no-op preview makes them (no gRPC)",
                ...noopCpu,
            },
        };
    } finally {
        await emulator.close();
        runtime.resetCaches();
        if (!sharedMoto) await moto.stop();
    }
}

/** The emulator's logged requests since its last `clearLog`, counted by operation. */
function callsByEndpoint(emulator) {
    const counts = {};
    for (const r of emulator.requests()) counts[r.operation ?? r.path] = (counts[r.operation ?? r.path] ?? 0) + 1;
    return counts;
}

function summarize(api, type, op, byEndpoint, secretsManager) {
    const min = MINIMUM[api][type][op];
    const isLookup = (k) => LOOKUPS[api].includes(k);
    const lookups = nonZero(Object.fromEntries(Object.entries(byEndpoint).filter(([k]) => isLookup(k))));
    const core = nonZero(Object.fromEntries(Object.entries(byEndpoint).filter(([k]) => !isLookup(k))));
    const extra = {};
    for (const [k, v] of Object.entries(core)) if (v > (min[k] ?? 0)) extra[k] = v - (min[k] ?? 0);
    const missing = Object.keys(min).filter((k) => (core[k] ?? 0) < min[k]);
    return {
        total: sum(Object.values(byEndpoint)),
        byEndpoint: nonZero(byEndpoint),
        lookups,
        lookupCalls: sum(Object.values(lookups)),
        coreCalls: sum(Object.values(core)),
        minimum: sum(Object.values(min)),
        minimumByEndpoint: min,
        extra,
        ...(missing.length ? { missing } : {}),
        secretsManager: nonZero(secretsManager),
    };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const api = process.argv.includes("--public") ? "public" : "config";
    const result = await measureCalls({ api });
    console.log(JSON.stringify(result, null, 2));
}
