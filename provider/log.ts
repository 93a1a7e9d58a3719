/**
 * Log lines from the provider process. The Pulumi engine shows a dynamic provider's stderr
 * (since @pulumi/pulumi 3.146), so warnings reach the user; debug lines appear only with
 * `AIRBYTE_PROVIDER_LOG=debug`. Every line is redacted, debug included.
 */
import { redact } from "./redact";

function enabled(level: "debug" | "info"): boolean {
    // Read at call time, never at module load: values must not be baked into anything.
    const setting = (process.env.AIRBYTE_PROVIDER_LOG ?? "").toLowerCase();
    return level === "debug" ? setting === "debug" : setting === "debug" || setting === "info";
}

export const log = {
    /** A message, or a function building it (not called unless debug logging is on). */
    debug(message: string | (() => string)): void {
        if (enabled("debug"))
            process.stderr.write(`[airbyte] ${redact(typeof message === "function" ? message() : message)}\n`);
    },
    info(message: string): void {
        if (enabled("info")) process.stderr.write(`[airbyte] ${redact(message)}\n`);
    },
    warn(message: string): void {
        process.stderr.write(`[airbyte] warning: ${redact(message)}\n`);
    },
};
