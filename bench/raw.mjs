// @ts-check
/**
 * The raw baseline: the least a hand-written script would send for the same work, with `got`
 * directly (no Pulumi, no provider), in the engine's dependency order and at the same
 * parallelism (a pool of `parallel` workers taking ready operations first come, first served,
 * as the engine's step executor does with `--parallel`).
 *
 * The script knows the workspace and definition ids (hard-coded, so no lookups). Per command
 * it fetches one access token (auth "simple") and, for `up`, reads the password once from
 * Secrets Manager (one GetSecretValue, with the AWS SDK, through the same counting proxy).
 *   up:      per triple, source (check + create) ∥ destination (check + create), then
 *            connection (discover + create)
 *   preview: nothing (0 calls)
 *   refresh: one get per resource
 *   destroy: connections deleted first, then sources and destinations (the engine's order)
 */
import { now, requireRoot, sum } from "./lib/common.mjs";

/**
 * A unit of work for `pool`: `run` once the `deps` have succeeded. `pool` sets `result` (the outcome of
 * `run`) and the `resolve`/`reject` that settle it.
 * @typedef {{ deps?: readonly Task[], run: () => Promise<unknown>, result?: Promise<unknown>,
 *             resolve?: (value: unknown) => void, reject?: (reason: unknown) => void }} Task
 * @typedef {{ stream: { name: string, namespace?: string }, config: Record<string, unknown> }} CatalogStream
 * @typedef {{ sourceId: unknown, destinationId: unknown, connectionId: unknown }} TripleIds
 */

/** The triple's inputs, shared with the programs. @type {typeof import("./programs/inputs.js")} */
const inputs = requireRoot("./bench/programs/inputs.js");
/** The streams a connection selects, by "namespace.name". */
const WANTED = new Map(inputs.STREAMS.map((s) => [`${s.namespace}.${s.name}`, s]));

const MSSQL = "b5ea17b1-f170-46dc-bc31-cc744ca984c1";
const S3 = "4816b78f-1489-44c1-9060-4b19d5fa9362";

/**
 * Runs tasks ({ deps: Task[] | undefined, run }) with at most `parallel` running, ready ones in order.
 * @param {Task[]} tasks
 * @param {number} parallel
 */
async function pool(tasks, parallel) {
    /** @type {Task[]} */
    const ready = [];
    let running = 0;
    let done = 0;
    /** @type {(value?: unknown) => void} */
    let wake = () => undefined;
    /** @type {(error: Error) => void} */
    let fail = () => undefined;
    // Settled once: the first failure rejects it, later ones are no-ops (never an unhandled rejection).
    const finished = new Promise((resolve, reject) => {
        wake = resolve;
        fail = reject;
    });
    const pump = () => {
        while (running < parallel && ready.length) {
            // ready is not empty, and its tasks have their resolve and reject (set below before any is ready).
            const task = /** @type {Task & Required<Pick<Task, "resolve" | "reject">>} */ (ready.shift());
            running++;
            task.run().then(
                (v) => {
                    task.resolve(v);
                    running--;
                    done++;
                    if (done === tasks.length) wake();
                    else pump();
                },
                (e) => {
                    task.reject(e);
                    fail(e instanceof Error ? e : new Error(String(e)));
                },
            );
        }
    };
    for (const task of tasks) {
        task.result = new Promise((resolve, reject) => Object.assign(task, { resolve, reject }));
        task.result.catch(() => undefined);
    }
    for (const task of tasks) {
        if (!task.deps?.length) ready.push(task);
        else
            Promise.all(task.deps.map(resultOf)).then(
                () => {
                    ready.push(task);
                    pump();
                },
                () => undefined,
            );
    }
    pump();
    if (tasks.length) await finished;
}

/**
 * What a task's `run` gave, once `pool` has taken the task (and its dependencies, which must be in the same pool).
 * @param {Task} task
 */
function resultOf(task) {
    if (!task.result) throw new Error("pool: a task depends on one that is not in its pool");
    return task.result;
}

/**
 * A client that posts to the Config API with `got` and times each call.
 * @param {{ url: string, clientId: string, clientSecret: string }} options
 */
export async function rawClient({ url, clientId, clientSecret }) {
    /** @type {typeof import("got")} */
    const { default: got } = await import(requireRoot.resolve("got"));
    /** @type {number[]} */
    const durations = [];
    /** @type {string | undefined} */
    let token;
    /**
     * One Config API call; its JSON answer, undefined when empty.
     * @param {string} operation
     * @param {Record<string, unknown>} json
     */
    const call = async (operation, json) => {
        const started = now();
        const answer = await got
            .post(`${url}/api/v1/${operation}`, {
                json,
                headers: token ? { authorization: `Bearer ${token}` } : {},
                retry: { limit: 0 },
                responseType: "text",
            })
            .then((r) => (r.body ? JSON.parse(r.body) : undefined));
        durations.push(now() - started);
        return answer;
    };
    return {
        call,
        durations,
        async login() {
            token = undefined;
            token = (await call("applications/token", { client_id: clientId, client_secret: clientSecret }))
                .access_token;
        },
    };
}

/**
 * Runs up, preview, refresh and destroy for `n` triples; returns per command its wall time
 * (ms) and call count, and the mean duration of one call.
 * @param {{ url: string, clientId: string, clientSecret: string, workspaceId: string, n: number, parallel: number,
 *           readPassword: () => Promise<string> }} options
 */
export async function rawBaseline({ url, clientId, clientSecret, workspaceId, n, parallel, readPassword }) {
    const client = await rawClient({ url, clientId, clientSecret });
    const { call } = client;
    /** @type {TripleIds[]} */
    const ids = [];
    /** Wall time and calls of `fn`. @param {() => Promise<unknown>} fn */
    const timed = async (fn) => {
        const calls = client.durations.length;
        const started = now();
        await fn();
        return { ms: now() - started, calls: client.durations.length - calls };
    };

    const up = await timed(async () => {
        await client.login();
        const password = await readPassword();
        /** @type {Task[]} */
        const tasks = [];
        for (let i = 0; i < n; i++) {
            const t = inputs.triple(i);
            const configuration = { ...t.source.configuration, password };
            /** @type {Task} */
            const source = {
                run: async () => {
                    await call("scheduler/sources/check_connection", {
                        sourceDefinitionId: MSSQL,
                        workspaceId,
                        connectionConfiguration: configuration,
                    });
                    return (
                        await call("sources/create", {
                            workspaceId,
                            name: t.source.name,
                            sourceDefinitionId: MSSQL,
                            connectionConfiguration: configuration,
                        })
                    ).sourceId;
                },
            };
            /** @type {Task} */
            const destination = {
                run: async () => {
                    await call("scheduler/destinations/check_connection", {
                        destinationDefinitionId: S3,
                        workspaceId,
                        connectionConfiguration: t.destination.configuration,
                    });
                    return (
                        await call("destinations/create", {
                            workspaceId,
                            name: t.destination.name,
                            destinationDefinitionId: S3,
                            connectionConfiguration: t.destination.configuration,
                        })
                    ).destinationId;
                },
            };
            const connection = {
                deps: [source, destination],
                run: async () => {
                    const sourceId = await resultOf(source);
                    const destinationId = await resultOf(destination);
                    /** @type {{ catalogId: string, catalog: { streams: CatalogStream[] } }} */
                    const discovered = await call("sources/discover_schema", { sourceId });
                    const streams = discovered.catalog.streams
                        .filter((s) => WANTED.has(`${s.stream.namespace}.${s.stream.name}`))
                        .map((s) => {
                            // The filter kept only the streams WANTED has.
                            const { syncMode, destinationSyncMode } =
                                /** @type {import("./programs/inputs.js").Stream} */ (
                                    WANTED.get(`${s.stream.namespace}.${s.stream.name}`)
                                );
                            return {
                                stream: s.stream,
                                config: { ...s.config, selected: true, syncMode, destinationSyncMode },
                            };
                        });
                    const created = await call("connections/create", {
                        sourceId,
                        destinationId,
                        status: "active",
                        nonBreakingChangesPreference: inputs.NON_BREAKING_CHANGES,
                        syncCatalog: { streams },
                        sourceCatalogId: discovered.catalogId,
                        scheduleType: "cron",
                        scheduleData: {
                            cron: { cronExpression: inputs.SCHEDULE.cron, cronTimeZone: inputs.SCHEDULE.timeZone },
                        },
                    });
                    ids.push({ sourceId, destinationId, connectionId: created.connectionId });
                },
            };
            tasks.push(source, destination, connection);
        }
        await pool(tasks, parallel);
    });
    const preview = await timed(async () => undefined);
    const refresh = await timed(async () => {
        await client.login();
        const tasks = ids.flatMap((t) => [
            { run: () => call("sources/get", { sourceId: t.sourceId }) },
            { run: () => call("destinations/get", { destinationId: t.destinationId }) },
            { run: () => call("connections/get", { connectionId: t.connectionId }) },
        ]);
        await pool(tasks, parallel);
    });
    const destroy = await timed(async () => {
        await client.login();
        await pool(
            ids.map((t) => ({ run: () => call("connections/delete", { connectionId: t.connectionId }) })),
            parallel,
        );
        await pool(
            ids.flatMap((t) => [
                { run: () => call("sources/delete", { sourceId: t.sourceId }) },
                { run: () => call("destinations/delete", { destinationId: t.destinationId }) },
            ]),
            parallel,
        );
    });
    return {
        commands: { up, preview, refresh, destroy },
        meanCallMs: sum(client.durations) / client.durations.length,
        calls: client.durations.length,
    };
}
