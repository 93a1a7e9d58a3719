/**
 * The stack config handed to the dynamic provider's `configure`, kept for the life of the
 * provider process. All three resource types share it (one runtime module per process).
 */
import { isDuringApply } from "../client/readiness";
import { log } from "../log";
import { readSecretValue, SecretResolutionError } from "../secrets/aws-secrets-manager";
import { describeReference, SecretsManagerReference } from "../secrets/reference";
import type { CredentialResolver } from "./server-context";
import { ConfigLookup, readSettings, ServerOverride, ServerSettings, settingsFor } from "./settings";

let lookup: ConfigLookup | undefined;

/** Called from each provider's `configure`. */
export function setConfig(config: { get(key: string): string | undefined } | undefined): void {
    lookup = config ? (key) => config.get(key) : undefined;
}

export function configLookup(): ConfigLookup | undefined {
    return lookup;
}

/** The settings for a resource: provider config and environment, or the resource's `server` override. */
export function settingsForResource(override: ServerOverride | undefined): ServerSettings {
    return settingsFor(readSettings(lookup), override, lookup);
}

/**
 * Secret states that a server being installed fixes by itself, soon: it writes its credentials
 * into a secret the stack created empty. A secret that does not exist at all is a mistake in
 * the reference, reported at once.
 */
const NOT_WRITTEN_YET = new Set(["no_value", "missing_key", "not_json"]);

/** Whether a credential could not be read because it is not written yet (see above). */
export function isCredentialNotWrittenYet(error: unknown): error is SecretResolutionError {
    return error instanceof SecretResolutionError && NOT_WRITTEN_YET.has(error.code);
}
const CREDENTIAL_POLL_MS = 5_000;
const CREDENTIAL_PROGRESS_MS = 30_000;

/**
 * Provider credentials given as Secrets Manager references are read with the provider's AWS
 * defaults. During apply, a secret that does not hold the credentials yet is waited for, up to
 * `airbyte:serverReadyTimeoutSeconds`: an instance installing Airbyte in the same `pulumi up`
 * writes its generated credentials there when the install finishes (examples/aws-mssql-to-s3).
 */
export const resolveCredentialReference: CredentialResolver = async (
    reference: SecretsManagerReference,
    settings: ServerSettings,
) => {
    const defaults = { region: settings.awsRegion, endpoint: settings.awsEndpoint };
    const limitMs = isDuringApply() ? settings.serverReadyTimeoutSeconds * 1000 : 0;
    const started = Date.now();
    let lastProgress = started;
    for (let announced = false; ;) {
        try {
            return (await readSecretValue(reference, {}, defaults)).value;
        } catch (error) {
            const elapsed = Date.now() - started;
            if (!isCredentialNotWrittenYet(error) || elapsed >= limitMs) throw error;
            if (!announced || Date.now() - lastProgress >= CREDENTIAL_PROGRESS_MS) {
                announced = true;
                lastProgress = Date.now();
                log.warn(
                    `waiting for ${describeReference(reference)} to hold the server's credentials (${Math.round(elapsed / 1000)} s of ${Math.round(limitMs / 1000)} s): ${error.message}`,
                );
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(CREDENTIAL_POLL_MS, limitMs - elapsed)));
        }
    }
};
