/**
 * Check failures as the Pulumi engine prints them.
 *
 * The engine prints a failure with a property as `property <p> value {<v>} has a problem`,
 * where `<v>` is `inputs[<p>]` looked up as a top-level key (pkg/resource/deploy/step_generator.go,
 * `diag.GetResourcePropertyInvalidValueError`). For a nested path such as `schedule.cron` that
 * lookup finds nothing and prints `{<nil>}`, which users read as "the value is missing"; for a
 * top-level object it prints Go's map syntax. So the runtime hands the engine failures without
 * a property (printed as `resource '<name>' has a problem: <reason>`) and writes the path the
 * user wrote and the value it holds into the reason itself:
 *
 *     schedule.cron "0 0 * * *": a Quartz cron needs 6 or 7 fields ...
 *     secrets.password (secret, not shown): is required by the connector spec
 *     configuration.database (not set): is required by the connector spec
 *
 * The structured form stays on each failure (`path`, `detail`) for tests and tools; the
 * dynamic-provider runtime passes on only `property` and `reason`.
 */
import type { CheckFailure } from "./provider-types";
import { isUnknown } from "./values";

export interface EngineCheckFailure extends CheckFailure {
    /** The property path as the user wrote it, e.g. `streams[0].cursorField`. */
    path: string;
    /** The reason, without the path and value. */
    detail: string;
}

/** How long a shown value may be before it is shortened. */
const MAX_SHOWN = 60;
/** Failure "properties" that are not inputs: the provider's settings (stack config). */
const NOT_INPUTS = new Set(["provider"]);

type Lookup = { found: true; value: unknown } | { found: false };

/** Splits `a.b[0]["x.y"].c` into `["a", "b", 0, "x.y", "c"]`. */
export function parsePath(path: string): (string | number)[] {
    const segments: (string | number)[] = [];
    const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(path)) !== null) {
        if (match[1] !== undefined) segments.push(match[1]);
        else if (match[2] !== undefined) segments.push(Number(match[2]));
        else segments.push(match[3]!.replace(/\\(.)/g, "$1"));
    }
    return segments;
}

function lookup(root: unknown, segments: (string | number)[]): Lookup {
    let node = root;
    for (const segment of segments) {
        if (isUnknown(node)) return { found: true, value: node };
        if (typeof segment === "number") {
            if (!Array.isArray(node)) return { found: false };
            node = node[segment];
        } else if (Array.isArray(node)) {
            // `streams["dbo.orders"]`: a stream named by its namespace and name.
            const named = (node as unknown[]).find(
                (s) =>
                    typeof s === "object" &&
                    s !== null &&
                    [
                        `${(s as { namespace?: string }).namespace}.${(s as { name?: string }).name}`,
                        (s as { name?: string }).name,
                    ].includes(segment),
            );
            if (named === undefined) return { found: false };
            node = named;
        } else if (typeof node === "object" && node !== null) {
            node = (node as Record<string, unknown>)[segment];
        } else {
            return { found: false };
        }
    }
    return { found: true, value: node };
}

/** A short rendering of a value for a message; undefined when nothing useful can be said. */
export function shownValue(path: string, inputs: Record<string, unknown>): string | undefined {
    if (NOT_INPUTS.has(path)) return undefined;
    const segments = parsePath(path);
    const found = lookup(inputs, segments);
    if (!found.found) return undefined;
    const { value } = found;
    if (value === undefined || value === null) return "(not set)";
    if (isUnknown(value)) return "(not known until apply)";
    // Values under `secrets` are withheld, except the parts of a Secrets Manager reference (no secret in them).
    if (segments[0] === "secrets" && !segments.includes("secretsManager")) return "(secret, not shown)";
    const json = JSON.stringify(value);
    if (json === undefined) return undefined;
    if (json.length <= MAX_SHOWN) return json;
    if (Array.isArray(value)) return `(${value.length} items)`;
    if (typeof value === "object")
        return `{ ${Object.keys(value).slice(0, 4).join(", ")}${Object.keys(value).length > 4 ? ", …" : ""} }`;
    return `${json.slice(0, MAX_SHOWN - 1)}…`;
}

/** The failures with their path and value written into the reason, and no property (see above). */
export function engineFailures(failures: CheckFailure[], inputs: Record<string, unknown>): EngineCheckFailure[] {
    return failures.map(({ property, reason }) => {
        const shown = property ? shownValue(property, inputs) : undefined;
        const subject = property === "provider" ? "provider settings" : property;
        const text = subject ? `${subject}${shown !== undefined ? ` ${shown}` : ""}: ${reason}` : reason;
        return { property: "", reason: text, path: property, detail: reason };
    });
}
