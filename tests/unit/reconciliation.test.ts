/**
 * Create-time reconciliation (provider/runtime/reconciliation.ts), the logic `createOnce`
 * (provider/runtime/lifecycle.ts) builds on: which failed creates may have happened, how long their
 * result is looked for, which listed objects can be that result, and the serialization of
 * look-alike creates. The polling runs on jest's fake clock, so no test waits for real time.
 */
import { jest } from "@jest/globals";
import {
    AirbyteApiError,
    errorFromNetwork,
    errorFromResponse,
    SOCKET_NEVER_CONNECTED,
} from "../../provider/client/errors";
import { processState, resetProcessState } from "../../provider/process-state";
import { clearRegisteredSecrets, registerSecret } from "../../provider/redact";
import {
    bornAfter,
    createWithReconciliation,
    isAmbiguousCreateFailure,
    lostCreateWindowMs,
    newestFirst,
    pollForLostCreate,
    serializedByKey,
    trackId,
    UnsettledCreateError,
    type CreateBaseline,
} from "../../provider/runtime/reconciliation";
import { readSettings, type ServerSettings } from "../../provider/runtime/settings";

const CREATE = { operation: "sources/create", resource: 'source "mssql"' };
const http = (status: number, body?: unknown) => errorFromResponse(status, body, CREATE);
const network = (code: string | undefined, message = "socket hang up") => errorFromNetwork(code, message, CREATE);

/** Provider settings as read from an environment without config (`AIRBYTE_REQUEST_TIMEOUT_SECONDS` as given). */
function settingsWithTimeout(seconds?: number): ServerSettings {
    return readSettings(undefined, seconds === undefined ? {} : { AIRBYTE_REQUEST_TIMEOUT_SECONDS: String(seconds) });
}

/** Lets every promise callback that is ready run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred<T = void>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}

beforeEach(() => resetProcessState());

describe("isAmbiguousCreateFailure: may the failed create have been carried out?", () => {
    test.each<[string, boolean, unknown]>([
        ["a connection reset after sending (ECONNRESET)", true, network("ECONNRESET")],
        ["a timeout waiting for the answer (ETIMEDOUT)", true, network("ETIMEDOUT", "timeout")],
        ["a broken pipe (EPIPE)", true, network("EPIPE")],
        ["a network error without a code", true, network(undefined, "socket hang up")],
        ["a 500: Airbyte failed while handling it", true, http(500)],
        ["a 500 with an errorId", true, http(500, { errorId: "e-500" })],
        ["a 502 from a proxy: the backend's answer was lost", true, http(502, "<title>502 Bad Gateway</title>")],
        ["a 504 from a proxy: the backend may still be working", true, http(504)],
        ["a refused connection: never sent", false, network("ECONNREFUSED")],
        ["an unresolvable host: never sent", false, network("ENOTFOUND")],
        ["a socket closed before connecting: never sent", false, network(SOCKET_NEVER_CONNECTED)],
        ["a failed TLS verification: never sent", false, network("DEPTH_ZERO_SELF_SIGNED_CERT")],
        ["a 503: refused for load, nothing done (the transport retries it)", false, http(503)],
        ["a 501", false, http(501)],
        ["a 400 validation refusal", false, http(400, { message: "bad" })],
        ["a 401", false, http(401)],
        ["a 403", false, http(403)],
        ["a 404", false, http(404)],
        ["a 409 conflict", false, http(409)],
        ["a 422 validation refusal", false, http(422)],
        ["a 429 after retries", false, http(429)],
        ["a plain Error", false, new Error("ECONNRESET")],
        ["a look-alike object with statusCode 502 that is no AirbyteApiError", false, { statusCode: 502 }],
        ["undefined", false, undefined],
    ])("%s -> %p", (_name, expected, error) => {
        expect(isAmbiguousCreateFailure(error)).toBe(expected);
    });
});

describe("lostCreateWindowMs: how long the result of a lost create is looked for", () => {
    test.each<[string, number, AirbyteApiError, number | undefined]>([
        // name, window (ms), error, airbyte:requestTimeoutSeconds
        ["a timeout: as long as the request timeout (default 60 s)", 60_000, network("ETIMEDOUT"), undefined],
        ["a timeout: as long as a configured 5 s timeout", 5_000, network("ETIMEDOUT"), 5],
        ["a 504: as long as the request timeout", 60_000, http(504), undefined],
        ["a 504: as long as a configured 120 s timeout (beyond the 10 s cap)", 120_000, http(504), 120],
        ["a reset: 10 s", 10_000, network("ECONNRESET"), undefined],
        ["a reset: the request timeout when shorter than 10 s", 4_000, network("ECONNRESET"), 4],
        ["a 502: 10 s", 10_000, http(502), undefined],
        ["a network error without a code: 10 s", 10_000, network(undefined), 30],
        ["a 500: 3 s (Airbyte answers it once it has given up)", 3_000, http(500), undefined],
        ["a 500: the request timeout when shorter than 3 s", 2_000, http(500), 2],
    ])("%s", (_name, expected, error, timeoutSeconds) => {
        expect(lostCreateWindowMs(error, settingsWithTimeout(timeoutSeconds))).toBe(expected);
    });
});

describe("bornAfter: can a listed look-alike be the result of this create?", () => {
    const STARTED = Date.UTC(2026, 0, 1, 12); // epoch ms when the create was sent
    const S = STARTED / 1000; // the same, in the epoch seconds servers date objects with

    test.each<[string, boolean, { id: string; createdAt?: number }, "set" | "array", boolean]>([
        // name, expected, item, form of knownIds, tracked by another resource of this command
        ["an undated object (server before 1.2) not listed before", true, { id: "new" }, "set", false],
        ["an object dated after the create was sent", true, { id: "new", createdAt: S + 2 }, "set", false],
        ["an object dated the very second it was sent", true, { id: "new", createdAt: S }, "set", false],
        [
            "dated 299 s before: within the server's allowed clock lag",
            true,
            { id: "new", createdAt: S - 299 },
            "set",
            false,
        ],
        [
            "dated exactly 300 s before: still within the clock lag",
            true,
            { id: "new", createdAt: S - 300 },
            "set",
            false,
        ],
        ["dated 301 s before: older than the create", false, { id: "new", createdAt: S - 301 }, "set", false],
        ["dated an hour before", false, { id: "new", createdAt: S - 3600 }, "array", false],
        ["listed before the create was sent (a Set)", false, { id: "old", createdAt: S + 2 }, "set", false],
        ["listed before the create was sent (an array, as in the journal)", false, { id: "old" }, "array", false],
        ["a new object another resource of this stack tracks", false, { id: "new", createdAt: S + 2 }, "set", true],
        ["an undated object this stack tracks", false, { id: "new" }, "array", true],
    ])("%s -> %p", (_name, expected, item, form, tracked) => {
        const known = ["old", "older"];
        const baseline: CreateBaseline = { startedAt: STARTED, knownIds: form === "set" ? new Set(known) : known };
        if (tracked) trackId(item.id);
        expect(bornAfter(item, baseline)).toBe(expected);
    });
});

describe("newestFirst", () => {
    test.each<[string, { id: string; createdAt?: number }[], string[]]>([
        [
            "newest first",
            [
                { id: "a", createdAt: 10 },
                { id: "b", createdAt: 30 },
                { id: "c", createdAt: 20 },
            ],
            ["b", "c", "a"],
        ],
        [
            "undated objects after dated ones, in listing order",
            [{ id: "u1" }, { id: "d1", createdAt: 5 }, { id: "u2" }, { id: "d2", createdAt: 7 }],
            ["d2", "d1", "u1", "u2"],
        ],
        ["all undated: listing order", [{ id: "x" }, { id: "y" }, { id: "z" }], ["x", "y", "z"]],
        [
            "equal dates: listing order",
            [
                { id: "p", createdAt: 1 },
                { id: "q", createdAt: 1 },
            ],
            ["p", "q"],
        ],
        [
            "an object dated at the epoch still before undated ones",
            [{ id: "u" }, { id: "zero", createdAt: 0 }],
            ["zero", "u"],
        ],
        ["nothing", [], []],
    ])("%s", (_name, items, expected) => {
        const before = items.map((i) => i.id);
        expect(newestFirst(items).map((i) => i.id)).toStrictEqual(expected);
        // The listing itself is left as it was.
        expect(items.map((i) => i.id)).toStrictEqual(before);
    });
});

describe("serializedByKey: look-alike creates run one at a time", () => {
    test.each<[string, string[], number[]]>([
        // name, key of each task (submitted in this order), tasks running before any finishes
        ["three tasks of one key: only the first runs", ["k", "k", "k"], [0]],
        ["three tasks of three keys: all run at once", ["a", "b", "c"], [0, 1, 2]],
        ["two keys interleaved: the first of each runs", ["a", "b", "a", "b"], [0, 1]],
    ])("%s", async (_name, keys, runningAtFirst) => {
        const gates = keys.map(() => deferred());
        const started: number[] = [];
        const running = new Set<string>();
        let overlapped = false;
        const results = keys.map((key, i) =>
            serializedByKey(key, async () => {
                if (running.has(key)) overlapped = true;
                running.add(key);
                started.push(i);
                await gates[i]!.promise;
                running.delete(key);
                return `result ${i}`;
            }),
        );
        await settle();
        expect(started).toStrictEqual(runningAtFirst);

        // Finishing them in submission order lets each key's next task start.
        for (const gate of gates) {
            gate.resolve();
            await settle();
        }
        await expect(Promise.all(results)).resolves.toStrictEqual(keys.map((_k, i) => `result ${i}`));
        expect(started).toStrictEqual(keys.map((_k, i) => i));
        expect(overlapped).toBe(false);
        // Nothing is left in the process's chains once every task has settled.
        expect(processState().createChains.size).toBe(0);
    });

    test("a task of another key does not wait for a slow one", async () => {
        const slow = deferred<string>();
        const first = serializedByKey("slow", () => slow.promise);
        let fastDone = false;
        const other = serializedByKey("fast", async () => "fast done").then((value) => {
            fastDone = true;
            return value;
        });
        await settle();
        expect(fastDone).toBe(true);
        await expect(other).resolves.toBe("fast done");
        slow.resolve("slow done");
        await expect(first).resolves.toBe("slow done");
    });

    test("a failed task passes its error to its own caller and the next task of the key still runs", async () => {
        const gate = deferred();
        const failure = new Error("create refused");
        const first = serializedByKey("k", async () => {
            await gate.promise;
            throw failure;
        });
        let secondStarted = false;
        const second = serializedByKey("k", async () => {
            secondStarted = true;
            return "second";
        });
        await settle();
        expect(secondStarted).toBe(false);
        gate.resolve();
        await expect(first).rejects.toBe(failure);
        await expect(second).resolves.toBe("second");
        expect(processState().createChains.size).toBe(0);
    });
});

const T0 = Date.UTC(2026, 0, 1, 12);

describe("pollForLostCreate (fake clock)", () => {
    beforeEach(() => jest.useFakeTimers({ now: T0 }));
    afterEach(() => jest.useRealTimers());

    /** Ms after T0 of every look of a search that never finds anything. */
    async function looksOfFruitlessSearch(windowMs: number): Promise<number[]> {
        const looks: number[] = [];
        const search = pollForLostCreate(windowMs, async (notBefore) => {
            looks.push(notBefore - T0);
            return undefined;
        });
        await jest.runAllTimersAsync();
        await expect(search).resolves.toBeUndefined();
        return looks;
    }

    test.each<[string, number, number[]]>([
        ["a 0 ms window: one look", 0, [0]],
        ["a window shorter than the first pause: a look at its end", 100, [0, 100]],
        ["the 3 s window of a 500", 3_000, [0, 250, 750, 1_750, 3_000]],
        ["the 10 s window of a reset or a 502", 10_000, [0, 250, 750, 1_750, 3_750, 7_750, 10_000]],
        [
            "the 60 s window of a timeout: pauses double up to 5 s",
            60_000,
            [0, 250, 750, 1_750, 3_750, 7_750, ...Array.from({ length: 10 }, (_x, i) => 12_750 + i * 5_000), 60_000],
        ],
    ])("%s", async (_name, windowMs, expected) => {
        expect(await looksOfFruitlessSearch(windowMs)).toStrictEqual(expected);
    });

    test("stops at the first look that finds the object, and returns it", async () => {
        let looks = 0;
        const search = pollForLostCreate(10_000, async () => (++looks === 3 ? { id: "found" } : undefined));
        await jest.runAllTimersAsync();
        await expect(search).resolves.toStrictEqual({ id: "found" });
        expect(looks).toBe(3);
        expect(Date.now() - T0).toBe(750);
    });

    test("a look that fails ends the search with its error", async () => {
        const failure = new Error("listing failed");
        let looks = 0;
        const search = pollForLostCreate(10_000, async () => {
            if (++looks === 2) throw failure;
            return undefined;
        });
        const outcome = search.then(
            () => "resolved",
            (error: unknown) => error,
        );
        await jest.runAllTimersAsync();
        expect(await outcome).toBe(failure);
        expect(looks).toBe(2);
    });
});

describe("createWithReconciliation (fake clock)", () => {
    beforeEach(() => jest.useFakeTimers({ now: T0 }));
    afterEach(() => {
        jest.useRealTimers();
        clearRegisteredSecrets();
    });

    const CREATED = { id: "created-by-this-call" };
    const FOUND = { id: "made-by-a-lost-create" };
    type Item = { id: string };

    /**
     * Runs a create whose first calls throw `failures` (then it succeeds), with a search that finds
     * the lost object at its `foundAtLook`-th look (never when undefined).
     */
    async function run(failures: AirbyteApiError[], foundAtLook?: number) {
        let creates = 0;
        const baselines: CreateBaseline[] = [];
        const knownIds = new Set(["existing-look-alike"]);
        const outcome = createWithReconciliation<Item>({
            what: 'source "mssql"',
            noun: "source",
            settings: settingsWithTimeout(),
            knownIds,
            create: async () => {
                const failure = failures[creates++];
                if (failure) throw failure;
                return CREATED;
            },
            findLost: async (baseline) => {
                baselines.push(baseline);
                return baselines.length === foundAtLook ? FOUND : undefined;
            },
        }).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
        );
        await jest.runAllTimersAsync();
        return { ...(await outcome), creates, looks: baselines.length, baselines, knownIds };
    }

    test.each<[string, AirbyteApiError[], number | undefined, "created" | "found", number, number]>([
        // name, failures, found at look, result, creates sent, looks
        ["the answer arrives: no search", [], undefined, "created", 1, 0],
        ["a reset, the object is there at the first look: adopted", [network("ECONNRESET")], 1, "found", 1, 1],
        ["a timeout, the object appears at the sixth look: adopted", [network("ETIMEDOUT")], 6, "found", 1, 6],
        ["a 502, the object is there: adopted", [http(502)], 1, "found", 1, 1],
        ["a 500, the object is there after all: adopted", [http(500)], 2, "found", 1, 2],
        ["a reset and nothing appears in 10 s: sent again", [network("ECONNRESET")], undefined, "created", 2, 7],
        ["a 504 and nothing appears in 60 s: sent again", [http(504)], undefined, "created", 2, 17],
        [
            "three lost answers, then one arrives: four sends",
            [http(502), network("ECONNRESET"), http(502)],
            undefined,
            "created",
            4,
            21,
        ],
        ["two 502s: the second send's result is found", [http(502), http(502)], 9, "found", 2, 9],
    ])("%s", async (_name, failures, foundAtLook, result, creates, looks) => {
        const outcome = await run(failures, foundAtLook);
        expect(outcome).toMatchObject({ value: result === "created" ? CREATED : FOUND, creates, looks });
    });

    test.each<[string, AirbyteApiError]>([
        ["a 422 refusal", http(422, { message: "invalid configuration" })],
        ["a refused connection (never sent)", network("ECONNREFUSED")],
        ["a 503 (nothing done)", http(503)],
        ["a 401", http(401)],
    ])("%s is final: no search, no retry, the error as it came", async (_name, failure) => {
        const outcome = await run([failure]);
        expect(outcome).toMatchObject({ creates: 1, looks: 0 });
        expect("error" in outcome && outcome.error).toBe(failure);
    });

    test("answers lost four times: gives up with the last error after four sends", async () => {
        const failures = [http(502), http(502), network("ECONNRESET"), http(504)];
        const outcome = await run(failures);
        expect(outcome).toMatchObject({ creates: 4, looks: 7 + 7 + 7 + 17 });
        expect("error" in outcome && outcome.error).toBe(failures[3]);
    });

    test.each<[string, AirbyteApiError, string, string]>([
        // name, the 500, what the message says of it, where the server's log has the cause
        [
            "with an errorId and a message",
            http(500, { errorId: "e-500-1", message: "workspace is not valid" }),
            "(HTTP 500, errorId e-500-1: workspace is not valid)",
            " under that errorId",
        ],
        [
            "with an errorId only (Airbyte 2.0's body)",
            http(500, { errorId: "e-500-2" }),
            "(HTTP 500, errorId e-500-2)",
            " under that errorId",
        ],
        ["with an empty body", http(500), "(HTTP 500)", ""],
    ])(
        "a 500 that left nothing behind is final after one send and a 3 s search: %s",
        async (_, failure, said, where) => {
            const outcome = await run([failure]);
            expect(outcome).toMatchObject({ creates: 1, looks: 5 });
            const error = "error" in outcome ? (outcome.error as Error) : undefined;
            expect(error).toBeInstanceOf(Error);
            expect(error).not.toBeInstanceOf(AirbyteApiError);
            expect(error?.message).toBe(
                `source "mssql": Airbyte refused to create the source ${said} and made none; the server's log has the cause${where}. Nothing was created.`,
            );
        },
    );

    test("each send's search uses a baseline taken when that send started, with the known look-alikes", async () => {
        const outcome = await run([network("ECONNRESET"), network("ECONNRESET")], 8);
        expect(outcome).toMatchObject({ value: FOUND, creates: 2 });
        const starts = [...new Set(outcome.baselines.map((b) => b.startedAt - T0))];
        // The second send starts when the first's 10 s search ended.
        expect(starts).toStrictEqual([0, 10_000]);
        for (const baseline of outcome.baselines) expect(baseline.knownIds).toBe(outcome.knownIds);
    });

    test("a search that fails too: UnsettledCreateError naming both failures, secrets redacted", async () => {
        registerSecret("Listing-Secret-123");
        let creates = 0;
        const outcome = createWithReconciliation<Item>({
            what: 'source "mssql"',
            noun: "source",
            settings: settingsWithTimeout(),
            knownIds: new Set(),
            create: async () => {
                creates++;
                throw network("ECONNRESET");
            },
            findLost: async () => {
                throw new Error("listing failed with Listing-Secret-123");
            },
        }).then(
            () => undefined,
            (error: unknown) => error as Error,
        );
        await jest.runAllTimersAsync();
        const error = await outcome;
        expect(error).toBeInstanceOf(UnsettledCreateError);
        expect(creates).toBe(1);
        expect(error?.message).toContain('Airbyte sources/create for source "mssql" failed: ECONNRESET');
        expect(error?.message).toContain("looking for its result failed too (listing failed with [redacted])");
        expect(error?.message).toContain("the next `pulumi up` adopts it");
        expect(error?.message).not.toContain("Listing-Secret-123");
    });
});
