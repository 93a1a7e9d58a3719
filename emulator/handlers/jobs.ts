/**
 * Sync jobs: `connections/sync` creates one, it runs for `syncDurationMs` and then succeeds.
 * Status is derived from the clock when read (no timers to clean up). `jobs/get`, `get_light`,
 * `get_without_logs`, `list` and `cancel`. JobRead times are epoch seconds.
 */
import type { HandlerContext, RouteDefinition } from "../context";
import { notFound } from "../errors";
import type { JobRecord } from "../store";

export type JobStatus = "running" | "succeeded" | "cancelled" | "failed";

export function jobStatus(ctx: HandlerContext, job: JobRecord): JobStatus {
    if (job.finalStatus) return job.finalStatus;
    return ctx.now() >= job.completesAtMs ? "succeeded" : "running";
}

function seconds(ms: number): number {
    return Math.floor(ms / 1000);
}

function jobRead(ctx: HandlerContext, job: JobRecord): Record<string, unknown> {
    const status = jobStatus(ctx, job);
    const read: Record<string, unknown> = {
        id: job.id,
        configType: job.configType,
        configId: job.configId,
        createdAt: seconds(job.createdAtMs),
        updatedAt: seconds(status === "running" ? job.createdAtMs : Math.min(ctx.now(), job.completesAtMs)),
        startedAt: seconds(job.createdAtMs),
        status,
    };
    if (status === "succeeded")
        read["aggregatedStats"] = {
            recordsEmitted: 1000,
            bytesEmitted: 128000,
            recordsCommitted: 1000,
            bytesCommitted: 128000,
        };
    return read;
}

function attempts(ctx: HandlerContext, job: JobRecord): unknown[] {
    const status = jobStatus(ctx, job);
    if (status === "running") return [];
    const ended = seconds(Math.min(ctx.now(), job.completesAtMs));
    return [
        {
            attempt: {
                id: 0,
                status: status === "succeeded" ? "succeeded" : "failed",
                createdAt: seconds(job.createdAtMs),
                updatedAt: ended,
                endedAt: ended,
                recordsSynced: status === "succeeded" ? 1000 : 0,
                bytesSynced: status === "succeeded" ? 128000 : 0,
            },
            logs: { logLines: [] },
        },
    ];
}

/** JobInfoRead `{job, attempts}`. */
export function jobInfoRead(ctx: HandlerContext, job: JobRecord): Record<string, unknown> {
    return { job: jobRead(ctx, job), attempts: attempts(ctx, job) };
}

function requireJob(ctx: HandlerContext, id: number): JobRecord {
    const job = ctx.store.jobs.get(id);
    if (!job) throw notFound("JOB", String(id));
    return job;
}

const ID_REQUEST = { id: { type: "integer", required: true } } as const;

export const jobRoutes: RouteDefinition[] = [
    {
        operation: "jobs/get",
        request: ID_REQUEST,
        handle: (ctx, body) => jobInfoRead(ctx, requireJob(ctx, body["id"] as number)),
    },
    {
        operation: "jobs/get_without_logs",
        request: ID_REQUEST,
        handle: (ctx, body) => jobInfoRead(ctx, requireJob(ctx, body["id"] as number)),
    },
    {
        operation: "jobs/get_light",
        request: ID_REQUEST,
        handle: (ctx, body) => ({ job: jobRead(ctx, requireJob(ctx, body["id"] as number)) }),
    },
    {
        operation: "jobs/cancel",
        request: ID_REQUEST,
        handle: (ctx, body) => {
            const job = requireJob(ctx, body["id"] as number);
            if (jobStatus(ctx, job) === "running") {
                job.finalStatus = "cancelled";
                job.completesAtMs = ctx.now();
                ctx.store.markDirty();
            }
            return jobInfoRead(ctx, job);
        },
    },
    {
        operation: "jobs/list",
        request: {
            configTypes: { type: "array", required: true },
            configId: { type: "string" },
            pagination: { type: "object" },
        },
        handle: (ctx, body) => {
            const types = body["configTypes"] as string[];
            const jobs = [...ctx.store.jobs.values()]
                .filter(
                    (j) =>
                        types.includes(j.configType) &&
                        (body["configId"] === undefined || j.configId === body["configId"]),
                )
                .sort((a, b) => b.id - a.id);
            const pagination = body["pagination"] as { pageSize?: number; rowOffset?: number } | undefined;
            const offset = pagination?.rowOffset ?? 0;
            const page = pagination?.pageSize !== undefined ? jobs.slice(offset, offset + pagination.pageSize) : jobs;
            return { jobs: page.map((j) => jobInfoRead(ctx, j)), totalJobCount: jobs.length };
        },
    },
];
