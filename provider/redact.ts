/**
 * Keeps secret values out of every message this package writes: errors, log lines, check
 * failures. Secrets are registered the moment they are known (resolved from Secrets Manager,
 * read from a Pulumi secret input, taken from provider config, or returned as a token), and
 * every outgoing text passes through `redact()`.
 *
 * The registry lives in the provider process's memory only; nothing is persisted.
 */

const REDACTED = "[redacted]";
/** Shorter values would turn ordinary words into "[redacted]"; such secrets are unsafe anyway. */
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
let sortedSecrets: string[] | undefined;

/** Remembers a secret value so that `redact` removes it from any text. */
export function registerSecret(value: unknown): void {
    if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || value === "**********") return;
    if (secrets.has(value)) return;
    secrets.add(value);
    // JSON-escaped forms appear in serialized bodies.
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) secrets.add(escaped);
    sortedSecrets = undefined;
}

/** Header and body patterns that carry credentials whatever their value. */
const CREDENTIAL_PATTERNS: [RegExp, string][] = [
    [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1$2 ${REDACTED}`],
    [/((?:access_token|client_secret|refresh_token|password)["']?\s*[:=]\s*["'])[^"']*(["'])/gi, `$1${REDACTED}$2`],
];

/** Returns `text` with every registered secret and every credential pattern replaced. */
export function redact(text: string): string {
    if (!text) return text;
    let out = text;
    if (secrets.size > 0) {
        // Longest first, so a secret containing another one is removed whole.
        sortedSecrets ??= [...secrets].sort((a, b) => b.length - a.length);
        for (const secret of sortedSecrets) {
            if (out.includes(secret)) out = out.split(secret).join(REDACTED);
        }
    }
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
    return out;
}

/** For tests: forget every registered secret. */
export function clearRegisteredSecrets(): void {
    secrets.clear();
    sortedSecrets = undefined;
}
