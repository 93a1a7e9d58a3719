/**
 * Connection schedules, after ConnectionsHandler.createConnection / validateConnectionPatch and
 * ConnectionScheduleHelper (airbyte-api.md §5):
 *
 * - create: `schedule` (legacy) and `scheduleType` together → 422; neither → manual; legacy
 *   `schedule` alone → basic;
 * - a non-manual `scheduleType` without `scheduleData` → 422 on create;
 * - update: `schedule` present, `scheduleData` without `scheduleType`, `scheduleData` with manual,
 *   or basic/cron without `scheduleData` are Kotlin `require` failures → HTTP 500 `{errorId}`;
 * - cron: Quartz syntax, time zones starting with "Etc" rejected, problems answered as 400
 *   problem JSON `error:cron-validation/...`.
 */
import { cronTimeZoneProblem, quartzCronProblems } from "../provider/quartz-cron";
import { internalError, invalidConfiguration, missingProperty, problem } from "./errors";
import type { ScheduleData, ScheduleType, TimeUnit } from "./store";
import { checkType, isPlainObject, normalizeEnum } from "./validation";

export const SCHEDULE_TYPES: readonly ScheduleType[] = ["manual", "basic", "cron"];
export const TIME_UNITS: readonly TimeUnit[] = ["minutes", "hours", "days", "weeks", "months"];

export interface Schedule {
    scheduleType: ScheduleType;
    scheduleData?: ScheduleData;
}

/** The schedule a new connection gets from a ConnectionCreate body (enums already normalised). */
export function scheduleForCreate(body: Record<string, unknown>, connectionId: string | undefined): Schedule {
    const legacy = body["schedule"];
    const scheduleType = body["scheduleType"] as ScheduleType | undefined;
    if (legacy != null && scheduleType !== undefined) throw invalidConfiguration("supply old or new schedule schema but not both");
    if (scheduleType !== undefined) return populate(scheduleType, body["scheduleData"], connectionId);
    if (legacy != null) return { scheduleType: "basic", scheduleData: { basicSchedule: basicSchedule(legacy, "schedule") } };
    return { scheduleType: "manual" };
}

/** The new schedule for a ConnectionUpdate, or undefined when the patch leaves it alone. */
export function scheduleForUpdate(body: Record<string, unknown>, connectionId: string): Schedule | undefined {
    const scheduleType = body["scheduleType"] as ScheduleType | undefined;
    const scheduleData = body["scheduleData"];
    if (body["schedule"] != null) {
        throw internalError("ConnectionUpdate should only make changes to the schedule by setting scheduleType and scheduleData. 'schedule' is no longer supported.");
    }
    if (scheduleType === undefined) {
        if (scheduleData != null) throw internalError("ConnectionUpdate should not include any scheduleData without also specifying a valid scheduleType.");
        return undefined;
    }
    if (scheduleType === "manual" && scheduleData != null) {
        throw internalError("ConnectionUpdate should not include any scheduleData when setting the Connection scheduleType to MANUAL.");
    }
    if (scheduleType !== "manual" && scheduleData == null) {
        throw internalError(`ConnectionUpdate should include scheduleData when setting the Connection scheduleType to ${scheduleType.toUpperCase()}.`);
    }
    return populate(scheduleType, scheduleData, connectionId);
}

/** ConnectionScheduleHelper.populateSyncFromScheduleTypeAndData. */
function populate(scheduleType: ScheduleType, scheduleData: unknown, connectionId: string | undefined): Schedule {
    if (scheduleType !== "manual" && scheduleData == null) throw invalidConfiguration("schedule data must be populated if schedule type is populated");
    if (scheduleType === "manual") return { scheduleType };
    const data = checkType(scheduleData, { type: "object" }, "scheduleData") as Record<string, unknown>;
    if (scheduleType === "basic") {
        if (data["basicSchedule"] == null) throw invalidConfiguration("if schedule type is basic, then scheduleData.basic must be populated");
        return { scheduleType, scheduleData: { basicSchedule: basicSchedule(data["basicSchedule"], "scheduleData.basicSchedule") } };
    }
    if (data["cron"] == null) {
        throw problem({ status: 400, type: "error:cron-validation/missing-cron-data", title: "Cron data is missing", detail: "If schedule type is cron, scheduleData.cron must be provided." });
    }
    const cron = checkType(data["cron"], { type: "object" }, "scheduleData.cron") as Record<string, unknown>;
    const cronExpression = cron["cronExpression"];
    const cronTimeZone = cron["cronTimeZone"];
    if (typeof cronExpression !== "string" || typeof cronTimeZone !== "string") {
        throw problem({
            status: 400,
            type: "error:cron-validation/missing-component",
            title: "Cron is missing a component",
            detail: "The cron must specify a cron expression and a timezone.",
            data: omitUndefined({ connectionId, cronExpression, cronTimezone: cronTimeZone }),
        });
    }
    const expressionProblems = quartzCronProblems(cronExpression);
    if (expressionProblems.length > 0) {
        throw problem({
            status: 400,
            type: "error:cron-validation/invalid-expression",
            title: "Invalid cron expression",
            detail: "The cron expression is invalid",
            data: { cronExpression, validationErrorMessage: expressionProblems.join("; ") },
        });
    }
    // The server lower-cases before the "etc" test, so "etc/UTC" is rejected too.
    const zoneProblem = cronTimeZone.toLowerCase().startsWith("etc") ? "Etc time zones are not supported" : cronTimeZoneProblem(cronTimeZone);
    if (zoneProblem !== undefined) {
        throw problem({
            status: 400,
            type: "error:cron-validation/invalid-timezone",
            title: "Invalid cron timezone",
            detail: "The specified cron timezone is invalid",
            data: omitUndefined({ connectionId, cronTimezone: cronTimeZone }),
        });
    }
    return { scheduleType, scheduleData: { cron: { cronExpression, cronTimeZone } } };
}

function basicSchedule(value: unknown, path: string): { timeUnit: TimeUnit; units: number } {
    if (!isPlainObject(value)) throw checkType(value, { type: "object" }, path) as never;
    if (value["timeUnit"] == null) throw missingProperty(`${path}.timeUnit`);
    if (value["units"] == null) throw missingProperty(`${path}.units`);
    const timeUnit = normalizeEnum(value["timeUnit"], TIME_UNITS, `${path}.timeUnit`);
    const units = checkType(value["units"], { type: "integer" }, `${path}.units`) as number;
    return { timeUnit, units };
}

/** The legacy `schedule` the server still echoes for basic schedules (ApiPojoConverters). */
export function legacySchedule(schedule: Schedule): { units: number; timeUnit: TimeUnit } | undefined {
    const basic = schedule.scheduleData?.basicSchedule;
    return schedule.scheduleType === "basic" && basic ? { units: basic.units, timeUnit: basic.timeUnit } : undefined;
}

function omitUndefined(record: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
