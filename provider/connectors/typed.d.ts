/**
 * The arguments of the typed connector helpers (`sourcePostgres({...})`,
 * `destinationS3({...})`, generated in ./sources and ./destinations): a Source's or
 * Destination's arguments with `configuration` and `secrets` typed by the connector's spec.
 *
 * Hand-written: scripts/generate-connectors.mjs replaces everything else in this directory.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DestinationArgs, SourceArgs } from "../../dist/provider/index";

/** The keys of `T` that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/**
 * `configuration` is required when the connector requires a non-secret field. A connector whose
 * fields are all secret takes none: an empty interface would accept any keys, so it is typed
 * `Record<string, never>`.
 */
type ConfigurationArg<C> = [keyof C] extends [never]
    ? { configuration?: Record<string, never> }
    : [RequiredKeys<C>] extends [never]
      ? { configuration?: pulumi.Input<C> }
      : { configuration: pulumi.Input<C> };

/** `secrets` is required when the connector requires a top-level secret field (and refuses any key when it has none). */
type SecretsArg<S> = [keyof S] extends [never] ? { secrets?: Record<string, never> } : [RequiredKeys<S>] extends [never] ? { secrets?: S } : { secrets: S };

/** The helper's arguments: the actor's, with `definition` optional (it defaults to the connector's docker repository). */
type TypedActorArgs<A, C, S> = Omit<A, "definition" | "configuration" | "secrets"> & {
    /** The connector's docker repository by default; set it for a custom image or a definition id. */
    definition?: pulumi.Input<string>;
} & ConfigurationArg<C> &
    SecretsArg<S>;

/** Arguments of a typed source helper: `configuration` of type `C` (no secret fields), `secrets` of type `S`. */
export type TypedSourceArgs<C, S> = TypedActorArgs<SourceArgs, C, S>;

/** Arguments of a typed destination helper: `configuration` of type `C` (no secret fields), `secrets` of type `S`. */
export type TypedDestinationArgs<C, S> = TypedActorArgs<DestinationArgs, C, S>;
