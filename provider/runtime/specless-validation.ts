/**
 * What can be said about a connector configuration without the connector's spec, as on Airbyte
 * Cloud, whose public API serves none (./spec-validation does the real thing where a spec is
 * available).
 *
 * - At preview: fields whose names say they hold a secret. Without the spec's `airbyte_secret`
 *   the provider cannot be sure, but a password under `configuration` would sit in clear text in
 *   Pulumi state (inputs are stored as given), so such names are refused there. Moving a field to
 *   `secrets` is always possible and harmless: secrets are merged into the configuration sent.
 * - At apply: Airbyte validates the configuration against the spec itself and answers 422 with
 *   the JSON-schema validator's lines (`$.port: string found, integer expected`,
 *   `$: required property 'database' not found`; `JsonSchemaValidator` in airbyte-commons, thrown
 *   as `JsonValidationException` by the actor handlers). Those lines are turned into the
 *   property paths a user wrote.
 */
import type { Problem } from "../client/domain";
import { isPlainObject } from "./values";

/**
 * Key names that hold secrets in Airbyte's connector specs (`airbyte_secret: true`): passwords,
 * anything named secret, keys and tokens, service-account and SSH key material.
 */
const SECRET_KEY_PATTERN =
    /^(password|passphrase|.*_password|.*secret.*|api_?key|.*_api_key|.*_token|access_key_id|aws_access_key_id|.*private_key|ssh_key|credentials_json|service_account_info|service_account_key)$/i;

/** Whether a configuration key's name says it holds a secret. */
export function looksLikeSecretKey(key: string): boolean {
    return SECRET_KEY_PATTERN.test(key);
}

/** Paths (arrays of keys) of the fields in `configuration` whose names say they hold a secret. */
export function likelySecretPaths(configuration: unknown, path: string[] = []): string[][] {
    if (Array.isArray(configuration))
        return configuration.flatMap((item, i) => likelySecretPaths(item, [...path, String(i)]));
    if (!isPlainObject(configuration)) return [];
    return Object.entries(configuration).flatMap(([key, value]) =>
        looksLikeSecretKey(key) && (typeof value === "string" || value === undefined)
            ? [[...path, key]]
            : likelySecretPaths(value, [...path, key]),
    );
}

/** The preview-time problems of a configuration checked without its spec. */
export function speclessProblems(configuration: Record<string, unknown>, why: string): Problem[] {
    return likelySecretPaths(configuration).map((path) => ({
        property: `configuration.${path.join(".")}`,
        reason: `looks like a secret, and ${why}, so the provider cannot tell; a value here would be stored in clear text in Pulumi state: move it to secrets.${path.join(".")} (a field that is not secret works there too)`,
    }));
}

/**
 * The property problems in the message of a 422 the server gave to a configuration (the lines
 * after `Errors:`), named as the user wrote them: `configuration.port`, or `secrets.password`
 * when the field is one the user keeps (or should keep) under `secrets`. Empty when the message
 * holds no such lines.
 */
export function problemsFromServerValidation(message: string, secretKeys: ReadonlySet<string> = new Set()): Problem[] {
    const problems: Problem[] = [];
    // `... Errors: <line>, <line> \nSchema: ...` (public API problems end before "\nSchema:"; the
    // Config API puts "The provided configuration does not fulfill the specification." first).
    const start = message.indexOf("Errors:");
    if (start < 0) return problems;
    const list = message.slice(start + "Errors:".length).split(/\n\s*Schema:/)[0]!;
    for (const item of list.split(/\n|,\s*(?=\$)/)) {
        // Segments exclude "." and "[" so that a line that does not match fails in linear time.
        const match = /^\s*\$((?:\.[^\s:.[]+|\[\d+\])*): (.+)$/.exec(item);
        if (!match) continue;
        const at = match[1]!
            .replace(/\[(\d+)\]/g, ".$1")
            .split(".")
            .filter(Boolean);
        let reason = match[2]!.trim();
        // A missing property is reported at its parent: `$: required property 'database' not found`.
        const missing = /^required property '([^']+)' not found$/.exec(reason);
        if (missing) {
            at.push(missing[1]!);
            reason = "is required by the connector spec (Airbyte's validation at apply)";
        } else {
            reason = `${reason} (Airbyte's validation at apply)`;
        }
        const joined = at.join(".");
        const underSecrets =
            secretKeys.has(joined) || (missing !== null && looksLikeSecretKey(at[at.length - 1] ?? ""));
        problems.push({
            property: `${underSecrets ? "secrets" : "configuration"}${joined ? `.${joined}` : ""}`,
            reason,
        });
    }
    return problems;
}
