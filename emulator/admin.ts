/**
 * The admin HTTP API under `/_emulator/...`: the same controls as the in-process handle, for
 * tests and benchmarks that drive a separately started emulator (`cli.ts`). Admin requests are
 * never subject to faults, latency or authentication, and are not logged.
 */
import type { FaultRule } from "./faults";
import type { DatabaseTableInput, EmulatorHandle } from "./index";
import type { CustomDefinitionInput } from "./registry";
import { isPlainObject } from "./validation";

export interface AdminAnswer {
    status: number;
    body?: unknown;
}

export class AdminRouter {
    constructor(private readonly emulator: () => EmulatorHandle) {}

    handle(method: string, url: string, raw: string): AdminAnswer {
        try {
            return this.route(method, new URL(url, "http://emulator"), raw);
        } catch (error) {
            return { status: 400, body: { message: (error as Error).message } };
        }
    }

    private route(method: string, url: URL, raw: string): AdminAnswer {
        const emu = this.emulator();
        const parts = url.pathname.split("/").filter(Boolean).slice(1); // drop "_emulator"
        const body = raw.trim() === "" ? {} : (JSON.parse(raw) as unknown);
        const key = `${method} ${parts[0] ?? ""}`;
        switch (key) {
            case "GET requests": {
                const since = url.searchParams.get("since");
                return ok({
                    requests: emu.requests({
                        operation: url.searchParams.get("operation") ?? undefined,
                        since: since === null ? undefined : Number(since),
                    }),
                });
            }
            case "GET counters":
                return ok(emu.counters());
            case "POST clear-log":
                emu.clearLog();
                return { status: 204 };
            case "GET faults":
                return ok({ faults: emu.faults.list() });
            case "POST faults": {
                const rules =
                    isPlainObject(body) && Array.isArray(body["faults"])
                        ? (body["faults"] as FaultRule[])
                        : [body as FaultRule];
                return { status: 201, body: { ids: rules.map((rule) => emu.faults.add(rule)) } };
            }
            case "DELETE faults":
                emu.faults.clear(parts[1]);
                return { status: 204 };
            case "GET secrets": {
                const [, kind, id] = parts;
                if ((kind !== "source" && kind !== "destination") || !id)
                    return { status: 400, body: { message: "use /_emulator/secrets/{source|destination}/{id}" } };
                const configuration = emu.storedConfiguration(kind, id);
                return configuration
                    ? ok({ configuration })
                    : { status: 404, body: { message: `no ${kind} ${id}, or its configuration was voided by delete` } };
            }
            case "POST expire-tokens":
                emu.expireTokens();
                return { status: 204 };
            case "POST reset":
                emu.reset();
                return { status: 204 };
            case "POST latency":
                // { ms, checkMs?, discoverMissMs?, discoverHitMs? }
                emu.setLatency(numberField(body, "ms"), {
                    ...(isPlainObject(body) && body["checkMs"] !== undefined
                        ? { check: numberField(body, "checkMs") }
                        : {}),
                    ...(isPlainObject(body) && body["discoverMissMs"] !== undefined
                        ? { discoverMiss: numberField(body, "discoverMissMs") }
                        : {}),
                    ...(isPlainObject(body) && body["discoverHitMs"] !== undefined
                        ? { discoverHit: numberField(body, "discoverHitMs") }
                        : {}),
                });
                return { status: 204 };
            case "POST max-concurrency": {
                const limit = isPlainObject(body) ? body["limit"] : undefined;
                emu.setMaxConcurrency(limit === null || limit === undefined ? undefined : numberField(body, "limit"));
                return { status: 204 };
            }
            case "POST advance-time":
                emu.advanceTime(numberField(body, "ms"));
                return { status: 204 };
            case "POST custom-definitions":
                return { status: 201, body: emu.addCustomDefinition(body as CustomDefinitionInput) };
            case "POST database-tables":
                emu.addDatabaseTable(body as DatabaseTableInput);
                return { status: 204 };
            case "GET snapshot":
                return ok(emu.snapshot());
            case "GET settings":
                return ok(emu.settings());
            default:
                return { status: 404, body: { message: `unknown admin endpoint ${method} ${url.pathname}` } };
        }
    }
}

function ok(body: unknown): AdminAnswer {
    return { status: 200, body };
}

function numberField(body: unknown, field: string): number {
    const value = isPlainObject(body) ? body[field] : undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        throw new Error(`"${field}" must be a non-negative number`);
    return value;
}
