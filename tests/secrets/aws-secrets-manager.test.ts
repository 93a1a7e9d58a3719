/**
 * provider/secrets/aws-secrets-manager.ts against a real moto server (no SDK mocks).
 * Needs `scripts/setup-moto.sh` once (or MOTO_ENDPOINT); see tests/helpers/moto.ts.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redact } from "../../provider/redact";
import {
    currentSecretVersion,
    readSecretValue,
    SecretResolutionError,
    SecretsManagerDefaults,
    secretsManagerCallCounts,
} from "../../provider/secrets/aws-secrets-manager";
import { resetProcessState } from "../../provider/process-state";
import type { SecretsManagerReference } from "../../provider/secrets/reference";
import {
    dummyAwsEnvironment,
    MOTO_REGION,
    MotoServer,
    motoSecretsManagerClient,
    setEnv,
    startMoto,
    uniqueName,
} from "../helpers/moto";
import { expectSecretError, secretValue } from "./leak-checks";

let moto: MotoServer;
let admin: SecretsManagerClient;
let sm: typeof import("@aws-sdk/client-secrets-manager");
let restoreEnv: () => void;
let defaults: SecretsManagerDefaults;

beforeAll(async () => {
    restoreEnv = setEnv(dummyAwsEnvironment());
    moto = await startMoto();
    sm = await import("@aws-sdk/client-secrets-manager");
    admin = await motoSecretsManagerClient(moto.endpoint);
    defaults = { region: MOTO_REGION, endpoint: moto.endpoint };
}, 30_000);

afterAll(async () => {
    admin?.destroy();
    resetProcessState();
    await moto?.stop();
    restoreEnv?.();
});

beforeEach(() => resetProcessState());

const ref = (
    secretId: string,
    extra: Partial<SecretsManagerReference["secretsManager"]> = {},
): SecretsManagerReference => ({
    secretsManager: { secretId, ...extra },
});

async function createString(
    value: string,
    name = uniqueName("secret"),
): Promise<{ name: string; arn: string; versionId: string }> {
    const out = await admin.send(new sm.CreateSecretCommand({ Name: name, SecretString: value }));
    return { name, arn: out.ARN!, versionId: out.VersionId! };
}

async function rotate(secretId: string, value: string): Promise<string> {
    const out = await admin.send(new sm.PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
    return out.VersionId!;
}

describe("reading values", () => {
    test("a plain string secret is returned whole and registered with the redactor", async () => {
        const value = secretValue("plain");
        const { name, versionId, arn } = await createString(value);
        const current = await currentSecretVersion(ref(name), defaults);
        expect(current).toEqual({ versionId, arn });
        const read = await readSecretValue(ref(name), { versionId: current.versionId }, defaults);
        expect(read).toEqual({ value, versionId });
        expect(redact(`connecting with ${value}`)).toBe("connecting with [redacted]");
    });

    test("a key is extracted from a JSON secret; numbers and booleans are stringified", async () => {
        const password = secretValue("pw");
        const { name } = await createString(JSON.stringify({ username: "etl_user", password, port: 5432, ssl: true }));
        expect((await readSecretValue(ref(name, { key: "password" }), {}, defaults)).value).toBe(password);
        expect((await readSecretValue(ref(name, { key: "username" }), {}, defaults)).value).toBe("etl_user");
        expect((await readSecretValue(ref(name, { key: "port" }), {}, defaults)).value).toBe("5432");
        expect((await readSecretValue(ref(name, { key: "ssl" }), {}, defaults)).value).toBe("true");
    });

    test("without a key, a JSON secret is returned as the whole string", async () => {
        const body = JSON.stringify({ password: secretValue("pw") });
        const { name } = await createString(body);
        expect((await readSecretValue(ref(name), undefined, defaults)).value).toBe(body);
    });

    test("a secret given by ARN is read in the ARN's region, whatever the default region", async () => {
        const value = secretValue("arn");
        const { arn, versionId } = await createString(value);
        const otherRegion = { ...defaults, region: "eu-west-1" };
        expect(await currentSecretVersion(ref(arn), otherRegion)).toEqual({ versionId, arn });
        expect((await readSecretValue(ref(arn), {}, otherRegion)).value).toBe(value);
    });

    test("the reference's endpoint and region win over the defaults", async () => {
        const value = secretValue("explicit");
        const { name } = await createString(value);
        const bogusDefaults = { region: "eu-west-1", endpoint: "http://127.0.0.1:9" };
        const read = await readSecretValue(
            ref(name, { region: MOTO_REGION, endpoint: moto.endpoint }),
            {},
            bogusDefaults,
        );
        expect(read.value).toBe(value);
    });
});

describe("versions and rotation", () => {
    test("versionStage AWSPREVIOUS reads the value before the last rotation", async () => {
        const v1 = secretValue("v1");
        const v2 = secretValue("v2");
        const { name, versionId: id1 } = await createString(JSON.stringify({ password: v1 }));
        const id2 = await rotate(name, JSON.stringify({ password: v2 }));
        const previous = ref(name, { key: "password", versionStage: "AWSPREVIOUS" });
        expect(await currentSecretVersion(previous, defaults)).toMatchObject({ versionId: id1 });
        expect(await readSecretValue(previous, {}, defaults)).toEqual({ value: v1, versionId: id1 });
        expect(await readSecretValue(ref(name, { key: "password" }), {}, defaults)).toEqual({
            value: v2,
            versionId: id2,
        });
    });

    test("currentSecretVersion changes after a rotation, but is cached until resetProcessState()", async () => {
        const v1 = secretValue("v1");
        const v2 = secretValue("v2");
        const { name, versionId: id1 } = await createString(v1);
        expect((await currentSecretVersion(ref(name), defaults)).versionId).toBe(id1);

        const id2 = await rotate(name, v2);
        expect(id2).not.toBe(id1);
        // Same process: the answer from before the rotation (a preview sees one consistent version).
        expect((await currentSecretVersion(ref(name), defaults)).versionId).toBe(id1);
        // Pinned to the version seen, the read returns that version's value even after the rotation.
        expect(await readSecretValue(ref(name), { versionId: id1 }, defaults)).toEqual({ value: v1, versionId: id1 });

        resetProcessState();
        expect((await currentSecretVersion(ref(name), defaults)).versionId).toBe(id2);
        expect(await readSecretValue(ref(name), { versionId: id2 }, defaults)).toEqual({ value: v2, versionId: id2 });
    });

    test("a custom staging label is followed", async () => {
        const { name } = await createString(secretValue("v1"));
        const id2 = await rotate(name, secretValue("v2"));
        const v3 = secretValue("v3");
        const out = await admin.send(
            new sm.PutSecretValueCommand({ SecretId: name, SecretString: v3, VersionStages: ["STAGED"] }),
        );
        expect((await currentSecretVersion(ref(name, { versionStage: "STAGED" }), defaults)).versionId).toBe(
            out.VersionId,
        );
        expect((await currentSecretVersion(ref(name), defaults)).versionId).toBe(id2);
        expect((await readSecretValue(ref(name, { versionStage: "STAGED" }), {}, defaults)).value).toBe(v3);
    });
});

describe("call counts and caching", () => {
    test("two lookups of the same secret make one DescribeSecret call; concurrent lookups share it", async () => {
        const { name } = await createString(secretValue("count"));
        expect(secretsManagerCallCounts()).toEqual({ describeSecret: 0, getSecretValue: 0 });
        await currentSecretVersion(ref(name), defaults);
        await currentSecretVersion(ref(name), defaults);
        expect(secretsManagerCallCounts().describeSecret).toBe(1);

        resetProcessState();
        await Promise.all(
            Array.from({ length: 5 }, () => currentSecretVersion(ref(name, { key: "ignored-for-describe" }), defaults)),
        );
        expect(secretsManagerCallCounts()).toEqual({ describeSecret: 1, getSecretValue: 0 });

        // A different stage is a different question.
        await rotate(name, secretValue("count2"));
        await currentSecretVersion(ref(name, { versionStage: "AWSPREVIOUS" }), defaults);
        expect(secretsManagerCallCounts().describeSecret).toBe(2);
    });

    test("reads pinned to one version share a GetSecretValue call", async () => {
        const password = secretValue("pw");
        const { name, versionId } = await createString(JSON.stringify({ user: "u", password }));
        const results = await Promise.all([
            readSecretValue(ref(name, { key: "password" }), { versionId }, defaults),
            readSecretValue(ref(name, { key: "user" }), { versionId }, defaults),
            readSecretValue(ref(name, { key: "password" }), { versionId }, defaults),
        ]);
        expect(results.map((r) => r.value)).toEqual([password, "u", password]);
        await readSecretValue(ref(name, { key: "password" }), { versionId }, defaults);
        expect(secretsManagerCallCounts()).toEqual({ describeSecret: 0, getSecretValue: 1 });
    });

    test("a failed lookup is not cached", async () => {
        const name = uniqueName("late");
        await expect(currentSecretVersion(ref(name), defaults)).rejects.toMatchObject({ code: "not_found" });
        const { versionId } = await createString(secretValue("late"), name);
        expect((await currentSecretVersion(ref(name), defaults)).versionId).toBe(versionId);
        expect(secretsManagerCallCounts().describeSecret).toBe(2);
    });
});

describe("endpoint and region from the environment", () => {
    test("AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_REGION are used when neither the reference nor the defaults say", async () => {
        const value = secretValue("env");
        const { name, versionId } = await createString(value);
        const restore = setEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint, AWS_REGION: MOTO_REGION });
        try {
            expect((await currentSecretVersion(ref(name))).versionId).toBe(versionId);
            expect((await readSecretValue(ref(name))).value).toBe(value);
        } finally {
            restore();
        }
    });

    test("AWS_ENDPOINT_URL and AWS_DEFAULT_REGION work too", async () => {
        const value = secretValue("env2");
        const { name } = await createString(value);
        const restore = setEnv({ AWS_ENDPOINT_URL: moto.endpoint, AWS_DEFAULT_REGION: MOTO_REGION });
        try {
            expect((await readSecretValue(ref(name))).value).toBe(value);
        } finally {
            restore();
        }
    });

    test("a region from the shared config profile is used when nothing else gives one", async () => {
        const value = secretValue("profile");
        const { name } = await createString(value);
        const dir = mkdtempSync(join(tmpdir(), "aws-config-"));
        writeFileSync(join(dir, "config"), `[default]\nregion = ${MOTO_REGION}\n`);
        const restore = setEnv({ AWS_CONFIG_FILE: join(dir, "config") });
        try {
            expect((await readSecretValue(ref(name), {}, { endpoint: moto.endpoint })).value).toBe(value);
        } finally {
            restore();
        }
    });
});

describe("errors name the secret and never contain a value", () => {
    test("missing secret → not_found", async () => {
        const name = uniqueName("missing");
        await expectSecretError(currentSecretVersion(ref(name), defaults), {
            code: "not_found",
            secretId: name,
            secrets: [],
            message: /not found.*region us-east-1/,
        });
        await expectSecretError(readSecretValue(ref(name, { key: "password" }), {}, defaults), {
            code: "not_found",
            secretId: name,
            key: "password",
            secrets: [],
        });
    });

    test("missing key in a JSON secret → missing_key, listing key names only", async () => {
        const values = [secretValue("pw"), secretValue("host"), secretValue("user")];
        const body = JSON.stringify({ pass_word: values[0], host: values[1], username: values[2] });
        const { name } = await createString(body);
        const error = await expectSecretError(readSecretValue(ref(name, { key: "password" }), {}, defaults), {
            code: "missing_key",
            secretId: name,
            key: "password",
            secrets: values,
        });
        expect(error.message).toContain(`"pass_word", "host", "username"`);
        expect(error.message).not.toContain(body);
    });

    test("a key holding an object or null → missing_key", async () => {
        const inner = secretValue("inner");
        const { name } = await createString(JSON.stringify({ nested: { password: inner }, nothing: null }));
        await expectSecretError(readSecretValue(ref(name, { key: "nested" }), {}, defaults), {
            code: "missing_key",
            secretId: name,
            key: "nested",
            secrets: [inner],
            message: /holds an object/,
        });
        await expectSecretError(readSecretValue(ref(name, { key: "nothing" }), {}, defaults), {
            code: "missing_key",
            secretId: name,
            key: "nothing",
            secrets: [inner],
        });
    });

    test("a key on a non-JSON SecretString → not_json", async () => {
        const value = secretValue("notjson");
        const { name } = await createString(value);
        await expectSecretError(readSecretValue(ref(name, { key: "password" }), {}, defaults), {
            code: "not_json",
            secretId: name,
            key: "password",
            secrets: [value],
            message: /is not JSON/,
        });
        // Almost-JSON: the parser's own message would quote the text.
        const inner = secretValue("almost");
        const { name: name2 } = await createString(`{"password": "${inner}"`);
        await expectSecretError(readSecretValue(ref(name2, { key: "password" }), {}, defaults), {
            code: "not_json",
            secretId: name2,
            key: "password",
            secrets: [inner],
        });
        // JSON, but not an object.
        const quoted = JSON.stringify(secretValue("quoted"));
        const { name: name3 } = await createString(quoted);
        await expectSecretError(readSecretValue(ref(name3, { key: "password" }), {}, defaults), {
            code: "not_json",
            secretId: name3,
            key: "password",
            secrets: [quoted],
            message: /JSON but a string/,
        });
    });

    test("a binary secret → binary", async () => {
        const text = secretValue("binary");
        const name = uniqueName("binary");
        await admin.send(new sm.CreateSecretCommand({ Name: name, SecretBinary: new TextEncoder().encode(text) }));
        await expectSecretError(readSecretValue(ref(name), {}, defaults), {
            code: "binary",
            secretId: name,
            secrets: [text, Buffer.from(text).toString("base64")],
            message: /SecretBinary/,
        });
    });

    test("an ARN in another region than the reference's region → region_mismatch, without calling AWS", async () => {
        const value = secretValue("region");
        const { arn } = await createString(value);
        await expectSecretError(currentSecretVersion(ref(arn, { key: "password", region: "eu-west-1" }), defaults), {
            code: "region_mismatch",
            secretId: arn,
            key: "password",
            secrets: [value],
            message: /eu-west-1.*us-east-1/,
        });
        await expectSecretError(readSecretValue(ref(arn, { region: "eu-west-1" }), {}, defaults), {
            code: "region_mismatch",
            secretId: arn,
            secrets: [value],
        });
        expect(secretsManagerCallCounts()).toEqual({ describeSecret: 0, getSecretValue: 0 });
    });

    test("a secret scheduled for deletion → deleted", async () => {
        const value = secretValue("deleted");
        const { name, versionId } = await createString(JSON.stringify({ password: value }));
        await admin.send(new sm.DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
        await expectSecretError(currentSecretVersion(ref(name, { key: "password" }), defaults), {
            code: "deleted",
            secretId: name,
            key: "password",
            secrets: [value],
            message: /scheduled for deletion.*restore-secret/,
        });
        await expectSecretError(readSecretValue(ref(name, { key: "password" }), {}, defaults), {
            code: "deleted",
            secretId: name,
            key: "password",
            secrets: [value],
        });
        await expectSecretError(readSecretValue(ref(name, { key: "password" }), { versionId }, defaults), {
            code: "deleted",
            secretId: name,
            key: "password",
            secrets: [value],
        });
    });

    test("no region anywhere → invalid_reference saying how to set one", async () => {
        const name = uniqueName("noregion");
        const restore = setEnv({
            AWS_REGION: undefined,
            AWS_DEFAULT_REGION: undefined,
            AWS_PROFILE: undefined,
            AWS_CONFIG_FILE: "/nonexistent/aws-config",
        });
        try {
            await expectSecretError(currentSecretVersion(ref(name, { key: "password" }), { endpoint: moto.endpoint }), {
                code: "invalid_reference",
                secretId: name,
                key: "password",
                secrets: [],
                message: /no AWS region.*airbyte:awsRegion.*AWS_REGION/,
            });
            await expectSecretError(readSecretValue(ref(name), {}, {}), {
                code: "invalid_reference",
                secretId: name,
                secrets: [],
            });
        } finally {
            restore();
        }
        expect(secretsManagerCallCounts()).toEqual({ describeSecret: 0, getSecretValue: 0 });
    });

    test("a malformed reference → invalid_reference", async () => {
        const empty = await currentSecretVersion({ secretsManager: { secretId: "" } }, defaults).catch(
            (error: unknown) => error as SecretResolutionError,
        );
        expect(empty).toBeInstanceOf(SecretResolutionError);
        expect((empty as SecretResolutionError).code).toBe("invalid_reference");
        expect((empty as SecretResolutionError).message).toMatch(/"secretId" must be a non-empty string/);
        const name = uniqueName("bad");
        await expectSecretError(currentSecretVersion(ref(name, { endpoint: "not a url" }), defaults), {
            code: "invalid_reference",
            secretId: name,
            secrets: [],
            message: /not an http\(s\) URL/,
        });
        await expectSecretError(
            currentSecretVersion({ secretsManager: { secretId: name, colour: "blue" } as never }, defaults),
            {
                code: "invalid_reference",
                secretId: name,
                secrets: [],
                message: /"colour" unknown field/,
            },
        );
    });

    test("an unreachable endpoint → unavailable", async () => {
        const name = uniqueName("unreachable");
        await expectSecretError(
            currentSecretVersion(ref(name), { region: MOTO_REGION, endpoint: "http://127.0.0.1:9" }),
            {
                code: "unavailable",
                secretId: name,
                secrets: [],
                message: /ECONNREFUSED.*could not be reached/,
            },
        );
    });

    test("a secret created without a value (to be written later) → no_value, not not_found", async () => {
        const name = uniqueName("empty");
        await admin.send(new sm.CreateSecretCommand({ Name: name }));
        await expectSecretError(readSecretValue(ref(name, { key: "client_secret" }), {}, defaults), {
            code: "no_value",
            secretId: name,
            key: "client_secret",
            secrets: [],
            message: /holds no value yet: no version has the staging label "AWSCURRENT" \(the secret has no versions\)/,
        });
        await expectSecretError(currentSecretVersion(ref(name), defaults), {
            code: "no_value",
            secretId: name,
            secrets: [],
            message: /the secret has no versions/,
        });
    });

    test("a pinned version that no longer exists → not_found", async () => {
        const value = secretValue("gone");
        const { name } = await createString(value);
        await expectSecretError(
            readSecretValue(ref(name), { versionId: "00000000-0000-4000-8000-000000000000" }, defaults),
            {
                code: "not_found",
                secretId: name,
                secrets: [value],
                message: /version 00000000-0000-4000-8000-000000000000/,
            },
        );
    });

    test("a staging label no version carries → no_value listing the labels", async () => {
        const value = secretValue("stage");
        const { name } = await createString(value);
        await expectSecretError(currentSecretVersion(ref(name, { versionStage: "AWSPREVIOUS" }), defaults), {
            code: "no_value",
            secretId: name,
            secrets: [value],
            message: /no version has the staging label "AWSPREVIOUS" \(labels in use: AWSCURRENT\)/,
        });
    });
});
