/**
 * Creates that never leave duplicates. A create is not idempotent (Airbyte does not make names
 * unique), so when its answer is lost (a reset, a timeout, a 500/502/504) the request may or may
 * not have been carried out. Instead of repeating it blindly, the workspace is searched for the
 * object it would have made, for as long as the server may still be working on it; only when
 * none appears is the create repeated. Objects a stack already tracks are never taken, and
 * creates of identical-looking objects are serialized within the process.
 *
 * Create-time adoption of what an interrupted `pulumi up` left (`findOrphan` in the providers)
 * builds on the same tracking.
 */
import { AirbyteApiError } from "../client/errors";
import { log } from "../log";
import { redact } from "../redact";
import type { ServerSettings } from "./settings";

/**
 * Whether a failed create may nevertheless have been carried out: the request may have reached
 * the server and no answer says it was refused (a reset, a timeout, a 500/502/504). Such a
 * create is reconciled (the workspace is searched for its result) before it is repeated.
 */
export function isAmbiguousCreateFailure(error: unknown): error is AirbyteApiError {
    return (
        error instanceof AirbyteApiError &&
        ((error.kind === "network" && error.mayHaveReachedServer) || error.statusCode === 500 || error.statusCode === 502 || error.statusCode === 504)
    );
}

/**
 * How long to keep looking for the result of a create whose answer was lost, before repeating
 * it. After a timeout (or a gateway's 504) the server may still be working on the request, so
 * the search lasts as long as the client was prepared to wait; after a reset or a 5xx the
 * exchange is over and a shorter search suffices.
 */
export function lostCreateWindowMs(error: AirbyteApiError, settings: ServerSettings): number {
    const timeoutMs = (settings.requestTimeoutSeconds ?? 60) * 1000;
    const timedOut = error.statusCode === 504 || error.code === "ETIMEDOUT";
    return timedOut ? timeoutMs : Math.min(timeoutMs, 10_000);
}

/**
 * Calls `find` right away, then again after 0.25 s, 0.5 s, 1 s, 2 s, ... until `windowMs` has
 * passed; each call gets the time it started (for a listing at least that fresh).
 */
export async function pollForLostCreate<T>(windowMs: number, find: (notBefore: number) => Promise<T | undefined>): Promise<T | undefined> {
    const started = Date.now();
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
        const found = await find(Date.now());
        if (found !== undefined) return found;
        const left = windowMs - (Date.now() - started);
        if (left <= 0) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    }
}

/**
 * Ids of Airbyte objects this provider process has seen belong to a stack: created, adopted,
 * diffed, read, updated or deleted during this Pulumi command. Create-time reconciliation never
 * adopts one of them, so two resources of one program never end up sharing one object.
 * Process-wide (ids are UUIDs, unique across servers and kinds); a new process starts empty.
 */
const trackedIds = new Set<string>();

/** Records that a stack tracks this Airbyte object (see `trackedIds`). */
export function trackId(id: unknown): void {
    if (typeof id === "string" && id) trackedIds.add(id);
}

/** Forgets the tracked ids (a new provider process starts empty). */
export function clearTrackedIds(): void {
    trackedIds.clear();
}

function isTrackedId(id: unknown): boolean {
    return typeof id === "string" && trackedIds.has(id);
}

/**
 * The listed objects a create may adopt, newest first: tracked by no resource (see `trackedIds`),
 * created at or after `since` (epoch seconds; `createdAt` is the field holding the creation
 * time, which differs between actors and connections), and accepted by `matches`. An object
 * without a creation time qualifies only with `acceptUndated`: right after a lost create (some
 * servers list no creation time, and the window is seconds), never for the hour-long orphan
 * search, where an undated object could be anything.
 */
export function unclaimedNewestFirst<T extends Record<string, unknown>>(
    items: T[],
    fields: { id: string; createdAt: string },
    since: number,
    matches: (item: T) => boolean,
    acceptUndated = false,
): T[] {
    const createdAt = (item: T) => item[fields.createdAt];
    return items
        .filter((item) => {
            const at = createdAt(item);
            const recent = typeof at === "number" ? at >= since : acceptUndated;
            return recent && !isTrackedId(item[fields.id]) && matches(item);
        })
        .sort((a, b) => Number(createdAt(b) ?? 0) - Number(createdAt(a) ?? 0));
}

/** Tail of the chain of creates per fingerprint (see `serializedByKey`). */
const createChains = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task with the same key has settled. Creates of objects that
 * would look identical (same kind, workspace, name, definition, configuration) are serialized
 * within the process: each one's reconciliation then sees the ids its predecessors claimed, and
 * none can adopt an object another create of this run is still waiting for.
 */
export async function serializedByKey<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = createChains.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
        () => undefined,
        () => undefined,
    );
    createChains.set(key, tail);
    try {
        return await run;
    } finally {
        if (createChains.get(key) === tail) createChains.delete(key);
    }
}

/** How far the server's clock may lag ours when its `createdAt` is compared with our send time. */
const CLOCK_SKEW_SECONDS = 300;

/** How many times a create is sent at most when its answers keep getting lost. */
const MAX_CREATE_ATTEMPTS = 4;

/**
 * Sends `create`; when its answer is lost, looks for its result with `findLost(since,
 * notBefore)` (the earliest creation time it can have, in epoch seconds, allowing for clock skew;
 * the listing freshness wanted, in epoch ms) before sending it again. `what` names the object in messages ("source \"mssql\"").
 */
export async function createWithReconciliation<T>(args: {
    what: string;
    noun: string;
    settings: ServerSettings;
    create: () => Promise<T>;
    findLost: (since: number, notBefore: number) => Promise<T | undefined>;
}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        const since = Date.now() / 1000 - CLOCK_SKEW_SECONDS;
        try {
            return await args.create();
        } catch (error) {
            if (!isAmbiguousCreateFailure(error)) throw error;
            log.debug(`${args.what}: create failed ambiguously (${error.message}); looking for the ${args.noun} before retrying`);
            let found: T | undefined;
            try {
                found = await pollForLostCreate(lostCreateWindowMs(error, args.settings), (notBefore) => args.findLost(since, notBefore));
            } catch (listError) {
                throw new Error(
                    redact(
                        `${error.message}. The create may have reached Airbyte, and looking for its result failed too (${(listError as Error).message}); if the ${args.noun} exists, the next \`pulumi up\` adopts it.`,
                    ),
                );
            }
            if (found !== undefined) {
                log.debug(`${args.what}: the lost create had succeeded; adopting its result`);
                return found;
            }
            if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
        }
    }
}
