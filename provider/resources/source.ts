/**
 * `Source`: an Airbyte source.
 * Type token: `pulumi-nodejs:dynamic/airbyte:Source` (never changes: it is in users' state).
 */
import * as pulumi from "@pulumi/pulumi";
import { type ActorInputName, type ResourceSchema, SOURCE_SCHEMA } from "../schema";
import { markSecrets, registeredProps, type SameKeys, SecretsInput, ServerArgs } from "./common";
import { asResourceProvider, sourceProvider } from "./serialized-providers";

/**
 * The arguments `Source` and `Destination` share. Internal: write `SourceArgs` or
 * `DestinationArgs`; this interface is exported from its module only for the declaration files,
 * not from the package root, and may change shape.
 */
export interface ActorArgs {
    /**
     * The connector: its docker repository (`"airbyte/source-mssql"`, or just `"source-mssql"`),
     * its name as Airbyte lists it, or its definition id. Looked up among the definitions the
     * workspace can use, custom connectors included. Changing the connector replaces the resource.
     */
    definition: pulumi.Input<string>;
    /** Name shown in Airbyte. Defaults to the Pulumi resource name. */
    name?: pulumi.Input<string>;
    /**
     * The connector configuration without its secrets, validated against the connector's spec at
     * preview. Fields the spec marks `airbyte_secret` are refused here: put them under `secrets`.
     */
    configuration?: pulumi.Input<Record<string, unknown>>;
    /**
     * Secret fields (`airbyte_secret` in the spec), shaped like the configuration. Each value is a
     * string or Pulumi secret (stored encrypted in state), or an `airbyte.secretsManager({...})`
     * reference (state holds only the reference and the secret's VersionId).
     */
    secrets?: pulumi.Input<SecretsInput>;
    /**
     * Workspace to create it in. Defaults to `airbyte:workspaceId`, else the server's default workspace. Changing it
     * replaces the resource.
     */
    workspaceId?: pulumi.Input<string>;
    /**
     * Run Airbyte's connection check before create and update; a failed check stops the operation. Defaults to `true`.
     */
    checkConnection?: pulumi.Input<boolean>;
    /**
     * Take over an existing Airbyte object with this id instead of creating one (Pulumi's `import`
     * option does not work with dynamic providers). It is read, checked against `definition` and
     * the workspace, and updated to these arguments; later previews compare against it as usual.
     */
    adoptId?: pulumi.Input<string>;
    /**
     * Keys the connector's spec does not declare, passed to Airbyte unchecked. At preview, every
     * key of `configuration` and `secrets` must be one the spec declares (at any depth, inside
     * the chosen option of a `oneOf` too), even where the spec allows others: a misspelled key
     * is an error that suggests the declared names close to it. List a deliberate exception as
     * its dotted path inside the configuration, e.g. `["jdbc_url_param",
     * "replication_method.new_flag"]`; everything under a listed path passes too. Changing only
     * this list changes nothing in Airbyte.
     */
    undeclaredKeys?: pulumi.Input<string[]>;
    /** Another Airbyte server than the provider's, for stacks that manage two instances. */
    server?: pulumi.Input<ServerArgs>;
}

/**
 * The arguments of a `Source`: the connector (`definition`), its non-secret `configuration`
 * (validated against the connector's spec at preview) and its `secrets` (Pulumi secrets or
 * Secrets Manager references), and optionally `name`, `workspaceId`, `checkConnection`,
 * `adoptId`, `undeclaredKeys` and `server`.
 */
export interface SourceArgs extends ActorArgs {}

// The arguments are exactly the inputs the schema declares (a compile error otherwise).
const argsMatchSchema: SameKeys<keyof ActorArgs, ActorInputName> = true;
void argsMatchSchema;

/** The inputs handed to the provider, as the schema says to register them. */
export function actorProps(name: string, args: ActorArgs, schema: ResourceSchema<ActorInputName>): pulumi.Inputs {
    if (!args || args.definition === undefined)
        throw new Error(
            `${name}: definition is required (e.g. "airbyte/${schema.type === "Source" ? "source" : "destination"}-postgres")`,
        );
    return registeredProps(schema, {
        ...args,
        name: args.name ?? name,
        configuration: args.configuration ?? {},
        secrets: markSecrets(args.secrets),
    });
}

/**
 * An Airbyte source: a connector configured to read from a system (a database, an API, files).
 *
 * ```ts
 * const mssql = new airbyte.Source("mssql", {
 *     definition: "airbyte/source-mssql",
 *     configuration: { host, port: 1433, database: "sales", schemas: ["dbo"], username: "admin", ... },
 *     secrets: { password: airbyte.secretsManager({ secretId: dbSecret.arn, key: "password" }) },
 * });
 * ```
 */
export class Source extends pulumi.dynamic.Resource {
    /**
     * The Airbyte source id: the resource's id. Being the id (not a provider output), it stays
     * known while a preview plans an update, so a connection using it is not shown as replaced.
     */
    declare public readonly sourceId: pulumi.Output<string>;
    /**
     * The workspace the source is in: `workspaceId` (or `server.workspaceId`) if given, else `airbyte:workspaceId`,
     * else the server's default workspace.
     */
    declare public readonly workspaceId: pulumi.Output<string>;
    /** The source definition id `definition` resolved to. */
    declare public readonly definitionId: pulumi.Output<string>;
    /** The definition's display name, e.g. "Microsoft SQL Server (MSSQL)". */
    declare public readonly definitionName: pulumi.Output<string>;
    /** The name shown in Airbyte (`name`, or the Pulumi resource name). */
    declare public readonly name: pulumi.Output<string>;
    /**
     * The non-secret configuration, as written (after a refresh: as Airbyte holds it, without the fields under
     * `secrets`).
     */
    declare public readonly configuration: pulumi.Output<Record<string, unknown>>;
    /** The base URL of the Airbyte server the source lives on. */
    declare public readonly serverUrl: pulumi.Output<string>;

    constructor(name: string, args: SourceArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            asResourceProvider(sourceProvider),
            name,
            actorProps(name, args, SOURCE_SCHEMA),
            opts,
            "airbyte",
            "Source",
        );
        this.sourceId = this.id;
    }
}
