/**
 * Declarative request validation, the emulator's stand-in for Jackson mapping + bean validation.
 *
 * Each route declares the top-level fields it reads. The real server maps the JSON body onto a
 * generated model first (a malformed UUID, a wrong scalar type or an unknown enum value makes
 * Jackson fail → 422, `InvalidJsonInputExceptionHandler`), then bean validation checks the
 * `required` fields of the generated jaxrs-spec models (→ 400, `InvalidInputExceptionHandler`).
 * Enums are accepted case-insensitively (`ACCEPT_CASE_INSENSITIVE_ENUMS`), so validation also
 * rewrites enum values to their canonical spelling. Unknown properties are ignored, as on the
 * server (Micronaut's `ObjectMapperFactory` and airbyte-commons `MoreMappers.configure` keep
 * `FAIL_ON_UNKNOWN_PROPERTIES` false).
 */
import { malformedInput, missingProperty } from "./errors";

export type FieldType = "uuid" | "string" | "integer" | "number" | "boolean" | "object" | "array";

export interface FieldRule {
    type: FieldType;
    required?: boolean;
    /** Allowed values (canonical spelling); matched case-insensitively. */
    enum?: readonly string[];
}

export type RequestSchema = Readonly<Record<string, FieldRule>>;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A string that has passed `isUuid`. The brand keeps the guard honest: `!isUuid(s)` leaves a `string`
 * a string (a plain `value is string` guard would narrow it to `never`).
 */
export type UuidString = string & { readonly __uuid: true };

export function isUuid(value: unknown): value is UuidString {
    return typeof value === "string" && UUID_PATTERN.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks `body` against `schema`, normalising enum spellings in place. Throws an ApiError. */
export function validateRequest(body: Record<string, unknown>, schema: RequestSchema): void {
    // Jackson maps (422) before bean validation runs (400), so type problems win over missing fields.
    for (const [field, rule] of Object.entries(schema)) {
        const value = body[field];
        if (value === undefined || value === null) continue;
        body[field] = checkType(value, rule, field);
    }
    for (const [field, rule] of Object.entries(schema)) {
        if (rule.required && (body[field] === undefined || body[field] === null)) throw missingProperty(field);
    }
}

/** Validates one value; returns it (enum values canonicalised, numeric strings coerced like Jackson). */
export function checkType(value: unknown, rule: FieldRule, path: string): unknown {
    switch (rule.type) {
        case "uuid":
            if (!isUuid(value))
                throw malformedInput(
                    `Cannot deserialize value of type \`java.util.UUID\` from String "${String(value)}" (at "${path}")`,
                );
            return value;
        case "string":
            if (typeof value !== "string")
                throw malformedInput(
                    `Cannot deserialize value of type \`java.lang.String\` from ${describe(value)} (at "${path}")`,
                );
            return rule.enum ? normalizeEnum(value, rule.enum, path) : value;
        case "integer": {
            const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
            if (typeof n !== "number" || !Number.isInteger(n))
                throw malformedInput(
                    `Cannot deserialize value of type \`long\` from ${describe(value)} (at "${path}")`,
                );
            return n;
        }
        case "number": {
            const n =
                typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))
                    ? Number(value)
                    : value;
            if (typeof n !== "number" || !Number.isFinite(n))
                throw malformedInput(
                    `Cannot deserialize value of type \`double\` from ${describe(value)} (at "${path}")`,
                );
            return n;
        }
        case "boolean":
            if (value === "true" || value === "false") return value === "true";
            if (typeof value !== "boolean")
                throw malformedInput(
                    `Cannot deserialize value of type \`boolean\` from ${describe(value)} (at "${path}")`,
                );
            return value;
        case "object":
            if (!isPlainObject(value))
                throw malformedInput(
                    `Cannot deserialize value of type \`java.util.LinkedHashMap\` from ${describe(value)} (at "${path}")`,
                );
            return value;
        case "array":
            if (!Array.isArray(value))
                throw malformedInput(
                    `Cannot deserialize value of type \`java.util.ArrayList\` from ${describe(value)} (at "${path}")`,
                );
            return value;
    }
}

/** Case-insensitive enum match returning the canonical value; 422 when nothing matches. */
export function normalizeEnum<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
    if (typeof value === "string") {
        const lower = value.toLowerCase();
        const match = allowed.find((candidate) => candidate.toLowerCase() === lower);
        if (match !== undefined) return match;
    }
    throw malformedInput(
        `Cannot deserialize value from String "${String(value)}": not one of the values accepted for Enum class: [${allowed.join(", ")}] (at "${path}")`,
    );
}

function describe(value: unknown): string {
    if (Array.isArray(value)) return "Array value (token `JsonToken.START_ARRAY`)";
    if (isPlainObject(value)) return "Object value (token `JsonToken.START_OBJECT`)";
    return `${typeof value} value ${JSON.stringify(value)}`;
}

/**
 * A request body as Jackson maps it onto a generated model: an empty body counts as `{}` (list
 * endpoints have none); bad JSON, or JSON that is not an object, is a 422.
 */
export function parseJsonObjectBody(raw: string): Record<string, unknown> {
    if (raw.trim() === "") return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch (error) {
        throw malformedInput(`Unexpected character: ${(error as Error).message}`);
    }
    if (!isPlainObject(parsed)) throw malformedInput("Cannot deserialize value: expected a JSON object");
    return parsed;
}
