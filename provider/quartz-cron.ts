/**
 * Quartz cron validation, shared by the provider's `check` and the local Airbyte emulator.
 *
 * Airbyte parses cron schedules with `org.quartz.CronExpression`: six or seven fields
 * (seconds minutes hours day-of-month month day-of-week [year]), exactly one of
 * day-of-month / day-of-week must be `?`, and `L`, `W`, `#` are allowed. We use the
 * `cron-validate` library with a Quartz preset rather than a hand-written parser.
 */
import * as cronValidateModule from "cron-validate";
import { registerOptionPreset } from "cron-validate/lib/option";

// cron-validate is CommonJS with only `exports.default`. Depending on the loader (tsc's CommonJS
// output, Node's ESM import of CommonJS, jest's ESM mode) the function sits one or two
// `default`s deep; take whichever is callable.
type CronValidate = typeof cronValidateModule.default;
const cronValidate: CronValidate = ((m: any) =>
    typeof m === "function" ? m : typeof m?.default === "function" ? m.default : m?.default?.default)(cronValidateModule);

const QUARTZ_PRESET = "airbyte-quartz";
let presetRegistered = false;

function ensurePreset(): void {
    if (presetRegistered) return;
    registerOptionPreset(QUARTZ_PRESET, {
        presetId: QUARTZ_PRESET,
        useSeconds: true,
        useYears: false,
        useAliases: true,
        useBlankDay: true,
        allowOnlyOneBlankDayField: true,
        mustHaveBlankDayField: true,
        useLastDayOfMonth: true,
        useLastDayOfWeek: true,
        useNearestWeekday: true,
        useNthWeekdayOfMonth: true,
        seconds: { minValue: 0, maxValue: 59 },
        minutes: { minValue: 0, maxValue: 59 },
        hours: { minValue: 0, maxValue: 23 },
        daysOfMonth: { minValue: 1, maxValue: 31 },
        months: { minValue: 1, maxValue: 12 },
        daysOfWeek: { minValue: 1, maxValue: 7 },
        years: { minValue: 1970, maxValue: 2099 },
    });
    presetRegistered = true;
}

/** Returns the problems with a Quartz cron expression; an empty list means it is valid. */
export function quartzCronProblems(expression: string): string[] {
    if (typeof expression !== "string" || expression.trim() === "") {
        return ["a cron expression is required"];
    }
    // Quartz tolerates repeated white space and lower-case names; cron-validate does not.
    const normalized = expression.trim().replace(/\s+/g, " ").toUpperCase();
    const fields = normalized.split(" ");
    if (fields.length !== 6 && fields.length !== 7) {
        return [
            `Quartz cron expressions have 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); got ${fields.length}. Example: "0 0 12 * * ?"`,
        ];
    }
    ensurePreset();
    const result = cronValidate(normalized, {
        preset: QUARTZ_PRESET,
        override: { useYears: fields.length === 7 },
    });
    if (result.isValid()) return [];
    // cron-validate repeats some messages and appends the input; keep one copy of each.
    const messages = (result.getError() as string[]).map((m) => m.replace(/\s*\(Input cron: '.*'\)$/, ""));
    return [...new Set(messages)];
}

/** Time zones Airbyte accepts for cron schedules: IANA names, but not the `Etc/...` ones. */
export function cronTimeZoneProblem(timeZone: string): string | undefined {
    if (typeof timeZone !== "string" || timeZone === "") return "a time zone is required";
    if (timeZone.startsWith("Etc")) {
        return `time zones starting with "Etc" are rejected by Airbyte; use e.g. "UTC" instead of "${timeZone}"`;
    }
    if (timeZone === "UTC") return undefined;
    try {
        new Intl.DateTimeFormat("en-US", { timeZone });
        return undefined;
    } catch {
        return `"${timeZone}" is not an IANA time zone (e.g. "UTC", "Europe/Paris", "America/New_York")`;
    }
}
