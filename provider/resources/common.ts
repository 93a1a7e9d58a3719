/**
 * Arguments shared by the resources, and the program-side handling of secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSchema } from "../schema";
import { isSecretsManagerReference, SecretsManagerLocation } from "../secrets/reference";

/** `true` when two key unions are equal; used to keep the Args interfaces and ../schema in step. */
export type SameKeys<A extends PropertyKey, B extends PropertyKey> = [A] extends [B]
    ? [B] extends [A]
        ? true
        : never
    : never;

/**
 * The props registered with the engine for a resource: the inputs the schema always registers
 * (also outputs users read), the others only when set (every registered property costs the
 * SDK CPU per resource in large stacks), and the computed outputs unset so Pulumi exposes them.
 */
export function registeredProps(schema: ResourceSchema, args: Record<string, unknown>): pulumi.Inputs {
    const props: pulumi.Inputs = {};
    for (const key of schema.inputs) {
        if (schema.alwaysRegistered.includes(key) || args[key] !== undefined) props[key] = args[key];
    }
    for (const key of schema.computedOutputs) props[key] = undefined;
    return props;
}

/** A Secrets Manager reference whose fields may be Pulumi Inputs (e.g. an ARN from `aws.secretsmanager.Secret`). */
export interface SecretsManagerReferenceInput {
    secretsManager: { [K in keyof SecretsManagerLocation]: pulumi.Input<SecretsManagerLocation[K]> };
}

/** A secret value: a string (made a Pulumi secret), a Pulumi secret Output, or a Secrets Manager reference. */
export type SecretInput = pulumi.Input<string> | SecretsManagerReferenceInput;

/**
 * Secrets shaped like the connector configuration: `{ password: ..., tunnel_method: { tunnel_user_password: ... } }`.
 */
export interface SecretsInput {
    [field: string]: SecretInput | SecretsInput;
}

/**
 * Targets another Airbyte server than the provider's (`airbyte:serverUrl`), for stacks that
 * manage two instances. Credentials are never resource inputs: they come from a named entry
 * of the `airbyte:profiles` stack config (a secret), or are the provider's own when `url` is
 * the provider's server.
 */
export interface ServerArgs {
    /** Base URL of the Airbyte server, e.g. `https://airbyte.eu.example.com`. */
    url: pulumi.Input<string>;
    /** Name of the `airbyte:profiles` entry holding this server's credentials. */
    profile?: pulumi.Input<string>;
    /** Default workspace on that server (else its own default workspace). */
    workspaceId?: pulumi.Input<string>;
}

/**
 * A reference to a value in AWS Secrets Manager, for `secrets` of a Source or Destination (and
 * for provider credentials). The provider reads the value at create and update only; Pulumi
 * state holds this reference and the secret's VersionId, never the value. A rotation (a new
 * VersionId for the stage) shows in the next preview as an update of the resource.
 */
export function secretsManager(location: {
    [K in keyof SecretsManagerLocation]: pulumi.Input<SecretsManagerLocation[K]>;
}): SecretsManagerReferenceInput {
    return { secretsManager: { ...location } };
}

function isReferenceShape(value: unknown): boolean {
    return isSecretsManagerReference(value);
}

/**
 * Marks every plain value under `secrets` as a Pulumi secret, so it is encrypted in state and
 * shown as [secret] in previews, field by field; Secrets Manager references stay readable
 * (they carry no secret).
 */
export function markSecrets(value: pulumi.Input<SecretsInput> | undefined): unknown {
    if (value === undefined || value === null) return undefined;
    return mark(value);
}

function mark(node: unknown): pulumi.Input<unknown> {
    if (pulumi.Output.isInstance(node)) {
        // Unknown until resolved: a reference stays plain, anything else becomes a secret.
        return node.apply((v) =>
            isReferenceShape(v) || (typeof v === "object" && v !== null) ? mark(v) : pulumi.secret(v),
        );
    }
    if (isReferenceShape(node)) return node;
    if (typeof node === "object" && node !== null && !Array.isArray(node)) {
        const out: Record<string, pulumi.Input<unknown>> = {};
        for (const [k, v] of Object.entries(node)) out[k] = mark(v);
        return out;
    }
    return pulumi.secret(node as pulumi.Input<string>);
}
