/**
 * How one provider setting's text becomes a value: URLs, credentials (literal or a Secrets Manager
 * reference as JSON), CA bundles, booleans and whole numbers. Each refusal is a `SettingsError`
 * naming the setting and what is allowed, and never echoes a credential. ./settings assembles
 * these values into a server's settings.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { BackendName } from "../client/backends";
import { processState } from "../process-state";
import { registerSecret } from "../redact";
import { isSecretsManagerReference, referenceProblems, SecretsManagerReference } from "../secrets/reference";

/** A credential as configured: a literal, or a Secrets Manager reference resolved at use. */
export type CredentialValue = string | SecretsManagerReference;

/** Airbyte Cloud's API host; its public API lives under `/v1` there. */
export const CLOUD_API_HOST = "api.airbyte.com";

/** A setting's value is not acceptable; the message names the setting and what is allowed. */
export class SettingsError extends Error {
    override name = "SettingsError";
}

/**
 * A credential setting: a literal (registered with the redactor when `secret`), or a Secrets Manager reference as JSON.
 */
export function parseCredential(raw: string | undefined, name: string, secret = true): CredentialValue | undefined {
    if (raw === undefined || raw === "") return undefined;
    const trimmed = raw.trim();
    if (trimmed.startsWith("{")) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(trimmed);
        } catch {
            // A literal secret that happens to start with "{"; never echo it.
            if (secret) registerSecret(raw);
            return raw;
        }
        if (isSecretsManagerReference(parsed)) return checkedReference(parsed, name);
        throw new SettingsError(
            `${name} is a JSON object but not a Secrets Manager reference ({"secretsManager": {"secretId": "..."}})`,
        );
    }
    if (secret) registerSecret(raw);
    return raw;
}

/** A credential given as a Secrets Manager reference, with its fields checked (at preview). */
export function checkedReference(reference: SecretsManagerReference, name: string): SecretsManagerReference {
    const problems = referenceProblems(reference);
    if (problems.length)
        throw new SettingsError(
            `${name} is a Secrets Manager reference with problems: ${problems.map(([field, reason]) => `secretsManager.${field} ${reason}`).join("; ")}`,
        );
    return reference;
}

/**
 * Values that end up in an HTTP header (a bearer token) must be a single printable token:
 * CR/LF would let a value smuggle headers. The value is never echoed.
 */
export function checkHeaderValue(value: string, name: string): string {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
    if (/[\s\u0000-\u001f\u007f]/.test(value)) {
        throw new SettingsError(
            `${name} contains whitespace or control characters (e.g. a trailing newline); it is sent in an HTTP header and must be a single token`,
        );
    }
    return value;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * `airbyte:caBundle`: PEM text, or the path of a PEM file (read when the settings are read).
 * Each certificate is parsed (X.509), so a bad bundle fails at preview with a clear message rather
 * than as a handshake error at apply. Certificates only: a private key is refused.
 */
export function parseCaBundle(raw: string | undefined, name: string): string | undefined {
    if (raw === undefined || raw.trim() === "") return undefined;
    const caBundles = processState().caBundles;
    const cached = caBundles.get(raw);
    if (cached !== undefined) return cached;
    let pem = raw;
    let where = name;
    if (!raw.includes("-----BEGIN")) {
        const path = raw.trim();
        const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
        try {
            pem = readFileSync(path, "utf8");
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            throw new SettingsError(
                `${name} must be PEM text ("-----BEGIN CERTIFICATE-----...") or the path of a PEM file; cannot read the file "${shown}"${code ? ` (${code})` : ""}`,
            );
        }
        where = `${name} (file "${shown}")`;
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
        throw new SettingsError(`${where} contains a private key; give only the CA certificate(s)`);
    const certificates = pem.match(PEM_CERTIFICATE) ?? [];
    if (certificates.length === 0)
        throw new SettingsError(
            `${where} holds no PEM certificate ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----")`,
        );
    certificates.forEach((certificate, index) => {
        try {
            new X509Certificate(certificate);
        } catch (error) {
            throw new SettingsError(
                `${where}: certificate ${index + 1} of ${certificates.length} is not a valid X.509 certificate (${(error as Error).message})`,
            );
        }
    });
    if (caBundles.size > 32) caBundles.clear();
    caBundles.set(raw, pem);
    return pem;
}

/**
 * A server URL as users write it: the base (`http://localhost:8000`), or with an API path
 * (`.../api/v1`, `.../api`, `.../api/public/v1`, Cloud's `https://api.airbyte.com/v1`). Returns
 * the base, which is the server's identity in state whatever API is used, and what the path
 * says about the API and layout.
 */
export function parseServerUrl(
    raw: string,
    settingName = "airbyte:serverUrl",
): { serverUrl: string; cloud: boolean; api?: BackendName } {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        // A URL that does not parse may still carry credentials (`http://admin:pw@bad host`): mask them.
        const shown = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i, "$1***@");
        throw new SettingsError(
            `${settingName} must be an absolute http(s) URL such as "http://localhost:8000"; got "${shown}"`,
        );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new SettingsError(`${settingName} must use http or https; got "${url.protocol}"`);
    }
    if (url.username || url.password) {
        throw new SettingsError(
            `${settingName} must not contain credentials; use the clientId/clientSecret, token or basic-auth settings`,
        );
    }
    if (url.search || url.hash) throw new SettingsError(`${settingName} must not contain a query string or fragment`);
    let path = url.pathname.replace(/\/+$/, "");
    let api: BackendName | undefined;
    let cloud = url.hostname.toLowerCase() === CLOUD_API_HOST;
    if (/\/api\/public(\/v1)?$/.test(path)) {
        path = path.replace(/\/api\/public(\/v1)?$/, "");
        api = "public";
    } else if (/\/api(\/v1)?$/.test(path)) {
        path = path.replace(/\/api(\/v1)?$/, "");
        api = "config";
    } else if (/\/v1$/.test(path)) {
        // Cloud's layout: the public API directly under /v1.
        path = path.replace(/\/v1$/, "");
        api = "public";
        cloud = true;
    }
    if (cloud && api === "config")
        throw new SettingsError(
            `${settingName}: Airbyte Cloud serves only its public API (https://${CLOUD_API_HOST}/v1); the Config API (/api/v1) is not available there`,
        );
    return { serverUrl: `${url.origin}${path}`, cloud, api };
}

/** Digits only: `Number()` would also take "1e3", "0x10" and "" as numbers. */
const WHOLE_NUMBER = /^\d+$/;

export function parseNonNegativeInt(raw: string | undefined, name: string, unit = "minutes"): number | undefined {
    if (raw === undefined || raw === "") return undefined;
    const n = WHOLE_NUMBER.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < 0)
        throw new SettingsError(`${name} must be a whole number of ${unit} (0 turns it off); got "${raw}"`);
    return n;
}

export function parseBoolean(raw: string | undefined, name: string): boolean | undefined {
    if (raw === undefined || raw === "") return undefined;
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
    throw new SettingsError(`${name} must be true or false; got "${raw}"`);
}

export function parsePositiveInt(raw: string | undefined, name: string): number | undefined {
    if (raw === undefined || raw === "") return undefined;
    const n = WHOLE_NUMBER.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new SettingsError(`${name} must be a positive integer; got "${raw}"`);
    return n;
}
