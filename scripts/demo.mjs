#!/usr/bin/env node
// @ts-check
/**
 * `npm run demo`: the root stack (examples/demo) end to end, on this machine only.
 *
 *  1. builds the package, installs moto, and makes the Pulumi CLI available (scripts/pulumi-cli.sh);
 *  2. starts the local Airbyte emulator and moto (AWS Secrets Manager);
 *  3. stores the MSSQL password in Secrets Manager;
 *  4. `pulumi up` on the root stack (offline file:// backend, passphrase secrets), prints the ids;
 *  5. changes one setting and shows the `pulumi preview --diff` a pull-request reviewer would see;
 *  6. `pulumi destroy`, and cleans up everything it started (processes, state, stack config).
 *
 * Environment: DEMO_KEEP=1 keeps the stack and servers running at the end (Ctrl-C to stop).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulatorProcess, startMoto } from "./lib/services.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const scratch = mkdtempSync(join(tmpdir(), "airbyte-demo-"));

const bold = (/** @type {string} */ s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (/** @type {string} */ s) => console.log(`\n${bold(`==> ${s}`)}`);

function cleanup() {
    // The emulator and moto are stopped by scripts/lib/services.mjs when this process exits.
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(ROOT, "Pulumi.demo.yaml"), { force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

/**
 * Runs a command from the repository root; its output as text.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {Omit<import("node:child_process").ExecFileSyncOptions, "encoding">} [options]
 * @returns {string}
 */
function run(command, args, options = {}) {
    return execFileSync(command, args, {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
        encoding: "utf8",
        ...options,
    });
}

async function main() {
    step("Building the package, making the Pulumi CLI available");
    run("npm", ["run", "build", "--silent"], { stdio: "inherit" });
    const cliStarted = Date.now();
    const cliDir = run(join(ROOT, "scripts/pulumi-cli.sh"), []).trim();
    console.log(`Pulumi CLI: ${cliDir} (${Math.round((Date.now() - cliStarted) / 1000)} s)`);

    step("Starting the local Airbyte emulator and moto (AWS Secrets Manager)");
    const airbyteUrl = (await startEmulatorProcess()).url;
    const motoUrl = (await startMoto()).endpoint; // installs moto (scripts/setup-moto.sh) if needed
    console.log(`Airbyte emulator: ${airbyteUrl}\nmoto:             ${motoUrl}`);

    const awsEnv = {
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "demo",
        AWS_SECRET_ACCESS_KEY: "demo",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: motoUrl,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };

    step("Storing the MSSQL password in AWS Secrets Manager");
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const { SecretsManagerClient, CreateSecretCommand } = await import("@aws-sdk/client-secrets-manager");
    const sm = new SecretsManagerClient({
        region: awsEnv.AWS_REGION,
        endpoint: motoUrl,
        credentials: { accessKeyId: "demo", secretAccessKey: "demo" },
    });
    const { ARN: secretArn } = await sm.send(
        new CreateSecretCommand({
            Name: "demo/sales-mssql",
            SecretString: JSON.stringify({
                username: "airbyte_reader",
                password: `demo-${Math.random().toString(36).slice(2)}-Pw1!`,
            }),
        }),
    );
    if (secretArn === undefined) throw new Error("CreateSecret answered without an ARN");
    console.log(`Secret: ${secretArn}`);

    const env = {
        ...process.env,
        ...awsEnv,
        PATH: `${cliDir}:${process.env.PATH}`,
        PULUMI_HOME: join(scratch, "pulumi-home"),
        PULUMI_BACKEND_URL: `file://${scratch}`,
        PULUMI_CONFIG_PASSPHRASE: "demo",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const pulumi = (/** @type {string[]} */ ...args) =>
        execFileSync("pulumi", [...args, "--non-interactive"], { cwd: ROOT, env, stdio: "inherit" });
    const pulumiOut = (/** @type {string[]} */ ...args) =>
        execFileSync("pulumi", [...args, "--non-interactive"], { cwd: ROOT, env, encoding: "utf8" });

    step("pulumi up (the root stack: MSSQL source, S3 destination, connection)");
    pulumi("stack", "init", "demo");
    pulumi("config", "set", "airbyte:serverUrl", airbyteUrl, "--plaintext");
    pulumi("config", "set", "demo:mssqlPasswordSecretId", secretArn, "--plaintext");
    pulumi("up", "--yes");
    console.log("\nOutputs (the Airbyte ids):");
    console.log(pulumiOut("stack", "output", "--json"));

    step("A change, as a pull request would make it: sync every 6 hours instead of hourly, and the EU database");
    pulumi("config", "set", "demo:cron", "0 0 0/6 * * ?", "--plaintext");
    pulumi("config", "set", "demo:database", "sales_eu", "--plaintext");
    console.log("The `pulumi preview --diff` a reviewer sees:\n");
    pulumi("preview", "--diff");

    if (process.env.DEMO_KEEP === "1") {
        console.log(
            `\nDEMO_KEEP=1: leaving the stack up. Airbyte emulator at ${airbyteUrl}. Ctrl-C to stop and clean up.`,
        );
        await new Promise(() => undefined);
    }

    step("pulumi destroy");
    pulumi("destroy", "--yes");
    pulumi("stack", "rm", "demo", "--yes");

    step(
        `Done in ${Math.round((Date.now() - started) / 1000)} s; the emulator, moto and the demo state are cleaned up.`,
    );
}

main().then(
    () => process.exit(0),
    (error) => {
        console.error(`\ndemo failed: ${error.message}`);
        process.exit(1);
    },
);
