/**
 * Helpers for the emulator tests: start an emulator for one test, talk to it with the global
 * `fetch` (real HTTP on 127.0.0.1, no interceptors), and build valid connector configurations.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";

export const DEFINITIONS = {
    mssql: "b5ea17b1-f170-46dc-bc31-cc744ca984c1",
    postgres: "decd338e-5647-4c0b-adf4-da0e75f5a750",
    mysql: "435bb9a5-7887-4809-aa58-28c27df0d7ad",
    faker: "dfd88b22-b603-4c3d-aad7-3701784586b1",
    file: "778daa7c-feaf-4db6-96f3-70fd645acc77",
    s3: "4816b78f-1489-44c1-9060-4b19d5fa9362",
    postgresDestination: "25c5221d-dce2-4163-ade9-739ef790f503",
    bigquery: "22f6c74f-5699-40ff-833c-4a879ea40133",
} as const;

export const MASK = "**********";
export const UNKNOWN_ID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

/** Starts an emulator, runs `fn`, and always closes it. */
export async function withEmulator<T>(options: EmulatorOptions, fn: (emu: EmulatorHandle) => Promise<T>): Promise<T> {
    const emu = await startEmulator(options);
    try {
        return await fn(emu);
    } finally {
        await emu.close();
    }
}

export interface ApiResponse<T = any> {
    status: number;
    body: T;
    text: string;
    headers: Headers;
}

type Target = EmulatorHandle | string;

function baseUrl(target: Target): string {
    return typeof target === "string" ? target : target.url;
}

async function toResponse(response: Response): Promise<ApiResponse> {
    const text = await response.text();
    let body: unknown = undefined;
    if (text !== "" && (response.headers.get("content-type") ?? "").includes("json")) {
        try {
            body = JSON.parse(text);
        } catch {
            // The public API's health check sends plain text under application/json.
            body = undefined;
        }
    }
    return { status: response.status, body, text, headers: response.headers };
}

/** `POST /api/v1/<path>` with a JSON body (a string body is sent verbatim). */
export async function post<T = any>(
    target: Target,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
    const response = await fetch(`${baseUrl(target)}/api/v1/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body ?? {}),
    });
    return toResponse(response);
}

/** `GET /api/v1/<path>`. */
export async function get<T = any>(
    target: Target,
    path: string,
    headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
    return toResponse(await fetch(`${baseUrl(target)}/api/v1/${path}`, { headers }));
}

/** A request to the admin API under `/_emulator/`. */
export async function admin<T = any>(
    target: Target,
    method: string,
    path: string,
    body?: unknown,
): Promise<ApiResponse<T>> {
    const response = await fetch(`${baseUrl(target)}/_emulator/${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    return toResponse(response);
}

export function mssqlConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        host: "mssql.example.com",
        port: 1433,
        database: "sales",
        schemas: ["dbo"],
        username: "airbyte",
        password: "s3cr3t-Passw0rd",
        ssl_method: { ssl_method: "encrypted_trust_server_certificate" },
        replication_method: { method: "STANDARD" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
        ...overrides,
    };
}

export function postgresSourceConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        host: "pg.example.com",
        port: 5432,
        database: "shop",
        username: "postgres",
        password: "pg-secret",
        ssl_mode: { mode: "prefer" },
        replication_method: { method: "Standard" },
        tunnel_method: { tunnel_method: "NO_TUNNEL" },
        ...overrides,
    };
}

export function s3Config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        s3_bucket_name: "analytics-lake",
        s3_bucket_path: "airbyte/raw",
        s3_bucket_region: "eu-west-1",
        access_key_id: "AKIAEXAMPLEKEY",
        secret_access_key: "aws-secret-value",
        format: { format_type: "Parquet", compression_codec: "SNAPPY" },
        ...overrides,
    };
}

export function postgresDestinationConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        host: "warehouse.example.com",
        port: 5432,
        database: "dw",
        schema: "public",
        username: "loader",
        password: "dw-secret",
        ...overrides,
    };
}

export async function createSource(emu: EmulatorHandle, overrides: Record<string, unknown> = {}): Promise<any> {
    const response = await post(emu, "sources/create", {
        workspaceId: emu.defaultWorkspaceId,
        name: "MSSQL sales",
        sourceDefinitionId: DEFINITIONS.mssql,
        connectionConfiguration: mssqlConfig(),
        ...overrides,
    });
    if (response.status !== 200) throw new Error(`sources/create answered ${response.status}: ${response.text}`);
    return response.body;
}

export async function createDestination(emu: EmulatorHandle, overrides: Record<string, unknown> = {}): Promise<any> {
    const response = await post(emu, "destinations/create", {
        workspaceId: emu.defaultWorkspaceId,
        name: "Lake",
        destinationDefinitionId: DEFINITIONS.s3,
        connectionConfiguration: s3Config(),
        ...overrides,
    });
    if (response.status !== 200) throw new Error(`destinations/create answered ${response.status}: ${response.text}`);
    return response.body;
}

/** Discovers the source and selects the named streams (all streams when `names` is absent). */
export async function discoveredCatalog(
    emu: EmulatorHandle,
    sourceId: string,
    select?: (stream: any) => any,
): Promise<any> {
    const discovered = await post(emu, "sources/discover_schema", { sourceId });
    if (discovered.status !== 200 || !discovered.body.catalog) throw new Error(`discover failed: ${discovered.text}`);
    return {
        catalogId: discovered.body.catalogId,
        catalog: { streams: discovered.body.catalog.streams.map((s: any) => (select ? select(s) : s)) },
    };
}

/** A stream entry selected with the given modes. */
export function selectStream(entry: any, syncMode = "full_refresh", destinationSyncMode = "overwrite"): any {
    return { stream: entry.stream, config: { ...entry.config, selected: true, syncMode, destinationSyncMode } };
}

export async function createConnection(
    emu: EmulatorHandle,
    sourceId: string,
    destinationId: string,
    overrides: Record<string, unknown> = {},
): Promise<any> {
    const response = await post(emu, "connections/create", { sourceId, destinationId, status: "active", ...overrides });
    if (response.status !== 200) throw new Error(`connections/create answered ${response.status}: ${response.text}`);
    return response.body;
}

/** A client for the emulator's public API (`/api/public/v1`, or `/v1` in Cloud mode). */
export interface PublicApiClient {
    readonly base: string;
    get(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
    post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
    put(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
    patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
    del(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
    request(
        method: string,
        path: string,
        init?: { body?: string; headers?: Record<string, string> },
    ): Promise<ApiResponse>;
}

/**
 * Talks to the public API of `emu` with a bearer token when its auth is `simple` (issued once,
 * without HTTP; `token: null` sends none). `prefix` overrides the path prefix.
 */
export function publicApi(
    emu: EmulatorHandle,
    options: { token?: string | null; prefix?: string } = {},
): PublicApiClient {
    const settings = emu.settings();
    const base = `${emu.url}${options.prefix ?? (settings.cloud ? "/v1" : "/api/public/v1")}`;
    let token = options.token;
    const auth = (): Record<string, string> => {
        if (token === null || settings.auth !== "simple") return {};
        token ??= emu.issueToken();
        return { authorization: `Bearer ${token}` };
    };
    const request = async (
        method: string,
        path: string,
        init: { body?: string; headers?: Record<string, string> } = {},
    ): Promise<ApiResponse> =>
        toResponse(
            await fetch(`${base}/${path}`, { method, headers: { ...auth(), ...init.headers }, body: init.body }),
        );
    const withBody =
        (method: string) =>
        (path: string, body?: unknown, headers: Record<string, string> = {}) =>
            request(method, path, {
                body: typeof body === "string" ? body : JSON.stringify(body ?? {}),
                headers: { "content-type": "application/json", ...headers },
            });
    return {
        base,
        request,
        get: (path, headers = {}) => request("GET", path, { headers }),
        post: withBody("POST"),
        put: withBody("PUT"),
        patch: withBody("PATCH"),
        del: (path, headers = {}) => request("DELETE", path, { headers }),
    };
}

/** The problem body of api-problems.yaml with every field present. */
export function problemBody(
    status: number,
    type: string,
    title: string,
    detail: string,
    data: unknown,
): Record<string, unknown> {
    return { status, type, title, detail, documentationUrl: null, data };
}

export const PROBLEMS = {
    notFound: (resourceType: string | null, resourceId: string) =>
        problemBody(
            404,
            "https://reference.airbyte.com/reference/errors#resource-not-found",
            "resource-not-found",
            "The requested resource could not be found.",
            { resourceType, resourceId },
        ),
    badRequest: (message: string) =>
        problemBody(
            400,
            "https://reference.airbyte.com/reference/errors#bad-request",
            "bad-request",
            "The request could not be understood by the server due to malformed syntax.",
            { message },
        ),
    unprocessable: (data: unknown) =>
        problemBody(
            422,
            "https://reference.airbyte.com/reference/errors#unprocessable-entity",
            "unprocessable-entity",
            "The body of the request was not understood",
            data,
        ),
    unknownValue: (value: string) =>
        problemBody(
            400,
            "https://reference.airbyte.com/reference/errors",
            "value-not-found",
            "The submitted value could not be found.",
            { value },
        ),
    unexpected: (data: unknown) =>
        problemBody(
            500,
            "https://reference.airbyte.com/reference/errors",
            "unexpected-problem",
            "An unexpected problem has occurred. If this is an error that needs to be addressed, please submit a pull request or github issue.",
            data,
        ),
} as const;
