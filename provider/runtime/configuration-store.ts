/**
 * The stack config handed to the dynamic provider's `configure`, kept for the life of the
 * provider process. All three resource types share it (one runtime module per process).
 */
import { readSecretValue } from "../secrets/aws-secrets-manager";
import type { SecretsManagerReference } from "../secrets/reference";
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

/** Provider credentials given as Secrets Manager references are read with the provider's AWS defaults. */
export const resolveCredentialReference: CredentialResolver = async (reference: SecretsManagerReference, settings: ServerSettings) =>
    (await readSecretValue(reference, {}, { region: settings.awsRegion, endpoint: settings.awsEndpoint })).value;
