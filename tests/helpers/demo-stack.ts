/**
 * The demo program (examples/demo) as an e2e stack: a moto server holding the MSSQL password,
 * and a Pulumi workspace whose AWS SDK points at it, with `demo:mssqlPasswordSecretId` set.
 * The Airbyte settings are the test's own (which server, which API, which credentials).
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { join } from "node:path";
import { dummyAwsEnvironment, MOTO_REGION, MotoServer, motoSecretsManagerClient, startMoto, uniqueName } from "./moto";
import { linkedProject, pulumiWorkspace, ROOT, Workspace } from "./pulumi-cli";

export interface DemoStack {
    ws: Workspace;
    moto: MotoServer;
    sm: SecretsManagerClient;
    commands: typeof import("@aws-sdk/client-secrets-manager");
    secretArn: string;
    dispose(): Promise<void>;
}

export async function startDemoStack(project: string, secretValue: Record<string, string>): Promise<DemoStack> {
    const moto = await startMoto();
    const commands = await import("@aws-sdk/client-secrets-manager");
    const sm = await motoSecretsManagerClient(moto.endpoint);
    const secretArn = (
        await sm.send(
            new commands.CreateSecretCommand({
                Name: uniqueName(`${project}/mssql`),
                SecretString: JSON.stringify(secretValue),
            }),
        )
    ).ARN!;
    const env = { ...dummyAwsEnvironment(), AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint };
    const ws = await pulumiWorkspace(linkedProject(join(ROOT, "examples/demo"), project), { env });
    await ws.config("demo:mssqlPasswordSecretId", secretArn);
    return {
        ws,
        moto,
        sm,
        commands,
        secretArn,
        dispose: async () => {
            ws.dispose();
            await moto.stop();
        },
    };
}
