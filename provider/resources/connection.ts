/**
 * `Connection`: an Airbyte connection between a source and a destination.
 * Type token: `pulumi-nodejs:dynamic/airbyte:Connection`.
 */
import * as pulumi from "@pulumi/pulumi";
import type {
    DestinationSyncMode,
    NamespaceDefinition,
    NonBreakingChangesPreference,
    Schedule,
    SyncMode,
    TimeUnit,
} from "../client/domain";
import { CONNECTION_SCHEMA, type ConnectionInputName } from "../schema";
import { registeredProps, type SameKeys, type ServerArgs } from "./common";
import { asResourceProvider, connectionProvider } from "./serialized-providers";

/** A stream to sync, chosen by name from the source's discovered catalog. Every field may be a Pulumi Input. */
export interface StreamArgs {
    /** The stream's name, as the source's discovery reports it (e.g. the table name). */
    name: pulumi.Input<string>;
    /** The stream's namespace (e.g. the database schema). Needed only when the name exists in several. */
    namespace?: pulumi.Input<string>;
    /** `full_refresh` or `incremental`. Defaults to the source's suggestion. */
    syncMode?: pulumi.Input<SyncMode>;
    /**
     * How the destination writes. Defaults to `append_dedup` for incremental streams with a primary key, `append` or
     * `overwrite` otherwise.
     */
    destinationSyncMode?: pulumi.Input<DestinationSyncMode>;
    /** Cursor for incremental syncs when the source defines none, e.g. `"updated_at"` or `["meta", "updated_at"]`. */
    cursorField?: pulumi.Input<string | pulumi.Input<string>[]>;
    /** Primary key when the source defines none: `"id"`, `["order_id", "line"]` or `[["id"]]`. */
    primaryKey?: pulumi.Input<string | pulumi.Input<string>[] | pulumi.Input<pulumi.Input<string>[]>[]>;
    /** Sync only these top-level columns (must include the primary key and cursor). */
    columns?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * When a connection syncs, as written: `"manual"`, a cron schedule (Quartz syntax, validated at
 * preview; `timeZone` defaults to `"UTC"`), or every N units. The `schedule` output holds the
 * canonical form (`Schedule`).
 */
export type ScheduleArgs =
    | "manual"
    | { type?: "manual" }
    | { type?: "cron"; cron: string; timeZone?: string }
    | { type?: "basic"; units: number; timeUnit: TimeUnit };

/** The arguments of a `Connection`: which streams of a source go to a destination, how, and when. */
export interface ConnectionArgs {
    /** The source's id, e.g. `source.sourceId`. Changing it replaces the connection. */
    sourceId: pulumi.Input<string>;
    /** The destination's id, e.g. `destination.destinationId`. Changing it replaces the connection. */
    destinationId: pulumi.Input<string>;
    /** Name shown in Airbyte. Defaults to Airbyte's "<source> <> <destination>". */
    name?: pulumi.Input<string>;
    /** The streams to sync, by name (or just their names). Order does not matter. */
    streams?: pulumi.Input<pulumi.Input<StreamArgs | string>[]>;
    /** Escape hatch: a raw `syncCatalog` exactly as the Config API takes it (instead of `streams`; Config API only). */
    syncCatalog?: pulumi.Input<Record<string, unknown>>;
    /** When to sync. Defaults to `"manual"`. */
    schedule?: pulumi.Input<ScheduleArgs>;
    /** `active` or `inactive`. Defaults to `active`. */
    status?: pulumi.Input<"active" | "inactive">;
    /**
     * Where streams land: the source's namespace, the destination's default, or `namespaceFormat`. Airbyte's default is
     * `source`.
     */
    namespaceDefinition?: pulumi.Input<NamespaceDefinition>;
    /** With `namespaceDefinition: "customformat"`, e.g. `"${SOURCE_NAMESPACE}_raw"`. */
    namespaceFormat?: pulumi.Input<string>;
    /** Prefix for destination table names. */
    prefix?: pulumi.Input<string>;
    /** What to do when the source schema changes in a non-breaking way. Airbyte's default is `ignore`. */
    nonBreakingChangesPreference?: pulumi.Input<NonBreakingChangesPreference>;
    /** Take over an existing connection with this id (see `Source`'s `adoptId`). */
    adoptId?: pulumi.Input<string>;
    /** Another Airbyte server than the provider's. */
    server?: pulumi.Input<ServerArgs>;
}

// The arguments are exactly the inputs the schema declares (a compile error otherwise).
const argsMatchSchema: SameKeys<keyof ConnectionArgs, ConnectionInputName> = true;
void argsMatchSchema;

/**
 * An Airbyte connection: which streams of a source go to a destination, how, and when.
 *
 * ```ts
 * const conn = new airbyte.Connection("mssql-to-s3", {
 *     sourceId: mssql.sourceId,
 *     destinationId: s3.destinationId,
 *     streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append_dedup" }],
 *     schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
 * });
 * ```
 */
export class Connection extends pulumi.dynamic.Resource {
    /** The Airbyte connection id: the resource's id (known during previews of updates, see Source.sourceId). */
    declare public readonly connectionId: pulumi.Output<string>;
    /** The workspace of the connection (its source's). */
    declare public readonly workspaceId: pulumi.Output<string>;
    /** The id of the source it reads from. */
    declare public readonly sourceId: pulumi.Output<string>;
    /** The id of the destination it writes to. */
    declare public readonly destinationId: pulumi.Output<string>;
    /** The name shown in Airbyte: `name`, or the one Airbyte chose ("<source> <> <destination>"). */
    declare public readonly name: pulumi.Output<string>;
    /** Whether Airbyte runs its schedule: `"active"` (the default) or `"inactive"`. */
    declare public readonly status: pulumi.Output<"active" | "inactive">;
    /**
     * The schedule in canonical form: `{ type: "manual" }`, `{ type: "basic", units, timeUnit }`
     * or `{ type: "cron", cron, timeZone }` (the time zone filled in).
     */
    declare public readonly schedule: pulumi.Output<Schedule>;
    /** Digest of the discovered streams the connection syncs (changes when their schemas change). */
    declare public readonly catalogDigest: pulumi.Output<string>;
    /** How many streams the connection syncs. */
    declare public readonly streamCount: pulumi.Output<number>;
    /** The base URL of the Airbyte server the connection lives on. */
    declare public readonly serverUrl: pulumi.Output<string>;

    constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
        if (!args || args.sourceId === undefined || args.destinationId === undefined) {
            throw new Error(
                `${name}: sourceId and destinationId are required (e.g. source.sourceId, destination.destinationId)`,
            );
        }
        super(
            asResourceProvider(connectionProvider),
            name,
            registeredProps(CONNECTION_SCHEMA, { ...args }),
            opts,
            "airbyte",
            "Connection",
        );
        this.connectionId = this.id;
    }
}
