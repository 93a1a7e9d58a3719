/**
 * The one-stack story of examples/aws-mssql-to-s3, without AWS: a stand-in "instance" (a
 * dynamic resource whose address is known only once it is created, like an EC2 instance's IP)
 * and an Airbyte Source on it. The test starts the Airbyte server only after `pulumi up` has
 * begun, and writes its credentials to Secrets Manager later still.
 */
import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";

const config = new pulumi.Config("installing");

/** Stands in for `aws.ec2.Instance`: its address is an output, unknown during the preview. */
class Instance extends pulumi.dynamic.Resource {
    declare public readonly url: pulumi.Output<string>;
    constructor(name: string, url: string) {
        super(
            {
                async create(inputs: { address: string }) {
                    return { id: "i-0123456789abcdef0", outs: { url: inputs.address } };
                },
            },
            name,
            { address: url, url: undefined },
        );
    }
}

const instance = new Instance("airbyte", config.require("address"));

const source = new airbyte.Source("sales-mssql", {
    server: { url: instance.url, profile: "instance" },
    definition: "airbyte/source-mssql",
    configuration: {
        host: "sales-db.internal.example.com",
        port: 1433,
        database: "sales",
        schemas: ["dbo"],
        username: "airbyte_reader",
        ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
        replication_method: { method: "STANDARD" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
    },
    secrets: { password: config.requireSecret("mssqlPassword") },
});

export const sourceId = source.sourceId;
