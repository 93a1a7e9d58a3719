/**
 * Timings of the provider's methods, for benchmarks: with `AIRBYTE_PROVIDER_TIMINGS=<file>` in
 * the environment of the Pulumi CLI (which hands it to the dynamic-provider process), each
 * call of check, diff, create, read, update and delete appends one JSON line
 * `{ type, method, startMs, endMs }` to the file. bench/jobs.mjs reads it to show how long the
 * engine waits in `check` and `diff`, which it calls one resource at a time
 * (pkg/resource/deploy/step_generator.go), and how many ran at once.
 *
 * Off unless the variable is set; never records inputs or outputs.
 */
import { appendFileSync } from "node:fs";
import type { DynamicProvider } from "./provider-types";

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** `provider` with each method timed, when timings are asked for; `provider` itself otherwise. */
export function timed(type: string, provider: DynamicProvider): DynamicProvider {
    const file = process.env.AIRBYTE_PROVIDER_TIMINGS;
    if (!file) return provider;
    const out: Record<string, unknown> = { ...provider };
    for (const method of METHODS) {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `provider` as `this` below
        const run = provider[method] as (...args: unknown[]) => Promise<unknown>;
        out[method] = async (...args: unknown[]) => {
            const startMs = Date.now();
            try {
                return await run.apply(provider, args);
            } finally {
                appendFileSync(file, `${JSON.stringify({ type, method, startMs, endMs: Date.now() })}\n`);
            }
        };
    }
    return out as unknown as DynamicProvider;
}
