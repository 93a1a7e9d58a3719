/**
 * Plain-data helpers for provider inputs and outputs: Pulumi's "unknown" sentinel, canonical
 * JSON, order-insensitive equality and deep merges.
 */
import { createHash } from "node:crypto";

/**
 * The string the Pulumi Node.js runtime hands to `check` and `diff` in place of a value that is
 * not known yet during a preview (e.g. the id of a source that is still to be created).
 * `sdk/nodejs/runtime/rpc.ts` `unknownValue`.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9" as const;
export type Unknown = typeof UNKNOWN;

/** A value that may still be unknown during a preview. */
export type Maybe<T> = T | Unknown;

export function isUnknown(value: unknown): value is Unknown {
    return value === UNKNOWN;
}

/** Whether a value is set and known (neither absent nor the preview's unknown). */
export function isKnown<T>(value: Maybe<T> | undefined | null): value is T {
    return value !== undefined && value !== null && value !== UNKNOWN;
}

/** Whether `value` is or contains an unknown. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every level; `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            if (value[key] !== undefined) out[key] = sortKeys(value[key]);
        }
        return out;
    }
    return value;
}

/** Structural equality that ignores object key order and `undefined` members. */
export function deepEqual(a: unknown, b: unknown): boolean {
    return canonicalJson(a) === canonicalJson(b);
}

/** SHA-256 of the canonical JSON of `value`, hex. */
export function digest(value: unknown): string {
    return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** Recursively merges `overlay` into a copy of `base`; objects merge, everything else replaces. */
export function deepMerge(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
        out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
    }
    return out;
}

/** A copy of `value` without the given top-level keys. */
export function omit<T extends Record<string, unknown>>(value: T, keys: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) out[k] = v;
    return out;
}

/** Drops `undefined` and `null` members (Pulumi sends absent optional inputs as either). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = v;
    return out as Partial<T>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A string that has passed `isUuid`. The brand keeps the guard honest: `!isUuid(s)` leaves a `string`
 * a string (a plain `value is string` guard would narrow it to `never`).
 */
export type UuidString = string & { readonly __uuid: true };

export function isUuid(value: unknown): value is UuidString {
    return typeof value === "string" && UUID.test(value);
}

/**
 * Ids from state reach Airbyte only as UUIDs: a corrupted or hand-edited state cannot make the
 * provider send anything else (read, update and delete run on state, never through `check`).
 */
export function requireUuidFromState(id: unknown, noun: string, operation: string): string {
    if (!isUuid(id)) {
        throw new Error(
            `${noun} ${operation}: the id in the stack's state, ${JSON.stringify(String(id)).slice(0, 80)}, is not a UUID; nothing was sent to Airbyte. Fix the state (pulumi state edit) or remove the resource from it (pulumi state delete).`,
        );
    }
    return id;
}

/** Walks every leaf of a JSON value with its dotted path. */
export function* leaves(value: unknown, path: string[] = []): Generator<[string[], unknown]> {
    if (isPlainObject(value)) {
        for (const [k, v] of Object.entries(value)) yield* leaves(v, [...path, k]);
    } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) yield* leaves(value[i], [...path, String(i)]);
    } else {
        yield [path, value];
    }
}
