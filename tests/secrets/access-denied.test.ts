/**
 * access_denied against a moto server that enforces IAM (INITIAL_NO_AUTH_ACTION_COUNT=0): an
 * IAM user whose policy denies secretsmanager:GetSecretValue and DescribeSecret, credentials
 * moto does not know, and (as a control) a user who is allowed.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
    currentSecretVersion,
    readSecretValue,
    SecretsManagerDefaults,
} from "../../provider/secrets/aws-secrets-manager";
import { resetProcessState } from "../../provider/process-state";
import type { SecretsManagerReference } from "../../provider/secrets/reference";
import {
    createIamUser,
    dummyAwsEnvironment,
    MOTO_REGION,
    MotoServer,
    motoSecretsManagerClient,
    setEnv,
    startMoto,
    uniqueName,
    withIamDisabled,
} from "../helpers/moto";
import { expectSecretError, secretValue } from "./leak-checks";

let moto: MotoServer;
let admin: SecretsManagerClient;
let restoreEnv: () => void;
let defaults: SecretsManagerDefaults;
const password = secretValue("pw");
const secretName = uniqueName("guarded");
let secretArn = "";
let denied: { accessKeyId: string; secretAccessKey: string };
let allowed: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
    restoreEnv = setEnv(dummyAwsEnvironment());
    moto = await startMoto({ enforceIam: true });
    defaults = { region: MOTO_REGION, endpoint: moto.endpoint };
    admin = await motoSecretsManagerClient(moto.endpoint);
    const sm = await import("@aws-sdk/client-secrets-manager");
    await withIamDisabled(moto, async () => {
        const created = await admin.send(
            new sm.CreateSecretCommand({ Name: secretName, SecretString: JSON.stringify({ password }) }),
        );
        secretArn = created.ARN!;
        denied = await createIamUser(moto.endpoint, uniqueName("denied"), {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "*", Resource: "*" },
                {
                    Effect: "Deny",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: "*",
                },
            ],
        });
        allowed = await createIamUser(moto.endpoint, uniqueName("allowed"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: "*",
                },
            ],
        });
    });
}, 30_000);

afterAll(async () => {
    admin?.destroy();
    resetProcessState();
    await moto?.stop();
    restoreEnv?.();
});

beforeEach(() => resetProcessState());

const ref: () => SecretsManagerReference = () => ({ secretsManager: { secretId: secretName, key: "password" } });

function asUser(credentials: { accessKeyId: string; secretAccessKey: string }): () => void {
    return setEnv({ AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
}

test("an allowed user reads the secret (IAM enforcement is not refusing everything)", async () => {
    const restore = asUser(allowed);
    try {
        expect((await currentSecretVersion(ref(), defaults)).arn).toBe(secretArn);
        expect((await readSecretValue(ref(), {}, defaults)).value).toBe(password);
    } finally {
        restore();
    }
});

test("a user whose policy denies GetSecretValue and DescribeSecret → access_denied", async () => {
    const restore = asUser(denied);
    try {
        const describe = await expectSecretError(currentSecretVersion(ref(), defaults), {
            code: "access_denied",
            secretId: secretName,
            key: "password",
            secrets: [password],
            message:
                /DescribeSecret was refused \(region us-east-1, endpoint http:\/\/127\.0\.0\.1:\d+; HTTP 403\).*secretsmanager:DescribeSecret and secretsmanager:GetSecretValue/,
        });
        expect(describe.message).toContain(`region ${MOTO_REGION}`);
        await expectSecretError(readSecretValue(ref(), {}, defaults), {
            code: "access_denied",
            secretId: secretName,
            key: "password",
            secrets: [password],
            message: /GetSecretValue was refused/,
        });
    } finally {
        restore();
    }
});

test("credentials the account does not know → access_denied", async () => {
    // dummyAwsEnvironment's "testing" keys: fine without IAM enforcement, unknown with it.
    await expectSecretError(readSecretValue({ secretsManager: { secretId: secretArn } }, {}, defaults), {
        code: "access_denied",
        secretId: secretArn,
        secrets: [password],
    });
});

test("no credentials at all → access_denied saying how to provide them", async () => {
    const restore = setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
        await expectSecretError(currentSecretVersion(ref(), defaults), {
            code: "access_denied",
            secretId: secretName,
            key: "password",
            secrets: [password],
            message: /No AWS credentials were found/,
        });
    } finally {
        restore();
    }
}, 20_000);
