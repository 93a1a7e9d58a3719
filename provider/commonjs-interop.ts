/**
 * A CommonJS package that exports only `exports.default` (ajv, ajv-formats, cron-validate) reaches us
 * one or two `default`s deep, depending on the loader: tsc's CommonJS output, Node's ESM import
 * of CommonJS, or jest's ESM mode. This finds the function wherever it sits.
 */
export function callableDefault<F>(module: unknown, name: string): F {
    let candidate: unknown = module;
    for (let depth = 0; depth < 3; depth++) {
        if (typeof candidate === "function") return candidate as F;
        if (typeof candidate !== "object" || candidate === null) break;
        candidate = (candidate as { default?: unknown }).default;
    }
    throw new Error(`${name}: the package exports no callable default (its module format changed?)`);
}
