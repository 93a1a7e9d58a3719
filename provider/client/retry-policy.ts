/**
 * When a call to Airbyte is sent again, in one place. Two layers retry:
 * - got's own retry (`gotRetryPolicy`) repeats, inside one limiter slot, what cannot have done
 *   anything twice: for idempotent calls, network errors and a proxy's 502/504; for the others,
 *   only connections that never opened.
 * - `AirbyteTransport.request` repeats pushback (429, 503: the server did nothing), outside the
 *   limiter slot and after `pushbackWaitMs`, honouring `Retry-After`.
 * Everything a create may have done once is left to reconciliation (../runtime/reconciliation).
 */
import type { OptionsInit } from "got" with { "resolution-mode": "import" };
import { NEVER_SENT_NETWORK_CODES } from "./readiness";

export interface RetryLimits {
    /** got's retries per attempt; pushback may be retried twice as often. */
    retryLimit: number;
    /** A `Retry-After` longer than this is not waited for. */
    maxRetryAfterMs: number;
    /** The longest pause between two tries. */
    backoffLimitMs: number;
}

/** A proxy's answer while Airbyte is away: nothing reached it, so an idempotent call may go again. */
const RETRYABLE_STATUS = [502, 504];
/** The server refused to work right now (rate limit, overload): nothing was done. */
export const PUSHBACK_STATUS = [429, 503];
const RETRYABLE_NETWORK_CODES = [
    "ETIMEDOUT",
    "ECONNRESET",
    "EADDRINUSE",
    "ECONNREFUSED",
    "EPIPE",
    "ENOTFOUND",
    "ENETUNREACH",
    "EAI_AGAIN",
    "EHOSTUNREACH",
];
const RETRIED_METHODS: ("GET" | "POST" | "PUT" | "PATCH" | "DELETE")[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * got's retry options for one call. `pushback` lists the statuses got itself retries too (token
 * requests, which run outside the limiter; other calls leave 429 and 503 to `request`).
 */
export function gotRetryPolicy(
    limits: RetryLimits,
    idempotent: boolean,
    pushback: readonly number[] = [],
): OptionsInit["retry"] {
    const common = {
        limit: limits.retryLimit,
        methods: RETRIED_METHODS,
        maxRetryAfter: limits.maxRetryAfterMs,
        backoffLimit: limits.backoffLimitMs,
        noise: 100,
    };
    return idempotent
        ? { ...common, statusCodes: [...RETRYABLE_STATUS, ...pushback], errorCodes: RETRYABLE_NETWORK_CODES }
        : { ...common, statusCodes: [...pushback], errorCodes: NEVER_SENT_NETWORK_CODES };
}

/** `Retry-After` in ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined || value.trim() === "") return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The pause before the next try after pushback: what `Retry-After` asked, else exponential from
 * 1 s up to `backoffLimitMs`; plus up to half of it (at least 100 ms) of jitter, so that the calls
 * a 429 turned back do not all come again at once.
 */
export function pushbackWaitMs(
    attempt: number,
    askedMs: number | undefined,
    limits: Pick<RetryLimits, "backoffLimitMs">,
    random: () => number = Math.random,
): number {
    const delay = askedMs ?? Math.min(1000 * 2 ** attempt, limits.backoffLimitMs);
    return Math.round(delay + random() * Math.max(100, delay / 2));
}
