/**
 * Promise memoization for lookups that are stable within one provider process (one Pulumi
 * command): definitions, specs, workspaces, discovered catalogs. Concurrent callers share one
 * request; a failure is not cached, so the next caller tries again.
 */
export class Memo<V> {
    private readonly entries = new Map<string, { promise: Promise<V>; expires: number }>();

    /** @param ttlMs how long an answer stays fresh (default: the life of the process). */
    constructor(private readonly ttlMs = Number.POSITIVE_INFINITY) {}

    get(key: string, load: () => Promise<V>): Promise<V> {
        const now = Date.now();
        const hit = this.entries.get(key);
        if (hit && hit.expires > now) return hit.promise;
        const promise = load();
        this.entries.set(key, { promise, expires: now + this.ttlMs });
        promise.catch(() => {
            if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
        });
        return promise;
    }

    /** Stores a value this process knows first-hand (e.g. what its own create returned). */
    set(key: string, value: V, ttlMs = this.ttlMs): void {
        this.entries.set(key, { promise: Promise.resolve(value), expires: Date.now() + ttlMs });
    }

    delete(key: string): void {
        this.entries.delete(key);
    }

    clear(): void {
        this.entries.clear();
    }
}
