/**
 * The hints messages give: close matches for a misspelled name, and lists of what exists,
 * kept short enough to read in a preview (a workspace can have 600 connector definitions and
 * a source thousands of streams).
 */
import { distance } from "fastest-levenshtein";

/** How many close matches a message offers, best first. */
export const MAX_CLOSE_MATCHES = 3;
/** How many names a message lists at most before saying how many there are in all. */
export const MAX_LISTED = 10;

/**
 * Up to three candidates close to `query`, best first: within a few edits (about one per four
 * characters), compared case-insensitively against each of the candidate's names.
 */
export function closeMatches<T>(query: string, candidates: readonly T[], namesOf: (candidate: T) => string[]): T[] {
    const q = query.trim().toLowerCase();
    const limit = Math.max(2, Math.floor(q.length / 4));
    return candidates
        .map((candidate) => ({
            candidate,
            score: Math.min(...namesOf(candidate).map((n) => distance(q, n.toLowerCase()))),
        }))
        .filter((s) => s.score <= limit)
        .sort((a, b) => a.score - b.score)
        .slice(0, MAX_CLOSE_MATCHES)
        .map((s) => s.candidate);
}

/** `a, b, c, … (N in all)`: at most `max` names. */
export function listSome(names: readonly string[], max = MAX_LISTED): string {
    if (names.length === 0) return "(none)";
    return names.length > max ? `${names.slice(0, max).join(", ")}, … (${names.length} in all)` : names.join(", ");
}
