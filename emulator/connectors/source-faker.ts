/** `airbyte/source-faker` ("Sample Data (Faker)"): no credentials, always connects, three streams. */
import { fakerStreams } from "../discovery";
import { iconUrl } from "./shared";
import type { ConnectorDefinition, JsonSchema } from "./types";

const spec: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Faker Source Spec",
    type: "object",
    required: [],
    additionalProperties: true,
    properties: {
        count: {
            title: "Count",
            description:
                "How many users should be generated in total. The purchases table will be scaled to match, with 10 purchases created per 10 users. This setting does not apply to the products stream.",
            type: "integer",
            minimum: 1,
            default: 1000,
            order: 0,
        },
        seed: {
            title: "Seed",
            description:
                "Manually control the faker random seed to return the same values on subsequent runs (leave -1 for random)",
            type: "integer",
            default: -1,
            order: 1,
        },
        records_per_slice: {
            title: "Records Per Stream Slice",
            description:
                "How many fake records will be in each page (stream slice), before a state message is emitted?",
            type: "integer",
            minimum: 1,
            default: 1000,
            order: 2,
        },
        always_updated: {
            title: "Always Updated",
            description:
                "Should the updated_at values for every record be new each sync?  Setting this to false will case the source to stop emitting records after COUNT records have been emitted.",
            type: "boolean",
            default: true,
        },
        parallelism: {
            title: "Parallelism",
            description:
                "How many parallel workers should we use to generate fake data?  Choose a value equal to the number of CPUs you will allocate to this source.",
            type: "integer",
            minimum: 1,
            default: 4,
            order: 4,
        },
    },
};

export const sourceFaker: ConnectorDefinition = {
    kind: "source",
    definitionId: "dfd88b22-b603-4c3d-aad7-3701784586b1",
    name: "Sample Data (Faker)",
    dockerRepository: "airbyte/source-faker",
    dockerImageTag: "6.2.21",
    documentationUrl: "https://docs.airbyte.com/integrations/sources/faker",
    icon: iconUrl("airbyte/source-faker"),
    releaseStage: "beta",
    supportLevel: "community",
    sourceType: "api",
    language: "python",
    protocolVersion: "0.2.0",
    releaseDate: "2022-06-21",
    custom: false,
    spec,
    check: () => ({ ok: true }),
    discover: () => fakerStreams(),
};
