/**
 * Schedules on the Config API: `scheduleType` + `scheduleData` (manual, basic, cron). The legacy
 * `schedule` field is read (servers echo it next to the new pair for basic schedules) but never
 * sent in an update: `ConnectionsHandler.validateConnectionPatch` rejects it with a `require`,
 * i.e. HTTP 500 (airbyte-platform `airbyte-commons-server/.../handlers/ConnectionsHandler.kt`).
 */
import { canonicalCron } from "../../quartz-cron";
import type { Schedule } from "../domain";
import type { ConnectionRead, ConnectionScheduleData, ScheduleType } from "./wire";

export function scheduleToWire(schedule: Schedule): {
    scheduleType: ScheduleType;
    scheduleData?: ConnectionScheduleData;
} {
    switch (schedule.type) {
        case "manual":
            return { scheduleType: "manual" };
        case "basic":
            return {
                scheduleType: "basic",
                scheduleData: { basicSchedule: { units: schedule.units, timeUnit: schedule.timeUnit } },
            };
        case "cron":
            return {
                scheduleType: "cron",
                scheduleData: { cron: { cronExpression: schedule.cron, cronTimeZone: schedule.timeZone } },
            };
    }
}

export function scheduleFromWire(
    connection: Pick<ConnectionRead, "scheduleType" | "scheduleData" | "schedule">,
): Schedule {
    const type = connection.scheduleType ?? (connection.schedule ? "basic" : "manual");
    if (type === "cron" && connection.scheduleData?.cron) {
        // Connections written through the public API store "<expression> UTC" in some releases
        // (`ConnectionReadMapper` appends the zone on read); drop a trailing copy of the zone.
        const { cronExpression, cronTimeZone } = connection.scheduleData.cron;
        const expression = cronExpression.replace(
            new RegExp(`\\s+${cronTimeZone.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
            "",
        );
        return { type: "cron", cron: canonicalCron(expression), timeZone: cronTimeZone };
    }
    if (type === "basic") {
        const basic = connection.scheduleData?.basicSchedule ?? connection.schedule;
        if (basic) return { type: "basic", units: basic.units, timeUnit: basic.timeUnit };
    }
    return { type: "manual" };
}
