// @ts-check
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
import { log, nonZero, requireRoot, ROOT, sum } from "./lib/common.mjs";
import { awsEnvironment, startMoto } from "../scripts/lib/services.mjs";

/**
 * @import { EmulatorHandle } from "pulumi-airbyte-dynamic/emulator"
 * @import { Moto } from "../scripts/lib/services.mjs"
 */
/**
 * @typedef {"config" | "public"} Api  which of Airbyte's APIs the provider speaks
 * @typedef {"Source" | "Destination" | "Connection"} ResourceType
 * @typedef {"create" | "noop" | "update" | "read" | "delete"} Op
 * @typedef {typeof import("pulumi-airbyte-dynamic/runtime")} Runtime
 * @typedef {{ id: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> }} ResourceState
 *   a resource as the engine keeps it
 * @typedef {{ sources: string[], destinations: string[] }} Ends  the connections' sources and destinations, by triple
 * @typedef {ReturnType<typeof summarize>} Summary  the calls of one operation on one resource
 * @typedef {{ cold: Summary, warm: Summary }} OperationCalls
 */
/**
 * A provider revived from its `__provider` text, as the dynamic-provider process does it: once
 * configured, it has the methods of the runtime's provider for its type.
 * @typedef {{ get(key: string): string | undefined, require(key: string): string | undefined }} ProviderConfig
 * @typedef {ReturnType<Runtime["provider"]> & {
 *     configure(request: { config: ProviderConfig }): Promise<void>
 * }} RevivedProvider
 */

/** The triple's inputs, shared with the programs and the raw baseline. @type {typeof import("./programs/inputs.js")} */
const inputs = requireRoot("./bench/programs/inputs.js");

/** @type {typeof import("require-from-string")} */
const requireFromString = requireRoot("require-from-string");
/** @type {typeof import("./lib/serialize.cjs")} */
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

/**
 * The least an operation needs through the Config API, lookups aside (a hand-written client that knows every id).
 * @type {Record<ResourceType, Record<Op, Record<string, number>>>}
 */
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
 * @type {Record<ResourceType, Record<Op, Record<string, number>>>}
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

/**
 * `moto`: a running moto server to use (one is started, and stopped, when absent); `api`: which
 * of Airbyte's APIs the provider speaks (`airbyte:api`).
 * @param {{ moto?: Moto, api?: Api }} [options]
 */
export async function measureCalls({ moto: sharedMoto, api = "config" } = {}) {
    process.chdir(ROOT); // the revived providers import pulumi-airbyte-dynamic/runtime from the cwd
    /** @type {typeof import("pulumi-airbyte-dynamic/emulator")} */
    const { startEmulator } = requireRoot("./dist/emulator/index.js");
    /** @type {typeof import("@aws-sdk/client-secrets-manager")} */
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
        if (secretArn === undefined) throw new Error("CreateSecret answered without an ARN");

        /** @type {Record<string, string>} */
        const config = {
            "airbyte:serverUrl": emulator.url,
            "airbyte:api": api,
            "airbyte:clientId": emulator.credentials.clientId,
            "airbyte:clientSecret": emulator.credentials.clientSecret,
        };
        /** @type {Record<string, number>} */
        const providerBytes = {};
        /** The provider of a type, serialized and revived, then configured. @param {ResourceType} type */
        const revive = async (type) => {
            const text = await serializedProvider(type);
            providerBytes[type] = Buffer.byteLength(text);
            /** @type {RevivedProvider} */
            const p = requireFromString(text).handler();
            await p.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
            return Object.assign(p, { text });
        };
        const providers = {
            Source: await revive("Source"),
            Destination: await revive("Destination"),
            Connection: await revive("Connection"),
        };

        // --- the engine's calls (as tests/helpers/providers.ts simulates them) ----------------
        /**
         * @typedef {(typeof providers)[ResourceType]} Provider
         * @typedef {Record<string, unknown>} Inputs
         */
        const withProvider = (/** @type {Provider} */ p, /** @type {Inputs} */ news) => ({
            ...news,
            __provider: p.text,
        });
        /** @param {Provider} p @param {Inputs} news @param {ResourceState} [prior] */
        async function planned(p, news, prior) {
            const checked = await p.check(prior?.inputs ?? {}, withProvider(p, news));
            if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
            const inputs = withProvider(p, checked.inputs ?? news);
            if (!prior) return { step: "create", inputs };
            const diff = await p.diff(prior.id, prior.outputs, inputs);
            return { step: diff.replaces?.length ? "replace" : diff.changes ? "update" : "same", inputs };
        }
        /**
         * The state an operation needs (the resource exists).
         * @param {Op} op
         * @param {ResourceState | undefined} prior
         */
        const existing = (op, prior) => {
            if (!prior) throw new Error(`${op} needs an existing resource`);
            return prior;
        };
        const ops = {
            /** @param {Provider} p @param {Inputs} news @returns {Promise<ResourceState>} */
            async create(p, news) {
                const plan = await planned(p, news);
                const created = await p.create(plan.inputs);
                return { id: created.id, inputs: plan.inputs, outputs: { ...created.outs, __provider: p.text } };
            },
            /** @param {Provider} p @param {Inputs} news @param {ResourceState} [prior] */
            async noop(p, news, prior) {
                const plan = await planned(p, news, prior);
                if (plan.step !== "same") throw new Error(`expected no change, got ${plan.step}`);
                return prior;
            },
            /**
             * @param {Provider} p @param {Inputs} news @param {ResourceState} [prior]
             * @returns {Promise<ResourceState>}
             */
            async update(p, news, prior) {
                const plan = await planned(p, news, prior);
                if (plan.step !== "update") throw new Error(`expected an update, got ${plan.step}`);
                const { id, outputs } = existing("update", prior);
                const result = await p.update(id, outputs, plan.inputs);
                return { id, inputs: plan.inputs, outputs: { ...result.outs, __provider: p.text } };
            },
            /**
             * @param {Provider} p @param {Inputs} _news @param {ResourceState} [prior]
             * @returns {Promise<ResourceState>}
             */
            async read(p, _news, prior) {
                const { id, outputs } = existing("read", prior);
                const result = await p.read(id, outputs);
                if (!result.id) throw new Error("read lost the resource");
                return {
                    id,
                    inputs: { ...result.inputs, __provider: p.text },
                    outputs: { ...result.props, __provider: p.text },
                };
            },
            /** @param {Provider} p @param {Inputs} _news @param {ResourceState} [prior] */
            async delete(p, _news, prior) {
                const { id, outputs } = existing("delete", prior);
                await p.delete(id, outputs);
                return undefined;
            },
        };

        // --- inputs as the program-side classes hand them over --------------------------------
        const secretRef = { secretsManager: { secretId: secretArn, key: "password" } };
        const args = {
            /** @param {number} i @param {boolean} [changed] */
            Source: (i, changed) => {
                const { name, configuration } = inputs.triple(i).source;
                return {
                    name,
                    definition: "airbyte/source-mssql",
                    configuration: { ...configuration, ...(changed ? { database: "sales_eu" } : {}) },
                    secrets: { password: secretRef },
                };
            },
            /** @param {number} i @param {boolean} [changed] */
            Destination: (i, changed) => {
                const { name, configuration } = inputs.triple(i).destination;
                return {
                    name,
                    definition: "airbyte/destination-s3",
                    configuration: changed ? inputs.s3Configuration(`airbyte/v2/mssql-${i}`) : configuration,
                };
            },
            /** @param {number} i @param {boolean} changed @param {Ends} ends */
            Connection: (i, changed, ends) => ({
                sourceId: ends.sources[i],
                destinationId: ends.destinations[i],
                streams: inputs.STREAMS,
                schedule: changed ? { ...inputs.SCHEDULE, cron: "0 30 * * * ?" } : inputs.SCHEDULE,
                nonBreakingChangesPreference: inputs.NON_BREAKING_CHANGES,
            }),
        };

        // The connections' two ends (not measured).
        /** @type {Ends} */
        const ends = { sources: [], destinations: [] };
        for (const i of [100, 101]) {
            ends.sources.push((await ops.create(providers.Source, args.Source(i))).id);
            ends.destinations.push((await ops.create(providers.Destination, args.Destination(i))).id);
        }

        /**
         * One operation on two resources of a type in a fresh provider process: the first (cold),
         * then the second (warm). `states` holds each resource's state, before and after.
         * @param {ResourceType} type
         * @param {Op} op
         * @param {(ResourceState | undefined)[]} states
         * @returns {Promise<OperationCalls>}
         */
        const measureOperation = async (type, op, states) => {
            const p = providers[type];
            runtime.resetCaches(); // a new provider process: nothing cached
            const measureOne = async (/** @type {0 | 1} */ k) => {
                const news = args[type](k, op === "update" || op === "read" || op === "delete", ends);
                const smBefore = runtime.secretsManagerCallCounts();
                emulator.clearLog();
                const next = await ops[op](p, news, states[k]);
                const byEndpoint = callsByEndpoint(emulator);
                const smAfter = runtime.secretsManagerCallCounts();
                if (op !== "delete") states[k] = next;
                return summarize(api, type, op, byEndpoint, {
                    DescribeSecret: smAfter.describeSecret - smBefore.describeSecret,
                    GetSecretValue: smAfter.getSecretValue - smBefore.getSecretValue,
                });
            };
            const cold = await measureOne(0);
            const warm = await measureOne(1);
            return { cold, warm };
        };
        /**
         * The provider's own time for a no-op check + diff (no I/O once warm): the engine calls
         * these one resource at a time, so it adds up in wall time.
         * @param {ResourceType} type
         * @param {ResourceState | undefined} state
         */
        const noopCost = async (type, state) => {
            const p = providers[type];
            const news = args[type](0, false, ends);
            for (let i = 0; i < 20; i++) await ops.noop(p, news, state);
            const rounds = 300;
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            for (let i = 0; i < rounds; i++) await ops.noop(p, news, state);
            const cpu = process.cpuUsage(cpu0);
            return {
                rounds,
                wallMsPerResource: Math.round(((performance.now() - t0) / rounds) * 1000) / 1000,
                cpuMsPerResource: Math.round(((cpu.user + cpu.system) / 1000 / rounds) * 1000) / 1000,
            };
        };
        /** Every operation, in order, on two resources of a type. @param {ResourceType} type */
        const measureType = async (type) => {
            /** @type {(ResourceState | undefined)[]} */
            const states = [];
            const create = await measureOperation(type, "create", states);
            const noop = await measureOperation(type, "noop", states);
            const noopCheckDiff = await noopCost(type, states[0]);
            const update = await measureOperation(type, "update", states);
            const read = await measureOperation(type, "read", states);
            const del = await measureOperation(type, "delete", states);
            return { perOperation: { create, noop, update, read, delete: del }, noopCheckDiff };
        };
        const source = await measureType("Source");
        const destination = await measureType("Destination");
        const connection = await measureType("Connection");

        // Connection create as a first `up` makes it: both ends created earlier in the same
        // provider process, which remembers them (no existence checks, no re-reads).
        runtime.resetCaches();
        /** @type {Ends} */
        const sameRunEnds = { sources: [], destinations: [] };
        for (const i of [102, 103]) {
            sameRunEnds.sources.push((await ops.create(providers.Source, args.Source(i))).id);
            sameRunEnds.destinations.push((await ops.create(providers.Destination, args.Destination(i))).id);
        }
        /** @type {Partial<OperationCalls>} */
        const connectionCreateWithEndsFromSameRun = {};
        for (const [k, temperature] of /** @type {const} */ ([
            [0, "cold"],
            [1, "warm"],
        ])) {
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
            perOperation: {
                Source: source.perOperation,
                Destination: destination.perOperation,
                Connection: connection.perOperation,
            },
            connectionCreateWithEndsFromSameRun: {
                note: "Connection create (check + create) when its source and destination were created earlier in the same provider process, as in a first `up`; perOperation.Connection.create has ends that existed before the process started",
                ...connectionCreateWithEndsFromSameRun,
            },
            noopCheckDiffCost: {
                note: "in-process, warm: check + diff of an unchanged resource, as a no-op preview makes them (no gRPC)",
                Source: source.noopCheckDiff,
                Destination: destination.noopCheckDiff,
                Connection: connection.noopCheckDiff,
            },
        };
    } finally {
        await emulator.close();
        runtime.resetCaches();
        if (!sharedMoto) await moto.stop();
    }
}

/**
 * The emulator's logged requests since its last `clearLog`, counted by operation.
 * @param {EmulatorHandle} emulator
 */
function callsByEndpoint(emulator) {
    /** @type {Record<string, number>} */
    const counts = {};
    for (const r of emulator.requests()) counts[r.operation ?? r.path] = (counts[r.operation ?? r.path] ?? 0) + 1;
    return counts;
}

/**
 * The calls of one operation, next to the minimum.
 * @param {Api} api
 * @param {ResourceType} type
 * @param {Op} op
 * @param {Record<string, number>} byEndpoint
 * @param {Record<string, number>} secretsManager
 */
function summarize(api, type, op, byEndpoint, secretsManager) {
    const min = MINIMUM[api][type][op];
    const isLookup = (/** @type {string} */ k) => LOOKUPS[api].includes(k);
    const lookups = nonZero(Object.fromEntries(Object.entries(byEndpoint).filter(([k]) => isLookup(k))));
    const core = nonZero(Object.fromEntries(Object.entries(byEndpoint).filter(([k]) => !isLookup(k))));
    /** @type {Record<string, number>} */
    const extra = {};
    for (const [k, v] of Object.entries(core)) if (v > (min[k] ?? 0)) extra[k] = v - (min[k] ?? 0);
    const missing = Object.entries(min)
        .filter(([k, v]) => (core[k] ?? 0) < v)
        .map(([k]) => k);
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
