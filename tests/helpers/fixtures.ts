/**
 * Realistic connector configurations for the emulator's built-in connectors, split the way
 * users write them: non-secret `configuration` and `secrets`.
 */
export const MSSQL_PASSWORD = "Mssql-S3cret-Passw0rd!";
export const S3_SECRET_KEY = "s3-secret-access-key-EXAMPLE";

export function mssqlArgs(
    overrides: {
        configuration?: Record<string, unknown>;
        secrets?: Record<string, unknown>;
        [k: string]: unknown;
    } = {},
) {
    const { configuration, secrets, ...rest } = overrides;
    return {
        name: "mssql",
        definition: "airbyte/source-mssql",
        configuration: {
            host: "mssql.internal.example.com",
            port: 1433,
            database: "sales",
            schemas: ["dbo"],
            username: "airbyte",
            ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
            replication_method: { method: "CDC", data_to_sync: "Existing and New", snapshot_isolation: "Snapshot" },
            tunnel_method: { tunnel_method: "NO_TUNNEL" },
            ...configuration,
        },
        secrets: { password: MSSQL_PASSWORD, ...secrets },
        ...rest,
    };
}

export function s3Args(
    overrides: {
        configuration?: Record<string, unknown>;
        secrets?: Record<string, unknown>;
        [k: string]: unknown;
    } = {},
) {
    const { configuration, secrets, ...rest } = overrides;
    return {
        name: "lake",
        definition: "airbyte/destination-s3",
        configuration: {
            s3_bucket_name: "analytics-lake",
            s3_bucket_path: "airbyte/raw",
            s3_bucket_region: "eu-west-1",
            access_key_id: undefined,
            format: { format_type: "Parquet", compression_codec: "SNAPPY" },
            ...configuration,
        },
        secrets: { access_key_id: "AKIAEXAMPLEKEY00", secret_access_key: S3_SECRET_KEY, ...secrets },
        ...rest,
    };
}

/** Drops `undefined` members, as Pulumi's serialization does. */
export function clean<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}
