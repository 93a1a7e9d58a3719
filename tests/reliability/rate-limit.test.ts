/**
 * Pushback (429/503) under load, at the client level (the CLI version is tests/e2e/load.test.ts):
 * the per-server limiter lowers its bound when the server refuses for load and a refused request
 * waits outside its slot, so many more requests than the server admits all complete, creates
 * included, each exactly once.
 */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { DEFINITIONS } from "../emulator/helpers";
import { createBackend } from "../../provider/client/backends";
import { Semaphore } from "../../provider/client/semaphore";

const MSSQL = DEFINITIONS.mssql;
let emu: EmulatorHandle;

beforeAll(async () => {
    emu = await startEmulator({ maxConcurrency: 2, latencyMs: 40 });
});
afterAll(() => emu.close());

test("120 creates, 16 allowed at once by the client, 2 admitted by the server: all created once, few refusals each", async () => {
    const api = createBackend(
        { serverUrl: emu.url, auth: { kind: "none" }, maxConcurrentRequests: 16, retryLimit: 3, backoffLimitMs: 2000 },
        { api: "config", cloud: false },
    );
    const configuration = {
        host: "db",
        port: 1433,
        database: "d",
        schemas: ["dbo"],
        username: "u",
        password: "Pw-0123456789",
        ssl_method: { ssl_method: "unencrypted" },
        replication_method: { method: "STANDARD" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
    };
    const created = await Promise.all(
        [...Array(120)].map((_, i) =>
            api.createActor("source", {
                workspaceId: emu.defaultWorkspaceId,
                name: `db-${i}`,
                definitionId: MSSQL,
                configuration,
            }),
        ),
    );
    expect(new Set(created.map((s) => s.id)).size).toBe(120);
    const counters = emu.counters();
    expect(counters.created.sources).toBe(120);
    expect(counters.concurrencyRejections).toBeGreaterThan(0);
    // The bound came down to what the server admits: refusals are a fraction of the requests.
    expect(counters.concurrencyRejections).toBeLessThan(120);
});

describe("the adaptive bound", () => {
    test("halves (below what is in flight) on pushback, once per burst, and grows back by one per bound successes", async () => {
        const s = new Semaphore(8);
        const gates: (() => void)[] = [];
        const sentAt = Date.now() - 10;
        const running = [...Array(8)].map(() => s.run(() => new Promise<void>((resolve) => gates.push(resolve))));
        await new Promise((r) => setImmediate(r));
        expect(s.inUse).toBe(8);
        s.backOff(sentAt);
        expect(s.bound).toBe(4);
        s.backOff(sentAt); // another refusal of a request sent before the decrease: same burst
        expect(s.bound).toBe(4);
        // A ninth request waits until fewer than 4 run.
        let ninthStarted = false;
        const ninth = s.run(async () => {
            ninthStarted = true;
        });
        for (const open of gates.splice(0, 4)) open();
        await new Promise((r) => setImmediate(r));
        expect(ninthStarted).toBe(false);
        gates.shift()!();
        await new Promise((r) => setImmediate(r));
        expect(ninthStarted).toBe(true);
        for (const open of gates.splice(0)) open();
        await Promise.all([...running, ninth]);
        for (let i = 0; i < 4; i++) s.recover();
        expect(s.bound).toBe(5);
        for (let i = 0; i < 100; i++) s.recover();
        expect(s.bound).toBe(8);
    });
});
