import { cronTimeZoneProblem, quartzCronProblems } from "../../provider/quartz-cron";

describe("quartzCronProblems", () => {
    test.each([
        "0 0 * * * ?",
        "0 0 12 * * ?",
        "0 15 10 ? * MON-FRI",
        "0 0/5 14 * * ?",
        "0 15 10 L * ?",
        "0 15 10 ? * 6#3",
        "0 0 0 ? * * 2026",
        "0 0 0 15W * ?",
    ])("accepts %s", (expr) => {
        expect(quartzCronProblems(expr)).toEqual([]);
    });

    test.each([
        ["0 0 12 * * *", /daysOfMonth and daysOfWeek/],
        ["* * * * *", /6 or 7 fields/],
        ["0 0 25 * * ?", /hours field is bigger than upper limit '23'/],
        ["0 0 0 ? ? *", /blank notation is not allowed in months/],
        ["", /required/],
    ])("rejects %s", (expr, problem) => {
        const problems = quartzCronProblems(expr);
        expect(problems.length).toBeGreaterThan(0);
        expect(problems.join("; ")).toMatch(problem);
    });
});

describe("cronTimeZoneProblem", () => {
    // What Joda's DateTimeZone.forID accepts: exact tz ids (aliases included), UTC/UT/GMT/Z, fixed offsets.
    test.each([
        "UTC",
        "GMT",
        "Z",
        "Europe/Paris",
        "America/New_York",
        "US/Pacific",
        "Asia/Calcutta",
        "GB",
        "+01:00",
        "-0530",
        "UTC+02:00",
        "GMT-03",
    ])("accepts %s", (tz) => {
        expect(cronTimeZoneProblem(tz)).toBeUndefined();
    });
    test.each(["Etc/UTC", "etc/gmt+5", "ETC/UTC"])(
        "rejects %s: Airbyte refuses every zone starting with etc, in any case",
        (tz) => {
            expect(cronTimeZoneProblem(tz)).toMatch(/Etc/);
        },
    );
    // Node's Intl takes these case-insensitively; Joda's exact lookup does not (point 11 of issue 12).
    test.each([
        ["europe/paris", /case-sensitively; use "Europe\/Paris"/],
        ["EUROPE/PARIS", /use "Europe\/Paris"/],
        ["utc", /use "UTC"|case-sensitively/],
        ["us/pacific", /case-sensitively/],
    ])("rejects %s, whose case differs from the tz id", (tz, message) => {
        expect(cronTimeZoneProblem(tz)).toMatch(message);
    });
    test("rejects out-of-range offsets", () => {
        expect(cronTimeZoneProblem("+25:00")).toMatch(/not an IANA time zone/);
    });
    test("rejects unknown zones", () => {
        expect(cronTimeZoneProblem("Mars/Olympus")).toMatch(/not an IANA time zone/);
    });
});
