/**
 * The provider runtime: what the serialized providers load, lazily, inside the Pulumi
 * dynamic-provider process (`await import("pulumi-airbyte-dynamic/runtime")`).
 *
 * Keeping the implementation here, behind a package import, is what keeps each serialized
 * `__provider` small, identical across resources of a type, and unchanged when the
 * implementation changes: fixes reach existing resources at the next refresh or destroy,
 * which run the installed runtime rather than code frozen in state.
 */
import { clearTokenCache } from "../client/auth";
import { clearSecretsManagerCaches, secretsManagerCallCounts } from "../secrets/aws-secrets-manager";
import { actorProvider } from "./actor-provider";
import { setConfig } from "./configuration-store";
import { connectionProvider } from "./connection-provider";
import type { DynamicProvider } from "./provider-types";
import { clearTrackedIds } from "./reconciliation";
import { clearServerContexts } from "./server-context";

export type ResourceType = "Source" | "Destination" | "Connection";

const providers: Record<ResourceType, DynamicProvider> = {
    Source: actorProvider("source"),
    Destination: actorProvider("destination"),
    Connection: connectionProvider(),
};

/** The implementation of one resource type. */
export function provider(type: ResourceType): DynamicProvider {
    const p = providers[type];
    if (!p) throw new Error(`pulumi-airbyte-dynamic: unknown resource type "${type}"`);
    return p;
}

/** Receives the stack config (`airbyte:*` keys) from the dynamic provider's `configure`. */
export function configure(request: { config: { get(key: string): string | undefined } }): void {
    setConfig(request?.config);
}

/**
 * Forgets everything cached in this process (lookups, tokens, Secrets Manager versions), as a
 * new provider process would. For tests and benchmarks that run several "commands" in one process.
 */
export function resetCaches(): void {
    clearServerContexts();
    clearTrackedIds();
    clearTokenCache();
    clearSecretsManagerCaches();
}

/** Secrets Manager calls made by this process since the last reset (for benchmarks and tests). */
export { secretsManagerCallCounts };
