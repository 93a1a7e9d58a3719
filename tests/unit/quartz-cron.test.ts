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
    test.each(["UTC", "Europe/Paris", "America/New_York"])("accepts %s", (tz) => {
        expect(cronTimeZoneProblem(tz)).toBeUndefined();
    });
    test("rejects Etc zones like Airbyte does", () => {
        expect(cronTimeZoneProblem("Etc/UTC")).toMatch(/Etc/);
    });
    test("rejects unknown zones", () => {
        expect(cronTimeZoneProblem("Mars/Olympus")).toMatch(/not an IANA time zone/);
    });
});
