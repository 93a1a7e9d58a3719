import { gotRetryPolicy, PUSHBACK_STATUS, pushbackWaitMs, retryAfterMs } from "../../provider/client/retry-policy";

const LIMITS = { retryLimit: 5, maxRetryAfterMs: 60_000, backoffLimitMs: 10_000 };

describe("gotRetryPolicy: what got repeats inside one limiter slot", () => {
    const policy = (idempotent: boolean, pushback?: number[]) =>
        gotRetryPolicy(LIMITS, idempotent, pushback) as { statusCodes: number[]; errorCodes: string[]; limit: number };

    test.each<[string, boolean, number[] | undefined, number[]]>([
        ["an idempotent call: a proxy's 502 and 504", true, undefined, [502, 504]],
        ["a create: no status at all (it may have been processed)", false, undefined, []],
        ["a token request: pushback too", true, PUSHBACK_STATUS, [502, 504, 429, 503]],
    ])("statuses for %s", (_, idempotent, pushback, statuses) => {
        expect(policy(idempotent, pushback).statusCodes).toEqual(statuses);
    });

    test("a non-idempotent call is repeated only when its connection never opened", () => {
        const codes = policy(false).errorCodes;
        expect(codes).toContain("ECONNREFUSED");
        for (const mayHaveBeenSent of ["ECONNRESET", "ETIMEDOUT", "EPIPE"])
            expect(codes).not.toContain(mayHaveBeenSent);
        expect(policy(true).errorCodes).toEqual(expect.arrayContaining(["ECONNRESET", "ETIMEDOUT", "EPIPE"]));
    });

    test("limits come from the settings", () => {
        expect(gotRetryPolicy(LIMITS, true)).toMatchObject({ limit: 5, maxRetryAfter: 60_000, backoffLimit: 10_000 });
    });
});

describe("retryAfterMs", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    test.each<[string, string | string[] | undefined, number | undefined]>([
        ["absent", undefined, undefined],
        ["empty", "  ", undefined],
        ["seconds", "3", 3000],
        ["fractional seconds", "1.5", 1500],
        ["zero", "0", 0],
        ["negative seconds count as now", "-2", 0],
        ["an HTTP date 10 s ahead", "Wed, 02 Dec 2026 12:00:10 GMT", 10_000],
        ["an HTTP date in the past counts as now", "Wed, 02 Dec 2026 11:59:00 GMT", 0],
        ["the first of repeated headers", ["2", "9"], 2000],
        ["unreadable", "soon", undefined],
    ])("%s", (_, header, expected) => {
        expect(retryAfterMs(header, now)).toBe(expected);
    });
});

describe("pushbackWaitMs", () => {
    const noJitter = () => 0;
    const fullJitter = () => 1;
    test.each<[string, number, number | undefined, () => number, number]>([
        ["first retry, no Retry-After", 0, undefined, noJitter, 1000],
        ["third retry doubles twice", 2, undefined, noJitter, 4000],
        ["capped at backoffLimitMs", 10, undefined, noJitter, 10_000],
        ["Retry-After wins over backoff", 3, 2500, noJitter, 2500],
        ["jitter adds up to half the delay", 1, undefined, fullJitter, 3000],
        ["jitter is at least 100 ms for short delays", 0, 0, fullJitter, 100],
    ])("%s", (_, attempt, asked, random, expected) => {
        expect(pushbackWaitMs(attempt, asked, LIMITS, random)).toBe(expected);
    });
});
