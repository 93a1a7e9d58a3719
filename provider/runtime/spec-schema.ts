/**
 * Reading a connector spec (a draft-07 JSON Schema with Airbyte keywords): the schemas of a
 * property or of an array's items, across `oneOf`/`anyOf`/`allOf`, and how a `oneOf` branch is
 * chosen (its `const` discriminators) and named in messages. Shared by the spec validation and
 * the undeclared-key check.
 */
import type { JsonSchema as ConnectorSpecSchema } from "../client/domain";
import { isPlainObject } from "./values";

/** The schemas that may describe property `key` of an object described by `schema` (all branches). */
export function propertySchemas(schema: ConnectorSpecSchema | undefined, key: string): ConnectorSpecSchema[] {
    if (!schema || typeof schema !== "object") return [];
    const out: ConnectorSpecSchema[] = [];
    const direct = schema.properties?.[key];
    if (direct) out.push(direct);
    for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])])
        out.push(...propertySchemas(branch, key));
    return out;
}

export function itemSchemas(schemas: ConnectorSpecSchema[]): ConnectorSpecSchema[] {
    return schemas.flatMap((s) => (Array.isArray(s.items) ? s.items : s.items ? [s.items] : []));
}

/** The discriminating `const` properties of `oneOf` branches: `[{ key, value }]` per branch. */
export function discriminators(branches: ConnectorSpecSchema[]): { key: string; value: unknown }[][] {
    return branches.map((b) =>
        Object.entries(b.properties ?? {})
            .filter(([, s]) => s && (s.const !== undefined || (Array.isArray(s.enum) && s.enum.length === 1)))
            .map(([key, s]) => ({ key, value: s.const !== undefined ? s.const : (s.enum as unknown[])[0] })),
    );
}

/** The index of the `oneOf` branch whose `const` discriminators `value` matches, or -1. */
export function chosenBranch(keys: { key: string; value: unknown }[][], value: unknown): number {
    if (!isPlainObject(value)) return -1;
    return keys.findIndex((pairs) => pairs.length > 0 && pairs.every(({ key, value: v }) => value[key] === v));
}

/** How messages name a `oneOf` branch: `{ method: "CDC" }`, else its title. */
export function branchLabels(branches: ConnectorSpecSchema[], keys = discriminators(branches)): string[] {
    return keys
        .map((pairs, i) =>
            pairs.length
                ? pairs.map(({ key, value: v }) => `${key}: ${JSON.stringify(v)}`).join(", ")
                : ((branches[i]?.title as string | undefined) ?? `option ${i + 1}`),
        )
        .map((s) => `{ ${s} }`);
}
