/**
 * Connection schedules, after airbyte-platform `ConnectionsHandler.createConnection` /
 * `validateConnectionPatch` and `ConnectionScheduleHelper.populateSyncFromScheduleTypeAndData`
 * (airbyte-commons-server):
 *
 * - create: `schedule` (legacy) and `scheduleType` together → 422 ("supply old or new schedule
 *   schema but not both"); neither → manual; legacy `schedule` alone → basic;
 * - a non-manual `scheduleType` without `scheduleData` → 422 on create;
 * - update: `schedule` present, `scheduleData` without `scheduleType`, `scheduleData` with manual,
 *   or basic/cron without `scheduleData` are `require` / `checkArgument` failures → HTTP 500;
 * - cron (`validateCronExpressionAndTimezone`): Quartz syntax; a zone whose lower-cased id starts
 *   with "etc" is rejected, any other goes through Joda's case-sensitive `DateTimeZone.forID`
 *   (`cronTimeZoneProblem`). From 0.62.4 (bd2ef46e22, #12682) problems are 400 problem JSON
 *   `error:cron-validation/...`; before, `JsonValidationException`s → 422.
 */
import { cronTimeZoneProblem, quartzCronProblems } from "../provider/quartz-cron";
import { internalError, invalidConfiguration, missingProperty, problem } from "./errors";
import type { ServerGeneration } from "./generations";
import type { ScheduleData, ScheduleType, TimeUnit } from "./store";
import { checkType, isPlainObject, normalizeEnum } from "./validation";

export const SCHEDULE_TYPES: readonly ScheduleType[] = ["manual", "basic", "cron"];
export const TIME_UNITS: readonly TimeUnit[] = ["minutes", "hours", "days", "weeks", "months"];

export interface Schedule {
    scheduleType: ScheduleType;
    scheduleData?: ScheduleData;
}

/** The schedule a new connection gets from a ConnectionCreate body (enums already normalised). */
export function scheduleForCreate(
    body: Record<string, unknown>,
    connectionId: string,
    generation: ServerGeneration,
): Schedule {
    const legacy = body["schedule"];
    const scheduleType = body["scheduleType"] as ScheduleType | undefined;
    if (legacy != null && scheduleType !== undefined)
        throw invalidConfiguration("supply old or new schedule schema but not both");
    if (scheduleType !== undefined) return populate(scheduleType, body["scheduleData"], connectionId, generation);
    if (legacy != null)
        return { scheduleType: "basic", scheduleData: { basicSchedule: basicSchedule(legacy, "schedule") } };
    return { scheduleType: "manual" };
}

/** The new schedule for a ConnectionUpdate, or undefined when the patch leaves it alone. */
export function scheduleForUpdate(
    body: Record<string, unknown>,
    connectionId: string,
    generation: ServerGeneration,
): Schedule | undefined {
    const scheduleType = body["scheduleType"] as ScheduleType | undefined;
    const scheduleData = body["scheduleData"];
    if (body["schedule"] != null) {
        throw internalError(
            "ConnectionUpdate should only make changes to the schedule by setting scheduleType and scheduleData. 'schedule' is no longer supported.",
        );
    }
    if (scheduleType === undefined) {
        if (scheduleData != null)
            throw internalError(
                "ConnectionUpdate should not include any scheduleData without also specifying a valid scheduleType.",
            );
        return undefined;
    }
    if (scheduleType === "manual" && scheduleData != null) {
        throw internalError(
            "ConnectionUpdate should not include any scheduleData when setting the Connection scheduleType to MANUAL.",
        );
    }
    if (scheduleType !== "manual" && scheduleData == null) {
        throw internalError(
            `ConnectionUpdate should include scheduleData when setting the Connection scheduleType to ${scheduleType.toUpperCase()}.`,
        );
    }
    return populate(scheduleType, scheduleData, connectionId, generation);
}

/** ConnectionScheduleHelper.populateSyncFromScheduleTypeAndData. */
function populate(
    scheduleType: ScheduleType,
    scheduleData: unknown,
    connectionId: string,
    generation: ServerGeneration,
): Schedule {
    if (scheduleType !== "manual" && scheduleData == null)
        throw invalidConfiguration("schedule data must be populated if schedule type is populated");
    if (scheduleType === "manual") return { scheduleType };
    const data = checkType(scheduleData, { type: "object" }, "scheduleData") as Record<string, unknown>;
    if (scheduleType === "basic") {
        if (data["basicSchedule"] == null)
            throw invalidConfiguration("if schedule type is basic, then scheduleData.basic must be populated");
        return {
            scheduleType,
            scheduleData: { basicSchedule: basicSchedule(data["basicSchedule"], "scheduleData.basicSchedule") },
        };
    }
    const cronData = data["cron"];
    const cron =
        cronData == null
            ? undefined
            : (checkType(cronData, { type: "object" }, "scheduleData.cron") as Record<string, unknown>);
    const cronExpression = cron?.["cronExpression"];
    const cronTimeZone = cron?.["cronTimeZone"];
    const cronProblem = generation.cronProblemsAre400
        ? cronProblems(connectionId, cronExpression, cronTimeZone)
        : cronValidationExceptions;
    if (cron === undefined) throw cronProblem.missingCron();
    if (typeof cronExpression !== "string" || typeof cronTimeZone !== "string") throw cronProblem.missingComponent();
    const expressionValid = quartzCronProblems(cronExpression).length === 0;
    // From 1.3.0 (1649d3f1b8, #14565) `validateCronFrequency` parses the expression first; before,
    // the "etc" test and `DateTimeZone.forID` came before `new CronExpression(...)`.
    if (generation.cronExpressionCheckedBeforeZone && !expressionValid) throw cronProblem.invalidExpression();
    if (cronTimeZone.toLowerCase().startsWith("etc")) throw cronProblem.etcTimeZone();
    if (cronTimeZoneProblem(cronTimeZone) !== undefined) throw cronProblem.invalidTimeZone();
    if (!expressionValid) throw cronProblem.invalidExpression();
    return { scheduleType, scheduleData: { cron: { cronExpression, cronTimeZone } } };
}

interface CronFailures {
    missingCron(): Error;
    missingComponent(): Error;
    invalidExpression(): Error;
    etcTimeZone(): Error;
    invalidTimeZone(): Error;
}

/** Before 0.62.4: `JsonValidationException`s, which `ApiHelper.execute` turns into 422s. */
const cronValidationExceptions: CronFailures = {
    missingCron: () => invalidConfiguration("if schedule type is cron, then scheduleData.cron must be populated"),
    missingComponent: () => invalidConfiguration("Cron expression and timezone are required"),
    invalidExpression: () => invalidConfiguration("invalid cron expression"),
    etcTimeZone: () => invalidConfiguration("Etc/ timezones are unsupported"),
    invalidTimeZone: () => invalidConfiguration("invalid cron timezone"),
};

/** From 0.62.4: the `CronValidation*Problem`s of airbyte-api `problems-api/.../api-problems.yaml` (400). */
function cronProblems(connectionId: string, cronExpression: unknown, cronTimezone: unknown): CronFailures {
    const invalidTimeZone = (): Error =>
        problem({
            status: 400,
            type: "error:cron-validation/invalid-timezone",
            title: "Invalid cron timezone",
            detail: "The specified cron timezone is invalid",
            data: { connectionId, cronTimezone },
        });
    return {
        missingCron: () =>
            problem({
                status: 400,
                type: "error:cron-validation/missing-cron-data",
                title: "Cron data is missing",
                detail: "If schedule type is cron, scheduleData.cron must be provided.",
            }),
        missingComponent: () =>
            problem({
                status: 400,
                type: "error:cron-validation/missing-component",
                title: "Cron is missing a component",
                detail: "The cron must specify a cron expression and a timezone.",
                data: omitUndefined({ connectionId, cronExpression, cronTimezone }),
            }),
        invalidExpression: () =>
            problem({
                status: 400,
                type: "error:cron-validation/invalid-expression",
                title: "Invalid cron expression",
                detail: "The cron expression is invalid",
                data: { cronExpression },
            }),
        etcTimeZone: invalidTimeZone,
        invalidTimeZone,
    };
}

function basicSchedule(value: unknown, path: string): { timeUnit: TimeUnit; units: number } {
    if (!isPlainObject(value)) {
        checkType(value, { type: "object" }, path); // throws the server's 400 for a non-object
        throw new Error(`${path} is not an object`); // not reached
    }
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
