/**
 * Keys a configuration gives that the connector spec does not declare where they are, at any
 * depth, even where the spec allows additional properties (connector specs mostly do, so a
 * misspelled optional key would otherwise pass silently and be ignored by the connector). Inside
 * a `oneOf`, the keys of the chosen branch count; with no branch chosen, the keys of any branch.
 * Each finding carries the declared names beside it, so messages can suggest the key meant.
 */
import { distance } from "fastest-levenshtein";
import type { JsonSchema as ConnectorSpecSchema } from "../client/domain";
import { MAX_CLOSE_MATCHES } from "./hints";
import { branchLabels, chosenBranch, discriminators, itemSchemas } from "./spec-schema";
import { isPlainObject } from "./values";

interface ApplicableSchemas {
    /** The schema nodes whose `properties` describe the object's keys. */
    nodes: ConnectorSpecSchema[];
    /** Some node accepts any key (a free-form branch, a map, a `$ref` not followed). */
    open: boolean;
    /** `oneOf` branches the object did not choose, for "it belongs to the option ..." hints. */
    others: { label: string; chosenLabel: string; schema: ConnectorSpecSchema }[];
}

/** Whether a schema node says which keys an object has. */
function declaresKeys(node: ConnectorSpecSchema): boolean {
    return (
        isPlainObject(node.properties) || isPlainObject(node.patternProperties) || node.additionalProperties === false
    );
}

/**
 * The schema nodes that describe the object `value`: `schema`, its `allOf` parts, its `anyOf`
 * branches, and the `oneOf` branch `value` chooses by its discriminators (every branch when it
 * chooses none). An alternative that declares no keys and requires none is free-form: it makes
 * the object open.
 */
function applicableSchemas(schema: ConnectorSpecSchema, value: unknown): ApplicableSchemas {
    const out: ApplicableSchemas = { nodes: [], open: false, others: [] };
    const visit = (node: ConnectorSpecSchema | undefined, alternative: boolean, depth: number) => {
        if (!isPlainObject(node) || depth > 16) return;
        // A `$ref` is not followed; `additionalProperties: { ...schema }` describes keys beyond the declared ones.
        if (node.$ref !== undefined || isPlainObject(node.additionalProperties)) out.open = true;
        if (
            alternative &&
            !declaresKeys(node) &&
            !Array.isArray(node.required) &&
            !node.allOf &&
            !node.anyOf &&
            !node.oneOf
        )
            out.open = true;
        out.nodes.push(node);
        for (const part of node.allOf ?? []) visit(part, false, depth + 1);
        for (const branch of node.anyOf ?? []) visit(branch, true, depth + 1);
        for (const branch of [node.then, node.else] as (ConnectorSpecSchema | undefined)[])
            visit(branch, true, depth + 1);
        const branches = node.oneOf ?? [];
        if (branches.length === 0) return;
        const keys = discriminators(branches);
        const chosen = chosenBranch(keys, value);
        if (chosen < 0) {
            for (const branch of branches) visit(branch, true, depth + 1);
            return;
        }
        visit(branches[chosen], false, depth + 1);
        const labels = branchLabels(branches, keys);
        const chosenLabel = labels[chosen]!; // labels has one entry per branch
        branches.forEach((branch, i) => {
            if (i !== chosen) out.others.push({ label: labels[i]!, chosenLabel, schema: branch });
        });
    };
    visit(schema, false, 0);
    return out;
}

function patternMatches(pattern: string, key: string): boolean {
    try {
        return new RegExp(pattern, "u").test(key);
    } catch {
        return true; // a pattern this engine cannot read: do not call the key undeclared
    }
}

/** The schemas of property `key` among `nodes`; `declared` when some node declares it. */
function childSchemas(
    nodes: ConnectorSpecSchema[],
    key: string,
): { declared: boolean; schemas: ConnectorSpecSchema[] } {
    let declared = false;
    const schemas: ConnectorSpecSchema[] = [];
    for (const node of nodes) {
        let here = false;
        const direct = isPlainObject(node.properties) ? node.properties[key] : undefined;
        if (direct !== undefined) {
            here = true;
            if (isPlainObject(direct)) schemas.push(direct);
        }
        if (isPlainObject(node.patternProperties)) {
            for (const [pattern, sub] of Object.entries(node.patternProperties)) {
                if (!patternMatches(pattern, key)) continue;
                here = true;
                if (isPlainObject(sub)) schemas.push(sub);
            }
        }
        // A map (`additionalProperties: { ...schema }`): its keys are data, its values have a schema.
        if (!here && isPlainObject(node.additionalProperties)) schemas.push(node.additionalProperties);
        declared ||= here;
    }
    return { declared, schemas };
}

/** Names of the keys declared among `nodes` (pattern properties aside), for suggestions. */
function declaredNames(nodes: ConnectorSpecSchema[]): string[] {
    return [...new Set(nodes.flatMap((n) => (isPlainObject(n.properties) ? Object.keys(n.properties) : [])))];
}

/** Whether `candidate` is close enough to `key` to be what the user meant. */
export function closeTo(key: string, candidate: string): number | undefined {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    return d <= Math.max(2, Math.floor(key.length / 3)) ? d : undefined;
}

/**
 * At most three declared names close to `key`, closest first; names already `present` beside it
 * come last. (./hints `closeMatches` has no such order, and its threshold suits longer names.)
 */
export function closeKeyNames(key: string, names: readonly string[], present: readonly string[] = []): string[] {
    const given = (name: string) => (present.includes(name) ? 1 : 0);
    return names
        .map((name) => ({ name, d: closeTo(key, name) }))
        .filter((x): x is { name: string; d: number } => x.d !== undefined && x.name !== key)
        .sort((a, b) => given(a.name) - given(b.name) || a.d - b.d || a.name.localeCompare(b.name))
        .slice(0, MAX_CLOSE_MATCHES)
        .map((x) => x.name);
}

/** A key present in the configuration (or secrets) that the spec does not declare where it is. */
export interface UndeclaredKey {
    path: string[];
    /** Declared names at the same place, for suggestions. */
    names: string[];
    /** The keys given beside it. */
    present: string[];
    /** The option of the object's `oneOf` that declares the key, when it is another than the chosen one. */
    belongsTo?: { label: string; chosenLabel: string };
}

/**
 * The keys of `value` that `schemas` do not declare, at any depth. Values unknown at preview
 * are not walked (their keys are not known yet); a key whose name is known is judged even
 * when its value is unknown or a Secrets Manager placeholder. Paths in `passed` (and
 * everything under them) are not judged.
 */
export function undeclaredKeysIn(
    value: unknown,
    schemas: ConnectorSpecSchema[],
    path: string[],
    passed: ReadonlySet<string>,
    found: UndeclaredKey[],
): void {
    if (schemas.length === 0) return;
    if (Array.isArray(value)) {
        const items = itemSchemas(schemas);
        value.forEach((item, i) => {
            const at = [...path, String(i)];
            if (!passed.has(at.join("."))) undeclaredKeysIn(item, items, at, passed, found);
        });
        return;
    }
    if (!isPlainObject(value)) return;
    const applicable = schemas.map((s) => applicableSchemas(s, value));
    const nodes = applicable.flatMap((a) => a.nodes);
    const judged = !applicable.some((a) => a.open) && nodes.some(declaresKeys);
    for (const [key, child] of Object.entries(value)) {
        if (child === undefined) continue; // absent, as Pulumi serializes it
        const at = [...path, key];
        if (passed.has(at.join("."))) continue;
        const { declared, schemas: childSchemasOf } = childSchemas(nodes, key);
        if (judged && !declared) {
            const other = applicable
                .flatMap((a) => a.others)
                .find((o) => childSchemas(applicableSchemas(o.schema, value).nodes, key).declared);
            found.push({
                path: at,
                names: declaredNames(nodes),
                present: Object.keys(value),
                ...(other ? { belongsTo: { label: other.label, chosenLabel: other.chosenLabel } } : {}),
            });
            continue;
        }
        undeclaredKeysIn(child, childSchemasOf, at, passed, found);
    }
}

/** The reason given for an undeclared key. */
export function undeclaredReason(u: UndeclaredKey): string {
    const key = u.path.at(-1)!; // an undeclared key's path is never empty
    const pass = `To pass it anyway, list "${u.path.join(".")}" in undeclaredKeys`;
    if (u.belongsTo)
        return `is not declared by the connector's spec for the option ${u.belongsTo.chosenLabel} (it belongs to the option ${u.belongsTo.label}). ${pass}`;
    const close = closeKeyNames(key, u.names, u.present);
    if (close.length)
        return `is not declared by the connector's spec; did you mean ${close.map((n) => `"${n}"`).join(" or ")}? ${pass}`;
    return `is not declared by the connector's spec, and no declared field is close to it (the connector's documentation lists its fields). ${pass}`;
}
