/**
 * The request log and counters behind the admin API. Bodies are stored with secrets masked
 * (the caller passes them through the same masking as API reads), never raw.
 */

export interface RequestLogEntry {
    seq: number;
    method: string;
    path: string;
    /** `sources/create`, ... (absent for unknown routes). */
    operation?: string;
    /** HTTP status answered; 0 when the socket was destroyed or the request never answered. */
    status: number;
    durationMs: number;
    /** ISO-8601 time the request arrived. */
    timestamp: string;
    requestBody?: unknown;
    responseBody?: unknown;
    /**
     * The injected fault, if any: a FaultKind, "max-concurrency", or "unavailable" (502 while `unavailableForMs` runs).
     */
    fault?: string;
}

export interface OperationCounters {
    count: number;
    /** Answers per HTTP status ("0" = no answer). */
    statuses: Record<string, number>;
    faults: number;
}

export interface EmulatorCounters {
    requests: number;
    operations: Record<string, OperationCounters>;
    discover: { runs: number; cacheHits: number; failures: number };
    checks: { runs: number; failures: number };
    created: { workspaces: number; sources: number; destinations: number; connections: number };
    updated: { sources: number; destinations: number; connections: number };
    deleted: { sources: number; destinations: number; connections: number };
    syncs: number;
    tokensIssued: number;
    authFailures: number;
    faultsInjected: number;
    concurrencyRejections: number;
    /** Highest number of API requests in flight at once since the last clear. */
    maxInFlight: number;
}

function emptyCounters(): EmulatorCounters {
    return {
        requests: 0,
        operations: {},
        discover: { runs: 0, cacheHits: 0, failures: 0 },
        checks: { runs: 0, failures: 0 },
        created: { workspaces: 0, sources: 0, destinations: 0, connections: 0 },
        updated: { sources: 0, destinations: 0, connections: 0 },
        deleted: { sources: 0, destinations: 0, connections: 0 },
        syncs: 0,
        tokensIssued: 0,
        authFailures: 0,
        faultsInjected: 0,
        concurrencyRejections: 0,
        maxInFlight: 0,
    };
}

export class RequestLog {
    private entries: RequestLogEntry[] = [];
    private nextSeq = 1;
    counters: EmulatorCounters = emptyCounters();

    constructor(private readonly maxEntries: number) {}

    seq(): number {
        return this.nextSeq++;
    }

    record(entry: RequestLogEntry): void {
        this.entries.push(entry);
        // Drop the oldest half at once instead of shifting on every request.
        if (this.entries.length > this.maxEntries)
            this.entries = this.entries.slice(this.entries.length - Math.floor(this.maxEntries / 2));
        const c = this.counters;
        c.requests++;
        const key = entry.operation ?? `${entry.method} ${entry.path}`;
        const op = (c.operations[key] ??= { count: 0, statuses: {}, faults: 0 });
        op.count++;
        op.statuses[String(entry.status)] = (op.statuses[String(entry.status)] ?? 0) + 1;
        if (entry.fault) {
            op.faults++;
            c.faultsInjected++;
        }
    }

    list(filter: { operation?: string; since?: number } = {}): RequestLogEntry[] {
        return this.entries.filter(
            (e) =>
                (filter.operation === undefined || e.operation === filter.operation) &&
                (filter.since === undefined || e.seq > filter.since),
        );
    }

    /** Clears the log and resets every counter (the sequence keeps increasing). */
    clear(): void {
        this.entries = [];
        this.counters = emptyCounters();
    }
}
