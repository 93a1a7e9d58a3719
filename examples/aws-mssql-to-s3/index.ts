/**
 * The story our users live: Airbyte on an EC2 instance next to the data it moves.
 *
 * `@pulumi/aws` creates the S3 bucket (the lake), the Secrets Manager secret holding the MSSQL
 * password, an IAM role and instance profile that let the instance read that secret and write
 * the bucket, and the EC2 instance running Airbyte (installed with abctl). The Airbyte Source,
 * Destination and Connection are then wired to those resources by Outputs: the server URL comes
 * from the instance, the password reference from the secret's ARN, the bucket name from the
 * bucket.
 *
 * The password value never enters Airbyte resource state: the Source holds a reference, and the
 * provider reads the value from Secrets Manager at create and update (with the credentials of
 * whoever runs `pulumi up`). The S3 destination has no keys at all: Airbyte writes with the
 * instance profile.
 *
 * One `pulumi up` does it all, although abctl needs many minutes to install Airbyte and
 * generates the instance-admin client id and secret only then:
 * - the stack creates an empty secret, `airbyte/<stack>/instance-admin`, and lets the
 *   instance write it; the user data writes `{client_id, client_secret}` there once abctl is done;
 * - the `airbyte:profiles` stack config points the provider at that secret (by name, known in
 *   advance), and `airbyte:serverReadyTimeoutSeconds` lets the provider wait, with progress in
 *   the log, for the server to answer and for the secret to hold the credentials.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as airbyte from "pulumi-airbyte-dynamic";

const config = new pulumi.Config();
const mssqlHost = config.require("mssqlHost");
/** CIDR allowed to reach Airbyte's port 8000 (e.g. the VPN the Pulumi runner sits in). */
const adminCidr = config.get("adminCidr") ?? "10.0.0.0/8";

// --- AWS: the lake, the secret, the instance and its permissions ---------------------------

const lake = new aws.s3.Bucket("lake", { forceDestroy: false });

const mssqlPassword = new aws.secretsmanager.Secret("mssql-password", {
    description: "Password of the airbyte_reader login on the sales MSSQL server",
});
const mssqlPasswordVersion = new aws.secretsmanager.SecretVersion("mssql-password", {
    secretId: mssqlPassword.id,
    secretString: pulumi.jsonStringify({ username: "airbyte_reader", password: config.requireSecret("mssqlPassword") }),
});

/** Written by the instance once abctl has installed Airbyte: `{client_id, client_secret}`. */
const instanceAdmin = new aws.secretsmanager.Secret("instance-admin", {
    name: `airbyte/${pulumi.getStack()}/instance-admin`,
    description: "abctl's instance-admin client id and secret of the Airbyte instance (written by the instance)",
    recoveryWindowInDays: 0,
});

const role = new aws.iam.Role("airbyte", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicy("airbyte-access", {
    role: role.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: mssqlPassword.arn,
            },
            { Effect: "Allow", Action: ["secretsmanager:PutSecretValue"], Resource: instanceAdmin.arn },
            { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: lake.arn },
            {
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                Resource: pulumi.interpolate`${lake.arn}/*`,
            },
        ],
    }),
});
const instanceProfile = new aws.iam.InstanceProfile("airbyte", { role: role.name });

const securityGroup = new aws.ec2.SecurityGroup("airbyte", {
    description: "Airbyte API and UI",
    ingress: [{ protocol: "tcp", fromPort: 8000, toPort: 8000, cidrBlocks: [adminCidr] }],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});

const ami = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners: ["amazon"],
    filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }],
});

const instance = new aws.ec2.Instance("airbyte", {
    ami: ami.id,
    instanceType: "t3.xlarge",
    iamInstanceProfile: instanceProfile.name,
    vpcSecurityGroupIds: [securityGroup.id],
    rootBlockDevice: { volumeSize: 60, volumeType: "gp3" },
    userData: pulumi.interpolate`#!/bin/bash
set -euo pipefail
dnf install -y docker jq && systemctl enable --now docker
curl -LsfS https://get.airbyte.com | bash -
abctl local install --port 8000 --host "$(ec2-metadata --local-ipv4 | cut -d' ' -f2)"
# Hand the generated credentials to the Pulumi provider (it waits for them; see airbyte:profiles).
creds="$(abctl local credentials)"
client_id="$(sed -n 's/^ *Client-Id: *//p' <<<"$creds")"
client_secret="$(sed -n 's/^ *Client-Secret: *//p' <<<"$creds")"
aws secretsmanager put-secret-value --region ${aws.getRegionOutput().name} --secret-id ${instanceAdmin.arn} \
    --secret-string "$(jq -cn --arg id "$client_id" --arg secret "$client_secret" '{client_id: $id, client_secret: $secret}')"
`,
    userDataReplaceOnChange: true,
    tags: { Name: "airbyte" },
});

// --- Airbyte: wired to the AWS resources by Outputs ---------------------------------------

/**
 * The instance's Airbyte. Its credentials live in the `airbyte:profiles` stack config under
 * "ec2" (references to the instance-admin secret above, see README.md), never in resource inputs.
 */
const server: airbyte.ServerArgs = { url: pulumi.interpolate`http://${instance.privateIp}:8000`, profile: "ec2" };

const sales = new airbyte.Source(
    "sales-mssql",
    {
        server,
        definition: "airbyte/source-mssql",
        configuration: {
            host: mssqlHost,
            port: 1433,
            database: "sales",
            schemas: ["dbo"],
            username: "airbyte_reader",
            ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
            replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
            tunnel_method: { tunnel_method: "NO_TUNNEL" },
        },
        secrets: { password: airbyte.secretsManager({ secretId: mssqlPassword.arn, key: "password" }) },
    },
    { dependsOn: [mssqlPasswordVersion] },
);

const lakeDestination = new airbyte.Destination("lake", {
    server,
    definition: "airbyte/destination-s3",
    configuration: {
        s3_bucket_name: lake.bucket,
        s3_bucket_path: "airbyte/sales",
        s3_bucket_region: aws.getRegionOutput().name,
        format: { format_type: "Parquet", compression_codec: "SNAPPY" },
    },
});

const salesToLake = new airbyte.Connection("sales-to-lake", {
    server,
    sourceId: sales.sourceId,
    destinationId: lakeDestination.destinationId,
    streams: [
        { name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
        { name: "order_items", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
        { name: "customers", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" },
    ],
    schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
});

export const airbyteUrl = server.url;
export const bucketName = lake.bucket;
export const secretArn = mssqlPassword.arn;
export const instanceAdminSecret = instanceAdmin.name;
export const connectionId = salesToLake.connectionId;
