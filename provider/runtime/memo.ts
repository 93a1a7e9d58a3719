/**
 * Promise memoization for lookups that are stable within one provider process (one Pulumi
 * command): definitions, specs, workspaces, discovered catalogs. Concurrent callers share one
 * request; a failure is not cached, so the next caller tries again.
 */
export class Memo<V> {
    private readonly entries = new Map<string, { promise: Promise<V>; expires: number; settled?: { value: V } }>();

    /** @param ttlMs how long an answer stays fresh (default: the life of the process). */
    constructor(private readonly ttlMs = Number.POSITIVE_INFINITY) {}

    get(key: string, load: () => Promise<V>): Promise<V> {
        const now = Date.now();
        const hit = this.entries.get(key);
        if (hit && hit.expires > now) return hit.promise;
        const promise = load();
        const entry: { promise: Promise<V>; expires: number; settled?: { value: V } } = {
            promise,
            expires: now + this.ttlMs,
        };
        this.entries.set(key, entry);
        promise.then(
            (value) => {
                entry.settled = { value };
            },
            () => {
                if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
            },
        );
        return promise;
    }

    /** Stores a value this process knows first-hand (e.g. what its own create returned). */
    set(key: string, value: V, ttlMs = this.ttlMs): void {
        this.entries.set(key, { promise: Promise.resolve(value), expires: Date.now() + ttlMs, settled: { value } });
    }

    /** The value for `key` if one has arrived and is fresh; never loads, never waits for a load in flight. */
    settled(key: string): { value: V } | undefined {
        const hit = this.entries.get(key);
        return hit && hit.expires > Date.now() ? hit.settled : undefined;
    }

    delete(key: string): void {
        this.entries.delete(key);
    }

    clear(): void {
        this.entries.clear();
    }
}
