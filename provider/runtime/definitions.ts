/**
 * Finding a connector definition from what a user wrote: a definition id, a docker repository
 * (`airbyte/source-mssql`, or just `source-mssql`), or a display name (`Microsoft SQL Server
 * (MSSQL)`), among the definitions the workspace can use (custom connectors included).
 */
import type { Definition } from "../client/domain";
import { closeMatches, MAX_CLOSE_MATCHES } from "./hints";
import { isUuid } from "./values";

export type DefinitionMatch =
    { found: Definition } | { found?: undefined; closeMatches: Definition[]; ambiguous?: Definition[] };

function repositoryTail(repository: string | undefined): string {
    return (repository ?? "").slice((repository ?? "").lastIndexOf("/") + 1).toLowerCase();
}

/** Resolves `query` against `definitions`; on a miss, returns up to three close matches, best first. */
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
        if (matches.length === 1) return { found: matches[0]! };
        if (matches.length > 1) return { closeMatches: [], ambiguous: matches };
    }
    // Compared with the repository, its last part and the display name; the query's own last
    // part too, so "airbyte/source-mssqll" is as close to "source-mssql" as it looks.
    const tail = repositoryTail(q);
    const scored = closeMatches(lower, definitions, (d) => [
        d.dockerRepository ?? "",
        repositoryTail(d.dockerRepository),
        d.name,
    ]).concat(tail !== lower ? closeMatches(tail, definitions, (d) => [repositoryTail(d.dockerRepository)]) : []);
    const unique = [...new Set(scored)].slice(0, MAX_CLOSE_MATCHES);
    return { closeMatches: unique };
}

/** One line per definition for messages: `airbyte/source-mssql ("Microsoft SQL Server (MSSQL)" 4.1.0, id ...)`. */
export function describeDefinition(d: Definition): string {
    const version = d.dockerImageTag ? ` ${d.dockerImageTag}` : "";
    return `${d.dockerRepository ?? d.name} ("${d.name}"${version}${d.custom ? ", custom" : ""}, id ${d.id})`;
}

/** A definition as a close match names it: `airbyte/source-mssql ("Microsoft SQL Server (MSSQL)")`. */
export function nameDefinition(d: Definition): string {
    return d.dockerRepository && d.dockerRepository !== d.name ? `${d.dockerRepository} ("${d.name}")` : `"${d.name}"`;
}
