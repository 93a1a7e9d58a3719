/** `airbyte/source-file`: one stream named after `dataset_name`, read from a URL through a storage provider. */
import { singleStream } from "../discovery";
import { iconUrl } from "./shared";
import { hostOf, isUnresolvableHost, textOf, WRONG_PASSWORD } from "./simulate";
import type { ConnectorDefinition, JsonSchema } from "./types";

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "File Source Spec",
    type: "object",
    additionalProperties: true,
    required: ["dataset_name", "format", "url", "provider"],
    properties: {
        dataset_name: {
            type: "string",
            title: "Dataset Name",
            description:
                "The Name of the final table to replicate this file into (should include letters, numbers dash and underscores only).",
        },
        format: {
            type: "string",
            enum: ["csv", "json", "jsonl", "excel", "excel_binary", "fwf", "feather", "parquet", "yaml"],
            default: "csv",
            title: "File Format",
            description:
                "The Format of the file which should be replicated (Warning: some formats may be experimental, please refer to the docs).",
        },
        reader_options: {
            type: "string",
            title: "Reader Options",
            description:
                "This should be a string in JSON format. It depends on the chosen file format to provide additional options and tune its behavior.",
            examples: ["{}", '{"sep": " "}', '{"sep": "\\t", "header": 0, "names": ["column1", "column2"] }'],
        },
        url: {
            type: "string",
            title: "URL",
            description: "The URL path to access the file which should be replicated.",
            examples: [
                "https://storage.googleapis.com/covid19-open-data/v2/latest/epidemiology.csv",
                "gs://my-google-bucket/data.csv",
                "s3://gdelt-open-data/events/20190914.export.csv",
            ],
        },
        provider: {
            type: "object",
            title: "Storage Provider",
            description: "The storage Provider or Location of the file(s) which should be replicated.",
            default: "Public Web",
            oneOf: [
                {
                    title: "HTTPS: Public Web",
                    required: ["storage"],
                    properties: {
                        storage: { type: "string", const: "HTTPS" },
                        user_agent: {
                            type: "boolean",
                            title: "User-Agent",
                            default: false,
                            description: "Add User-Agent to request",
                        },
                    },
                },
                {
                    title: "GCS: Google Cloud Storage",
                    required: ["storage"],
                    properties: {
                        storage: { type: "string", title: "Storage", const: "GCS" },
                        service_account_json: {
                            type: "string",
                            title: "Service Account JSON",
                            airbyte_secret: true,
                            description:
                                'In order to access private Buckets stored on Google Cloud, this connector would need a service account json credentials with the proper permissions as described <a href="https://cloud.google.com/iam/docs/service-accounts" target="_blank">here</a>.',
                        },
                    },
                },
                {
                    title: "S3: Amazon Web Services",
                    required: ["storage"],
                    properties: {
                        storage: { type: "string", title: "Storage", const: "S3" },
                        aws_access_key_id: {
                            type: "string",
                            title: "AWS Access Key ID",
                            airbyte_secret: true,
                            description:
                                "In order to access private Buckets stored on AWS S3, this connector would need credentials with the proper permissions. If accessing publicly available data, this field is not necessary.",
                        },
                        aws_secret_access_key: {
                            type: "string",
                            title: "AWS Secret Access Key",
                            airbyte_secret: true,
                            description:
                                "In order to access private Buckets stored on AWS S3, this connector would need credentials with the proper permissions. If accessing publicly available data, this field is not necessary.",
                        },
                    },
                },
            ],
        },
    },
};

export const sourceFile: ConnectorDefinition = {
    kind: "source",
    definitionId: "778daa7c-feaf-4db6-96f3-70fd645acc77",
    name: "File (CSV, JSON, Excel, Feather, Parquet)",
    dockerRepository: "airbyte/source-file",
    dockerImageTag: "0.5.25",
    documentationUrl: "https://docs.airbyte.com/integrations/sources/file",
    icon: iconUrl("airbyte/source-file"),
    releaseStage: "generally_available",
    supportLevel: "certified",
    sourceType: "file",
    language: "python",
    protocolVersion: "0.2.0",
    releaseDate: "2021-01-19",
    custom: false,
    spec,
    check: (config) => {
        const url = textOf(config["url"]);
        if (isUnresolvableHost(url)) {
            return {
                ok: false,
                message: `Failed to load ${url}: <urlopen error [Errno -2] Name or service not known> (host: ${hostOf(url)})`,
            };
        }
        const provider = (config["provider"] ?? {}) as Record<string, unknown>;
        if (
            provider["aws_secret_access_key"] === WRONG_PASSWORD ||
            provider["service_account_json"] === WRONG_PASSWORD
        ) {
            return {
                ok: false,
                message: `Failed to load ${url}: 403 Forbidden: access to the object was denied with the provided credentials`,
            };
        }
        return { ok: true };
    },
    discover: (config) => [singleStream(textOf(config["dataset_name"], "dataset"))],
};
