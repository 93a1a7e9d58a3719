/**
 * The program side, under Pulumi's runtime mocks: type tokens, the inputs each resource
 * registers (per-field secrets), and the serialized `__provider` (size, identity).
 */
import * as pulumi from "@pulumi/pulumi";
import { Connection, Destination, secretsManager, Source } from "../../provider";
import { actorProps } from "../../provider/resources/source";
import { SOURCE_SCHEMA } from "../../provider/schema";

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(args);
                return {
                    id: `${args.name}-id`,
                    state: { ...args.inputs, sourceId: `${args.name}-id`, destinationId: `${args.name}-id` },
                };
            },
            call: () => ({}),
        },
        "project",
        "stack",
        false,
    );
});

test("what the engine receives: each secret field is a secret on its own, the configuration is plain", async () => {
    const props = actorProps(
        "a",
        {
            definition: "airbyte/source-mssql",
            configuration: { host: "db", port: 1433 },
            secrets: { password: "pw-a-12345", tunnel_method: { tunnel_user_password: pulumi.secret("t-pw-9876") } },
        },
        SOURCE_SCHEMA,
    );
    const serialized = await pulumi.runtime.serializeProperties("test", props, { keepOutputValues: false });
    expect(serialized.configuration).toEqual({ host: "db", port: 1433 });
    expect(serialized.secrets).toEqual({
        password: { [pulumi.runtime.specialSigKey]: SECRET_SIG, value: "pw-a-12345" },
        tunnel_method: { tunnel_user_password: { [pulumi.runtime.specialSigKey]: SECRET_SIG, value: "t-pw-9876" } },
    });
    // An Output holding a plain string under secrets becomes a secret too.
    const fromOutput = actorProps(
        "b",
        { definition: "x", secrets: { password: pulumi.output("pw-from-output") } },
        SOURCE_SCHEMA,
    );
    expect((await pulumi.runtime.serializeProperties("test", fromOutput)).secrets).toEqual({
        password: { [pulumi.runtime.specialSigKey]: SECRET_SIG, value: "pw-from-output" },
    });
});

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply(resolve));
}

test("resources register under the fixed type tokens with per-field secrets and a small, shared __provider", async () => {
    const a = new Source("a", {
        definition: "airbyte/source-mssql",
        configuration: { host: "db", port: 1433 },
        secrets: { password: "pw-a-12345", tunnel_method: { tunnel_user_password: pulumi.secret("t-pw-9876") } },
    });
    const b = new Source("b", {
        definition: "airbyte/source-mssql",
        configuration: { host: "db2" },
        secrets: {
            password: secretsManager({
                secretId: pulumi.output("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
                key: "password",
            }),
        },
    });
    const d = new Destination("d", { definition: "airbyte/destination-s3", configuration: { s3_bucket_name: "lake" } });
    const c = new Connection("c", { sourceId: a.sourceId, destinationId: d.destinationId, streams: ["orders"] });
    // A resource's id resolves once the mock monitor answered its registration: all four were registered.
    await outputValue(pulumi.all([a.id, b.id, d.id, c.id]));
    expect(registered.filter((r) => ["a", "b", "d", "c"].includes(r.name))).toHaveLength(4);

    const byName = (name: string) => registered.find((r) => r.name === name)!;
    const [ra, rb, rd, rc] = [byName("a"), byName("b"), byName("d"), byName("c")];
    expect([ra, rb, rd, rc].map((r) => r.type)).toEqual([
        "pulumi-nodejs:dynamic/airbyte:Source",
        "pulumi-nodejs:dynamic/airbyte:Source",
        "pulumi-nodejs:dynamic/airbyte:Destination",
        "pulumi-nodejs:dynamic/airbyte:Connection",
    ]);
    // (The mock monitor lifts nested secrets to the top-level key; what the engine receives is checked below.)
    expect(ra.inputs.configuration).toEqual({ host: "db", port: 1433 });
    expect(ra.inputs.secrets).toEqual({
        [pulumi.runtime.specialSigKey]: SECRET_SIG,
        value: { password: "pw-a-12345", tunnel_method: { tunnel_user_password: "t-pw-9876" } },
    });
    // A Secrets Manager reference is not a secret: it is what state keeps.
    expect(rb.inputs.secrets).toEqual({
        password: {
            secretsManager: {
                secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                key: "password",
            },
        },
    });
    expect(ra.inputs.name).toBe("a");
    expect(rc.inputs.sourceId).toBe("a-id");
    expect(rc.inputs.destinationId).toBe("d-id");

    const providerText = (r: pulumi.runtime.MockResourceArgs) => r.inputs.__provider as string;
    expect(providerText(ra)).toBe(providerText(rb)); // identical across resources of a type
    for (const r of registered) expect(Buffer.byteLength(providerText(r))).toBeLessThanOrEqual(2048);
    expect(providerText(ra)).not.toBe(providerText(rd));
    expect(providerText(rd)).toContain('"Destination"');
    // No secret and no implementation code is captured.
    for (const r of registered) {
        expect(providerText(r)).not.toMatch(/pw-a-12345|t-pw-9876|got|aws-sdk|fetch\(/);
        expect(providerText(r)).toContain("pulumi-airbyte-dynamic/runtime");
    }
});
