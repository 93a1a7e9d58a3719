/**
 * End to end with the real Pulumi CLI and engine: the demo program (examples/demo, the root
 * stack) against the emulator playing Airbyte 2.0 with auth on, with the MSSQL password in
 * Secrets Manager (moto), once through each of Airbyte's APIs. The steps run in order and share
 * one stack, like a user's day; midway the stack switches to the other API and sees no change.
 */
import { DEFINITIONS } from "../emulator/helpers";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { readFileSync } from "node:fs";
import { startDemoStack, type DemoStack } from "../helpers/demo-stack";
import { COMMON_FLAGS, pulumiWorkspace, REVIEW_PREVIEW, ROOT, Workspace } from "../helpers/pulumi-cli";
import { join } from "node:path";
import { emulatorApi } from "../reliability/helpers";

/** Points a stack at the emulator through one of Airbyte's APIs, with abctl's instance-admin credentials. */
async function useApi(ws: Workspace, api: "config" | "public"): Promise<void> {
    await ws.config("airbyte:serverUrl", emulator.url);
    await ws.config("airbyte:api", api);
    await ws.config("airbyte:clientId", emulator.credentials.clientId);
    await ws.config("airbyte:clientSecret", emulator.credentials.clientSecret, { secret: true });
}

let emulator: EmulatorHandle;

/**
 * The leaf property changes of a `preview --diff` (`~ database: "sales" => "sales_eu"`), with the
 * display's column alignment removed; container lines (`~ configuration: {`) are left out.
 */
function propertyChanges(output: string): string[] {
    return output
        .split("\n")
        .map((l) => l.trim().replace(/^([~+-])\s+([\w.[\]"]+)\s*:/, "$1 $2:"))
        .filter((l) => /^[~+-] [\w.[\]"]+:/.test(l) && !/[{[]$/.test(l));
}

/**
 * The most lines of `preview --diff` (resource blocks, headers included) per changed value that
 * the two-value pull request may take. Measured at 0.2: 30 (60 lines for 2 values; 0.1 printed
 * 72, of which 13 were derived values). What remains is Pulumi's id and urn lines and the user's
 * own unchanged inputs, which Pulumi prints as context for dynamic resources.
 */
const PREVIEW_LINES_PER_CHANGE = 30;

/** The resource blocks of a preview: from the first resource line to the summary. */
function previewBody(stdout: string): string[] {
    const lines = stdout.split("\n");
    const start = lines.findIndex((l) => /pulumi-nodejs:dynamic\/airbyte:\w+: \(/.test(l));
    const end = lines.findIndex((l) => /^Resources:/.test(l));
    return lines.slice(start, end).filter((l) => l.trim() !== "");
}

/** A preview with what differs between runs (ids, ports, ARN suffixes, versions) replaced by placeholders. */
function stablePreview(stdout: string): string {
    return previewBody(stdout)
        .join("\n")
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
        .replace(/secret:[\w/.-]+-[A-Za-z0-9]{6}"/g, 'secret:demo/sales-mssql-AbCdEf"')
        .replace(/urn:pulumi:[^:]+::[^:]+::/g, "urn:pulumi:dev::airbyte-demo::");
}

/**
 * README's pull-request preview is this run's output, so it cannot drift from what users see.
 * `UPDATE_README=1 npm run test:e2e` rewrites it; otherwise a difference fails the test.
 */
/** The CLI release README's preview was generated with (scripts/pulumi-cli.sh's default). */
const README_PREVIEW_CLI = "v3.248.0";
async function expectReadmePreview(ws: Workspace, stdout: string): Promise<void> {
    const { readFile, writeFile } = await import("node:fs/promises");
    const path = join(ROOT, "README.md");
    const readme = await readFile(path, "utf8");
    const block = /(<!-- preview:start -->\n```\n)([\s\S]*?)\n?(```\n<!-- preview:end -->)/;
    expect(readme).toMatch(block);
    const actual = stablePreview(stdout);
    if (process.env.UPDATE_README === "1")
        await writeFile(
            path,
            readme.replace(block, (_m, a: string, _b: string, c: string) => `${a}${actual}\n${c}`),
        );
    else if ((await ws.run(["version"])).stdout.trim() === README_PREVIEW_CLI)
        expect(block.exec(readme)?.[2]).toBe(actual);
    // Another CLI release may lay the display out differently: the changes themselves must match.
    else expect(propertyChanges(block.exec(readme)?.[2] ?? "")).toEqual(propertyChanges(actual));
}

describe.each(["config", "public"] as const)("the demo stack through the %s API", (API) => {
    let stack: DemoStack;
    let ws: Workspace;
    let secretArn: string;
    let sm: DemoStack["sm"];
    let commands: DemoStack["commands"];
    const PASSWORDS = ["Demo-Mssql-Passw0rd-1st", "Demo-Mssql-Passw0rd-2nd"];

    /**
     * A Config API call made directly on the emulator (drift, out-of-band deletes), as the UI makes it; throws on HTTP
     * errors.
     */
    const api = (path: string, body: unknown) => emulatorApi(emulator, path, body, emulator.issueToken());

    beforeAll(async () => {
        emulator = await startEmulator({ profile: "2.0" });
        stack = await startDemoStack("airbyte-demo", { username: "airbyte_reader", password: PASSWORDS[0]! });
        ({ ws, secretArn, sm, commands } = stack);
        await useApi(ws, API);
    }, 120_000);

    afterAll(async () => {
        await stack?.dispose();
        await emulator?.close();
    });

    test("up creates source, destination and connection, with the ids chained", async () => {
        const { stdout } = await ws.run(["up", "--yes", "--skip-preview"]);
        expect(stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/airbyte:Source\s+mssql\s+created/);
        expect(stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/airbyte:Destination\s+s3\s+created/);
        expect(stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/airbyte:Connection\s+mssql-to-s3\s+created/);
        const outputs = await ws.outputs();
        const connection = await api("connections/get", { connectionId: outputs.connectionId });
        expect(connection).toMatchObject({
            sourceId: outputs.sourceId,
            destinationId: outputs.destinationId,
            scheduleType: "cron",
        });
        expect(outputs.streams).toBe(2);
        expect(emulator.storedConfiguration("source", outputs.sourceId)?.password).toBe(PASSWORDS[0]);
    });

    test("preview with nothing changed reports no changes and calls Airbyte not once", async () => {
        emulator.clearLog();
        const { stdout } = await ws.run(["preview", "--diff", "--expect-no-changes"]);
        expect(propertyChanges(stdout)).toEqual([]);
        expect(stdout).toMatch(/4 unchanged/);
        expect(emulator.requests()).toEqual([]);
    });

    test("a check failure names the property as written and shows its value, never {<nil>}", async () => {
        await ws.config("demo:cron", "0 0 * * *");
        const failed = await ws.run(["preview"], { allowFailure: true });
        const output = failed.stdout + failed.stderr;
        expect(failed.code).not.toBe(0);
        expect(output).toMatch(/Connection resource 'mssql-to-s3' has a problem: schedule\.cron "0 0 \* \* \*": /);
        expect(output).not.toContain("<nil>");
        await ws.config("demo:cron", "0 0 * * * ?");
    });

    test("a pull request changing two values: preview --diff shows those two and nothing derived, and up applies them", async () => {
        await ws.config("demo:database", "sales_eu");
        await ws.config("demo:cron", "0 0 0/6 * * ?");
        const { stdout } = await ws.run(REVIEW_PREVIEW);
        expect(propertyChanges(stdout)).toEqual([
            '~ database: "sales" => "sales_eu"',
            '~ cron: "0 0 * * * ?" => "0 0 0/6 * * ?"',
        ]);
        expect(stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/airbyte:Source: \(update\)/);
        // Nothing the user did not write: derived values are internal (`__resolved`), never printed.
        for (const internal of ["resolved", "definitionId", "workspaceFrom", "secretVersions", "serverUrl"])
            expect(stdout).not.toContain(internal);
        // Lines per changed value: Pulumi prints a dynamic resource's unchanged inputs as context
        // (dynamic providers cannot return a detailed diff), so what remains is what the user wrote.
        if (API === "config") await expectReadmePreview(ws, stdout);
        expect(previewBody(stdout).length / 2).toBeLessThanOrEqual(PREVIEW_LINES_PER_CHANGE);
        const up = await ws.run(["up", "--yes", "--skip-preview"]);
        expect(up.stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/airbyte:Source\s+mssql\s+updated/);
        expect(up.stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/airbyte:Connection\s+mssql-to-s3\s+updated/);
        expect(up.stdout).toMatch(/2 updated/);
        const { sourceId, connectionId } = await ws.outputs();
        expect(emulator.storedConfiguration("source", sourceId)).toMatchObject({
            database: "sales_eu",
            password: PASSWORDS[0],
        });
        expect(await api("connections/get", { connectionId })).toMatchObject({
            scheduleData: { cron: { cronExpression: "0 0 0/6 * * ?" } },
        });
    });

    test("a rotation in Secrets Manager: the next up updates the source with the new password", async () => {
        await sm.send(
            new commands.PutSecretValueCommand({
                SecretId: secretArn,
                SecretString: JSON.stringify({ username: "airbyte_reader", password: PASSWORDS[1] }),
            }),
        );
        const preview = await ws.run(["preview", "--diff"]);
        // The rotation reads as a change of that secret's version, next to the secret.
        expect(propertyChanges(preview.stdout)).toEqual([expect.stringMatching(/^~ versionId: "[^"]+" => "[^"]+"$/)]);
        expect(preview.stdout).toMatch(/~ secrets\s*: {\s*\n\s*~ password: {\s*\n\s*~ secretsManager: {/);
        expect(preview.stdout).not.toContain("resolved");
        expect(preview.stdout).not.toContain(PASSWORDS[1]);
        const up = await ws.run(["up", "--yes", "--skip-preview"]);
        expect(up.stdout).toMatch(/mssql\s+updated/);
        const { sourceId } = await ws.outputs();
        expect(emulator.storedConfiguration("source", sourceId)?.password).toBe(PASSWORDS[1]);
        await ws.run(["preview", "--expect-no-changes"]);
    });

    test("drift made directly in Airbyte is detected by refresh and undone by up", async () => {
        const { sourceId } = await ws.outputs();
        const live = await api("sources/get", { sourceId });
        await api("sources/update", {
            sourceId,
            name: live.name,
            connectionConfiguration: { ...live.connectionConfiguration, port: 1434 },
        });
        const refresh = await ws.run(["refresh", "--yes", "--diff"]);
        expect(refresh.stdout).toMatch(/~ port\s*: 1433 => 1434/);
        const preview = await ws.run(["preview", "--diff"]);
        expect(propertyChanges(preview.stdout)).toEqual(["~ port: 1434 => 1433"]);
        await ws.run(["up", "--yes", "--skip-preview"]);
        expect(emulator.storedConfiguration("source", sourceId)).toMatchObject({ port: 1433, password: PASSWORDS[1] });
    });

    test("a resource deleted out of band is dropped by refresh and recreated by up", async () => {
        const { connectionId } = await ws.outputs();
        await api("connections/delete", { connectionId });
        const refresh = await ws.run(["refresh", "--yes"]);
        expect(refresh.stdout).toMatch(/-\s+pulumi-nodejs:dynamic\/airbyte:Connection\s+mssql-to-s3\s+deleted/);
        const up = await ws.run(["up", "--yes", "--skip-preview"]);
        expect(up.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/airbyte:Connection\s+mssql-to-s3\s+created/);
        expect((await ws.outputs()).connectionId).not.toBe(connectionId);
    });

    test("switched to the other API, the stack shows no change: same ids, no replace, no update", async () => {
        const other = API === "config" ? "public" : "config";
        const before = await ws.outputs();
        await useApi(ws, other);
        emulator.clearLog();
        await ws.run(["preview", "--diff", "--expect-no-changes"]);
        expect(emulator.requests()).toEqual([]);
        // refresh runs on the provider configuration recorded at the last up (the engine does not run
        // the program), so the switch reaches refresh after an up, which itself changes nothing.
        const up = await ws.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
        expect(up.stdout).toMatch(/4 unchanged/);
        const refresh = await ws.run(["refresh", "--yes", "--expect-no-changes"]);
        expect(refresh.stdout).not.toMatch(/updated|deleted/);
        // The refresh went through the other API.
        const used = emulator.requests().map((r) => r.operation ?? "");
        expect(used.some((o) => (other === "public" ? o.startsWith("public/") : !o.startsWith("public/")))).toBe(true);
        await ws.run(["preview", "--diff", "--expect-no-changes"]);
        expect(await ws.outputs()).toEqual(before);
        await useApi(ws, API);
    });

    test("pulumi stack export (without --show-secrets) contains no plaintext password", async () => {
        const exported = JSON.stringify(await ws.exportStack());
        for (const password of PASSWORDS) expect(exported).not.toContain(password);
        expect(exported).toContain(secretArn); // the reference is what state keeps
    });

    test("an existing Airbyte source is adopted by a second stack; its first preview shows no change", async () => {
        const existing = await api("sources/create", {
            workspaceId: emulator.defaultWorkspaceId,
            name: "mssql",
            sourceDefinitionId: DEFINITIONS.mssql,
            connectionConfiguration: {
                host: "mssql.sales.internal",
                port: 1433,
                database: "legacy",
                schemas: ["dbo"],
                username: "airbyte_reader",
                password: "clicked-in-the-ui",
                ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
                replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
                tunnel_method: { tunnel_method: "NO_TUNNEL" },
            },
        });
        const second = await pulumiWorkspace(ws.dir, { stack: "adopt", env: ws.env });
        try {
            await useApi(second, API);
            await second.config("demo:mssqlPasswordSecretId", secretArn);
            await second.config("demo:adoptSourceId", existing.sourceId);
            emulator.clearLog();
            await second.run(["up", "--yes", "--skip-preview"]);
            expect(
                emulator.requests({ operation: API === "config" ? "sources/create" : "public/sources/create" }),
            ).toEqual([]);
            expect((await second.outputs()).sourceId).toBe(existing.sourceId);
            expect(emulator.storedConfiguration("source", existing.sourceId)).toMatchObject({
                database: "sales",
                password: PASSWORDS[1],
            });
            await second.run(["refresh", "--yes"]);
            await second.run(["preview", "--expect-no-changes"]);
            await second.run(["destroy", "--yes"]);
        } finally {
            second.dispose();
        }
    });

    test("destroy deletes everything: the emulator has no sources, destinations or connections left", async () => {
        const { stdout } = await ws.run(["destroy", "--yes", "--skip-preview"]);
        expect(stdout).toMatch(/-\s+pulumi-nodejs:dynamic\/airbyte:Source\s+mssql\s+deleted/);
        const workspaceId = emulator.defaultWorkspaceId;
        expect((await api("sources/list", { workspaceId })).sources).toEqual([]);
        expect((await api("destinations/list", { workspaceId })).destinations).toEqual([]);
        expect((await api("connections/list", { workspaceId })).connections).toEqual([]);
    });

    test("the pull-request recipe runs the same preview command as these tests", () => {
        const workflow = readFileSync(join(ROOT, "examples/github-actions/preview.yml"), "utf8");
        expect(workflow).toContain(`pulumi ${[...REVIEW_PREVIEW, ...COMMON_FLAGS].join(" ")} --stack`);
    });
});
