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
import { callableDefault } from "./commonjs-interop";

const cronValidate = callableDefault<typeof cronValidateModule.default>(cronValidateModule, "cron-validate");

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

/** Collapses white space and upper-cases names, so equivalent spellings of an expression compare equal. */
export function canonicalCron(expression: string): string {
    return expression.trim().replace(/\s+/g, " ").toUpperCase();
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
    const messages = result.getError().map((m) => m.replace(/\s*\(Input cron: '.*'\)$/, ""));
    return [...new Set(messages)];
}

/** Canonical IANA ids Node's ICU knows, by lower-cased spelling (for "did you mean" and case checks). */
let canonicalZones: Map<string, string> | undefined;

function canonicalZoneByLowerCase(): Map<string, string> {
    canonicalZones ??= new Map(Intl.supportedValuesOf("timeZone").map((zone) => [zone.toLowerCase(), zone]));
    return canonicalZones;
}

/** Joda's fixed-offset ids: `+01:00`, `-0530`, `+02`, optionally prefixed by `UTC`, `GMT` or `UT`. */
const FIXED_OFFSET = /^(?:UTC|GMT|UT)?[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?$/;
/**
 * How tz database ids are spelled: each segment starts with a capital (`America/New_York`, `US/Pacific`, `GB`,
 * `EST5EDT`).
 */
const TZ_ID_SPELLING = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;

/**
 * Time zones Airbyte accepts for cron schedules, decided the way the server decides:
 * `ConnectionScheduleHelper.validateCronExpressionAndTimezone` (airbyte-platform
 * `airbyte-commons-server/.../handlers/helpers/ConnectionScheduleHelper.kt`) rejects any zone
 * whose lower-cased id starts with "etc", then calls Joda's `DateTimeZone.forID`, which looks the
 * id up **case-sensitively** in the tz database (`ZoneInfoProvider.getZone`, an exact map lookup)
 * and otherwise accepts only `UTC`, `UT`, `GMT`, `Z` and fixed offsets such as `+01:00`
 * (JodaOrg/joda-time `DateTimeZone.forID`). So `europe/paris` is refused although Node's Intl,
 * which is case-insensitive, would take it.
 *
 * Node has no list of the tz database's alias ids (`US/Pacific`, `Asia/Calcutta`): an id that is
 * not a canonical one is accepted when Intl knows it and it is spelled the way tz ids are.
 */
export function cronTimeZoneProblem(timeZone: string): string | undefined {
    if (typeof timeZone !== "string" || timeZone === "") return "a time zone is required";
    if (timeZone.toLowerCase().startsWith("etc")) {
        return `time zones starting with "Etc" are rejected by Airbyte; use e.g. "UTC" instead of "${timeZone}"`;
    }
    if (["UTC", "UT", "GMT", "Z"].includes(timeZone) || FIXED_OFFSET.test(timeZone)) return undefined;
    const canonical = canonicalZoneByLowerCase().get(timeZone.toLowerCase());
    if (canonical !== undefined) {
        return canonical === timeZone
            ? undefined
            : `"${timeZone}" is not a time zone id: Airbyte matches ids case-sensitively; use "${canonical}"`;
    }
    let known = true;
    try {
        new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
        known = false;
    }
    if (known && TZ_ID_SPELLING.test(timeZone)) return undefined;
    if (known)
        return `"${timeZone}" is not a time zone id: Airbyte matches ids case-sensitively (e.g. "US/Pacific", not "us/pacific")`;
    return `"${timeZone}" is not an IANA time zone (e.g. "UTC", "Europe/Paris", "America/New_York", or an offset such as "+01:00")`;
}
