/**
 * Sources whose passwords come from AWS Secrets Manager (moto, real AWS SDK), through the
 * serialized providers against the emulator: the value reaches Airbyte and nowhere else,
 * rotation is detected and pushed, and every failure names the secret and creates nothing.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startEmulator } from "../../emulator";
import { AirbyteTarget, createLogPattern, needsAdmin, startTarget } from "../helpers/airbyte-target";
import { clean, mssqlArgs } from "../helpers/fixtures";
import {
    createIamUser,
    dummyAwsEnvironment,
    MotoServer,
    motoSecretsManagerClient,
    startMoto,
    uniqueName,
    withIamDisabled,
    MOTO_REGION,
} from "../helpers/moto";
import { captureProviderLog, type LogCapture } from "../reliability/helpers";
import {
    CheckFailedError,
    destroy,
    failureOf,
    newProviderProcess,
    preview,
    refresh,
    RevivedProvider,
    reviveProvider,
    runtimeModule,
    setRealEnv,
    up,
} from "../helpers/providers";

let target: AirbyteTarget;
let moto: MotoServer;
let sm: SecretsManagerClient;
let sources: RevivedProvider;
let restoreEnv: () => void;
let commands: typeof import("@aws-sdk/client-secrets-manager");

/** Everything the provider process writes to stderr (its log lines, debug included). */
let log: LogCapture;

beforeAll(async () => {
    moto = await startMoto();
    restoreEnv = setRealEnv({
        ...dummyAwsEnvironment(),
        AWS_REGION: MOTO_REGION,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
        AIRBYTE_PROVIDER_LOG: "debug",
    });
    log = captureProviderLog();
    commands = await import("@aws-sdk/client-secrets-manager");
    sm = await motoSecretsManagerClient(moto.endpoint);
    target = await startTarget();
    sources = await reviveProvider("Source", target.config);
}, 60_000);
afterAll(async () => {
    log?.stop();
    restoreEnv?.();
    await target?.close();
    await moto?.stop();
});

async function createSecret(
    value: { SecretString?: string; SecretBinary?: Uint8Array },
    name = uniqueName("mssql"),
): Promise<string> {
    return (await sm.send(new commands.CreateSecretCommand({ Name: name, ...value }))).ARN!;
}

function smArgs(secretId: string, key?: string, extra: Record<string, unknown> = {}) {
    return clean(
        mssqlArgs({ secrets: { password: { secretsManager: { secretId, ...(key ? { key } : {}) } } }, ...extra }),
    );
}

test("the password reaches Airbyte and appears nowhere else: state, serialized provider, logs, refresh, update", async () => {
    const admin = needsAdmin(target);
    const password = `Pw-${uniqueName("create")}-xyzzy`;
    const arn = await createSecret({ SecretString: JSON.stringify({ username: "airbyte", password }) });
    const created = (await up(sources, smArgs(arn, "password"))).state;
    expect(await admin.storedConfiguration("source", created.id)).toMatchObject({ password });
    // State keeps the reference and, next to it, the version check saw (shown by previews when it changes).
    expect(created.inputs.secrets).toEqual({
        password: { secretsManager: { secretId: arn, key: "password", versionId: expect.stringMatching(/.+/) } },
    });
    expect((created.outputs.__resolved as any).secretVersions.password).toBe(
        (created.inputs.secrets as any).password.secretsManager.versionId,
    );
    expect(created.inputs).not.toHaveProperty("resolved");
    await newProviderProcess();
    const refreshed = (await refresh(sources, created))!;
    const updated = (await up(sources, smArgs(arn, "password", { configuration: { database: "sales_eu" } }), refreshed))
        .state;
    expect(await admin.storedConfiguration("source", created.id)).toMatchObject({ database: "sales_eu", password });
    for (const [what, text] of Object.entries({
        created,
        refreshed,
        updated,
        provider: sources.text,
        logs: log.lines.join(""),
    })) {
        expect({ what, leaked: JSON.stringify(text).includes(password) }).toEqual({ what, leaked: false });
    }
    // Debug logging was on and logged the request bodies, with the password redacted.
    expect(log.lines.join("")).toMatch(new RegExp(`${createLogPattern("source")} .*"password":"\\[redacted\\]"`));
    await destroy(sources, updated);
});

test("state written before 0.2 (derived values under a visible `resolved`, no versions next to secrets) plans no change", async () => {
    const arn = await createSecret({ SecretString: JSON.stringify({ password: "legacy-Passw0rd-1" }) });
    const current = (await up(sources, smArgs(arn, "password", { name: "legacy" }))).state;
    /** What 0.1 wrote: `resolved` instead of `__resolved`, and references without their version. */
    const legacy = (props: Record<string, unknown>) => {
        const { __resolved, ...rest } = props as Record<string, any>;
        return {
            ...rest,
            resolved: __resolved,
            secrets: { password: { secretsManager: { secretId: arn, key: "password" } } },
        };
    };
    const old = { ...current, inputs: legacy(current.inputs), outputs: legacy(current.outputs) };
    await newProviderProcess();
    const plan = await preview(sources, smArgs(arn, "password", { name: "legacy" }), old);
    expect(plan.step).toBe("same");
    // The engine keeps check's inputs for an unchanged resource: state moves to the new layout.
    expect(plan.inputs).not.toHaveProperty("resolved");
    expect((plan.inputs as any).secrets.password.secretsManager.versionId).toBe(
        (current.inputs as any).secrets.password.secretsManager.versionId,
    );
    await destroy(sources, current);
});

test("rotation in Secrets Manager: exactly that resource plans an update, which sends the new value", async () => {
    const admin = needsAdmin(target);
    const rotatedArn = await createSecret({ SecretString: JSON.stringify({ password: "first-Passw0rd-1" }) });
    const steadyArn = await createSecret({ SecretString: JSON.stringify({ password: "steady-Passw0rd-2" }) });
    const rotated = (await up(sources, smArgs(rotatedArn, "password", { name: "rotated" }))).state;
    const steady = (await up(sources, smArgs(steadyArn, "password", { name: "steady" }))).state;
    const plain = (await up(sources, clean(mssqlArgs({ name: "plain" })))).state;

    await newProviderProcess();
    expect((await preview(sources, smArgs(rotatedArn, "password", { name: "rotated" }), rotated)).step).toBe("same");

    await sm.send(
        new commands.PutSecretValueCommand({
            SecretId: rotatedArn,
            SecretString: JSON.stringify({ password: "second-Passw0rd-3" }),
        }),
    );
    await newProviderProcess();
    const plan = await preview(sources, smArgs(rotatedArn, "password", { name: "rotated" }), rotated);
    expect(plan.step).toBe("update");
    // The preview names the secret field through its version, never the value.
    expect((plan.inputs as any).secrets.password.secretsManager.versionId).not.toBe(
        (rotated.inputs as any).secrets.password.secretsManager.versionId,
    );
    expect((await preview(sources, smArgs(steadyArn, "password", { name: "steady" }), steady)).step).toBe("same");
    expect((await preview(sources, clean(mssqlArgs({ name: "plain" })), plain)).step).toBe("same");

    const after = (await up(sources, smArgs(rotatedArn, "password", { name: "rotated" }), rotated)).state;
    expect(await admin.storedConfiguration("source", rotated.id)).toMatchObject({ password: "second-Passw0rd-3" });
    await newProviderProcess();
    expect((await preview(sources, smArgs(rotatedArn, "password", { name: "rotated" }), after)).step).toBe("same");
    for (const s of [after, steady, plain]) await destroy(sources, s);
});

test("a no-op preview reads no secret value and describes each distinct secret once", async () => {
    const arn = await createSecret({ SecretString: JSON.stringify({ password: "once-Passw0rd-4" }) });
    const a = (await up(sources, smArgs(arn, "password", { name: "a" }))).state;
    const b = (await up(sources, smArgs(arn, "password", { name: "b" }))).state;
    await newProviderProcess();
    const before = await sm.send(new commands.DescribeSecretCommand({ SecretId: arn })); // warm moto, not counted
    expect(before.ARN).toBe(arn);
    const runtime: any = await runtimeModule();
    const counts = () => runtime.secretsManagerCallCounts();
    await preview(sources, smArgs(arn, "password", { name: "a" }), a);
    await preview(sources, smArgs(arn, "password", { name: "b" }), b);
    expect(counts()).toEqual({ describeSecret: 1, getSecretValue: 0 });
    for (const s of [a, b]) await destroy(sources, s);
});

test.each(["clientSecret", "token"] as const)(
    "the Airbyte %s in provider config can be a Secrets Manager reference",
    async (setting) => {
        const clientSecret = `client-secret-${uniqueName("cs")}`;
        const emu = await startEmulator({ auth: "simple", clientSecret });
        try {
            // The client secret, or a bearer token the server issued (kept with a trailing newline,
            // as secrets pasted into Secrets Manager often are).
            const credential = setting === "clientSecret" ? clientSecret : `${emu.issueToken()}\n`;
            const arn = await createSecret({ SecretString: JSON.stringify({ credential }) });
            const reference = JSON.stringify({ secretsManager: { secretId: arn, key: "credential" } });
            const config: Record<string, string> =
                setting === "clientSecret"
                    ? {
                          "airbyte:serverUrl": emu.url,
                          "airbyte:clientId": emu.credentials.clientId,
                          "airbyte:clientSecret": reference,
                      }
                    : { "airbyte:serverUrl": emu.url, "airbyte:token": reference };
            const tokensBefore = emu.counters().tokensIssued;
            await newProviderProcess();
            const p = await reviveProvider("Source", config);
            const { state } = await up(p, clean(mssqlArgs()));
            // Client credentials fetch one token; a static token needs none.
            expect(emu.counters().tokensIssued - tokensBefore).toBe(setting === "clientSecret" ? 1 : 0);
            expect(JSON.stringify(state)).not.toContain(credential.trim());
            expect(log.lines.join("")).not.toContain(credential.trim());
            await destroy(p, state);
        } finally {
            await emu.close();
            await newProviderProcess();
            sources = await reviveProvider("Source", target.config);
        }
    },
);

describe("failures name the secret (and key), never the value, and nothing is created", () => {
    const VALUE = "Never-Show-This-Value-42";
    let before: Record<string, number>;
    beforeEach(async () => {
        before = (await needsAdmin(target).counters()).created;
        await newProviderProcess();
    });
    afterEach(async () => {
        expect((await needsAdmin(target).counters()).created).toEqual(before);
    });

    /** The failure message of creating a source with `args`, checked for the value. */
    async function failureMessage(args: Record<string, unknown>): Promise<string> {
        const error = await failureOf(up(sources, args));
        expect(error).toBeDefined();
        const text =
            error instanceof CheckFailedError
                ? error.failures.map((f) => `${f.property}: ${f.reason}`).join("\n")
                : String(error.message);
        expect(text + String(error.stack)).not.toContain(VALUE);
        return text;
    }

    test("missing secret", async () => {
        expect(await failureMessage(smArgs("db/does-not-exist", "password"))).toMatch(
            /^secrets\.password: .*db\/does-not-exist/,
        );
    });
    test("secret deleted for good (no recovery window)", async () => {
        const arn = await createSecret({ SecretString: JSON.stringify({ password: VALUE }) });
        await sm.send(new commands.DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
        const text = await failureMessage(smArgs(arn, "password"));
        expect(text).toMatch(/^secrets\.password: /);
        expect(text).toContain(arn);
    });
    test("missing key in the JSON", async () => {
        const arn = await createSecret({ SecretString: JSON.stringify({ pass: VALUE }) });
        const text = await failureMessage(smArgs(arn, "password"));
        expect(text).toMatch(/^secrets\.password: .*key "password".*pass/);
        expect(text).toContain(arn);
    });
    test("non-JSON SecretString with a key", async () => {
        const arn = await createSecret({ SecretString: VALUE });
        const text = await failureMessage(smArgs(arn, "password"));
        expect(text).toMatch(/^secrets\.password: .*not .*JSON/i);
        expect(text).toContain(arn);
        expect(text).toContain('"password"');
    });
    test("binary secret", async () => {
        const arn = await createSecret({ SecretBinary: Buffer.from(VALUE) });
        const text = await failureMessage(smArgs(arn));
        expect(text).toMatch(/^secrets\.password: .*binary/i);
        expect(text).toContain(arn);
    });
    test("region mismatch", async () => {
        const text = await failureMessage(
            clean(
                mssqlArgs({
                    secrets: {
                        password: {
                            secretsManager: {
                                secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                                region: "us-east-1",
                            },
                        },
                    },
                }),
            ),
        );
        expect(text).toMatch(/^secrets\.password\.secretsManager\.region: .*eu-west-1/);
    });
    test("secret scheduled for deletion", async () => {
        const arn = await createSecret({ SecretString: JSON.stringify({ password: VALUE }) });
        await sm.send(new commands.DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
        const text = await failureMessage(smArgs(arn, "password"));
        expect(text).toMatch(/^secrets\.password: .*(deleted|deletion)/i);
        expect(text).toContain(arn);
    });
    test("access denied", async () => {
        const iam = await startMoto({ enforceIam: true });
        try {
            const { arn, user } = await withIamDisabled(iam, async () => {
                const client = await motoSecretsManagerClient(iam.endpoint);
                const arn = (
                    await client.send(
                        new commands.CreateSecretCommand({
                            Name: uniqueName("denied"),
                            SecretString: JSON.stringify({ password: VALUE }),
                        }),
                    )
                ).ARN!;
                const user = await createIamUser(iam.endpoint, uniqueName("reader"), {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Deny", Action: "secretsmanager:*", Resource: "*" }],
                });
                return { arn, user };
            });
            const restore = setRealEnv({
                AWS_ENDPOINT_URL_SECRETS_MANAGER: iam.endpoint,
                AWS_ACCESS_KEY_ID: user.accessKeyId,
                AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
            });
            try {
                const text = await failureMessage(smArgs(arn, "password"));
                expect(text).toMatch(/^secrets\.password: .*(access|denied|not authorized)/i);
                expect(text).toContain(arn);
            } finally {
                restore();
            }
        } finally {
            await iam.stop();
        }
    }, 60_000);
});
