/**
 * References to secrets held in AWS Secrets Manager.
 *
 * A reference is plain, non-secret data: `{ secretsManager: { secretId, key?, versionStage?,
 * region?, endpoint? } }`. It is what Pulumi stores in state; the provider resolves the value
 * inside `create` and `update` and sends it to Airbyte, so the value itself never enters
 * Pulumi's inputs, outputs, logs or the serialized provider.
 *
 * This module is loaded by user programs and by the provider process; it has no dependencies.
 */

/** Where a secret lives in AWS Secrets Manager. */
export interface SecretsManagerLocation {
    /** The secret's name or full ARN. */
    secretId: string;
    /** For a JSON `SecretString`: the field holding the value. Without it the whole string is the value. */
    key?: string;
    /** The staging label to read. Default `AWSCURRENT`. */
    versionStage?: string;
    /** Region of the secret. Default: the ARN's region, else `AWS_REGION`. */
    region?: string;
    /** Custom Secrets Manager endpoint (e.g. a VPC endpoint or a local emulator). */
    endpoint?: string;
}

export interface SecretsManagerReference {
    secretsManager: SecretsManagerLocation;
}

export const DEFAULT_VERSION_STAGE = "AWSCURRENT";

const LOCATION_KEYS = new Set(["secretId", "key", "versionStage", "region", "endpoint"]);

/**
 * Whether a value is a Secrets Manager reference (exactly one key, `secretsManager`, holding an object with
 * `secretId`).
 */
export function isSecretsManagerReference(value: unknown): value is SecretsManagerReference {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0] !== "secretsManager") return false;
    const location = (value as SecretsManagerReference).secretsManager;
    return typeof location === "object" && location !== null && "secretId" in location;
}

/** Problems with a reference's shape, as `[field, reason]` pairs (field relative to `secretsManager`). */
export function referenceProblems(
    reference: SecretsManagerReference,
    isUnknown: (v: unknown) => boolean = () => false,
): [string, string][] {
    const problems: [string, string][] = [];
    const location = reference.secretsManager as unknown as Record<string, unknown>;
    for (const key of Object.keys(location)) {
        if (key === "versionId")
            problems.push([
                key,
                "is recorded by the provider (the version read at apply), not written in programs; remove it",
            ]);
        else if (!LOCATION_KEYS.has(key))
            problems.push([key, `unknown field; allowed: ${[...LOCATION_KEYS].join(", ")}`]);
    }
    for (const key of LOCATION_KEYS) {
        const v = location[key];
        if (v === undefined || v === null || isUnknown(v)) continue;
        if (typeof v !== "string" || v === "") problems.push([key, "must be a non-empty string"]);
    }
    if (location.secretId === undefined || location.secretId === null)
        problems.push(["secretId", "is required (a secret name or ARN)"]);
    const arnRegion = typeof location.secretId === "string" ? regionOfArn(location.secretId) : undefined;
    if (
        arnRegion &&
        typeof location.region === "string" &&
        location.region !== arnRegion &&
        !isUnknown(location.region)
    ) {
        problems.push(["region", `is "${location.region}" but the secret ARN is in "${arnRegion}"`]);
    }
    return problems;
}

/** The region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`). */
export function regionOfArn(secretId: string): string | undefined {
    const match = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:/.exec(secretId);
    return match?.[1];
}

/** A short, value-free description for messages: `secret "db/mssql" key "password"`. */
export function describeReference(reference: SecretsManagerReference): string {
    const { secretId, key, versionStage } = reference.secretsManager;
    const stage = versionStage && versionStage !== DEFAULT_VERSION_STAGE ? ` (stage ${versionStage})` : "";
    return `Secrets Manager secret "${secretId}"${key ? ` key "${key}"` : ""}${stage}`;
}
