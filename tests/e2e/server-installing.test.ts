/**
 * A server that is still being installed, with the real Pulumi CLI (issue "Behave like a real
 * Airbyte server", point 13): one `pulumi up` creates the stand-in instance and the Source on
 * it, while the Airbyte server does not listen yet (connections refused), then answers 502 (an
 * ingress with nothing behind it), and its generated credentials reach Secrets Manager (moto)
 * only later. The provider waits for both, within airbyte:serverReadyTimeoutSeconds, and says
 * so in the log. tests/e2e/programs/installing/index.ts is the program.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createServer } from "node:net";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import {
    dummyAwsEnvironment,
    MOTO_REGION,
    MotoServer,
    motoSecretsManagerClient,
    startMoto,
    uniqueName,
} from "../helpers/moto";
import { linkedProject, pulumiWorkspace, ROOT, Workspace } from "../helpers/pulumi-cli";

// From the start of `pulumi up`. The credentials come before the server answers here, so that
// both waits show: the provider reads them before it contacts the server (with abctl they come
// last, and the wait for them alone covers the install).
const CREDENTIALS_AFTER_MS = 12_000;
const SERVER_STARTS_AFTER_MS = 14_000;
const SERVER_UNAVAILABLE_MS = 6_000;

let moto: MotoServer;
let sm: SecretsManagerClient;
let ws: Workspace;
let emulator: EmulatorHandle | undefined;
const timers: NodeJS.Timeout[] = [];

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
        });
    });
}

beforeAll(async () => {
    moto = await startMoto();
    sm = await motoSecretsManagerClient(moto.endpoint);
}, 60_000);

afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    ws?.dispose();
    await emulator?.close();
    await moto?.stop();
});

test("one pulumi up waits for the server to come up and for its credentials, then creates the source", async () => {
    const commands = await import("@aws-sdk/client-secrets-manager");
    const port = await freePort();
    const secretName = uniqueName("airbyte/e2e/instance-admin");
    // The stack's part: an empty secret, which the instance fills when its install is done.
    await sm.send(new commands.CreateSecretCommand({ Name: secretName }));
    const reference = (key: string) => ({ secretsManager: { secretId: secretName, key } });
    const env = {
        ...dummyAwsEnvironment(),
        AWS_REGION: MOTO_REGION,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
        AIRBYTE_PROVIDER_LOG: process.env.E2E_PROVIDER_LOG ?? "info",
    };
    ws = await pulumiWorkspace(linkedProject(join(ROOT, "tests/e2e/programs/installing"), "airbyte-installing"), {
        env,
    });
    await ws.config("installing:address", `http://127.0.0.1:${port}`);
    await ws.config("installing:mssqlPassword", "Installing-Mssql-Passw0rd", { secret: true });
    await ws.config(
        "airbyte:profiles",
        JSON.stringify({ instance: { clientId: reference("client_id"), clientSecret: reference("client_secret") } }),
    );
    await ws.config("airbyte:serverReadyTimeoutSeconds", "180");
    // One quick retry of its own, so that the readiness wait (not the retry budget) covers the outage.
    await ws.config("airbyte:retryLimit", "1");

    const credentials = { clientId: "abctl-generated-client", clientSecret: "abctl-generated-Secret-4u7Q" };
    const started = Date.now();
    timers.push(
        setTimeout(() => {
            void startEmulator({ port, profile: "2.0", ...credentials, unavailableForMs: SERVER_UNAVAILABLE_MS }).then(
                (e) => (emulator = e),
            );
        }, SERVER_STARTS_AFTER_MS),
        setTimeout(() => {
            void sm.send(
                new commands.PutSecretValueCommand({
                    SecretId: secretName,
                    SecretString: JSON.stringify({
                        client_id: credentials.clientId,
                        client_secret: credentials.clientSecret,
                    }),
                }),
            );
        }, CREDENTIALS_AFTER_MS),
    );

    const { stdout, stderr } = await ws.run(["up", "--yes"]);
    const took = Date.now() - started;
    expect(stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/airbyte:Source\s+sales-mssql\s+created/);
    expect(took).toBeGreaterThanOrEqual(SERVER_STARTS_AFTER_MS + SERVER_UNAVAILABLE_MS);
    const sourceId = (await ws.outputs()).sourceId;
    expect(emulator!.counters().created.sources).toBe(1);
    expect(emulator!.storedConfiguration("source", sourceId)?.password).toBe("Installing-Mssql-Passw0rd");
    // What the user reads meanwhile: the waits, with progress.
    const log = stdout + stderr;
    expect(log).toMatch(
        new RegExp(
            `waiting for Secrets Manager secret "${secretName}" key "client_id" to hold the server's credentials`,
        ),
    );
    expect(log).toMatch(
        new RegExp(
            `the Airbyte server at http://127.0.0.1:${port} does not answer \\((ECONNREFUSED|ERR_SOCKET_CLOSED_BEFORE_CONNECTION|HTTP 502)\\); waiting up to 180 s`,
        ),
    );
    expect(log).toMatch(/answers after \d+ s/);
    expect(log).not.toContain(credentials.clientSecret);
}, 300_000);
