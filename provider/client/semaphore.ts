/**
 * Bounds how many requests run at once against one Airbyte server.
 *
 * Hand-written rather than `p-limit`: p-limit is ESM-only (like got) and would need the same
 * lazy-import dance for twenty lines of logic.
 */
export class Semaphore {
    private active = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(readonly limit: number) {
        if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
    }

    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.active >= this.limit) {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        } else {
            this.active++;
        }
        try {
            return await task();
        } finally {
            const next = this.waiting.shift();
            // Hand the slot straight to the next waiter; `active` stays the same.
            if (next) next();
            else this.active--;
        }
    }

    get inUse(): number {
        return this.active;
    }

    get queued(): number {
        return this.waiting.length;
    }
}

const perServer = new Map<string, Semaphore>();

/** The process-wide limiter for a server, shared by every client talking to it. */
export function limiterFor(serverUrl: string, limit: number): Semaphore {
    const key = `${serverUrl}|${limit}`;
    let semaphore = perServer.get(key);
    if (!semaphore) {
        semaphore = new Semaphore(limit);
        perServer.set(key, semaphore);
    }
    return semaphore;
}
