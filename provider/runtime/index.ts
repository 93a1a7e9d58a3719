/**
 * The provider runtime: what the serialized providers load, lazily, inside the Pulumi
 * dynamic-provider process (`await import("pulumi-airbyte-dynamic/runtime")`).
 *
 * Keeping the implementation here, behind a package import, is what keeps each serialized
 * `__provider` small, identical across resources of a type, and unchanged when the
 * implementation changes: fixes reach existing resources at the next refresh or destroy,
 * which run the installed runtime rather than code frozen in state.
 */
import { resetProcessState } from "../process-state";
import { secretsManagerCallCounts } from "../secrets/aws-secrets-manager";
import { actorProvider } from "./actor-provider";
import { engineFailures } from "./check-failures";
import { timed } from "./timings";
import { setConfig } from "./configuration-store";
import { connectionProvider } from "./connection-provider";
import type { DynamicProvider } from "./provider-types";

export type ResourceType = "Source" | "Destination" | "Connection";

/** A provider whose check failures read well in the engine's output (./check-failures). */
function forTheEngine(implementation: DynamicProvider): DynamicProvider {
    return {
        ...implementation,
        async check(olds, news) {
            const result = await implementation.check(olds, news);
            return result.failures?.length ? { ...result, failures: engineFailures(result.failures, news) } : result;
        },
    };
}

const providers: Record<ResourceType, DynamicProvider> = {
    Source: timed("Source", forTheEngine(actorProvider("source"))),
    Destination: timed("Destination", forTheEngine(actorProvider("destination"))),
    Connection: timed("Connection", forTheEngine(connectionProvider())),
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
 * Forgets everything this process remembers (lookups, tokens, listings, tracked ids, Secrets
 * Manager answers; see ../process-state), as the fresh provider process of the next Pulumi
 * command would start. For tests and benchmarks that run several "commands" in one process.
 */
export function resetCaches(): void {
    resetProcessState();
}

/** Secrets Manager calls made by this process since the last reset (for benchmarks and tests). */
export { secretsManagerCallCounts };
