/**
 * Airbyte release numbers, for behaviour that changed between server generations. Servers
 * report theirs in `instance_configuration.version` (Config API, from 0.57.4); development
 * builds report strings such as `dev`, which compare as unknown.
 */

/** `[major, minor, patch]` of `1.7.0` or `v0.50.45`, or undefined when it is not a release number. */
export function parseVersion(version: string | undefined): [number, number, number] | undefined {
    const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version?.trim() ?? "");
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether `version` is `minimum` or later; undefined when `version` is unknown. */
export function isAtLeast(version: string | undefined, minimum: string): boolean | undefined {
    const a = parseVersion(version);
    const b = parseVersion(minimum)!;
    if (!a) return undefined;
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return true;
}
