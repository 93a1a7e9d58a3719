/** `airbyte/destination-bigquery`, modelled on the real connector (standard inserts or GCS staging). */
import { iconUrl } from "./shared";
import { WRONG_PASSWORD } from "./simulate";
import type { ConnectorDefinition, JsonSchema } from "./types";

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "BigQuery Destination Spec",
    type: "object",
    required: ["project_id", "dataset_location", "dataset_id"],
    properties: {
        project_id: {
            type: "string",
            description:
                'The GCP project ID for the project containing the target BigQuery dataset. Read more <a href="https://cloud.google.com/resource-manager/docs/creating-managing-projects#identifying_projects">here</a>.',
            title: "Project ID",
            group: "connection",
            order: 0,
        },
        dataset_location: {
            type: "string",
            description:
                'The location of the dataset. Warning: Changes made after creation will not be applied. Read more <a href="https://cloud.google.com/bigquery/docs/locations">here</a>.',
            title: "Dataset Location",
            group: "connection",
            order: 1,
            enum: [
                "US",
                "EU",
                "asia-east1",
                "asia-northeast1",
                "asia-south1",
                "asia-southeast1",
                "australia-southeast1",
                "europe-north1",
                "europe-west1",
                "europe-west2",
                "europe-west3",
                "europe-west4",
                "northamerica-northeast1",
                "southamerica-east1",
                "us-central1",
                "us-east1",
                "us-east4",
                "us-west1",
                "us-west2",
            ],
        },
        dataset_id: {
            type: "string",
            description:
                'The default BigQuery Dataset ID that tables are replicated to if the source does not specify a namespace. Read more <a href="https://cloud.google.com/bigquery/docs/datasets#create-dataset">here</a>.',
            title: "Default Dataset ID",
            group: "connection",
            order: 2,
        },
        loading_method: {
            type: "object",
            title: "Loading Method",
            description: "The way data will be uploaded to BigQuery.",
            display_type: "radio",
            group: "connection",
            order: 3,
            oneOf: [
                {
                    title: "Batched Standard Inserts",
                    required: ["method"],
                    description:
                        "Direct loading using batched SQL INSERT statements. This method uses the BigQuery driver to convert large INSERT statements into file uploads automatically.",
                    properties: { method: { type: "string", const: "Standard" } },
                },
                {
                    title: "GCS Staging",
                    description:
                        "Writes large batches of records to a file, uploads the file to GCS, then uses COPY INTO to load your data into BigQuery.",
                    required: ["method", "gcs_bucket_name", "gcs_bucket_path", "credential"],
                    properties: {
                        method: { type: "string", const: "GCS Staging", order: 0 },
                        credential: {
                            title: "Credential",
                            description:
                                'An HMAC key is a type of credential and can be associated with a service account or a user account in Cloud Storage. Read more <a href="https://cloud.google.com/storage/docs/authentication/hmackeys">here</a>.',
                            type: "object",
                            order: 1,
                            oneOf: [
                                {
                                    title: "HMAC key",
                                    required: ["credential_type", "hmac_key_access_id", "hmac_key_secret"],
                                    properties: {
                                        credential_type: { type: "string", const: "HMAC_KEY", order: 0 },
                                        hmac_key_access_id: {
                                            type: "string",
                                            description:
                                                "HMAC key access ID. When linked to a service account, this ID is 61 characters long; when linked to a user account, it is 24 characters long.",
                                            title: "HMAC Key Access ID",
                                            airbyte_secret: true,
                                            examples: ["1234567890abcdefghij1234"],
                                            order: 1,
                                        },
                                        hmac_key_secret: {
                                            type: "string",
                                            description:
                                                "The corresponding secret for the access ID. It is a 40-character base-64 encoded string.",
                                            title: "HMAC Key Secret",
                                            airbyte_secret: true,
                                            examples: ["1234567890abcdefghij1234567890ABCDEFGHIJ"],
                                            order: 2,
                                        },
                                    },
                                },
                            ],
                        },
                        gcs_bucket_name: {
                            title: "GCS Bucket Name",
                            type: "string",
                            description:
                                'The name of the GCS bucket. Read more <a href="https://cloud.google.com/storage/docs/naming-buckets">here</a>.',
                            examples: ["airbyte_sync"],
                            order: 2,
                        },
                        gcs_bucket_path: {
                            title: "GCS Bucket Path",
                            description: "Directory under the GCS bucket where data will be written.",
                            type: "string",
                            examples: ["data_sync/test"],
                            order: 3,
                        },
                        keep_files_in_gcs_bucket: {
                            type: "string",
                            description:
                                'This upload method is supposed to temporary store records in GCS bucket. By this select you can chose if these records should be removed from GCS when migration has finished. The default "Delete all tmp files from GCS" value is used if not set explicitly.',
                            title: "GCS Tmp Files Post-Processing",
                            default: "Delete all tmp files from GCS",
                            enum: ["Delete all tmp files from GCS", "Keep all tmp files in GCS"],
                            order: 4,
                        },
                    },
                },
            ],
        },
        credentials_json: {
            type: "string",
            description:
                'The contents of the JSON service account key. Check out the <a href="https://docs.airbyte.com/integrations/destinations/bigquery#service-account-key">docs</a> if you need help generating this key. Default credentials will be used if this field is left empty.',
            title: "Service Account Key JSON (Required for cloud, optional for open-source)",
            airbyte_secret: true,
            group: "connection",
            order: 4,
            always_show: true,
        },
        transformation_priority: {
            type: "string",
            description:
                "Interactive run type means that the query is executed as soon as possible, and these queries count towards concurrent rate limit and daily limit. Batch queries are queued and started as soon as idle resources are available in the BigQuery shared resource pool.",
            title: "Transformation Query Run Type",
            default: "interactive",
            enum: ["interactive", "batch"],
            order: 5,
            group: "advanced",
        },
        big_query_client_buffer_size_mb: {
            title: "Google BigQuery Client Chunk Size",
            description:
                'Google BigQuery client\'s chunk (buffer) size (MIN=1, MAX = 15) for each table. The size that will be written by a single RPC. Written data will be buffered and only flushed upon reaching this size or closing the channel. The default 15MB value is used if not set explicitly. Read more <a href="https://googleapis.dev/python/bigquery/latest/generated/google.cloud.bigquery.client.Client.html">here</a>.',
            type: "integer",
            minimum: 1,
            maximum: 15,
            default: 15,
            examples: ["15"],
            order: 6,
            group: "advanced",
        },
        raw_data_dataset: {
            type: "string",
            description: "The dataset to write raw tables into (default: airbyte_internal)",
            title: "Raw Table Dataset Name",
            order: 7,
            group: "advanced",
        },
        disable_type_dedupe: {
            type: "boolean",
            default: false,
            description:
                "Disable Writing Final Tables. WARNING! The data format in _airbyte_data is likely stable but there are no guarantees that other metadata columns will remain the same in future versions",
            title: "Disable Final Tables. (WARNING! Unstable option; Columns in raw table schema might change between versions)",
            order: 8,
            group: "advanced",
        },
    },
    groups: [
        { id: "connection", title: "Connection" },
        { id: "advanced", title: "Advanced" },
    ],
};

export const destinationBigquery: ConnectorDefinition = {
    kind: "destination",
    definitionId: "22f6c74f-5699-40ff-833c-4a879ea40133",
    name: "BigQuery",
    dockerRepository: "airbyte/destination-bigquery",
    dockerImageTag: "2.12.4",
    documentationUrl: "https://docs.airbyte.com/integrations/destinations/bigquery",
    icon: iconUrl("airbyte/destination-bigquery"),
    releaseStage: "generally_available",
    supportLevel: "certified",
    language: "java",
    protocolVersion: "0.2.0",
    releaseDate: "2021-02-04",
    custom: false,
    spec,
    supportedDestinationSyncModes: ["overwrite", "append", "append_dedup"],
    check: (config) => {
        const staging = (config["loading_method"] ?? {}) as Record<string, unknown>;
        const hmac = (staging["credential"] ?? {}) as Record<string, unknown>;
        if (config["credentials_json"] === WRONG_PASSWORD || hmac["hmac_key_secret"] === WRONG_PASSWORD) {
            return {
                ok: false,
                message: "Could not connect with provided configuration. Error: invalid_grant: Invalid JWT Signature.",
            };
        }
        if (typeof config["project_id"] === "string" && config["project_id"].endsWith(".invalid")) {
            return {
                ok: false,
                message: `Could not connect with provided configuration. Error: 404 Not Found: The project ${config["project_id"]} has not enabled BigQuery.`,
            };
        }
        return { ok: true };
    },
};
