/**
 * Provider round trip as the Pulumi dynamic-provider plugin does it: serialize the provider
 * object with Pulumi's closure serializer, load the text with `require-from-string`, call
 * `configure` with stack config, then call the loaded copy. The copy loads the package's
 * compiled runtime (`pulumi-airbyte-dynamic/runtime` → dist/) with Node's own loader, outside
 * jest's module sandbox, exactly as in a real `pulumi up`; `npm test` builds dist first.
 *
 * Also a small engine simulation (check → diff → create/update, read, delete) that calls the
 * provider the way the Pulumi engine does: `check(oldInputs, news)`, `diff(id, oldOutputs,
 * checkedInputs)`, `update(id, oldOutputs, checkedInputs)`, `read(id, oldOutputs)`.
 */
import * as pulumi from "@pulumi/pulumi";
import requireFromString from "require-from-string";
import { connectionProvider, destinationProvider, sourceProvider } from "../../provider/resources/serialized-providers";
import type { DynamicProvider } from "../../provider/runtime/provider-types";

export type ResourceType = "Source" | "Destination" | "Connection";
const OBJECTS = { Source: sourceProvider, Destination: destinationProvider, Connection: connectionProvider };

/** `import()` with Node's real loader (not jest's), from the repository root. */
const realImport: (specifier: string) => Promise<any> = requireFromString("module.exports = (s) => import(s);");

/** The runtime instance the revived providers use (to reset per-process caches between "commands"). */
export async function runtimeModule(): Promise<{ resetCaches(): void }> {
    const m = await realImport("pulumi-airbyte-dynamic/runtime");
    return m.default ?? m;
}

/**
 * Forgets everything a provider process caches (tokens, lookups, listings, tracked ids), as the
 * fresh provider process of the next `pulumi` command would start.
 */
export async function newProviderProcess(): Promise<void> {
    (await runtimeModule()).resetCaches();
}

export { failureOf } from "./failure-of";

const texts = new Map<ResourceType, string>();

/** The serialized `__provider` text of a resource type. */
export async function serializedProvider(type: ResourceType): Promise<string> {
    let text = texts.get(type);
    if (!text) {
        const object = OBJECTS[type];
        text = (await pulumi.runtime.serializeFunction(() => object, { allowSecrets: true })).text;
        texts.set(type, text);
    }
    return text;
}

export interface RevivedProvider extends DynamicProvider {
    /** The `__provider` text the copy was loaded from. */
    readonly text: string;
}

/**
 * A freshly loaded copy of a serialized provider, configured with `config` (stack config keys
 * such as `airbyte:serverUrl`), as the dynamic-provider plugin would hold it.
 */
export async function reviveProvider(type: ResourceType, config: Record<string, string>): Promise<RevivedProvider> {
    const text = await serializedProvider(type);
    const provider = requireFromString(text).handler();
    await provider.configure({
        config: {
            get: (key: string) => config[key],
            require: (key: string) => {
                if (config[key] === undefined) throw new Error(`Missing required configuration key: ${key}`);
                return config[key];
            },
        },
    });
    for (const method of ["check", "diff", "create", "read", "update", "delete"]) {
        if (typeof provider[method] !== "function")
            throw new Error(`revived ${type} provider has no ${method} after configure`);
    }
    return Object.assign(provider, { text }) as RevivedProvider;
}

/** A resource as the engine keeps it in state. */
export interface ResourceState {
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

/**
 * Check failures by the property path they name. The runtime hands the engine failures
 * without a property, path and value written into the reason (provider/runtime/check-failures.ts);
 * `path` and `detail` keep the structured form, which tests compare.
 */
export class CheckFailedError extends Error {
    readonly failures: { property: string; reason: string }[];
    /** The failures exactly as the engine receives them. */
    readonly forEngine: { property: string; reason: string }[];
    constructor(failures: { property: string; reason: string; path?: string; detail?: string }[]) {
        const structured = failures.map((f) =>
            f.path !== undefined
                ? { property: f.path, reason: f.detail ?? f.reason }
                : { property: f.property, reason: f.reason },
        );
        super(`check failed: ${structured.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        this.failures = structured;
        this.forEngine = failures.map(({ property, reason }) => ({ property, reason }));
    }
}

export type Step = "create" | "update" | "replace" | "same";

/** What `pulumi preview` would plan for `news` given the prior state. */
export async function preview(p: RevivedProvider, news: Record<string, unknown>, prior?: ResourceState) {
    const checked = await p.check(prior?.inputs ?? {}, { ...news, __provider: p.text });
    if (checked.failures?.length) throw new CheckFailedError(checked.failures);
    const inputs = { ...(checked.inputs ?? news), __provider: p.text };
    if (!prior) return { step: "create" as Step, inputs };
    const diff = await p.diff(prior.id, prior.outputs, inputs);
    const step: Step = diff.replaces?.length ? "replace" : diff.changes ? "update" : "same";
    return { step, inputs, diff };
}

/** What `pulumi up` would do for `news` given the prior state; returns the new state. */
export async function up(
    p: RevivedProvider,
    news: Record<string, unknown>,
    prior?: ResourceState,
): Promise<{ step: Step; state: ResourceState }> {
    const plan = await preview(p, news, prior);
    if (plan.step === "same") return { step: "same", state: { ...prior!, inputs: plan.inputs } };
    if (plan.step === "update") {
        const result = await p.update(prior!.id, prior!.outputs, plan.inputs);
        return {
            step: "update",
            state: { id: prior!.id, inputs: plan.inputs, outputs: { ...(result.outs ?? {}), __provider: p.text } },
        };
    }
    const created = await p.create(plan.inputs);
    const state = { id: created.id, inputs: plan.inputs, outputs: { ...(created.outs ?? {}), __provider: p.text } };
    if (plan.step === "replace") await p.delete(prior!.id, prior!.outputs);
    return { step: plan.step, state };
}

/** What `pulumi refresh` does: undefined when the resource is gone. */
export async function refresh(p: RevivedProvider, state: ResourceState): Promise<ResourceState | undefined> {
    const result = await p.read(state.id, state.outputs);
    if (!result.id) return undefined;
    return {
        id: result.id,
        inputs: { ...(result.inputs ?? state.inputs), __provider: p.text },
        outputs: { ...(result.props ?? state.outputs), __provider: p.text },
    };
}

export async function destroy(p: RevivedProvider, state: ResourceState): Promise<void> {
    await p.delete(state.id, state.outputs);
}

/**
 * Sets (or with `undefined`, removes) environment variables of the real process, the one the
 * revived providers read (jest gives test code its own copy of `process.env`). Returns a restore function.
 */
export function setRealEnv(values: Record<string, string | undefined>): () => void {
    const realProcess: NodeJS.Process = requireFromString("module.exports = process;");
    const previous: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(values)) {
        previous[key] = realProcess.env[key];
        if (value === undefined) delete realProcess.env[key];
        else realProcess.env[key] = value;
    }
    return () => {
        for (const [key, value] of Object.entries(previous)) {
            if (value === undefined) delete realProcess.env[key];
            else realProcess.env[key] = value;
        }
    };
}

/**
 * A property as an error at apply names it. Previews name a stream by its place in the list
 * (`streams[0].name`); apply works on the stored, sorted selections and names it by namespace and
 * name (`streams["dbo.orders"].name`), so either form matches.
 */
export function appliedProperty(property: string): RegExp {
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // split() keeps the captured indexes at the odd places: "streams[0].name" → ["streams", "0", ".name"].
    const pattern = property
        .split(/\[(\d+)\]/)
        .map((part, i) => (i % 2 === 1 ? `\\[(${part}|"[^"]+")\\]` : escape(part)));
    return new RegExp(pattern.join(""));
}
