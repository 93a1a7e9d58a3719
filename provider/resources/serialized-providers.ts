/**
 * The provider objects Pulumi serializes into every resource's `__provider`.
 *
 * The implementation lives in the package's runtime (`pulumi-airbyte-dynamic/runtime`), which
 * the dynamic-provider process loads from the program's directory. What is serialized is only
 * a type name and one `configure` method, so `__provider` stays well under 2 KB (each
 * serialized function costs ~250 bytes of wrapper, so seven methods alone would exceed it),
 * is identical for every resource of a type, and does not change when the implementation does:
 * fixes reach existing resources at the next refresh or destroy, which run the installed
 * runtime rather than code frozen in state.
 *
 * How the other methods appear: Pulumi's dynamic-provider host deserializes a provider, caches
 * it, and immediately calls its `configure` before any other method
 * (`sdk/nodejs/cmd/dynamic-provider/index.ts`, `getProvider`). `configure` installs
 * `check`, `diff`, `create`, `read`, `update` and `delete` synchronously, before its first
 * `await`, so no concurrent request can find the provider without them. Each installed method
 * awaits the runtime import and delegates to the runtime's provider for this type.
 *
 * Never capture a client, SDK, config value or secret here: it would be frozen into state
 * (pulumi/pulumi#13960, #8265).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "../runtime/index";

export type ResourceType = "Source" | "Destination" | "Connection";

/** Package path of the runtime; a plain string, so the serializer inlines it as a literal. */
const RUNTIME_MODULE = "pulumi-airbyte-dynamic/runtime";
/** The methods `configure` installs. */
const METHODS = ["check", "diff", "create", "read", "update", "delete"];

type Method = (...args: unknown[]) => unknown;

/** What the serialized object holds before `configure` runs. */
export interface SerializedProvider {
    readonly type: ResourceType;
    configure(request: pulumi.dynamic.ConfigureRequest): Promise<void>;
}

// The import below is a real dynamic import (TypeScript's node16 module mode keeps it): it
// resolves from the program's directory even inside the anonymous module the host compiles the
// provider into. (Comments inside the method would be serialized too, so they live here.)
function serializedProvider(type: ResourceType): SerializedProvider {
    return {
        type,
        configure(request) {
            const runtime: Promise<typeof Runtime> = import(RUNTIME_MODULE).then(
                (m: typeof Runtime & { default?: typeof Runtime }) => m.default ?? m,
                (e: Error) => {
                    throw new Error(
                        `pulumi-airbyte-dynamic: cannot load ${RUNTIME_MODULE} from ${process.cwd()}; is the package installed there? ${e.message}`,
                    );
                },
            );
            const self = this as unknown as Record<string, unknown>;
            for (const method of METHODS) {
                self[method] = async (...args: unknown[]) =>
                    ((await runtime).provider(this.type) as unknown as Record<string, Method>)[method]!(...args);
            }
            return runtime.then((r) => r.configure(request));
        },
    };
}

/** One provider object per type, created once: Pulumi caches serializations per object. */
export const sourceProvider = serializedProvider("Source");
export const destinationProvider = serializedProvider("Destination");
export const connectionProvider = serializedProvider("Connection");

/** The type `pulumi.dynamic.Resource` expects; the methods exist once `configure` has run. */
export function asResourceProvider(provider: SerializedProvider): pulumi.dynamic.ResourceProvider {
    return provider as unknown as pulumi.dynamic.ResourceProvider;
}
