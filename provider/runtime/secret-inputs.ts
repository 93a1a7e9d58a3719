/**
 * The `secrets` input of a Source or Destination: a tree shaped like the connector
 * configuration whose leaves are either plain strings (Pulumi secrets, stored encrypted in
 * state) or Secrets Manager references (stored as references; the value is read at create and
 * update only).
 */
import { currentSecretVersion, readSecretValue, SecretsManagerDefaults } from "../secrets/aws-secrets-manager";
import { isSecretsManagerReference, referenceProblems, SecretsManagerReference } from "../secrets/reference";
import { registerSecret } from "../redact";
import type { Problem } from "../client/domain";
import { isPlainObject, isUnknown } from "./values";

export type SecretLeaf = string | number | boolean | SecretsManagerReference;
export type SecretsTree = { [key: string]: SecretLeaf | SecretsTree };

export interface SecretEntry {
    /** Path inside the connector configuration, e.g. ["tunnel_method", "tunnel_user_password"]. */
    path: string[];
    value: SecretLeaf | typeof UNKNOWN_MARK;
}

const UNKNOWN_MARK = Symbol("unknown");

/** Every leaf of a secrets tree with its path (references are leaves). */
export function secretEntries(tree: unknown, path: string[] = []): SecretEntry[] {
    if (isUnknown(tree)) return [{ path, value: UNKNOWN_MARK }];
    if (isSecretsManagerReference(tree)) return [{ path, value: tree }];
    if (isPlainObject(tree)) return Object.entries(tree).flatMap(([k, v]) => secretEntries(v, [...path, k]));
    return [{ path, value: tree as SecretLeaf }];
}

/** Shape problems of the `secrets` input; never echoes a value. */
export function secretsProblems(tree: unknown): Problem[] {
    if (tree === undefined || tree === null || isUnknown(tree)) return [];
    if (!isPlainObject(tree))
        return [
            {
                property: "secrets",
                reason: "must be an object shaped like the connector configuration, e.g. { password: ... }",
            },
        ];
    const problems: Problem[] = [];
    for (const { path, value } of secretEntries(tree)) {
        const property = `secrets.${path.join(".")}`;
        if (value === UNKNOWN_MARK) continue;
        if (isSecretsManagerReference(value)) {
            for (const [field, reason] of referenceProblems(value, isUnknown))
                problems.push({ property: `${property}.secretsManager.${field}`, reason });
        } else if (typeof value === "object" && value !== null) {
            problems.push({
                property,
                reason: "must be a string, a Pulumi secret, or a Secrets Manager reference (airbyte.secretsManager({...}))",
            });
        } else if (!["string", "number", "boolean"].includes(typeof value)) {
            problems.push({ property, reason: "must be a string, a Pulumi secret, or a Secrets Manager reference" });
        }
    }
    return problems;
}

const PLACEHOLDER = "<resolved from AWS Secrets Manager at apply time>";

/** The secrets tree with references replaced by placeholder strings, for spec validation. */
export function secretsForValidation(tree: unknown): {
    values: Record<string, unknown>;
    placeholderPaths: Set<string>;
} {
    const placeholderPaths = new Set<string>();
    const build = (node: unknown, path: string[]): unknown => {
        if (isSecretsManagerReference(node)) {
            placeholderPaths.add(path.join("."));
            return PLACEHOLDER;
        }
        if (isPlainObject(node))
            return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, build(v, [...path, k])]));
        return node;
    };
    return { values: isPlainObject(tree) ? (build(tree, []) as Record<string, unknown>) : {}, placeholderPaths };
}

/**
 * The Secrets Manager version each reference currently points at (DescribeSecret, no value
 * read), keyed by dotted path. Problems are returned per secret, naming the secret, never a value.
 */
export async function currentVersions(
    tree: unknown,
    defaults: SecretsManagerDefaults,
): Promise<{ versions: Record<string, string>; problems: Problem[] }> {
    const versions: Record<string, string> = {};
    const problems: Problem[] = [];
    await Promise.all(
        secretEntries(tree ?? {}).map(async ({ path, value }) => {
            if (!isSecretsManagerReference(value)) return;
            if (Object.values(value.secretsManager).some(isUnknown)) return;
            try {
                versions[path.join(".")] = (await currentSecretVersion(value, defaults)).versionId;
            } catch (error) {
                problems.push({ property: `secrets.${path.join(".")}`, reason: (error as Error).message });
            }
        }),
    );
    return { versions, problems };
}

/**
 * The secrets tree with every reference replaced by its value, read at the version `check`
 * saw (so a preview and the apply agree). Values are registered with the redactor.
 */
export async function resolveSecrets(
    tree: unknown,
    versions: Record<string, string> | undefined,
    defaults: SecretsManagerDefaults,
): Promise<Record<string, unknown>> {
    const resolve = async (node: unknown, path: string[]): Promise<unknown> => {
        if (isSecretsManagerReference(node)) {
            const { value } = await readSecretValue(node, { versionId: versions?.[path.join(".")] }, defaults);
            return value;
        }
        if (isPlainObject(node)) {
            const entries = await Promise.all(
                Object.entries(node).map(async ([k, v]) => [k, await resolve(v, [...path, k])] as const),
            );
            return Object.fromEntries(entries);
        }
        registerSecret(typeof node === "number" || typeof node === "boolean" ? String(node) : node);
        return node;
    };
    return isPlainObject(tree) ? ((await resolve(withoutRecordedVersions(tree), [])) as Record<string, unknown>) : {};
}

/**
 * Reads each referenced secret once at the version `check` saw, to report a missing key, a
 * non-JSON or binary secret at preview rather than at apply. Only references in `paths` are
 * read (those that are new or changed); values are not kept.
 */
export async function verifyReadable(
    tree: unknown,
    versions: Record<string, string>,
    paths: Set<string>,
    defaults: SecretsManagerDefaults,
): Promise<Problem[]> {
    const problems: Problem[] = [];
    await Promise.all(
        secretEntries(withoutRecordedVersions(tree) ?? {}).map(async ({ path, value }) => {
            const key = path.join(".");
            if (!isSecretsManagerReference(value) || !paths.has(key) || versions[key] === undefined) return;
            try {
                await readSecretValue(value, { versionId: versions[key] }, defaults);
            } catch (error) {
                problems.push({ property: `secrets.${key}`, reason: (error as Error).message });
            }
        }),
    );
    return problems;
}

/** The VersionId `check` records in a reference, next to the secret, so a rotation reads as `~ versionId` under it. */
const RECORDED_VERSION = "versionId";

function mapReferences(
    tree: unknown,
    f: (reference: SecretsManagerReference, path: string) => unknown,
    path: string[] = [],
): unknown {
    if (isSecretsManagerReference(tree)) return f(tree, path.join("."));
    if (isPlainObject(tree))
        return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, mapReferences(v, f, [...path, k])]));
    return tree;
}

/**
 * `secrets` with each reference's current VersionId recorded in it (`secretsManager.versionId`).
 * State keeps them there rather than in a hidden property so that `pulumi preview --diff` shows a
 * rotation where the reviewer looks for it: `~ versionId: "<old>" => "<new>"` under the secret.
 */
export function withRecordedVersions(tree: unknown, versions: Record<string, string>): unknown {
    return mapReferences(tree, (reference, path) => {
        const { [RECORDED_VERSION]: _previous, ...location } = reference.secretsManager as unknown as Record<
            string,
            unknown
        >;
        return versions[path] === undefined
            ? { secretsManager: location }
            : { secretsManager: { ...location, [RECORDED_VERSION]: versions[path] } };
    });
}

/** `secrets` as the user wrote them: without the versions `check` recorded. */
export function withoutRecordedVersions(tree: unknown): unknown {
    return mapReferences(tree, (reference) => {
        const { [RECORDED_VERSION]: _recorded, ...location } = reference.secretsManager as unknown as Record<
            string,
            unknown
        >;
        return { secretsManager: location };
    });
}

/** The versions recorded in a secrets tree, by dotted path. */
export function recordedVersions(tree: unknown): Record<string, string> {
    const versions: Record<string, string> = {};
    mapReferences(tree, (reference, path) => {
        const recorded = (reference.secretsManager as unknown as Record<string, unknown>)[RECORDED_VERSION];
        if (typeof recorded === "string") versions[path] = recorded;
        return reference;
    });
    return versions;
}
