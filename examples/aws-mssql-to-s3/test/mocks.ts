/**
 * Runs the whole program under Pulumi's runtime mocks (no AWS, no Airbyte, no engine) and
 * prints every registered resource (type, name, inputs) as JSON. The repository's end-to-end
 * suite asserts on that output; run it yourself with `npx tsc && node bin/test/mocks.js`.
 */
import * as pulumi from "@pulumi/pulumi";

interface Registered {
    type: string;
    name: string;
    id: string;
    inputs: Record<string, any>;
}
const registered: Registered[] = [];
const calls: string[] = [];

/** Computed outputs AWS would return, enough for the program's wiring. */
function computed(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    switch (type) {
        case "aws:s3/bucket:Bucket":
            return { bucket: `${name}-bucket-1234`, arn: `arn:aws:s3:::${name}-bucket-1234` };
        case "aws:secretsmanager/secret:Secret":
            return { arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf` };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::123456789012:role/${name}`, name: `${name}-role` };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { arn: `arn:aws:iam::123456789012:instance-profile/${name}`, name: `${name}-profile` };
        case "aws:ec2/instance:Instance":
            return { privateIp: "10.0.12.34", publicDns: "ec2-203-0-113-7.eu-west-1.compute.amazonaws.com" };
        default:
            return inputs.definition ? {} : {};
    }
}

const mocksInstalled = pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            const id = `${args.name}-id`;
            registered.push({ type: args.type, name: args.name, id, inputs: args.inputs });
            return { id, state: { ...args.inputs, ...computed(args.type, args.name, args.inputs) } };
        },
        call: (args) => {
            calls.push(args.token);
            if (args.token === "aws:ec2/getAmi:getAmi")
                return { id: "ami-0123456789abcdef0", imageId: "ami-0123456789abcdef0" };
            if (args.token === "aws:index/getRegion:getRegion")
                return { name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" };
            return {};
        },
    },
    "aws-mssql-to-s3",
    "test",
    false,
);
pulumi.runtime.setAllConfig(
    { "aws-mssql-to-s3:mssqlHost": "sales-db.internal.example.com", "aws-mssql-to-s3:mssqlPassword": "mock-password" },
    ["aws-mssql-to-s3:mssqlPassword"],
);

async function main(): Promise<void> {
    await mocksInstalled;
    // Required after the mocks are installed, so the program's resources use them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at this point on purpose
    const program = require("../index") as Record<string, unknown>;
    const exported = await new Promise((resolve) => pulumi.all(program).apply(resolve));
    // Every registration is an RPC to the mock monitor: wait for the queue to drain (no sleep).
    await pulumi.runtime.disconnect();
    process.stdout.write(JSON.stringify({ registered, calls, exported }, null, 2));
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
