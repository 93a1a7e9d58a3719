/**
 * Secret handling, after airbyte-platform `JsonSecretsProcessor`
 * (`airbyte-config/config-secrets/src/main/kotlin/secrets/JsonSecretsProcessor.kt`; the same logic
 * in the Java file of v0.50.x), `JsonSchemas.traverseJsonSchema` and `Jsons.mergeNodes`. The rules
 * are the same in every release:
 *
 * - reads (`prepareSecretsForOutput` → `maskAllSecrets`) mask every value whose schema node HAS
 *   the key `airbyte_secret`, whatever its value (`false` too), walking properties, array items
 *   and the branches of the first combinator (union over branches); only present values are
 *   replaced;
 * - a full update (`copySecrets`, from `ConfigurationUpdate.source/destination`) restores the
 *   stored value only where the incoming value is exactly the mask AND the field's
 *   `airbyte_secret` is true (`isSecret` uses `asBoolean()`); it does not descend into arrays, so a
 *   masked array item is kept literally;
 * - a partial update (`ConfigurationUpdate.partialSource` → `mergeNodesExceptForSecrets`, before
 *   that `Jsons.mergeNodes`) merges the given keys with no mask check.
 */
import type { JsonSchema } from "./connectors/types";
import { internalError } from "./errors";
import { validatorFor } from "./spec-validation";
import { isPlainObject } from "./validation";

export const SECRET_MASK = "**********";

/** `[*]` in a JSON path: every item of an array. */
const EVERY_ITEM = Symbol("[*]");
type PathSegment = string | typeof EVERY_ITEM;

/** `JsonSecretsProcessor.isValidJsonSchema`: an object with `properties` (object) or `oneOf` (array). */
function isValidJsonSchema(schema: unknown): schema is JsonSchema {
    return isPlainObject(schema) && (isPlainObject(schema["properties"]) || Array.isArray(schema["oneOf"]));
}

/** `JsonSchemas.getTypeOrObject`: the node's types, `object` when it declares none. */
function typesOf(node: Record<string, unknown>): string[] {
    const type = node["type"];
    if (Array.isArray(type)) return type.length > 0 ? type.map(String) : ["object"];
    return type === undefined ? ["object"] : [typeof type === "string" ? type : JSON.stringify(type)];
}

const secretPathsBySchema = new WeakMap<JsonSchema, PathSegment[][]>();

/**
 * `JsonSchemas.collectPathsThatMeetCondition(schema) { node has key "airbyte_secret" }`. The
 * traversal `require`s every schema node to be an object (a boolean sub-schema → 500).
 */
function secretPaths(schema: JsonSchema): PathSegment[][] {
    let paths = secretPathsBySchema.get(schema);
    if (!paths) {
        paths = [];
        collectSecretPaths(schema, [], paths);
        secretPathsBySchema.set(schema, paths);
    }
    return paths;
}

function collectSecretPaths(node: unknown, path: PathSegment[], out: PathSegment[][]): void {
    if (!isPlainObject(node))
        throw internalError(
            `json schema nodes should always be object nodes. path: ${path.map(String).join(".")} actual: ${JSON.stringify(node)}`,
        );
    if (Object.hasOwn(node, "airbyte_secret") && path.length > 0) out.push(path);
    for (const type of typesOf(node)) {
        if (type === "array") {
            if (Object.hasOwn(node, "items")) collectSecretPaths(node["items"], [...path, EVERY_ITEM], out);
        } else if (type === "object") {
            if (Object.hasOwn(node, "properties")) {
                const properties = node["properties"];
                if (isPlainObject(properties))
                    for (const [key, child] of Object.entries(properties))
                        collectSecretPaths(child, [...path, key], out);
            } else {
                // getKeywordIfComposite: the first of oneOf, allOf, anyOf; every branch at the same path.
                const combinator = ["oneOf", "allOf", "anyOf"].find((keyword) => Object.hasOwn(node, keyword));
                const branches = combinator === undefined ? undefined : node[combinator];
                if (Array.isArray(branches)) for (const branch of branches) collectSecretPaths(branch, path, out);
            }
        }
    }
}

/** `JsonPaths.replaceAtString`: replaces the value at `path` when present (paths that do not match are left alone). */
function replaceAt(value: unknown, path: readonly PathSegment[], index: number): unknown {
    if (index === path.length) return SECRET_MASK;
    const segment = path[index]!;
    if (segment === EVERY_ITEM) {
        if (Array.isArray(value)) value.forEach((item, i) => (value[i] = replaceAt(item, path, index + 1)));
    } else if (isPlainObject(value) && Object.hasOwn(value, segment)) {
        value[segment] = replaceAt(value[segment], path, index + 1);
    }
    return value;
}

/**
 * `prepareSecretsForOutput`: a copy of `value` with every secret masked (unmasked when the spec is not a usable
 * schema).
 */
export function maskSecrets<T>(value: T, schema: JsonSchema | undefined): T {
    if (!isValidJsonSchema(schema)) return value;
    const copy = structuredClone(value);
    for (const path of secretPaths(schema)) replaceAt(copy, path, 0);
    return copy;
}

/** `JsonSecretsProcessor.isSecret`: `airbyte_secret` present and `asBoolean()` true. */
function isSecretField(schema: unknown): boolean {
    if (!isPlainObject(schema) || !Object.hasOwn(schema, "airbyte_secret")) return false;
    const flag = schema["airbyte_secret"];
    return (
        flag === true ||
        (typeof flag === "string" && flag.trim() === "true") ||
        (typeof flag === "number" && flag !== 0)
    );
}

/**
 * Full-update semantics (`copySecrets`): a copy of `incoming` where each secret field holding the
 * mask gets the stored value back. Both configurations must be objects
 * (`Preconditions.checkArgument`, no message): a deleted actor's voided (`null`) configuration
 * makes this throw the server's 500.
 */
export function copySecrets(stored: unknown, incoming: unknown, schema: JsonSchema | undefined): unknown {
    if (!isValidJsonSchema(schema)) return incoming;
    if (!isPlainObject(incoming) || !isPlainObject(stored)) throw internalError(null);
    return copySecretsRecursive(stored, structuredClone(incoming), schema);
}

function copySecretsRecursive(src: unknown, dst: unknown, schema: unknown): unknown {
    if (!isValidJsonSchema(schema)) return dst;
    if (!isPlainObject(dst) || !isPlainObject(src)) throw internalError(null);
    // findJsonCombinationNode: the first of allOf, anyOf, oneOf; only branches the new value validates against.
    const combinator = (["allOf", "anyOf", "oneOf"] as const).find((keyword) => Array.isArray(schema[keyword]));
    if (combinator !== undefined) {
        for (const branch of schema[combinator]!)
            if (isPlainObject(branch) && validatorFor(branch)(dst)) copySecretsRecursive(src, dst, branch);
        return dst;
    }
    for (const [key, fieldSchema] of Object.entries(schema.properties!)) {
        if (!Object.hasOwn(src, key) || !Object.hasOwn(dst, key)) continue;
        if (isSecretField(fieldSchema) && dst[key] === SECRET_MASK) dst[key] = src[key];
        else dst[key] = copySecretsRecursive(src[key], dst[key], fieldSchema);
    }
    return dst;
}

/**
 * Partial-update merge (`Jsons.mergeNodes` / `SecretsHelpers.mergeNodesExceptForSecrets`): each
 * key of `patch` replaces the stored value, except that stored objects are merged into
 * recursively (and left alone when the patch value is not an object). A non-object stored
 * configuration (a voided one) stays as it is.
 */
export function mergeConfigurations(stored: unknown, patch: unknown): unknown {
    if (!isPlainObject(stored) || !isPlainObject(patch)) return stored;
    const result: Record<string, unknown> = { ...stored };
    for (const [key, value] of Object.entries(patch))
        result[key] = isPlainObject(stored[key]) ? mergeConfigurations(stored[key], value) : value;
    return result;
}

/** Replaces values of keys that usually hold credentials, for logging bodies without a spec. */
export function maskLikelySecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskLikelySecrets);
    if (!isPlainObject(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        const sensitive = /pass(word)?$|secret|token|credential|private_key|ssh_key|api_key|access_key/i.test(key);
        result[key] =
            sensitive && (typeof child === "string" || typeof child === "number")
                ? SECRET_MASK
                : maskLikelySecrets(child);
    }
    return result;
}
