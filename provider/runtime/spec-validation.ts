/**
 * Validation of a connector configuration against the connector's `connectionSpecification`
 * (a draft-07 JSON Schema with Airbyte keywords), with ajv, and detection of `airbyte_secret`
 * fields.
 *
 * Problems are reported with the property path a user wrote: `configuration.port`,
 * `secrets.password`, `configuration.replication_method.method`. `oneOf` errors are reduced to
 * the branch the configuration chose (by its `const` discriminator), so a wrong field inside
 * the CDC options is reported as that field, not as "must match exactly one schema in oneOf".
 * Values unknown at preview, and secrets that are only references, are not judged.
 *
 * Keys the spec does not declare (found by ./undeclared-keys) are problems too, reported here with
 * suggestions: `configuration.jdbc_url_param: is not declared by the connector's spec; did you mean
 * "jdbc_url_params"?`; a misspelling of a missing required key is named in the required-key problem.
 * Paths listed in the resource's `undeclaredKeys` pass unchecked.
 */
import AjvModule, { ErrorObject, ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { JsonSchema as ConnectorSpecSchema } from "../client/domain";
import { callableDefault } from "../commonjs-interop";
import { branchLabels, chosenBranch, discriminators, itemSchemas, propertySchemas } from "./spec-schema";
import { closeTo, UndeclaredKey, undeclaredKeysIn, undeclaredReason } from "./undeclared-keys";
import { digest, isPlainObject, isUnknown, type Maybe } from "./values";

const Ajv = callableDefault<typeof AjvModule>(AjvModule, "ajv");
const addFormats = callableDefault<typeof addFormatsModule>(addFormatsModule, "ajv-formats");

export interface SpecProblem {
    /** Dotted property path, e.g. `configuration.ssl_method.ssl_method`. */
    property: string;
    reason: string;
}

let ajv: InstanceType<typeof AjvModule> | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: ConnectorSpecSchema): ValidateFunction {
    const key = digest(schema);
    let validate = compiled.get(key);
    if (!validate) {
        if (!ajv) {
            // strict: false — connector specs carry many non-standard keywords (airbyte_secret,
            // order, group, always_show, ...), and custom connectors add their own.
            ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
            addFormats(ajv);
        }
        const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
        validate = ajv.compile(rest);
        compiled.set(key, validate);
    }
    return validate;
}

/** Paths (arrays of keys) of the `airbyte_secret` fields present in `value`. */
export function secretFieldPaths(value: unknown, schema: ConnectorSpecSchema, path: string[] = []): string[][] {
    return secretPathsIn(value, [schema], path);
}

function secretPathsIn(value: unknown, schemas: ConnectorSpecSchema[], path: string[]): string[][] {
    const found: string[][] = [];
    if (isPlainObject(value)) {
        for (const [key, child] of Object.entries(value)) {
            const childSchemas = schemas.flatMap((s) => propertySchemas(s, key));
            if (childSchemas.some((s) => s.airbyte_secret === true)) found.push([...path, key]);
            else found.push(...secretPathsIn(child, childSchemas, [...path, key]));
        }
    } else if (Array.isArray(value)) {
        const items = itemSchemas(schemas);
        value.forEach((item, i) => found.push(...secretPathsIn(item, items, [...path, String(i)])));
    }
    return found;
}

/** Whether the spec marks the property at `path` as `airbyte_secret` (in any branch). */
export function isSecretPath(schema: ConnectorSpecSchema, path: string[]): boolean {
    let schemas = [schema];
    for (const [i, key] of path.entries()) {
        const next = /^\d+$/.test(key) ? itemSchemas(schemas) : schemas.flatMap((s) => propertySchemas(s, key));
        if (next.length === 0) return false;
        if (i === path.length - 1) return next.some((s) => s.airbyte_secret === true);
        schemas = next;
    }
    return false;
}

function valueAt(root: unknown, path: string[]): unknown {
    let v = root;
    for (const key of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<string, unknown>)[key];
    }
    return v;
}

/** Whether `path` or any of its ancestors holds a value that must not be judged. */
function isExempt(path: string[], root: unknown, exemptPaths: Set<string>): boolean {
    for (let i = 0; i <= path.length; i++) {
        const prefix = path.slice(0, i);
        if (exemptPaths.has(prefix.join("."))) return true;
        if (isUnknown(valueAt(root, prefix))) return true;
    }
    return false;
}

function containsUnknownBelow(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (isPlainObject(value)) return Object.values(value).some(containsUnknownBelow);
    if (Array.isArray(value)) return value.some(containsUnknownBelow);
    return false;
}

function pointerToPath(pointer: string): string[] {
    if (!pointer) return [];
    return pointer
        .split("/")
        .slice(1)
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function schemaAt(root: ConnectorSpecSchema, schemaPath: string): unknown {
    return valueAt(root, pointerToPath(schemaPath.replace(/^#/, "")));
}

/** Keeps the errors of the `oneOf` branch the data chose; replaces unmatched `oneOf`s with one clear error. */
function reduceOneOfErrors(errors: ErrorObject[], schema: ConnectorSpecSchema, data: unknown): ErrorObject[] {
    let result = errors;
    const oneOfErrors = errors.filter((e) => e.keyword === "oneOf");
    // Deepest first, so nested oneOfs are settled before their parents.
    oneOfErrors.sort((a, b) => b.schemaPath.length - a.schemaPath.length);
    for (const oneOf of oneOfErrors) {
        if (!result.includes(oneOf)) continue;
        const branches = schemaAt(schema, oneOf.schemaPath) as ConnectorSpecSchema[] | undefined;
        if (!Array.isArray(branches)) continue;
        const prefix = `${oneOf.schemaPath}/`;
        const value = valueAt(data, pointerToPath(oneOf.instancePath));
        const keys = discriminators(branches);
        const chosen = chosenBranch(keys, value);
        const inBranch = (e: ErrorObject, i: number) => e.schemaPath.startsWith(`${prefix}${i}/`);
        const branchErrors = (i: number) => result.filter((e) => inBranch(e, i));
        if (chosen >= 0 && branchErrors(chosen).length > 0) {
            result = result.filter((e) => e !== oneOf && (!e.schemaPath.startsWith(prefix) || inBranch(e, chosen)));
        } else if (chosen < 0) {
            const options = branchLabels(branches, keys);
            const replacement: ErrorObject = {
                ...oneOf,
                message: `must be one of the connector's options: ${options.join(" | ")}`,
            };
            result = result.filter((e) => !e.schemaPath.startsWith(prefix) && e !== oneOf);
            result.push(replacement);
        } else {
            result = result.filter((e) => !e.schemaPath.startsWith(prefix));
        }
    }
    return result;
}

function describeError(e: ErrorObject): { path: string[]; reason: string } {
    const path = pointerToPath(e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
        case "required":
            return { path: [...path, String(p.missingProperty)], reason: "is required by the connector spec" };
        case "additionalProperties":
            return { path: [...path, String(p.additionalProperty)], reason: "is not a property of the connector spec" };
        case "enum":
            return {
                path,
                reason: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
            };
        case "const":
            return { path, reason: `must be ${JSON.stringify(p.allowedValue)}` };
        case "type":
            return { path, reason: `must be of type ${String(p.type)}` };
        default:
            return { path, reason: e.message ?? `fails ${e.keyword}` };
    }
}

/** What applies to one object of the configuration, its `allOf`/`anyOf`/`oneOf` resolved. */
export interface ValidationInput {
    schema: ConnectorSpecSchema;
    /** The non-secret configuration, as the user wrote it. */
    configuration: Record<string, unknown>;
    /** The secret part, with references replaced by placeholder strings. */
    secrets: Record<string, unknown>;
    /** Dotted paths (inside the merged configuration) whose values are placeholders, not real values. */
    placeholderPaths: Set<string>;
    /**
     * The resource's `undeclaredKeys`: dotted paths inside the configuration that may hold keys the
     * spec does not declare. Unknown at preview (the list, or one of its entries): undeclared keys
     * are not judged until it is known.
     */
    undeclaredKeys?: Maybe<readonly Maybe<string>[]>;
}

/**
 * Validates the merged configuration. Each problem names the user-facing property:
 * `secrets.<path>` where the value lives (or would belong) under `secrets`, else
 * `configuration.<path>`.
 */
export function validateConfiguration(input: ValidationInput, merged: Record<string, unknown>): SpecProblem[] {
    const validate = validatorFor(input.schema);
    const errors = validate(merged) ? [] : reduceOneOfErrors(validate.errors ?? [], input.schema, merged);
    const listed = input.undeclaredKeys ?? [];
    const passed = new Set(Array.isArray(listed) ? listed.filter((k): k is string => typeof k === "string") : []);
    const undeclared: UndeclaredKey[] = [];
    if (!isUnknown(listed) && !listed.some(isUnknown)) undeclaredKeysIn(merged, [input.schema], [], passed, undeclared);
    const undeclaredAt = new Map(undeclared.map((u) => [u.path.join("."), u]));
    /** Undeclared keys a "required" problem already names (as a likely misspelling). */
    const explained = new Set<UndeclaredKey>();
    const propertyOf = (path: string[], underSecrets: boolean) =>
        `${underSecrets ? "secrets" : "configuration"}${path.length ? "." + path.join(".") : ""}`;
    const undeclaredProperty = (u: UndeclaredKey) => propertyOf(u.path, valueAt(input.secrets, u.path) !== undefined);

    const problems: SpecProblem[] = [];
    const seen = new Set<string>();
    for (const error of errors) {
        // An error about an object that still contains unknowns may resolve once they are known.
        if (error.keyword === "oneOf" && containsUnknownBelow(valueAt(merged, pointerToPath(error.instancePath))))
            continue;
        const { path, reason: described } = describeError(error);
        let reason = described;
        if (error.keyword === "additionalProperties") {
            // Reported below, with suggestions; a listed key is refused by the spec all the same.
            // The key's name is known even when its value is not: only its object's unknowns exempt it.
            if (undeclaredAt.has(path.join(".")) || isExempt(path.slice(0, -1), merged, input.placeholderPaths))
                continue;
            if (passed.has(path.join(".")))
                reason = `${reason} (the spec sets additionalProperties: false, so undeclaredKeys cannot pass it)`;
        } else if (isExempt(path, merged, input.placeholderPaths)) continue;
        const underSecrets =
            valueAt(input.secrets, path) !== undefined ||
            (error.keyword === "required" && isSecretPath(input.schema, path));
        const property = propertyOf(path, underSecrets);
        if (error.keyword === "required") {
            if (underSecrets) reason = `${reason}; provide it under secrets`;
            // A misspelling of the missing key next to it: name it (and report it only here).
            const missing = path.at(-1)!; // a required-key error always names the key
            const parent = path.slice(0, -1).join(".");
            const misspelt = undeclared
                .filter((u) => !explained.has(u) && !u.belongsTo && u.path.slice(0, -1).join(".") === parent)
                .map((u) => ({ u, d: closeTo(u.path.at(-1)!, missing) }))
                .filter((x): x is { u: UndeclaredKey; d: number } => x.d !== undefined)
                .sort((a, b) => a.d - b.d)[0]?.u;
            if (misspelt) {
                explained.add(misspelt);
                reason = `${reason} (${undeclaredProperty(misspelt)} is not declared: a misspelling of "${missing}"?)`;
            }
        }
        const message = `${property}: ${reason}`;
        if (seen.has(message)) continue;
        seen.add(message);
        problems.push({ property, reason });
    }
    for (const u of undeclared) {
        if (!explained.has(u)) problems.push({ property: undeclaredProperty(u), reason: undeclaredReason(u) });
    }
    return problems;
}
