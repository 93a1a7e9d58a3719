import {
    scheduleFromWire as scheduleFromApi,
    scheduleToWire as scheduleToApi,
} from "../../provider/client/config-api/schedule";
import type { ConnectionRead } from "../../provider/client/config-api/wire";
import { normalizeSchedule } from "../../provider/runtime/schedule";
import { UNKNOWN } from "../../provider/runtime/values";

describe("normalizeSchedule", () => {
    test.each([
        [undefined, { type: "manual" }],
        ["manual", { type: "manual" }],
        [{ type: "manual" }, { type: "manual" }],
        [{ cron: "0 0 * * * ?" }, { type: "cron", cron: "0 0 * * * ?", timeZone: "UTC" }],
        [
            { cron: "  0 15 10 ? *   mon-fri ", timeZone: "Europe/Paris" },
            { type: "cron", cron: "0 15 10 ? * MON-FRI", timeZone: "Europe/Paris" },
        ],
        [
            { units: 6, timeUnit: "hours" },
            { type: "basic", units: 6, timeUnit: "hours" },
        ],
    ])("%j → %j", (raw, expected) => {
        const { schedule, problems } = normalizeSchedule(raw);
        expect(problems).toEqual([]);
        expect(schedule).toEqual(expected);
    });

    test.each([
        [{ cron: "0 0 12 * * *" }, "schedule.cron", /daysOfMonth and daysOfWeek/],
        [{ cron: "* * * * *" }, "schedule.cron", /6 or 7 fields/],
        [{ cron: "0 0 * * * ?", timeZone: "Etc/UTC" }, "schedule.timeZone", /Etc/],
        [{ cron: "0 0 * * * ?", timeZone: "Moon/Base" }, "schedule.timeZone", /IANA/],
        [{ units: 0, timeUnit: "hours" }, "schedule.units", /positive integer/],
        [{ units: 2, timeUnit: "fortnights" }, "schedule.timeUnit", /minutes, hours, days, weeks, months/],
        [{ type: "cron" }, "schedule.cron", /required/],
        [{ type: "hourly" }, "schedule.type", /manual", "basic" or "cron/],
        [{ cron: "0 0 * * * ?", units: 3 }, "schedule.units", /does not apply to a cron schedule/],
        [{ cron: "0 0 * * * ?", every: 3 }, "schedule.every", /not a schedule field/],
        [42, "schedule", /must be "manual"/],
    ])("%j is refused at %s", (raw, property, reason) => {
        const { problems } = normalizeSchedule(raw);
        expect(problems.map((p) => p.property)).toContain(property);
        expect(problems.find((p) => p.property === property)!.reason).toMatch(reason);
    });

    test("unknown values pass through at preview", () => {
        expect(normalizeSchedule(UNKNOWN)).toEqual({ schedule: UNKNOWN, problems: [] });
        expect(normalizeSchedule({ cron: UNKNOWN }).problems).toEqual([]);
    });
});

describe("schedule <-> Config API", () => {
    const read = (fields: Partial<ConnectionRead>) => ({
        connectionId: "c",
        name: "n",
        sourceId: "s",
        destinationId: "d",
        syncCatalog: { streams: [] },
        status: "active",
        ...fields,
    });

    test("cron round trip, tolerating a zone suffix some servers append", () => {
        const api = scheduleToApi({ type: "cron", cron: "0 0 12 * * ?", timeZone: "UTC" });
        expect(api).toEqual({
            scheduleType: "cron",
            scheduleData: { cron: { cronExpression: "0 0 12 * * ?", cronTimeZone: "UTC" } },
        });
        expect(
            scheduleFromApi(
                read({
                    scheduleType: "cron",
                    scheduleData: { cron: { cronExpression: "0 0 12 * * ? UTC", cronTimeZone: "UTC" } },
                }),
            ),
        ).toEqual({
            type: "cron",
            cron: "0 0 12 * * ?",
            timeZone: "UTC",
        });
    });

    test("basic schedules are read from scheduleData, or from the legacy field alone", () => {
        expect(scheduleToApi({ type: "basic", units: 24, timeUnit: "hours" })).toEqual({
            scheduleType: "basic",
            scheduleData: { basicSchedule: { units: 24, timeUnit: "hours" } },
        });
        expect(scheduleFromApi(read({ schedule: { units: 1, timeUnit: "days" } }))).toEqual({
            type: "basic",
            units: 1,
            timeUnit: "days",
        });
        expect(
            scheduleFromApi(
                read({
                    scheduleType: "basic",
                    schedule: { units: 1, timeUnit: "days" },
                    scheduleData: { basicSchedule: { units: 1, timeUnit: "days" } },
                }),
            ),
        ).toEqual({
            type: "basic",
            units: 1,
            timeUnit: "days",
        });
    });

    test("manual sends no scheduleData", () => {
        expect(scheduleToApi({ type: "manual" })).toEqual({ scheduleType: "manual" });
        expect(scheduleFromApi(read({ scheduleType: "manual" }))).toEqual({ type: "manual" });
    });
});
