/**
 * Query parameters of the public API's list endpoints and their `next` / `previous` links.
 *
 * Parameters (api.yaml, bound by the generated `Public*Api` interfaces with bean validation,
 * `airbyte-api/public-api/build.gradle.kts` `useBeanValidation`): `workspaceIds` (array of uuid),
 * `includeDeleted` (default false), `limit` (default 20, `@Min(1) @Max(100)`), `offset` (default
 * 0, `@Min(0)`). A value out of range is a `ConstraintViolationException` → 400
 * (`InvalidInputExceptionHandler`; `{errorId}` from v2.0.0). `workspaceIds` is accepted repeated
 * (`workspaceIds=a&workspaceIds=b`, how the SDKs send it) and comma-separated (`a,b`, the spec's
 * example and what the links below carry).
 *
 * Links (`PaginationMapper`, used by `SourcesResponseMapper` & co.): a Micronaut `UriBuilder` on
 * `<airbyte.api.host>/v1/<resource>` with `includeDeleted` and, when the request named any,
 * `workspaceIds` (comma-joined, `uuidListToQueryString`); then
 * - `next`: "" when the page is empty, else `limit=L` appended and `offset=O+L` — so a non-empty
 *   page always has a `next`, even a short last page;
 * - `previous`: "" when `offset` is 0, else `limit=L` appended and `offset=max(O-L, 0)`.
 * The builder is shared and `queryParam` appends (micronaut-core `DefaultUriBuilder.queryParam`;
 * `replaceQueryParam` replaces in place), so when `next` was built first, `previous` carries
 * `limit` twice. Values are form-encoded with `URLEncoder` (`,` → `%2C`).
 */
import type { HandlerContext } from "../context";
import { constraintViolation } from "../errors";
import { isUuid } from "../validation";

export interface ListQuery {
    /** As the request gave them (empty: none given). */
    workspaceIds: string[];
    includeDeleted: boolean;
    limit: number;
    offset: number;
}

/** `Boolean` query parameters (`includeDeleted`, `ignoreCache`, ...): `true` / `false`, any case. */
export function booleanParam(query: URLSearchParams, name: string, operation: string, defaultValue = false): boolean {
    const value = query.get(name);
    if (value === null || value === "") return defaultValue;
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
    throw constraintViolation(
        `${operation}.${name}`,
        `Failed to convert argument [${name}] for value [${value}]`,
        value,
    );
}

/** A uuid-list query parameter, repeated and/or comma-separated. */
export function uuidListParam(query: URLSearchParams, name: string, operation: string): string[] {
    const values = query
        .getAll(name)
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== "");
    for (const value of values)
        if (!isUuid(value))
            throw constraintViolation(
                `${operation}.${name}`,
                `Failed to convert argument [${name}] for value [${value}]`,
                value,
            );
    return values;
}

function integerParam(
    query: URLSearchParams,
    name: string,
    operation: string,
    defaultValue: number,
    min: number,
    max?: number,
): number {
    const raw = query.get(name);
    if (raw === null || raw === "") return defaultValue;
    if (!/^[+-]?\d+$/.test(raw.trim()))
        throw constraintViolation(
            `${operation}.${name}`,
            `Failed to convert argument [${name}] for value [${raw}]`,
            raw,
        );
    const value = Number(raw.trim());
    if (value < min)
        throw constraintViolation(`${operation}.${name}`, `must be greater than or equal to ${min}`, String(value));
    if (max !== undefined && value > max)
        throw constraintViolation(`${operation}.${name}`, `must be less than or equal to ${max}`, String(value));
    return value;
}

/** `workspaceIds`, `includeDeleted`, `limit` (1..100, default 20) and `offset` (≥ 0, default 0). */
export function listQuery(query: URLSearchParams, operation: string): ListQuery {
    return {
        workspaceIds: uuidListParam(query, "workspaceIds", operation),
        includeDeleted: booleanParam(query, "includeDeleted", operation),
        limit: integerParam(query, "limit", operation, 20, 1, 100),
        offset: integerParam(query, "offset", operation, 0, 0),
    };
}

/** `java.net.URLEncoder.encode(value, UTF_8)`: form encoding (space → `+`; `.-*_` kept). */
function formEncode(value: string): string {
    return encodeURIComponent(value)
        .replace(/%20/g, "+")
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The `next` / `previous` links of a list answer (see the module comment). */
export function pageLinks(
    ctx: HandlerContext,
    resource: string,
    query: ListQuery,
    pageLength: number,
): { next: string; previous: string } {
    const base = `${ctx.settings.publicApiHost}/v1/${resource}`;
    const params: [string, string[]][] = [["includeDeleted", [String(query.includeDeleted)]]];
    if (query.workspaceIds.length > 0) params.push(["workspaceIds", [query.workspaceIds.join(",")]]);
    const build = (): string =>
        `${base}?${params.flatMap(([name, values]) => values.map((v) => `${formEncode(name)}=${formEncode(v)}`)).join("&")}`;
    const queryParam = (name: string, value: number): void => {
        const existing = params.find(([n]) => n === name);
        if (existing) existing[1].push(String(value));
        else params.push([name, [String(value)]]);
    };
    const replaceQueryParam = (name: string, value: number): void => {
        const existing = params.find(([n]) => n === name);
        if (existing) existing[1] = [String(value)];
        else params.push([name, [String(value)]]);
    };
    let next = "";
    if (pageLength > 0) {
        queryParam("limit", query.limit);
        replaceQueryParam("offset", query.offset + query.limit);
        next = build();
    }
    let previous = "";
    if (query.offset !== 0) {
        queryParam("limit", query.limit);
        replaceQueryParam("offset", Math.max(query.offset - query.limit, 0));
        previous = build();
    }
    return { next, previous };
}
