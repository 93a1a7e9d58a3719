/**
 * `Destination`: an Airbyte destination.
 * Type token: `pulumi-nodejs:dynamic/airbyte:Destination`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DESTINATION_SCHEMA } from "../schema";
import { asResourceProvider, destinationProvider } from "./serialized-providers";
import { ActorArgs, actorProps } from "./source";

export type DestinationArgs = ActorArgs;

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
    declare public readonly workspaceId: pulumi.Output<string>;
    declare public readonly definitionId: pulumi.Output<string>;
    declare public readonly definitionName: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly configuration: pulumi.Output<Record<string, unknown>>;
    declare public readonly serverUrl: pulumi.Output<string>;

    constructor(name: string, args: DestinationArgs, opts?: pulumi.CustomResourceOptions) {
        super(asResourceProvider(destinationProvider), name, actorProps(name, args, DESTINATION_SCHEMA), opts, "airbyte", "Destination");
        this.destinationId = this.id;
    }
}
