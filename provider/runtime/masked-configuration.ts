/**
 * Configurations as Airbyte reads them back: masked (`**********` for every field whose spec
 * carries `airbyte_secret`) and without the secrets the user supplies under `secrets`. What can
 * be compared for drift, and what state keeps after a refresh.
 */
import { type ConnectorConfiguration, SECRET_MASK } from "../client/domain";
import { secretEntries } from "./secret-inputs";
import { isPlainObject } from "./values";

/** The configuration without the paths the user supplies under `secrets`. */
export function withoutSecretPaths(configuration: ConnectorConfiguration, secrets: unknown): ConnectorConfiguration {
    const secretPaths = new Set(secretEntries(secrets ?? {}).map((e) => e.path.join(".")));
    const strip = (node: unknown, path: string[]): unknown => {
        if (!isPlainObject(node)) return node;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(node)) {
            const p = [...path, k];
            if (!secretPaths.has(p.join("."))) out[k] = strip(v, p);
        }
        return out;
    };
    return strip(configuration, []) as ConnectorConfiguration;
}

/**
 * The parts of a live (masked) and a desired configuration that can be compared: secrets the
 * user supplies, and every value the server masks, are left out of both. Airbyte masks every
 * field whose spec carries the `airbyte_secret` key, even `"airbyte_secret": false`
 * (`JsonSecretsProcessor.maskAllSecrets`, airbyte-platform
 * `airbyte-config/config-secrets/src/main/kotlin/secrets/JsonSecretsProcessor.kt`).
 */
export function comparable(
    live: ConnectorConfiguration,
    desired: ConnectorConfiguration,
    secrets: unknown,
): [unknown, unknown] {
    const masked = new Set<string>();
    const collect = (node: unknown, path: string[]) => {
        if (node === SECRET_MASK) masked.add(path.join("."));
        else if (isPlainObject(node)) for (const [k, v] of Object.entries(node)) collect(v, [...path, k]);
        else if (Array.isArray(node)) node.forEach((v, i) => collect(v, [...path, String(i)]));
    };
    collect(live, []);
    const drop = (node: unknown, path: string[]): unknown => {
        if (masked.has(path.join("."))) return undefined;
        if (isPlainObject(node))
            return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, drop(v, [...path, k])]));
        if (Array.isArray(node)) return node.map((v, i) => drop(v, [...path, String(i)]));
        return node;
    };
    return [drop(withoutSecretPaths(live, secrets), []), drop(withoutSecretPaths(desired, secrets), [])];
}

/**
 * A live configuration as state keeps it: without the secrets the user supplies, and with
 * masked values (`**********`) resolved. A masked field that the user set in plain
 * `configuration` (Airbyte masks `"airbyte_secret": false` fields too) keeps the user's value:
 * it cannot be compared, but dropping it would show a change at every later `pulumi up`.
 * Other masked values are dropped. Only non-secret fields are compared for drift.
 */
export function withoutSecrets(
    configuration: Record<string, unknown>,
    secrets: unknown,
    stored?: Record<string, unknown>,
): Record<string, unknown> {
    const secretPaths = new Set(secretEntries(secrets ?? {}).map((e) => e.path.join(".")));
    const strip = (node: unknown, before: unknown, path: string[]): unknown => {
        if (isPlainObject(node)) {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(node)) {
                const p = [...path, k];
                if (secretPaths.has(p.join("."))) continue;
                const prior = isPlainObject(before) ? before[k] : undefined;
                if (v === SECRET_MASK) {
                    if (prior !== undefined) out[k] = prior;
                    continue;
                }
                out[k] = strip(v, prior, p);
            }
            return out;
        }
        if (Array.isArray(node))
            return node.map((v, i) => strip(v, Array.isArray(before) ? before[i] : undefined, [...path, String(i)]));
        return node;
    };
    return strip(configuration, stored, []) as Record<string, unknown>;
}
