/**
 * Connection schedules: what users write, and the canonical form kept in state (the domain's
 * `Schedule`). Each backend encodes it for its API (../client/config-api/schedule.ts, ...).
 */
import { type Problem, type Schedule, TIME_UNITS, type TimeUnit } from "../client/domain";
import { canonicalCron, cronTimeZoneProblem, quartzCronProblems } from "../quartz-cron";
import { isPlainObject, isUnknown, type Maybe } from "./values";

/** The canonical schedule stored in inputs and outputs. */
export type CanonicalSchedule = Schedule;

/** At preview: the schedule as written, some of its fields still unknown (judged once they are known). */
export type ScheduleWithUnknowns = Record<string, unknown>;

/**
 * Accepts `"manual"`, `{ type: "manual" }`, `{ cron, timeZone? }`, `{ units, timeUnit }` (and the
 * same with an explicit `type`). Unknown values (at preview) are passed through unchanged.
 */
export function normalizeSchedule(
    raw: unknown,
    property = "schedule",
): { schedule?: Maybe<CanonicalSchedule> | ScheduleWithUnknowns; problems: Problem[] } {
    const problems: Problem[] = [];
    if (raw === undefined || raw === null || raw === "manual") return { schedule: { type: "manual" }, problems };
    if (isUnknown(raw)) return { schedule: raw, problems };
    if (!isPlainObject(raw)) {
        problems.push({
            property,
            reason: `must be "manual", { cron, timeZone? } or { units, timeUnit }; got ${JSON.stringify(raw)}`,
        });
        return { problems };
    }
    const allowed = ["type", "cron", "timeZone", "units", "timeUnit"];
    for (const key of Object.keys(raw)) {
        if (!allowed.includes(key))
            problems.push({
                property: `${property}.${key}`,
                reason: `is not a schedule field; allowed: ${allowed.join(", ")}`,
            });
    }
    const type =
        raw.type ??
        (raw.cron !== undefined ? "cron" : raw.units !== undefined || raw.timeUnit !== undefined ? "basic" : "manual");
    if (isUnknown(type) || Object.values(raw).some(isUnknown)) return { schedule: { ...raw, type }, problems };
    if (type === "manual") {
        for (const key of ["cron", "timeZone", "units", "timeUnit"]) {
            if (raw[key] !== undefined)
                problems.push({ property: `${property}.${key}`, reason: "does not apply to a manual schedule" });
        }
        return { schedule: { type: "manual" }, problems };
    }
    if (type === "cron") {
        const cron = raw.cron;
        if (typeof cron !== "string") {
            problems.push({
                property: `${property}.cron`,
                reason: 'is required: a Quartz cron expression such as "0 0 12 * * ?"',
            });
            return { problems };
        }
        for (const p of quartzCronProblems(cron))
            problems.push({
                property: `${property}.cron`,
                reason: `"${cron}" is not a valid Quartz cron expression: ${p}`,
            });
        const timeZone = raw.timeZone ?? "UTC";
        if (typeof timeZone !== "string")
            problems.push({ property: `${property}.timeZone`, reason: "must be a string" });
        else {
            const tzProblem = cronTimeZoneProblem(timeZone);
            if (tzProblem) problems.push({ property: `${property}.timeZone`, reason: tzProblem });
        }
        for (const key of ["units", "timeUnit"]) {
            if (raw[key] !== undefined)
                problems.push({ property: `${property}.${key}`, reason: "does not apply to a cron schedule" });
        }
        return {
            schedule: {
                type: "cron",
                cron: canonicalCron(cron),
                timeZone: typeof timeZone === "string" ? timeZone : "UTC",
            },
            problems,
        };
    }
    if (type === "basic") {
        const units = raw.units;
        const timeUnit = raw.timeUnit;
        if (typeof units !== "number" || !Number.isInteger(units) || units < 1) {
            problems.push({
                property: `${property}.units`,
                reason: `must be a positive integer; got ${JSON.stringify(units)}`,
            });
        }
        if (typeof timeUnit !== "string" || !TIME_UNITS.includes(timeUnit as TimeUnit)) {
            problems.push({
                property: `${property}.timeUnit`,
                reason: `must be one of: ${TIME_UNITS.join(", ")}; got ${JSON.stringify(timeUnit)}`,
            });
        }
        for (const key of ["cron", "timeZone"]) {
            if (raw[key] !== undefined)
                problems.push({ property: `${property}.${key}`, reason: "does not apply to a basic schedule" });
        }
        return { schedule: { type: "basic", units: units as number, timeUnit: timeUnit as TimeUnit }, problems };
    }
    problems.push({
        property: `${property}.type`,
        reason: `must be "manual", "basic" or "cron"; got ${JSON.stringify(type)}`,
    });
    return { problems };
}
