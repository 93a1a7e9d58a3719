/**
 * `SynchronousJobRead`: the `jobInfo` that check, discover and spec calls return. Times are epoch
 * milliseconds (SynchronousJobMetadata), unlike sync jobs (`JobRead`), which use seconds.
 */
import { randomUUID } from "node:crypto";
import type { HandlerContext } from "./context";

export type SynchronousConfigType =
    "check_connection_source" | "check_connection_destination" | "discover_schema" | "get_spec";

export interface FailureReason {
    failureOrigin: "source" | "destination";
    failureType: "config_error" | "system_error";
    externalMessage: string;
    internalMessage: string;
}

export function synchronousJob(
    ctx: HandlerContext,
    configType: SynchronousConfigType,
    options: { configId?: string; succeeded?: boolean; failure?: FailureReason } = {},
): Record<string, unknown> {
    const now = ctx.now();
    const job: Record<string, unknown> = {
        id: randomUUID(),
        configType,
        createdAt: now,
        endedAt: now,
        succeeded: options.succeeded ?? true,
        connectorConfigurationUpdated: false,
        logType: "formatted",
        logs: { logLines: [] },
    };
    if (options.configId !== undefined) job["configId"] = options.configId;
    if (options.failure) job["failureReason"] = { ...options.failure, retryable: false, timestamp: now };
    return job;
}
