/**
 * Load, with the real Pulumi CLI: one `pulumi up` creates 70 source/destination/connection
 * triples (210 resources) with up to 64 resource operations in parallel, against an emulator
 * that admits only 4 requests at a time and answers the rest 429 with Retry-After, and that
 * requires tokens (client credentials). Every resource must be created exactly once, nothing
 * may be left untracked, and no access token or client secret may reach the state.
 */
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { linkedProject, pulumiWorkspace, ROOT, Workspace } from "../helpers/pulumi-cli";
import { leaksIn, liveIds } from "../reliability/helpers";

const TRIPLES = 70;
const SERVER_CONCURRENCY = 4;
const DB_PASSWORD = "Fleet-Db-Passw0rd-Load";
const CLIENT_SECRET = "Load-Client-Secret-7fQ2xZ";

let emulator: EmulatorHandle;
let ws: Workspace;

beforeAll(async () => {
    emulator = await startEmulator({
        auth: "simple",
        clientSecret: CLIENT_SECRET,
        maxConcurrency: SERVER_CONCURRENCY,
        latencyMs: 100,
    });
    ws = await pulumiWorkspace(linkedProject(join(ROOT, "tests/reliability/programs/fleet"), "airbyte-fleet"), {
        stack: "load",
    });
    await ws.config("airbyte:serverUrl", emulator.url);
    await ws.config("airbyte:clientId", emulator.credentials.clientId);
    await ws.config("airbyte:clientSecret", emulator.credentials.clientSecret, { secret: true });
    // The provider sends up to 32 requests at once: far more than the server admits.
    await ws.config("airbyte:maxConcurrentRequests", "32");
    await ws.config("fleet:count", String(TRIPLES));
    await ws.config("fleet:dbPassword", DB_PASSWORD, { secret: true });
}, 120_000);

afterAll(async () => {
    ws?.dispose();
    await emulator?.close();
});

/** Resources of the stack by type, from `pulumi stack export`. */
function resourcesOf(exported: any, type: string): { id: string }[] {
    return exported.deployment.resources.filter(
        (r: { type: string }) => r.type === `pulumi-nodejs:dynamic/airbyte:${type}`,
    );
}

test(`one up creates ${TRIPLES * 3} resources at once through a server that admits ${SERVER_CONCURRENCY} requests: each exactly once`, async () => {
    const started = Date.now();
    const { stdout } = await ws.run(["up", "--yes", "--skip-preview", "--parallel", "64"]);
    const seconds = (Date.now() - started) / 1000;
    expect(stdout).toMatch(new RegExp(`${TRIPLES * 3 + 1} created`));

    const counters = emulator.counters();
    // Exactly once, each.
    expect(counters.created).toMatchObject({ sources: TRIPLES, destinations: TRIPLES, connections: TRIPLES });
    // The server really pushed back, and the provider really ran requests side by side.
    expect(counters.concurrencyRejections).toBeGreaterThan(0);
    expect(counters.maxInFlight).toBeGreaterThan(1);

    // What exists is what the stack tracks: no duplicate, no orphan.
    const exported = await ws.exportStack();
    const live = await liveIds(emulator);
    expect(live.source).toEqual(
        resourcesOf(exported, "Source")
            .map((r) => r.id)
            .sort(),
    );
    expect(live.destination).toEqual(
        resourcesOf(exported, "Destination")
            .map((r) => r.id)
            .sort(),
    );
    expect(live.connection).toEqual(
        resourcesOf(exported, "Connection")
            .map((r) => r.id)
            .sort(),
    );
    expect(live.source).toHaveLength(TRIPLES);
    expect(exported.deployment.pending_operations ?? []).toEqual([]);

    // Tokens are never persisted; the client secret and the password stay encrypted.
    expect(
        leaksIn({ state: JSON.stringify(exported), output: stdout }, [emulator.credentials.clientSecret, DB_PASSWORD]),
    ).toEqual([]);

    const rejected = counters.concurrencyRejections;
    process.stdout.write(
        `\nload: ${TRIPLES * 3} resources created once each in ${seconds.toFixed(1)} s; ${counters.requests} requests, ${rejected} answered 429 (server limit ${SERVER_CONCURRENCY}), ` +
            `max in flight ${counters.maxInFlight}, tokens issued ${counters.tokensIssued}\n`,
    );
});

test("a second up with nothing changed plans nothing and creates nothing", async () => {
    emulator.clearLog();
    await ws.run(["preview", "--expect-no-changes"]);
    await ws.run(["up", "--yes", "--skip-preview", "--expect-no-changes", "--parallel", "64"]);
    expect(emulator.counters().created).toMatchObject({ sources: 0, destinations: 0, connections: 0 });
});

test("destroy removes all of it under the same pressure", async () => {
    await ws.run(["destroy", "--yes", "--skip-preview", "--parallel", "64"]);
    expect(await liveIds(emulator)).toEqual({ source: [], destination: [], connection: [] });
});
