import type { EmulatorHandle } from "../../emulator";
import { DEFINITIONS, admin, createSource, mssqlConfig, post, withEmulator } from "./helpers";

function createBody(emu: EmulatorHandle, name = "s"): Record<string, unknown> {
    return {
        workspaceId: emu.defaultWorkspaceId,
        name,
        sourceDefinitionId: DEFINITIONS.mssql,
        connectionConfiguration: mssqlConfig(),
    };
}

async function listedSources(emu: EmulatorHandle): Promise<string[]> {
    return (await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId })).body.sources.map(
        (s: any) => s.name,
    );
}

describe("fault injection: status rules", () => {
    test("a 503 rule hits `times` matching requests without doing the work, then lets requests through", async () => {
        await withEmulator({}, async (emu) => {
            emu.faults.add({ operation: "sources/create", fault: "status", status: 503, times: 2 });
            expect((await post(emu, "sources/create", createBody(emu))).status).toBe(503);
            expect((await post(emu, "source_definitions/list")).status).toBe(200); // other operations are untouched
            expect((await post(emu, "sources/create", createBody(emu))).status).toBe(503);
            expect(await listedSources(emu)).toEqual([]);
            expect((await post(emu, "sources/create", createBody(emu))).status).toBe(200);
            expect(await listedSources(emu)).toEqual(["s"]);
            const log = emu.requests({ operation: "sources/create" });
            expect(log.map((e) => [e.status, e.fault])).toEqual([
                [503, "status"],
                [503, "status"],
                [200, undefined],
            ]);
            expect(emu.counters().faultsInjected).toBe(2);
        });
    });

    test("a 429 rule sends Retry-After", async () => {
        await withEmulator({}, async (emu) => {
            emu.faults.add({ operation: "sources/*", fault: "status", status: 429, retryAfterSeconds: 1, times: 1 });
            const response = await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId });
            expect(response.status).toBe(429);
            expect(response.headers.get("retry-after")).toBe("1");
        });
    });

    test("probability rules are deterministic for a given seed", async () => {
        const run = async (): Promise<number[]> =>
            withEmulator({ faultSeed: 42 }, async (emu) => {
                emu.faults.add({ fault: "status", status: 500, probability: 0.3 });
                const statuses: number[] = [];
                for (let i = 0; i < 40; i++) statuses.push((await post(emu, "source_definitions/list")).status);
                return statuses;
            });
        const first = await run();
        expect(await run()).toEqual(first);
        const failures = first.filter((s) => s === 500).length;
        expect(failures).toBeGreaterThan(3);
        expect(failures).toBeLessThan(25);
    });

    test("faults.clear() removes rules", async () => {
        await withEmulator({}, async (emu) => {
            const id = emu.faults.add({ fault: "status", status: 502 });
            expect((await post(emu, "source_definitions/list")).status).toBe(502);
            emu.faults.clear(id);
            expect((await post(emu, "source_definitions/list")).status).toBe(200);
        });
    });
});

describe("fault injection: timeouts and resets", () => {
    test("a timeout with delayMs answers late but does the work", async () => {
        await withEmulator({}, async (emu) => {
            emu.faults.add({ operation: "sources/create", fault: "timeout", delayMs: 150, times: 1 });
            const started = Date.now();
            const response = await post(emu, "sources/create", createBody(emu));
            expect(response.status).toBe(200);
            expect(Date.now() - started).toBeGreaterThanOrEqual(140);
        });
    });

    test("a timeout without delayMs never answers; the client gives up, nothing is created", async () => {
        await withEmulator({}, async (emu) => {
            emu.faults.add({ operation: "sources/create", fault: "timeout", times: 1 });
            await expect(
                fetch(`${emu.url}/api/v1/sources/create`, {
                    method: "POST",
                    body: JSON.stringify(createBody(emu)),
                    headers: { "content-type": "application/json" },
                    signal: AbortSignal.timeout(200),
                }),
            ).rejects.toThrow();
            expect(await listedSources(emu)).toEqual([]);
            expect(emu.requests({ operation: "sources/create" })[0]).toMatchObject({ status: 0, fault: "timeout" });
        });
    });

    test("reset-before-commit drops the connection without doing the work", async () => {
        await withEmulator({}, async (emu) => {
            emu.faults.add({ operation: "sources/create", fault: "reset-before-commit", times: 1 });
            await expect(post(emu, "sources/create", createBody(emu))).rejects.toThrow();
            expect(await listedSources(emu)).toEqual([]);
        });
    });

    test("reset-after-commit does the work, then drops the connection without answering", async () => {
        await withEmulator({}, async (emu) => {
            emu.faults.add({ operation: "sources/create", fault: "reset-after-commit", times: 1 });
            await expect(post(emu, "sources/create", createBody(emu, "ghost"))).rejects.toThrow();
            expect(await listedSources(emu)).toEqual(["ghost"]);
            expect(emu.requests({ operation: "sources/create" })[0]).toMatchObject({
                status: 0,
                fault: "reset-after-commit",
            });
        });
    });

    test("expire-token invalidates the caller's token mid-run", async () => {
        await withEmulator({ auth: "simple" }, async (emu) => {
            const headers = { authorization: `Bearer ${emu.issueToken()}` };
            emu.faults.add({ operation: "sources/list", fault: "expire-token", times: 1 });
            expect((await post(emu, "source_definitions/list", {}, headers)).status).toBe(200);
            expect((await post(emu, "sources/list", { workspaceId: emu.defaultWorkspaceId }, headers)).status).toBe(
                401,
            );
            expect((await post(emu, "source_definitions/list", {}, headers)).status).toBe(401);
            expect(
                (await post(emu, "source_definitions/list", {}, { authorization: `Bearer ${emu.issueToken()}` }))
                    .status,
            ).toBe(200);
        });
    });
});

describe("latency and concurrency", () => {
    test("setLatency delays every API request (admin requests are exempt)", async () => {
        await withEmulator({}, async (emu) => {
            emu.setLatency(100);
            let started = Date.now();
            await post(emu, "source_definitions/list");
            expect(Date.now() - started).toBeGreaterThanOrEqual(95);
            started = Date.now();
            await admin(emu, "GET", "counters");
            expect(Date.now() - started).toBeLessThan(90);
        });
    });

    test("maxConcurrency answers 429 with Retry-After when more requests are in flight", async () => {
        await withEmulator({ latencyMs: 100, maxConcurrency: 2 }, async (emu) => {
            const responses = await Promise.all(Array.from({ length: 5 }, () => post(emu, "source_definitions/list")));
            const statuses = responses.map((r) => r.status).sort();
            expect(statuses).toEqual([200, 200, 429, 429, 429]);
            const rejected = responses.find((r) => r.status === 429)!;
            expect(rejected.headers.get("retry-after")).toBe("1");
            expect(emu.counters().concurrencyRejections).toBe(3);
            expect(emu.requests().filter((e) => e.fault === "max-concurrency")).toHaveLength(3);
        });
    });
});

describe("fault rules over HTTP", () => {
    test("POST/GET/DELETE /_emulator/faults", async () => {
        await withEmulator({}, async (emu) => {
            const added = await admin(emu, "POST", "faults", {
                operation: "sources/create",
                fault: "status",
                status: 418,
                times: 1,
            });
            expect(added.status).toBe(201);
            expect(added.body.ids).toHaveLength(1);
            expect((await admin(emu, "GET", "faults")).body.faults[0]).toMatchObject({
                operation: "sources/create",
                status: 418,
                hits: 0,
            });
            expect((await post(emu, "sources/create", createBody(emu))).status).toBe(418);
            await admin(emu, "POST", "faults", {
                faults: [
                    { fault: "status", status: 500 },
                    { fault: "status", status: 501 },
                ],
            });
            expect((await admin(emu, "GET", "faults")).body.faults).toHaveLength(3);
            expect((await admin(emu, "DELETE", "faults")).status).toBe(204);
            expect((await admin(emu, "GET", "faults")).body.faults).toEqual([]);
            expect((await post(emu, "source_definitions/list")).status).toBe(200);
            expect((await admin(emu, "POST", "faults", { fault: "explode" })).status).toBe(400);
            await createSource(emu);
        });
    });
});
