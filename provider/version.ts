/**
 * The package's name and version, sent as the User-Agent. The version is read from the package's
 * own package.json (never written a second time here), found by walking up from this module:
 * dist/provider/version.js in an installed package, provider/version.ts under the test runner.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const PACKAGE_NAME = "pulumi-airbyte-dynamic";

/** The version in the nearest package.json named PACKAGE_NAME at or above `start`. */
export function versionFrom(start: string): string | undefined {
    for (let dir = start; ; dir = dirname(dir)) {
        try {
            const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
                name?: unknown;
                version?: unknown;
            };
            if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") return manifest.version;
        } catch {
            // No package.json here, or not JSON: keep walking up.
        }
        if (dirname(dir) === dir) return undefined;
    }
}

// `__dirname` exists in the CommonJS build; jest's ESM mode has none, and runs from the repository root.
export const PACKAGE_VERSION =
    versionFrom(typeof __dirname === "string" ? __dirname : process.cwd()) ?? "0.0.0-unknown";
