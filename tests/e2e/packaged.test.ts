/**
 * The package as users get it: `npm pack`, installed into programs laid out like
 * `pulumi new typescript` (CommonJS, ts-node), next to real `@pulumi/pulumi` from the registry.
 *
 * - examples/local runs through the real CLI and engine against the emulator;
 * - examples/aws-mssql-to-s3 (which needs @pulumi/aws, whose plugin cannot be downloaded here)
 *   is type-checked, then executed whole under Pulumi's runtime mocks, and its resources and
 *   their wiring are asserted.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { pulumiWorkspace, ROOT } from "../helpers/pulumi-cli";
import { liveIds } from "../reliability/helpers";

let tarball: string;
const work = mkdtempSync(join(tmpdir(), "packaged-"));
const npmEnv = {
    ...process.env,
    NODE_OPTIONS: "",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
};

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, env: npmEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Copies an example into a fresh directory and installs it with the packed tarball. */
function installExample(example: string): string {
    const dir = join(work, example);
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(join(ROOT, "examples", example))) {
        if (entry === "node_modules" || entry === "bin" || (entry.startsWith("Pulumi.") && entry !== "Pulumi.yaml"))
            continue;
        cpSync(join(ROOT, "examples", example, entry), join(dir, entry), { recursive: true });
    }
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    pkg.dependencies["pulumi-airbyte-dynamic"] = `file:${tarball}`;
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    npm(["install", "--no-package-lock", "--loglevel=error"], dir);
    return dir;
}

beforeAll(() => {
    const out = npm(["pack", "--json", "--pack-destination", work], ROOT);
    tarball = join(work, JSON.parse(out)[0].filename);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("the tarball ships the compiled library, its types and the emulator, and nothing else", () => {
    const files = JSON.parse(npm(["pack", "--dry-run", "--json"], ROOT))[0].files.map(
        (f: { path: string }) => f.path,
    ) as string[];
    expect(files).toEqual(
        expect.arrayContaining([
            "package.json",
            "README.md",
            "dist/provider/index.js",
            "dist/provider/index.d.ts",
            "dist/provider/runtime/index.js",
            "dist/emulator/cli.js",
        ]),
    );
    // The typed connector modules (generated, provider/connectors) ship as they are: declarations and tiny helpers.
    const typedConnector =
        /^provider\/connectors\/((sources|destinations)\/[a-z0-9-]+\.(d\.ts|js)|catalog\.json|typed\.d\.ts)$/;
    expect(files).toEqual(
        expect.arrayContaining([
            "provider/connectors/sources/postgres.d.ts",
            "provider/connectors/sources/postgres.js",
            "provider/connectors/destinations/s3.d.ts",
            "provider/connectors/typed.d.ts",
        ]),
    );
    expect(
        files.filter(
            (f) =>
                !f.startsWith("dist/") &&
                !typedConnector.test(f) &&
                !["package.json", "README.md", "LICENSE"].includes(f),
        ),
    ).toEqual([]);
    expect(files.some((f) => f.includes(".test.") || f.startsWith("tests/"))).toBe(false);
});

describe("examples/local from the tarball, with the real CLI", () => {
    let emulator: EmulatorHandle;
    beforeAll(async () => {
        emulator = await startEmulator();
    });
    afterAll(() => emulator.close());

    test("type-checks, comes up, has nothing to change, keeps passwords encrypted, and goes away", async () => {
        const dir = installExample("local");
        execFileSync(join(dir, "node_modules/.bin/tsc"), ["--noEmit", "-p", dir], { env: npmEnv, stdio: "pipe" });
        // The typed connectors resolve from the tarball with the template's moduleResolution "node",
        // and a misspelled key does not compile.
        const misspelled = readFileSync(join(dir, "index.ts"), "utf8").replace(
            'host: "shop-db.internal"',
            'hots: "shop-db.internal"',
        );
        writeFileSync(join(dir, "misspelled.ts"), misspelled);
        const refused = (() => {
            try {
                execFileSync(
                    join(dir, "node_modules/.bin/tsc"),
                    [
                        "--noEmit",
                        "--strict",
                        "--module",
                        "commonjs",
                        "--moduleResolution",
                        "node",
                        "--skipLibCheck",
                        join(dir, "misspelled.ts"),
                    ],
                    { env: npmEnv, stdio: "pipe" },
                );
                return "";
            } catch (error) {
                return String((error as { stdout?: Buffer }).stdout ?? error);
            }
        })();
        rmSync(join(dir, "misspelled.ts"));
        expect(refused).toMatch(
            /misspelled\.ts\(\d+,\d+\): error TS\d+: Object literal may only specify known properties, .*'hots'/,
        );
        const ws = await pulumiWorkspace(dir, { stack: "dev" });
        try {
            await ws.config("airbyte:serverUrl", emulator.url);
            await ws.config("shopDbPassword", "Shop-Db-Passw0rd!", { secret: true });
            await ws.config("warehousePassword", "Warehouse-Passw0rd!", { secret: true });
            const up = await ws.run(["up", "--yes"]);
            expect(up.stdout).toMatch(/\+ 4 created|4 created/);
            const outputs = await ws.outputs();
            expect(emulator.storedConfiguration("source", outputs.sourceId)?.password).toBe("Shop-Db-Passw0rd!");
            await ws.run(["preview", "--expect-no-changes"]);
            const exported = JSON.stringify(await ws.exportStack());
            expect(exported).not.toContain("Shop-Db-Passw0rd!");
            expect(exported).not.toContain("Warehouse-Passw0rd!");
            await ws.run(["destroy", "--yes"]);
            expect(await liveIds(emulator)).toEqual({ source: [], destination: [], connection: [] });
        } finally {
            ws.dispose();
        }
    });
});

test("examples/aws-mssql-to-s3 type-checks and runs whole under runtime mocks, wired by Outputs", () => {
    const dir = installExample("aws-mssql-to-s3");
    execFileSync(join(dir, "node_modules/.bin/tsc"), ["-p", dir], { env: npmEnv, stdio: "pipe" });
    const { registered, exported } = JSON.parse(
        execFileSync(process.execPath, [join(dir, "bin/test/mocks.js")], { cwd: dir, env: npmEnv, encoding: "utf8" }),
    );
    const byType = (type: string) => registered.filter((r: { type: string }) => r.type === type);
    const one = (type: string) => {
        const found = byType(type);
        expect({ type, count: found.length }).toEqual({ type, count: 1 });
        return found[0];
    };
    const instance = one("aws:ec2/instance:Instance");
    const profile = one("aws:iam/instanceProfile:InstanceProfile");
    const policy = one("aws:iam/rolePolicy:RolePolicy");
    one("aws:s3/bucket:Bucket");
    // Two secrets: the MSSQL password (read by Airbyte), and abctl's instance-admin credentials
    // (written by the instance once Airbyte is installed, read by the provider).
    const secrets = byType("aws:secretsmanager/secret:Secret");
    expect(secrets.map((s: { name: string }) => s.name).sort()).toEqual(["instance-admin", "mssql-password"]);
    expect(secrets.find((s: { name: string }) => s.name === "instance-admin").inputs.name).toBe(
        "airbyte/test/instance-admin",
    );
    const source = one("pulumi-nodejs:dynamic/airbyte:Source");
    const destination = one("pulumi-nodejs:dynamic/airbyte:Destination");
    const connection = one("pulumi-nodejs:dynamic/airbyte:Connection");

    // The instance runs Airbyte with the instance profile that may read the secret and write the bucket.
    expect(instance.inputs.iamInstanceProfile).toBe("airbyte-profile");
    expect(profile.inputs.role).toBe("airbyte-role");
    const statements = JSON.parse(policy.inputs.policy).Statement;
    expect(statements[0]).toMatchObject({
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mssql-password-AbCdEf",
    });
    expect(statements[1]).toMatchObject({
        Action: ["secretsmanager:PutSecretValue"],
        Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:instance-admin-AbCdEf",
    });
    expect(statements[3].Resource).toBe("arn:aws:s3:::lake-bucket-1234/*");

    // Airbyte resources: URL from the instance, password reference from the secret, bucket from S3, ids chained.
    for (const r of [source, destination, connection])
        expect(r.inputs.server).toEqual({ url: "http://10.0.12.34:8000", profile: "ec2" });
    expect(source.inputs.secrets).toEqual({
        password: {
            secretsManager: {
                secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mssql-password-AbCdEf",
                key: "password",
            },
        },
    });
    expect(JSON.stringify(source.inputs)).not.toContain("mock-password");
    expect(destination.inputs.configuration).toMatchObject({
        s3_bucket_name: "lake-bucket-1234",
        s3_bucket_region: "eu-west-1",
        format: { format_type: "Parquet", compression_codec: "SNAPPY" },
    });
    expect(connection.inputs).toMatchObject({ sourceId: source.id, destinationId: destination.id });
    expect(connection.inputs.streams.map((s: { name: string }) => s.name)).toEqual([
        "orders",
        "order_items",
        "customers",
    ]);
    expect(exported).toMatchObject({ airbyteUrl: "http://10.0.12.34:8000", bucketName: "lake-bucket-1234" });
}, 600_000);
