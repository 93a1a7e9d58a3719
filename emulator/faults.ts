/**
 * Fault injection: rules that make matching API requests fail the way networks, proxies and
 * overloaded servers do, so client retry and idempotency logic can be tested.
 *
 * A rule matches by operation (`sources/create`, a family wildcard `sources/*`, or `*` / absent
 * for every API operation), is applied to at most `times` matching requests (unlimited when
 * absent) after letting `skip` through, and fires with `probability` (default 1). Probabilities use
 * a seeded PRNG per rule, so a given sequence of requests always sees the same faults.
 */
import { randomUUID } from "node:crypto";

export type FaultKind =
    /** Answer `status` (and `body`) without doing the work. 429/503 get `Retry-After` from `retryAfterSeconds`. */
    | "status"
    /** Hang for `delayMs`, then do the work and answer late; without `delayMs`, never answer. */
    | "timeout"
    /** Destroy the socket without doing the work. */
    | "reset-before-commit"
    /** Do the work (and persist it), then destroy the socket without answering. */
    | "reset-after-commit"
    /** Invalidate every issued token before the request is authenticated (it then gets 401). */
    | "expire-token";

export interface FaultRule {
    /** `sources/create`, `sources/*`, `*`, or a list of those; absent = every API operation. */
    operation?: string | string[];
    fault: FaultKind;
    /** For `status`: the HTTP status to answer (default 500). */
    status?: number;
    /** For `status`: the JSON body to answer (default `{errorId}`, or `{message}` for 429). */
    body?: unknown;
    /** For `status`: sets `Retry-After` (seconds). */
    retryAfterSeconds?: number;
    /** For `timeout`: how long to hang before answering; absent = never answer. */
    delayMs?: number;
    /** Hit at most this many matching requests (absent = unlimited). */
    times?: number;
    /** Let this many matching requests through before the rule starts firing. */
    skip?: number;
    /** Chance (0..1) that a matching request is hit; default 1. */
    probability?: number;
    /** Seed for `probability` (default: the emulator's fault seed plus the rule's index). */
    seed?: number;
}

export interface ActiveFault extends FaultRule {
    id: string;
    /** Matching requests seen so far. */
    matched: number;
    /** Requests this rule has hit so far. */
    hits: number;
}

/** mulberry32: tiny, fast, good enough for reproducible error rates. */
function mulberry32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const FAULT_KINDS: readonly FaultKind[] = [
    "status",
    "timeout",
    "reset-before-commit",
    "reset-after-commit",
    "expire-token",
];

export class FaultInjector {
    private readonly rules: (ActiveFault & { random: () => number })[] = [];
    private added = 0;

    constructor(private readonly seed: number) {}

    add(rule: FaultRule): string {
        if (!FAULT_KINDS.includes(rule.fault))
            throw new Error(`unknown fault "${String(rule.fault)}"; expected one of ${FAULT_KINDS.join(", ")}`);
        if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
            throw new Error("probability must be between 0 and 1");
        const id = randomUUID();
        const seed = rule.seed ?? this.seed + this.added++;
        this.rules.push({ ...rule, id, matched: 0, hits: 0, random: mulberry32(seed) });
        return id;
    }

    /** Removes one rule, or all of them. */
    clear(id?: string): void {
        if (id === undefined) this.rules.length = 0;
        else {
            const index = this.rules.findIndex((r) => r.id === id);
            if (index >= 0) this.rules.splice(index, 1);
        }
    }

    list(): ActiveFault[] {
        return this.rules.map(({ random: _random, ...rule }) => ({ ...rule }));
    }

    /** The first rule that fires for this operation, if any (consumes one of its `times`). */
    next(operation: string): ActiveFault | undefined {
        if (this.rules.length === 0) return undefined;
        for (const rule of this.rules) {
            if (!matches(rule.operation, operation)) continue;
            if (rule.times !== undefined && rule.hits >= rule.times) continue;
            rule.matched++;
            if (rule.skip !== undefined && rule.matched <= rule.skip) continue;
            if (rule.probability !== undefined && rule.random() >= rule.probability) continue;
            rule.hits++;
            const { random: _random, ...fired } = rule;
            return fired;
        }
        return undefined;
    }
}

function matches(pattern: string | string[] | undefined, operation: string): boolean {
    if (pattern === undefined) return true;
    if (Array.isArray(pattern)) return pattern.some((p) => matches(p, operation));
    if (pattern === "*" || pattern === operation) return true;
    return pattern.endsWith("/*") && operation.startsWith(pattern.slice(0, -1));
}
