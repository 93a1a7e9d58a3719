/**
 * Everything a provider process remembers between calls, in one object with an explicit
 * lifetime.
 *
 * The Pulumi engine starts a dynamic-provider process per command (`preview`, `up`, `refresh`,
 * `destroy`) and ends it afterwards, so this state lives for one command: tokens, per-server
 * request limiters, server lookups (workspaces, definitions, specs, discoveries, listings), the
 * ids this command has seen belong to the stack, the chains that serialize look-alike creates,
 * and the Secrets Manager clients and answers. `resetProcessState()` starts afresh, as the next
 * command's process would (tests and benchmarks that run several "commands" in one process).
 *
 * Two things are deliberately not here: the stack config handed to `configure` (the engine sets
 * it once per process; ./runtime/configuration-store), and the redactor's registered secrets
 * (never forgotten, so a value seen once can never appear in a message later; ./redact).
 *
 * Modules reach the state through `processState()` at call time and never keep a reference.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { CachedToken } from "./client/auth";
import type { Semaphore } from "./client/semaphore";

export class ProcessState {
    /** Access tokens per server and client (`client/auth`), and the token requests in flight. */
    readonly tokens = new Map<string, CachedToken>();
    readonly tokenRequests = new Map<string, Promise<CachedToken>>();
    /** The request limiter per server (`client/semaphore`), shared by every client of that server. */
    readonly limiters = new Map<string, Semaphore>();
    /** Servers whose readiness this process has confirmed (`client/transport`). */
    readonly readyServers = new Map<string, Promise<void>>();
    /** The per-server contexts of the runtime (`runtime/server-context`), by server and credentials. */
    readonly serverContexts = new Map<string, Promise<unknown>>();
    /** Ids of Airbyte objects this command has seen belong to the stack (`runtime/reconciliation`). */
    readonly trackedIds = new Set<string>();
    /** Tail of the chain of look-alike creates, per fingerprint (`runtime/reconciliation`). */
    readonly createChains = new Map<string, Promise<unknown>>();
    /** `airbyte:caBundle` values already read and parsed (`runtime/settings`). */
    readonly caBundles = new Map<string, string>();
    /** Secrets Manager clients and answers (`secrets/aws-secrets-manager`). */
    readonly secretsManager = {
        clients: new Map<string, SecretsManagerClient>(),
        versions: new Map<string, Promise<{ versionId: string; arn: string }>>(),
        values: new Map<string, { promise: Promise<unknown>; expires: number }>(),
        sharedConfigRegion: undefined as Promise<string | undefined> | undefined,
        calls: { describeSecret: 0, getSecretValue: 0 },
    };

    /** Releases what holds resources (sockets of the AWS clients). */
    dispose(): void {
        for (const client of this.secretsManager.clients.values()) client.destroy();
    }
}

let current = new ProcessState();

/** The state of this provider process. */
export function processState(): ProcessState {
    return current;
}

/** Drops everything remembered and starts a new state, as a new provider process would. */
export function resetProcessState(): void {
    current.dispose();
    current = new ProcessState();
}
