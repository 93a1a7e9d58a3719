/**
 * `Destination`: an Airbyte destination.
 * Type token: `pulumi-nodejs:dynamic/airbyte:Destination`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DESTINATION_SCHEMA } from "../schema";
import { asResourceProvider, destinationProvider } from "./serialized-providers";
import { ActorArgs, actorProps } from "./source";

/**
 * The arguments of a `Destination`: the connector (`definition`), its non-secret
 * `configuration` (validated against the connector's spec at preview) and its `secrets` (Pulumi
 * secrets or Secrets Manager references), and optionally `name`, `workspaceId`,
 * `checkConnection`, `adoptId`, `undeclaredKeys` and `server`.
 */
export interface DestinationArgs extends ActorArgs {}

/**
 * An Airbyte destination: a connector configured to write to a system (a warehouse, a bucket).
 *
 * ```ts
 * const s3 = new airbyte.Destination("s3", {
 *     definition: "airbyte/destination-s3",
 *     configuration: { s3_bucket_name: bucket.bucket, s3_bucket_path: "raw", s3_bucket_region: "eu-west-1",
 *                      format: { format_type: "Parquet", compression_codec: "SNAPPY" } },
 * });
 * ```
 */
export class Destination extends pulumi.dynamic.Resource {
    /** The Airbyte destination id: the resource's id (known during previews of updates, see Source.sourceId). */
    declare public readonly destinationId: pulumi.Output<string>;
    /**
     * The workspace the destination is in: `workspaceId` (or `server.workspaceId`) if given, else
     * `airbyte:workspaceId`, else the server's default workspace.
     */
    declare public readonly workspaceId: pulumi.Output<string>;
    /** The destination definition id `definition` resolved to. */
    declare public readonly definitionId: pulumi.Output<string>;
    /** The definition's display name, e.g. "S3". */
    declare public readonly definitionName: pulumi.Output<string>;
    /** The name shown in Airbyte (`name`, or the Pulumi resource name). */
    declare public readonly name: pulumi.Output<string>;
    /**
     * The non-secret configuration, as written (after a refresh: as Airbyte holds it, without the fields under
     * `secrets`).
     */
    declare public readonly configuration: pulumi.Output<Record<string, unknown>>;
    /** The base URL of the Airbyte server the destination lives on. */
    declare public readonly serverUrl: pulumi.Output<string>;

    constructor(name: string, args: DestinationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            asResourceProvider(destinationProvider),
            name,
            actorProps(name, args, DESTINATION_SCHEMA),
            opts,
            "airbyte",
            "Destination",
        );
        this.destinationId = this.id;
    }
}
