/**
 * Waiting for a server that is not up yet. A stack that installs Airbyte (abctl on a new EC2
 * instance) runs its first Airbyte calls while the server is still starting; a restart does the
 * same for a while. During apply (`pulumi up`, `refresh`, `destroy`) such calls wait, polling the
 * server's health endpoint, up to `airbyte:serverReadyTimeoutSeconds`; a preview fails fast
 * instead, since it must not hang on a server that is down.
 *
 * "Not up" is what a missing server looks like: a refused or unresolvable connection, or the 502,
 * 503 or 504 of a proxy (abctl's ingress-nginx) with nothing behind it. Anything else is an answer
 * from Airbyte and is handled by the caller.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { log } from "../log";
import { processState } from "../process-state";
import { AirbyteApiError, SOCKET_NEVER_CONNECTED } from "./errors";

/** Network failures that mean "nobody answers here yet": the server (or its DNS name) is still coming up. */
export const NEVER_SENT_NETWORK_CODES = ["ECONNREFUSED", "ENOTFOUND", "ENETUNREACH", "EAI_AGAIN", "EHOSTUNREACH"];
const NOT_UP_NETWORK_CODES = new Set([...NEVER_SENT_NETWORK_CODES, SOCKET_NEVER_CONNECTED]);
/** A proxy in front of a server that is not up answers these; Airbyte's own 503 means the same. */
const NOT_UP_STATUS = new Set([502, 503, 504]);
/** How often the wait polls the health endpoint, and how often it reports progress. */
const POLL_MS = 2_000;
const PROGRESS_MS = 30_000;

/**
 * Marks the calls made during `pulumi up`, `refresh` and `destroy` (create, read, update,
 * delete). Only those wait for a server that is still starting.
 */
const applyPhase = new AsyncLocalStorage<true>();

/** Runs `task` as an apply-time operation (see `applyPhase`). */
export function duringApply<T>(task: () => Promise<T>): Promise<T> {
    return applyPhase.run(true, task);
}

/** Whether the current call is part of an apply-time operation. */
export function isDuringApply(): boolean {
    return applyPhase.getStore() === true;
}

/** Whether a failure with this network code or HTTP status means the server is not up. */
export function looksNotUp(code: string | undefined, statusCode: number | undefined): boolean {
    return (
        (code !== undefined && NOT_UP_NETWORK_CODES.has(code)) ||
        (statusCode !== undefined && NOT_UP_STATUS.has(statusCode))
    );
}

/**
 * Whether a failed call means that nobody answers at the server's address yet (refused or
 * unresolvable, or a proxy's 502/503/504), as while the server is being installed or restarted.
 */
export function isServerNotUp(error: unknown): boolean {
    return error instanceof AirbyteApiError && looksNotUp(error.code, error.statusCode);
}

/** One look at the health endpoint: undefined when it answered 200, else what it answered. */
export type HealthProbe = () => Promise<string | undefined>;

/** Marks a server whose readiness was confirmed (a settled promise, so waiters pass at once). */
const CONFIRMED: Promise<void> = Promise.resolve();

/**
 * The readiness of one server, shared by every client of it in the provider process (the
 * answer lives in the process state, so concurrent calls share one wait).
 */
export class ServerReadiness {
    constructor(
        private readonly serverUrl: string,
        private readonly timeoutMs: number,
        private readonly probe: HealthProbe | undefined,
    ) {}

    /** Whether a call that found the server not up may wait for it now. */
    mayWait(): boolean {
        return this.timeoutMs > 0 && this.probe !== undefined && isDuringApply() && !this.isConfirmed();
    }

    /** Records that the server answered. */
    confirm(): void {
        processState().readyServers.set(this.serverUrl, CONFIRMED);
    }

    /**
     * Waits until the health endpoint answers 200, polling every 2 s and logging progress every
     * 30 s, up to the timeout. Concurrent callers share one wait.
     */
    wait(cause?: AirbyteApiError): Promise<void> {
        const ready = processState().readyServers;
        let waiting = ready.get(this.serverUrl);
        if (!waiting) {
            waiting = this.poll(cause);
            ready.set(this.serverUrl, waiting);
            waiting.then(
                () => ready.set(this.serverUrl, CONFIRMED),
                () => ready.delete(this.serverUrl),
            );
        }
        return waiting;
    }

    private isConfirmed(): boolean {
        return processState().readyServers.get(this.serverUrl) === CONFIRMED;
    }

    private async poll(cause: AirbyteApiError | undefined): Promise<void> {
        const limitMs = this.timeoutMs;
        const started = Date.now();
        let lastProgress = started;
        let last = cause ? describe(cause) : "no answer yet";
        log.warn(
            `the Airbyte server at ${this.serverUrl} does not answer (${last}); waiting up to ${Math.round(limitMs / 1000)} s for it to start (airbyte:serverReadyTimeoutSeconds)`,
        );
        for (;;) {
            const answer = await this.probe!();
            if (answer === undefined) {
                log.warn(
                    `the Airbyte server at ${this.serverUrl} answers after ${Math.round((Date.now() - started) / 1000)} s`,
                );
                return;
            }
            last = answer;
            const elapsed = Date.now() - started;
            if (elapsed >= limitMs) {
                throw new AirbyteApiError({
                    kind: "network",
                    context: { operation: "health" },
                    detail: `the Airbyte server at ${this.serverUrl} did not answer within ${Math.round(limitMs / 1000)} s (last: ${last})`,
                    hint: "Check that the server is running and reachable from here, or raise airbyte:serverReadyTimeoutSeconds for a server that takes longer to start",
                    mayHaveReachedServer: false,
                });
            }
            if (Date.now() - lastProgress >= PROGRESS_MS) {
                lastProgress = Date.now();
                log.warn(
                    `still waiting for the Airbyte server at ${this.serverUrl} (${Math.round(elapsed / 1000)} s of ${Math.round(limitMs / 1000)} s; last: ${last})`,
                );
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, limitMs - elapsed)));
        }
    }
}

function describe(error: AirbyteApiError): string {
    return error.statusCode !== undefined ? `HTTP ${error.statusCode}` : (error.code ?? "no answer");
}
