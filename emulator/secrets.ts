/**
 * Secret handling, after JsonSecretsProcessor / ConfigurationUpdate / SecretsHelpers in
 * airbyte-platform (airbyte-api.md §9):
 *
 * - reads mask every value whose spec property carries `airbyte_secret: true` as `**********`,
 *   walking nested `properties`, array `items` and every `oneOf`/`anyOf`/`allOf` branch (a key
 *   that is secret in any branch is masked);
 * - a full update copies the stored secret wherever the incoming value is exactly the mask, keeps
 *   any other value, and drops secrets the new configuration leaves out;
 * - a partial update deep-merges the given keys over the stored configuration with no mask check.
 */
import type { JsonSchema } from "./connectors/types";
import { isPlainObject } from "./validation";

export const SECRET_MASK = "**********";

/** The property schemas that may describe `key` under `schema`, across all combinator branches. */
function propertySchemas(schema: JsonSchema | undefined, key: string, out: JsonSchema[] = []): JsonSchema[] {
    if (!schema || typeof schema !== "object") return out;
    const own = schema.properties?.[key];
    if (own) out.push(own);
    for (const branches of [schema.oneOf, schema.anyOf, schema.allOf]) {
        if (Array.isArray(branches)) for (const branch of branches) propertySchemas(branch, key, out);
    }
    return out;
}

function itemSchemas(schema: JsonSchema | undefined, out: JsonSchema[] = []): JsonSchema[] {
    if (!schema || typeof schema !== "object") return out;
    if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) out.push(schema.items);
    for (const branches of [schema.oneOf, schema.anyOf, schema.allOf]) {
        if (Array.isArray(branches)) for (const branch of branches) itemSchemas(branch, out);
    }
    return out;
}

function isSecret(schemas: readonly JsonSchema[]): boolean {
    return schemas.some((s) => s.airbyte_secret === true);
}

/** Returns a copy of `value` with every secret replaced by the mask. */
export function maskSecrets<T>(value: T, schema: JsonSchema | undefined): T {
    return maskValue(value, schema ? [schema] : []) as T;
}

function maskValue(value: unknown, schemas: readonly JsonSchema[]): unknown {
    if (schemas.length === 0) return value;
    if (Array.isArray(value)) {
        const items = schemas.flatMap((s) => itemSchemas(s));
        return items.length === 0 ? value : value.map((item) => maskValue(item, items));
    }
    if (!isPlainObject(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        const childSchemas = schemas.flatMap((s) => propertySchemas(s, key));
        if (isSecret(childSchemas) && child !== null && child !== undefined) result[key] = SECRET_MASK;
        else result[key] = maskValue(child, childSchemas);
    }
    return result;
}

/**
 * Full-update semantics: start from `incoming`; wherever a secret field holds the mask, put back
 * the stored value (when there is one). Secrets absent from `incoming` stay absent.
 */
export function copySecrets(stored: unknown, incoming: unknown, schema: JsonSchema | undefined): unknown {
    return copyValue(stored, incoming, schema ? [schema] : []);
}

function copyValue(stored: unknown, incoming: unknown, schemas: readonly JsonSchema[]): unknown {
    if (schemas.length === 0) return incoming;
    if (Array.isArray(incoming)) {
        const items = schemas.flatMap((s) => itemSchemas(s));
        if (items.length === 0) return incoming;
        const storedItems = Array.isArray(stored) ? stored : [];
        return incoming.map((item, i) => copyValue(storedItems[i], item, items));
    }
    if (!isPlainObject(incoming)) return incoming;
    const storedObject = isPlainObject(stored) ? stored : {};
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(incoming)) {
        const childSchemas = schemas.flatMap((s) => propertySchemas(s, key));
        if (child === SECRET_MASK && isSecret(childSchemas) && storedObject[key] !== undefined) result[key] = storedObject[key];
        else result[key] = copyValue(storedObject[key], child, childSchemas);
    }
    return result;
}

/** `Jsons.mergeNodes`: objects merge recursively, everything else (arrays included) is replaced. */
export function mergeConfigurations(stored: unknown, patch: unknown): unknown {
    if (!isPlainObject(stored) || !isPlainObject(patch)) return patch === undefined ? stored : patch;
    const result: Record<string, unknown> = { ...stored };
    for (const [key, value] of Object.entries(patch)) {
        result[key] = key in stored ? mergeConfigurations(stored[key], value) : value;
    }
    return result;
}

/** Replaces values of keys that usually hold credentials, for logging bodies without a spec. */
export function maskLikelySecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskLikelySecrets);
    if (!isPlainObject(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        const sensitive = /pass(word)?$|secret|token|credential|private_key|ssh_key|api_key|access_key/i.test(key);
        result[key] = sensitive && (typeof child === "string" || typeof child === "number") ? SECRET_MASK : maskLikelySecrets(child);
    }
    return result;
}
