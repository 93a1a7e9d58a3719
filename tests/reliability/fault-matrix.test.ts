/**
 * The fault matrix: for create, update, read and delete of each resource type, each fault a
 * real Airbyte (or the proxy in front of it) produces, injected by the emulator into exactly the
 * API call the operation is about. 3 types × 4 operations × 9 faults = 108 cells.
 *
 * Every cell runs the serialized providers (as the Pulumi plugin does) against an emulator with
 * token authentication (client credentials), debug logging on, and asserts:
 *  - the outcome decided for that cell: success after retries, or a clear error naming the
 *    operation, the resource and what to do;
 *  - how many times the faulted call was made (no retry storm, no blind repeat of a create);
 *  - no duplicate: the emulator's create counter moved by exactly what the stack now tracks;
 *  - nothing orphaned: the objects that exist in Airbyte are exactly those the stack tracks
 *    (ids in state, or carried by a create error for the engine to record);
 *  - the change itself: an update stored the new values (secrets intact), a delete removed it;
 *  - no secret (connector passwords, the client secret, any access token) in the error, in the
 *    provider's log lines, or in the resulting state outside the `secrets` input.
 *
 * Decisions per fault (see the report in tests/reliability/README.md):
 *  - timeout: the server finishes the work after the client gave up (requestTimeoutSeconds = 1,
 *    the answer comes at 1.5 s). Idempotent calls retry; a create finds its late result and adopts it.
 *  - reset before commit: retried; a create looks for its result, finds none, and is repeated once.
 *  - reset after commit: retried; a create finds its result and adopts it (not repeated).
 *  - 429 with Retry-After: retried after the server's delay (create included: nothing was done).
 *  - 500: Airbyte answers 500 when it gave up (a Kotlin `require`, e.g. a source and destination
 *    in two workspaces): retrying cannot fix it. A create looks for its result for a few seconds
 *    and, finding none, ends with a message carrying the server's errorId; update, read and
 *    delete fail with a clear error.
 *  - 502 and 503: retried (a create after 502 is reconciled first; 503 means "not processed").
 *  - token expiry: every token is invalidated mid-run; the 401 triggers one token refresh and
 *    one repeat of the call, which succeeds.
 *  - 401: the server keeps refusing the credentials; after one refresh and one repeat the call
 *    fails with an error saying which setting to check.
 */
import { startEmulator, type EmulatorHandle, type FaultRule } from "../../emulator";
import { operationName, usesPublicApi } from "../helpers/airbyte-target";
import { clean, mssqlArgs, MSSQL_PASSWORD, s3Args, S3_SECRET_KEY } from "../helpers/fixtures";
import {
    destroy,
    preview,
    refresh,
    reviveProvider,
    RevivedProvider,
    ResourceState,
    runtimeModule,
    setRealEnv,
    up,
} from "../helpers/providers";
import { eventually } from "../helpers/eventually";
import { captureProviderLog, emulatorApi, leaksIn, liveIds, LogCapture, ObjectKind, renderError } from "./helpers";

const TYPES = ["Source", "Destination", "Connection"] as const;
const OPERATIONS = ["create", "update", "read", "delete"] as const;
const FAULTS = [
    "timeout",
    "reset before commit",
    "reset after commit",
    "429 with Retry-After",
    "500",
    "502",
    "503",
    "token expiry",
    "401",
] as const;
type Type = (typeof TYPES)[number];
type Operation = (typeof OPERATIONS)[number];
type Fault = (typeof FAULTS)[number];

const FAMILY: Record<Type, "sources" | "destinations" | "connections"> = {
    Source: "sources",
    Destination: "destinations",
    Connection: "connections",
};
const KIND: Record<Type, ObjectKind> = { Source: "source", Destination: "destination", Connection: "connection" };
const CALL: Record<Operation, string> = { create: "create", update: "update", read: "get", delete: "delete" };
/** The public API's method per operation (the integration-public project runs the matrix through it). */
const METHOD: Record<Operation, string> = { create: "POST", update: "PUT", read: "GET", delete: "DELETE" };

/** The emulator's name of the faulted call, through the API of this run's profile. */
function callOf(type: Type, operation: Operation): string {
    return operationName(`${KIND[type]}.${operation === "read" ? "get" : operation}`);
}

/** How the provider's messages name that call: `sources/update`, or `PUT /sources/{id}` on the public API. */
function labelOf(type: Type, operation: Operation): string {
    if (!usesPublicApi()) return `${FAMILY[type]}/${CALL[operation]}`;
    const method = type === "Connection" && operation === "update" ? "PATCH" : METHOD[operation];
    return `${method} /${FAMILY[type]}${operation === "create" ? "" : "/{id}"}`;
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
/** The emulator's answer to the first request hits the client 1.5 s after it gave up at 1 s. */
const LATE_ANSWER_MS = 1500;

function ruleFor(fault: Fault, operation: string): FaultRule {
    switch (fault) {
        case "timeout":
            return { operation, fault: "timeout", delayMs: LATE_ANSWER_MS, times: 1 };
        case "reset before commit":
            return { operation, fault: "reset-before-commit", times: 1 };
        case "reset after commit":
            return { operation, fault: "reset-after-commit", times: 1 };
        case "429 with Retry-After":
            return { operation, fault: "status", status: 429, retryAfterSeconds: 1, times: 1 };
        case "500":
            return { operation, fault: "status", status: 500, times: 1 };
        case "502":
            return { operation, fault: "status", status: 502, times: 1 };
        case "503":
            return { operation, fault: "status", status: 503, times: 1 };
        case "token expiry":
            return { operation, fault: "expire-token", times: 1 };
        case "401":
            return { operation, fault: "status", status: 401 }; // every time: the credentials are refused
    }
}

interface Expected {
    /** Success, or the error the user sees. */
    error?: RegExp;
    /** Requests of the faulted API call, faulted one included. */
    requests: number;
    /** Answers (status, or 0 for none) of the faulted call, in order. */
    statuses?: number[];
    /** Access tokens issued during the operation. */
    tokens?: number;
    /** The operation took at least this long (a Retry-After honoured). */
    atLeastMs?: number;
}

function expected(fault: Fault, operation: Operation, type: Type): Expected {
    const create = operation === "create";
    const call = escape(labelOf(type, operation));
    switch (fault) {
        case "timeout":
            return { requests: create ? 1 : 2 };
        case "reset before commit":
            return { requests: 2, statuses: [0, create ? 200 : operation === "delete" ? 204 : 200] };
        case "reset after commit":
            return { requests: create ? 1 : 2 };
        case "429 with Retry-After":
            return { requests: 2, atLeastMs: 950, statuses: [429, operation === "delete" ? 204 : 200] };
        case "500":
            return create
                ? {
                      requests: 1,
                      statuses: [500],
                      error: new RegExp(
                          `^${KIND[type]} .*: Airbyte refused to create the ${type.toLowerCase()} \\(HTTP 500, errorId [0-9a-f-]{36}\\) and made none.*Nothing was created\\.$`,
                      ),
                  }
                : {
                      requests: 1,
                      statuses: [500],
                      error: new RegExp(
                          `^Airbyte ${call} for ${KIND[type]} .* failed: HTTP 500 \\(Airbyte errorId [0-9a-f-]{36}\\)`,
                      ),
                  };
        case "502":
            return { requests: 2, statuses: [502, operation === "delete" ? 204 : 200] };
        case "503":
            return { requests: 2, statuses: [503, operation === "delete" ? 204 : 200] };
        case "token expiry":
            return { requests: 2, tokens: 1, statuses: [401, operation === "delete" ? 204 : 200] };
        case "401":
            return {
                requests: 2,
                tokens: 1,
                statuses: [401, 401],
                error: new RegExp(
                    `^Airbyte ${call} for ${KIND[type]} .* failed: HTTP 401.*refused a freshly issued access token for airbyte:clientId`,
                ),
            };
    }
}

let emu: EmulatorHandle;
let providers: Record<Type, RevivedProvider>;
let log: LogCapture;
let restoreEnv: () => void;
const summary = { cells: 0, succeeded: 0, failedClearly: 0, duplicates: 0, orphans: 0, leaks: 0 };

beforeAll(async () => {
    restoreEnv = setRealEnv({ AIRBYTE_PROVIDER_LOG: "debug" });
    log = captureProviderLog();
    emu = await startEmulator({ auth: "simple", clientSecret: "Matrix-Client-Secret-4kP9wQ" });
    const config = {
        "airbyte:serverUrl": emu.url,
        "airbyte:clientId": emu.credentials.clientId,
        "airbyte:clientSecret": emu.credentials.clientSecret,
        "airbyte:requestTimeoutSeconds": "1",
        ...(usesPublicApi() ? { "airbyte:api": "public" } : {}),
    };
    providers = {
        Source: await reviveProvider("Source", config),
        Destination: await reviveProvider("Destination", config),
        Connection: await reviveProvider("Connection", config),
    };
});

afterAll(async () => {
    log?.stop();
    restoreEnv?.();
    await emu?.close();
    process.stdout.write(
        `\nfault matrix: ${summary.cells} cells (${TYPES.length} types × ${OPERATIONS.length} operations × ${FAULTS.length} faults), ` +
            `${summary.succeeded} succeeded after retries, ${summary.failedClearly} failed with a clear error, ` +
            `duplicates found: ${summary.duplicates}, orphans found: ${summary.orphans}, secret leaks found: ${summary.leaks}\n`,
    );
});

const sourceArgs = (extra: Record<string, unknown> = {}) => clean(mssqlArgs({ name: "orders-db", ...extra }));
const destinationArgs = (extra: Record<string, unknown> = {}) => clean(s3Args({ name: "lake", ...extra }));
const connectionArgs = (source: ResourceState, destination: ResourceState, cron = "0 0 * * * ?") =>
    clean({
        sourceId: source.id,
        destinationId: destination.id,
        name: "orders-to-lake",
        streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" }],
        schedule: { cron, timeZone: "UTC" },
    });

/** What each cell's update changes, and how to see that Airbyte stored it (secrets intact). */
const UPDATE = {
    Source: {
        args: () => sourceArgs({ configuration: { database: "sales_eu" } }),
        stored: async (id: string) => {
            const c = emu.storedConfiguration("source", id)!;
            return { changed: c.database === "sales_eu", secretIntact: c.password === MSSQL_PASSWORD };
        },
    },
    Destination: {
        args: () => destinationArgs({ configuration: { s3_bucket_path: "airbyte/raw-v2" } }),
        stored: async (id: string) => {
            const c = emu.storedConfiguration("destination", id)!;
            return {
                changed: c.s3_bucket_path === "airbyte/raw-v2",
                secretIntact: c.secret_access_key === S3_SECRET_KEY,
            };
        },
    },
    Connection: {
        stored: async (id: string) => {
            const c = await emulatorApi(emu, "connections/get", { connectionId: id }, emu.issueToken());
            return { changed: c.scheduleData?.cron?.cronExpression === "0 30 * * * ?", secretIntact: true };
        },
    },
};

const cells: [Type, Operation, Fault][] = TYPES.flatMap((type) =>
    OPERATIONS.flatMap((operation) => FAULTS.map((fault) => [type, operation, fault] as [Type, Operation, Fault])),
);

test("the matrix has 108 cells", () => expect(cells).toHaveLength(108));

test.each(cells)("%s %s under %s", async (type, operation, fault) => {
    // A new "provider process" on an empty server for every cell.
    emu.faults.clear();
    emu.reset();
    emu.clearLog();
    (await runtimeModule()).resetCaches();
    const tracked: Record<ObjectKind, Set<string>> = {
        source: new Set(),
        destination: new Set(),
        connection: new Set(),
    };
    const provider = providers[type];

    let source: ResourceState | undefined;
    let destination: ResourceState | undefined;
    if (type === "Connection") {
        source = (await up(providers.Source, sourceArgs())).state;
        destination = (await up(providers.Destination, destinationArgs())).state;
        tracked.source.add(source.id);
        tracked.destination.add(destination.id);
    }
    const args = () =>
        type === "Source"
            ? sourceArgs()
            : type === "Destination"
              ? destinationArgs()
              : connectionArgs(source!, destination!);
    let subject: ResourceState | undefined;
    if (operation !== "create") {
        subject = (await up(provider, args())).state;
        tracked[KIND[type]].add(subject.id);
    } else {
        await preview(provider, args()); // the process has its token (and lookups) before the fault
    }

    const call = callOf(type, operation);
    const mark = log.lines.length;
    emu.clearLog(); // from here on the counters count the operation alone
    const ruleId = emu.faults.add(ruleFor(fault, call));
    const started = Date.now();
    let result: ResourceState | undefined;
    let error: any;
    try {
        switch (operation) {
            case "create":
                result = (await up(provider, args())).state;
                break;
            case "update": {
                const changed =
                    type === "Connection" ? connectionArgs(source!, destination!, "0 30 * * * ?") : UPDATE[type].args();
                const applied = await up(provider, changed, subject);
                expect(applied.step).toBe("update");
                result = applied.state;
                break;
            }
            case "read":
                result = await refresh(provider, subject!);
                break;
            case "delete":
                await destroy(provider, subject!);
                break;
        }
    } catch (caught) {
        error = caught;
    }
    const elapsed = Date.now() - started;
    emu.faults.clear(ruleId);
    const want = expected(fault, operation, type);
    // Let every faulted request finish (a timed-out one is answered late) before counting what
    // the server holds: an object committed late must show up as a duplicate or an orphan.
    await eventually(
        () => emu.requests({ operation: call }).length >= want.requests,
        `${want.requests} logged ${call} requests (a hung one is logged when the emulator gives up on it)`,
    );

    // What the stack tracks now.
    if (operation === "create" && result) tracked[KIND[type]].add(result.id);
    if (operation === "create" && error?.id) tracked[KIND[type]].add(error.id); // recorded by the engine (PartialCreateError)
    if (operation === "delete" && !error) tracked[KIND[type]].delete(subject!.id);

    // Accounting first (for the summary), assertions after.
    const after = emu.counters();
    const createdNow = after.created[FAMILY[type]];
    const tokensIssued = after.tokensIssued;
    const expectedCreated = operation === "create" && (result || error?.id) ? 1 : 0;
    const live = await liveIds(emu);
    const orphans = (Object.keys(tracked) as ObjectKind[]).flatMap((kind) =>
        live[kind].filter((id) => !tracked[kind].has(id)).map((id) => `${kind} ${id}`),
    );
    const state = result
        ? JSON.stringify({
              ...result,
              inputs: { ...result.inputs, secrets: undefined, __provider: undefined },
              outputs: { ...result.outputs, secrets: undefined, __provider: undefined },
          })
        : "";
    const leaks = [
        ...leaksIn({ error: renderError(error), log: log.since(mark).join(""), state }, [
            MSSQL_PASSWORD,
            S3_SECRET_KEY,
            "AKIAEXAMPLEKEY00",
            emu.credentials.clientSecret,
        ]),
        ...leaksIn({ "whole state": result ? JSON.stringify(result) : "" }, [emu.credentials.clientSecret]),
    ];
    summary.cells++;
    summary.duplicates += Math.max(0, createdNow - expectedCreated);
    summary.orphans += orphans.length;
    summary.leaks += leaks.length;

    if (want.error) {
        expect(error).toBeDefined();
        expect(String(error.message)).toMatch(want.error);
        summary.failedClearly++;
    } else {
        if (error) throw error;
        summary.succeeded++;
    }
    expect({ createdNow, orphans, leaks }).toEqual({ createdNow: expectedCreated, orphans: [], leaks: [] });
    for (const kind of Object.keys(tracked) as ObjectKind[]) expect(live[kind]).toEqual([...tracked[kind]].sort());

    // The faulted call: made as often as decided, answered as expected.
    const requests = emu.requests({ operation: call }).sort((a, b) => a.seq - b.seq);
    expect(requests.length).toBe(want.requests);
    expect(requests[0]?.fault).toBeDefined();
    if (want.statuses) expect(requests.map((r) => r.status)).toEqual(want.statuses);
    if (want.tokens !== undefined) expect(tokensIssued).toBe(want.tokens);
    if (want.atLeastMs) expect(elapsed).toBeGreaterThanOrEqual(want.atLeastMs);

    // The change itself.
    if (operation === "update") {
        const stored = await UPDATE[type].stored(subject!.id);
        expect(stored).toEqual({ changed: !want.error, secretIntact: true });
    }
    if (operation === "read" && !want.error) expect(result?.id).toBe(subject!.id);
    if (operation === "delete") expect(live[KIND[type]].includes(subject!.id)).toBe(Boolean(want.error));
    // Debug logging was on, so there were lines to scan.
    expect(log.since(mark).some((l) => l.includes("→ "))).toBe(true);
});
