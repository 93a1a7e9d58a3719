/**
 * Shared assertions for the Secrets Manager tests: an error has the expected code, names the
 * secret (and key), and contains no secret value anywhere a user or a log could see it.
 */
import { randomInt } from "node:crypto";
import { inspect } from "node:util";
import { SecretErrorCode, SecretResolutionError } from "../../provider/secrets/aws-secrets-manager";

/**
 * A random value made of letters that are not hex digits, so that no fragment of it can occur
 * by chance in the UUIDs, ARNs and request ids that messages do contain.
 */
export function secretValue(label: string): string {
    const alphabet = "ghjkmnpqrstuvwxyzGHJKMNPQRSTUVWXYZ";
    let out = "";
    for (let i = 0; i < 24; i++) out += alphabet[randomInt(alphabet.length)];
    // Random part first: the leak check looks for every 8-character slice, and a value starting
    // with its label ("binary-m...") would match a secret *name* made from the same label.
    return `${out}-${label}`;
}

/** Every way an error could be shown: message, stack, toString, util.inspect, JSON. */
export function renderings(error: unknown): string[] {
    const e = error as Error;
    return [
        String(e?.message),
        String(e?.stack),
        String(e),
        inspect(e, { depth: 5, showHidden: true }),
        JSON.stringify(e) ?? "",
    ];
}

/** The fragments of a secret that must not appear: the whole value and every 8-character slice. */
function fragments(value: string): string[] {
    const out = new Set([value]);
    for (let i = 0; i + 8 <= value.length; i++) out.add(value.slice(i, i + 8));
    return [...out];
}

export function expectNoLeak(error: unknown, secrets: string[]): void {
    for (const text of renderings(error)) {
        for (const secret of secrets) {
            for (const fragment of fragments(secret)) {
                if (text.includes(fragment))
                    throw new Error(`secret fragment ${JSON.stringify(fragment)} leaked into the error:\n${text}`);
            }
        }
    }
}

/** Awaits a promise expected to reject with a SecretResolutionError and checks it. */
export async function expectSecretError(
    promise: Promise<unknown>,
    expected: { code: SecretErrorCode; secretId: string; key?: string; secrets: string[]; message?: RegExp },
): Promise<SecretResolutionError> {
    let error: unknown;
    try {
        await promise;
    } catch (caught) {
        error = caught;
    }
    if (error === undefined) throw new Error(`expected a ${expected.code} error, but the call succeeded`);
    expectNoLeak(error, expected.secrets);
    expect(error).toBeInstanceOf(SecretResolutionError);
    const e = error as SecretResolutionError;
    expect({ code: e.code, secretId: e.secretId, key: e.key }).toEqual({
        code: expected.code,
        secretId: expected.secretId,
        key: expected.key,
    });
    expect(e.message).toContain(`"${expected.secretId}"`);
    if (expected.key !== undefined) expect(e.message).toContain(`"${expected.key}"`);
    if (expected.message) expect(e.message).toMatch(expected.message);
    // SHOW_MESSAGES=1 prints every checked message, for reviewing their wording.
    if (process.env.SHOW_MESSAGES) console.log(e.message);
    return e;
}
