/**
 * Creates that never leave duplicates. A create is not idempotent (Airbyte does not make names
 * unique), so when its answer is lost (a reset, a timeout, a 502/504) the request may or may
 * not have been carried out. Instead of repeating it blindly, the workspace is searched for the
 * object it would have made, for as long as the server may still be working on it; only when
 * none appears is the create repeated.
 *
 * What counts as "the object it would have made": it looks the same (the caller's `matches`),
 * no resource of this command tracks it, it was not among the look-alikes listed before the
 * create was sent, and, where the server dates objects, it was made after that. Servers before
 * Airbyte 1.2 date no source or destination (and before 0.50.46 no connection), so the listing
 * taken before the create is what rules out older objects there.
 */
import { AirbyteApiError } from "../client/errors";
import { log } from "../log";
import { processState } from "../process-state";
import { redact } from "../redact";
import type { ServerSettings } from "./settings";

/**
 * Records that a stack tracks this Airbyte object: created, adopted, diffed, read, updated or deleted in this command.
 */
export function trackId(id: unknown): void {
    if (typeof id === "string" && id) processState().trackedIds.add(id);
}

export function isTracked(id: unknown): boolean {
    return typeof id === "string" && processState().trackedIds.has(id);
}

/** How far the server's clock may lag ours when its creation time is compared with our send time. */
const CLOCK_SKEW_SECONDS = 300;

/** What is known, before a create is sent, about which look-alike objects cannot be its result. */
export interface CreateBaseline {
    /** When the create was (about to be) sent, epoch ms. */
    startedAt: number;
    /** Look-alike objects that existed already. */
    knownIds: ReadonlySet<string> | readonly string[];
}

/** Whether `item` can be the result of a create made with `baseline` (see the module comment). */
export function bornAfter(item: { id: string; createdAt?: number }, baseline: CreateBaseline): boolean {
    const known = Array.isArray(baseline.knownIds)
        ? baseline.knownIds.includes(item.id)
        : (baseline.knownIds as ReadonlySet<string>).has(item.id);
    if (known || isTracked(item.id)) return false;
    return item.createdAt === undefined || item.createdAt >= baseline.startedAt / 1000 - CLOCK_SKEW_SECONDS;
}

/** The newest first; undated objects (older servers) after dated ones. */
export function newestFirst<T extends { createdAt?: number }>(items: T[]): T[] {
    return [...items].sort((a, b) => (b.createdAt ?? -1) - (a.createdAt ?? -1));
}

/**
 * Runs `task` after every earlier task with the same key has settled. Creates of objects that
 * would look identical (same kind, workspace, name, definition, configuration) are serialized
 * within the process: each one's reconciliation then sees the ids its predecessors claimed, and
 * none can adopt an object another create of this run is still waiting for.
 */
export async function serializedByKey<T>(key: string, task: () => Promise<T>): Promise<T> {
    const chains = processState().createChains;
    const previous = chains.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
        () => undefined,
        () => undefined,
    );
    chains.set(key, tail);
    try {
        return await run;
    } finally {
        if (chains.get(key) === tail) chains.delete(key);
    }
}

/**
 * Whether a failed create may nevertheless have been carried out: the request may have reached
 * the server and no answer says it was refused (a reset, a timeout, a 500/502/504).
 */
export function isAmbiguousCreateFailure(error: unknown): error is AirbyteApiError {
    return (
        error instanceof AirbyteApiError &&
        ((error.kind === "network" && error.mayHaveReachedServer) ||
            error.statusCode === 500 ||
            error.statusCode === 502 ||
            error.statusCode === 504)
    );
}

/**
 * How long to look for the result of a create whose answer was lost, before deciding. After a
 * timeout (or a gateway's 504) the server may still be working on the request, so the search
 * lasts as long as the client was prepared to wait. After a reset or a 502 the exchange is over
 * and a shorter search suffices. A 500 comes from Airbyte itself, which answers it once it has
 * given up: a create that left nothing behind within seconds was refused (a Kotlin `require`,
 * e.g. `ConnectionHelper.validateWorkspace`), and repeating it would fail the same way.
 */
export function lostCreateWindowMs(error: AirbyteApiError, settings: ServerSettings): number {
    const timeoutMs = (settings.requestTimeoutSeconds ?? 60) * 1000;
    if (error.statusCode === 504 || error.code === "ETIMEDOUT") return timeoutMs;
    if (error.statusCode === 500) return Math.min(timeoutMs, 3_000);
    return Math.min(timeoutMs, 10_000);
}

/**
 * Calls `find` right away, then again after 0.25 s, 0.5 s, 1 s, 2 s, ... until `windowMs` has
 * passed; each call gets the time it started (for a listing at least that fresh).
 */
export async function pollForLostCreate<T>(
    windowMs: number,
    find: (notBefore: number) => Promise<T | undefined>,
): Promise<T | undefined> {
    const started = Date.now();
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
        const found = await find(Date.now());
        if (found !== undefined) return found;
        const left = windowMs - (Date.now() - started);
        if (left <= 0) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    }
}

/** How many times a create is sent at most when its answers keep getting lost. */
const MAX_CREATE_ATTEMPTS = 4;

/** Thrown when a create's answer was lost and whether it happened could not be settled. */
export class UnsettledCreateError extends Error {
    override name = "UnsettledCreateError";
}

/**
 * Sends `create`; when its answer is lost, looks for its result with `findLost(baseline,
 * notBefore)` (the baseline of that attempt; the listing freshness wanted, epoch ms) before
 * sending it again. A 500 that left nothing behind is final. `what` names the object in
 * messages (`source "mssql"`).
 */
export async function createWithReconciliation<T>(args: {
    what: string;
    noun: string;
    settings: ServerSettings;
    knownIds: ReadonlySet<string>;
    create: () => Promise<T>;
    findLost: (baseline: CreateBaseline, notBefore: number) => Promise<T | undefined>;
}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        const baseline: CreateBaseline = { startedAt: Date.now(), knownIds: args.knownIds };
        try {
            return await args.create();
        } catch (error) {
            if (!isAmbiguousCreateFailure(error)) throw error;
            log.debug(
                `${args.what}: create failed ambiguously (${error.message}); looking for the ${args.noun} before retrying`,
            );
            let found: T | undefined;
            try {
                found = await pollForLostCreate(lostCreateWindowMs(error, args.settings), (notBefore) =>
                    args.findLost(baseline, notBefore),
                );
            } catch (listError) {
                throw new UnsettledCreateError(
                    redact(
                        `${error.message}. The create may have reached Airbyte, and looking for its result failed too (${(listError as Error).message}); if the ${args.noun} exists, the next \`pulumi up\` adopts it.`,
                    ),
                );
            }
            if (found !== undefined) {
                log.debug(`${args.what}: the lost create had succeeded; adopting its result`);
                return found;
            }
            if (error.statusCode === 500) {
                throw new Error(
                    redact(
                        `${args.what}: Airbyte refused to create the ${args.noun} (HTTP 500${error.errorId ? `, errorId ${error.errorId}` : ""}${error.serverMessage ? `: ${error.serverMessage}` : ""}) and made none; the server's log has the cause${error.errorId ? " under that errorId" : ""}. Nothing was created.`,
                    ),
                );
            }
            if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
        }
    }
}
