/**
 * Validates connector configurations against their `connectionSpecification`, like the server's
 * JsonSchemaValidator (networknt json-schema-validator 1.5). Messages follow networknt's wording
 * and JSON-path notation (`$.ssl_method.certificate`), so a 422 names the offending fields.
 *
 * For a failing `oneOf`, networknt reports the errors of every branch. That is noise for a user
 * who picked a branch, so when the value's `const`/single-`enum` discriminators select a branch
 * we report that branch's errors only; otherwise the `oneOf` failure itself.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import * as addFormatsModule from "ajv-formats";
import { callableDefault } from "../provider/commonjs-interop";
import type { JsonSchema } from "./connectors/types";
import { invalidConfiguration } from "./errors";
import { isPlainObject } from "./validation";

const addFormats = callableDefault<(ajv: Ajv) => Ajv>(addFormatsModule, "ajv-formats");

// `verbose` puts the offending value on each error (needed for "string found, integer expected").
const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false });
addFormats(ajv);

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** Compiles (and caches) a spec; throws a plain Error when it is not a usable JSON Schema. */
export function validatorFor(spec: JsonSchema): ValidateFunction {
    let validate = compiled.get(spec);
    if (!validate) {
        validate = ajv.compile(spec);
        compiled.set(spec, validate);
    }
    return validate;
}

/** Problems with `config` under `spec`, as networknt-style messages; empty when valid. */
export function specProblems(spec: JsonSchema, config: unknown): string[] {
    const validate = validatorFor(spec);
    if (validate(config)) return [];
    const errors = relevantErrors(validate.errors ?? [], spec, config);
    return [...new Set(errors.map(describeError))];
}

/** Throws the server's 422 when `config` does not satisfy `spec`. */
export function ensureMatchesSpec(spec: JsonSchema, config: unknown): void {
    const problems = specProblems(spec, config);
    if (problems.length === 0) return;
    throw invalidConfiguration(
        `json schema validation failed when comparing the data to the json schema. \nErrors: ${problems.join(", ")} \nSchema: \n${JSON.stringify(spec, null, 2)}`,
    );
}

function relevantErrors(errors: readonly ErrorObject[], spec: JsonSchema, config: unknown): ErrorObject[] {
    const excluded: string[] = [];
    const dropped = new Set<ErrorObject>();
    for (const error of errors) {
        if (error.keyword !== "oneOf") continue;
        const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
        if (passing && passing.length > 1) continue; // "but 2 are valid": keep as is
        const branches = resolvePointer(spec, error.schemaPath) as JsonSchema[] | undefined;
        const value = resolvePointer(config, error.instancePath);
        const chosen = Array.isArray(branches) ? chosenBranch(branches, value) : -1;
        if (chosen >= 0) {
            dropped.add(error);
            branches!.forEach((_, i) => i !== chosen && excluded.push(`${error.schemaPath}/${i}/`));
        } else {
            excluded.push(`${error.schemaPath}/`);
        }
    }
    return errors.filter((e) => !dropped.has(e) && !excluded.some((prefix) => e.schemaPath.startsWith(prefix)));
}

/** Index of the branch whose discriminators (`const` or one-value `enum`) all match `value`. */
function chosenBranch(branches: readonly JsonSchema[], value: unknown): number {
    if (!isPlainObject(value)) return -1;
    return branches.findIndex((branch) => {
        const discriminators = Object.entries(branch.properties ?? {}).filter(
            ([, p]) => p.const !== undefined || (Array.isArray(p.enum) && p.enum.length === 1),
        );
        return (
            discriminators.length > 0 &&
            discriminators.every(([key, p]) => value[key] === (p.const !== undefined ? p.const : p.enum![0]))
        );
    });
}

function resolvePointer(root: unknown, pointer: string): unknown {
    const path = pointer.replace(/^#/, "");
    if (path === "") return root;
    let node: unknown = root;
    for (const raw of path.split("/").slice(1)) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, unknown>)[key];
    }
    return node;
}

/** ajv's `/a/0/b` → networknt's `$.a[0].b`. */
function jsonPath(instancePath: string): string {
    if (instancePath === "") return "$";
    return (
        "$" +
        instancePath
            .split("/")
            .slice(1)
            .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
            .map((segment) =>
                /^\d+$/.test(segment)
                    ? `[${segment}]`
                    : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
                      ? `.${segment}`
                      : `['${segment}']`,
            )
            .join("")
    );
}

function jsonTypeOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

function describeError(error: ErrorObject): string {
    const path = jsonPath(error.instancePath);
    const p = error.params;
    switch (error.keyword) {
        case "required":
            return `${path}: required property '${p.missingProperty}' not found`;
        case "type":
            return `${path}: ${jsonTypeOf(error.data)} found, ${Array.isArray(p.type) ? p.type.join(", ") : p.type} expected`;
        case "enum":
            return `${path}: does not have a value in the enumeration [${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}]`;
        case "const":
            return `${path}: must be the constant value '${String(p.allowedValue)}'`;
        case "minimum":
        case "exclusiveMinimum":
            return `${path}: must have a minimum value of ${p.limit}`;
        case "maximum":
        case "exclusiveMaximum":
            return `${path}: must have a maximum value of ${p.limit}`;
        case "minItems":
            return `${path}: must have at least ${p.limit} items but found ${Array.isArray(error.data) ? error.data.length : 0}`;
        case "maxItems":
            return `${path}: must have at most ${p.limit} items but found ${Array.isArray(error.data) ? error.data.length : 0}`;
        case "uniqueItems":
            return `${path}: must have only unique items in the array`;
        case "additionalProperties":
            return `${path}: property '${p.additionalProperty}' is not defined in the schema and the schema does not allow additional properties`;
        case "pattern":
            return `${path}: does not match the regex pattern ${p.pattern}`;
        case "minLength":
            return `${path}: must be at least ${p.limit} characters long`;
        case "maxLength":
            return `${path}: must be at most ${p.limit} characters long`;
        case "format":
            return `${path}: does not match the ${p.format} pattern`;
        case "oneOf":
            return `${path}: must be valid to one and only one schema, but ${Array.isArray(p.passingSchemas) ? p.passingSchemas.length : 0} are valid`;
        default:
            return `${path}: ${error.message ?? error.keyword}`;
    }
}
