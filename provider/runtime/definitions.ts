/**
 * Finding a connector definition from what a user wrote: a definition id, a docker repository
 * (`airbyte/source-mssql`, or just `source-mssql`), or a display name (`Microsoft SQL Server
 * (MSSQL)`), among the definitions the workspace can use (custom connectors included).
 */
import { distance } from "fastest-levenshtein";
import type { Definition } from "../client/domain";
import { isUuid } from "./values";

export type DefinitionMatch = { found: Definition } | { found?: undefined; closeMatches: Definition[]; ambiguous?: Definition[] };

function repositoryTail(repository: string | undefined): string {
    return (repository ?? "").slice((repository ?? "").lastIndexOf("/") + 1).toLowerCase();
}

/** Resolves `query` against `definitions`; on a miss, returns up to five close matches. */
export function matchDefinition(query: string, definitions: Definition[]): DefinitionMatch {
    const q = query.trim();
    const lower = q.toLowerCase();
    if (isUuid(q)) {
        const byId = definitions.find((d) => d.id.toLowerCase() === lower);
        if (byId) return { found: byId };
    }
    const candidates = [
        definitions.filter((d) => d.dockerRepository?.toLowerCase() === lower),
        definitions.filter((d) => !lower.includes("/") && repositoryTail(d.dockerRepository) === lower),
        definitions.filter((d) => d.name.toLowerCase() === lower),
    ];
    for (const matches of candidates) {
        if (matches.length === 1) return { found: matches[0] };
        if (matches.length > 1) return { closeMatches: [], ambiguous: matches };
    }
    const scored = definitions
        .map((d) => ({
            d,
            score: Math.min(distance(lower, (d.dockerRepository ?? "").toLowerCase()), distance(lower, repositoryTail(d.dockerRepository)), distance(lower, d.name.toLowerCase())),
            contains: (d.dockerRepository ?? "").toLowerCase().includes(lower) || d.name.toLowerCase().includes(lower) || (d.dockerRepository !== undefined && lower.includes(repositoryTail(d.dockerRepository))),
        }))
        .filter((s) => s.contains || s.score <= Math.max(3, Math.floor(lower.length / 3)))
        .sort((a, b) => Number(b.contains) - Number(a.contains) || a.score - b.score)
        .slice(0, 5)
        .map((s) => s.d);
    return { closeMatches: scored };
}

/** One line per definition for messages: `airbyte/source-mssql ("Microsoft SQL Server (MSSQL)" 4.1.0, id ...)`. */
export function describeDefinition(d: Definition): string {
    const version = d.dockerImageTag ? ` ${d.dockerImageTag}` : "";
    return `${d.dockerRepository ?? d.name} ("${d.name}"${version}${d.custom ? ", custom" : ""}, id ${d.id})`;
}
