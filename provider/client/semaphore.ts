import { processState } from "../process-state";

/**
 * Bounds how many requests run at once against one Airbyte server.
 *
 * The bound adapts (additive increase, multiplicative decrease): when the server pushes back
 * (429/503) it drops below what was in flight, and it grows by one after each `bound`
 * successful requests, up to the configured limit. A server (or proxy) that admits fewer
 * requests than `maxConcurrentRequests` thus gets about as many as it admits, instead of a
 * stream of requests it refuses.
 *
 * Hand-written rather than `p-limit`: p-limit is ESM-only (like got) and would need the same
 * lazy-import dance for a few lines of logic.
 */
export class Semaphore {
    private active = 0;
    private readonly waiting: (() => void)[] = [];
    /** The current bound, between 1 and `limit`. */
    private current: number;
    private successes = 0;
    private lastBackOff = 0;

    constructor(readonly limit: number) {
        if (!Number.isInteger(limit) || limit < 1)
            throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
        this.current = limit;
    }

    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.active >= this.current) {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        } else {
            this.active++;
        }
        try {
            return await task();
        } finally {
            // Hand the slot straight to the next waiter (`active` stays the same), unless the
            // bound was lowered meanwhile.
            const next = this.active <= this.current ? this.waiting.shift() : undefined;
            if (next) next();
            else this.active--;
        }
    }

    /**
     * The server refused a request for load (429/503): allow fewer at once. Refusals of requests
     * sent before the last decrease belong to the burst that caused it and are not counted again
     * (as TCP reduces its window once per round trip).
     */
    backOff(requestStartedAt: number = Date.now()): void {
        if (requestStartedAt < this.lastBackOff) return;
        this.lastBackOff = Date.now();
        this.current = Math.max(1, Math.min(Math.floor(this.current / 2), this.active - 1));
        this.successes = 0;
    }

    /** A request succeeded: after `bound` successes, allow one more at once. */
    recover(): void {
        if (this.current >= this.limit) return;
        if (++this.successes < this.current) return;
        this.successes = 0;
        this.current++;
        while (this.active < this.current && this.waiting.length) {
            this.active++;
            this.waiting.shift()!();
        }
    }

    get inUse(): number {
        return this.active;
    }

    get queued(): number {
        return this.waiting.length;
    }

    /** How many may run at once right now. */
    get bound(): number {
        return this.current;
    }
}

/** The process-wide limiter for a server, shared by every client talking to it. */
export function limiterFor(serverUrl: string, limit: number): Semaphore {
    const limiters = processState().limiters;
    const key = `${serverUrl}|${limit}`;
    let semaphore = limiters.get(key);
    if (!semaphore) {
        semaphore = new Semaphore(limit);
        limiters.set(key, semaphore);
    }
    return semaphore;
}
