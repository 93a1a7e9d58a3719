/**
 * How a Secrets Manager reference fails, in words a user can act on: the AWS SDK's errors (service
 * errors, missing credentials, network failures) mapped to a code and a message that names the
 * secret, the region and what to grant or check. Messages never contain a secret value: AWS
 * service messages are kept, but anything that may quote a response body (which for
 * GetSecretValue holds the value) shows only its name.
 */
import { redact } from "../redact";

export type SecretErrorCode =
    | "not_found"
    /** The secret exists but holds no value at the stage (e.g. created empty, to be written later). */
    | "no_value"
    | "missing_key"
    | "not_json"
    | "binary"
    | "access_denied"
    | "region_mismatch"
    | "deleted"
    | "invalid_reference"
    | "unavailable";

/** A secret could not be resolved. The message is safe to show: it never contains a secret value. */
export class SecretResolutionError extends Error {
    readonly code: SecretErrorCode;
    readonly secretId: string;
    readonly key?: string;

    constructor(code: SecretErrorCode, message: string, secretId: string, key?: string) {
        super(redact(message));
        this.name = "SecretResolutionError";
        this.code = code;
        this.secretId = secretId;
        if (key !== undefined) this.key = key;
    }
}

/** What an error message names: the secret, where it was asked for, and how messages call it. */
export interface ErrorTarget {
    secretId: string;
    key?: string;
    region: string;
    /** The endpoint as far as caching is concerned (explicit, or the environment's); "" for AWS's own. */
    endpointKey: string;
    /** `Secrets Manager secret "x" key "y"` for messages. */
    what: string;
}

export function deletedError(target: ErrorTarget, deletedDate?: Date): SecretResolutionError {
    const when =
        deletedDate instanceof Date && !Number.isNaN(deletedDate.getTime())
            ? ` (deletion date ${deletedDate.toISOString()})`
            : "";
    return new SecretResolutionError(
        "deleted",
        `${target.what} is scheduled for deletion${when} and cannot be read. Restore it (\`aws secretsmanager restore-secret --secret-id ${quoteArg(target.secretId)}\`) or reference another secret.`,
        target.secretId,
        target.key,
    );
}

function quoteArg(text: string): string {
    return /^[A-Za-z0-9_./:@+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const ACCESS_DENIED_NAMES = new Set([
    "AccessDeniedException",
    "AccessDenied",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "ExpiredTokenException",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "UnauthorizedOperation",
    "NotAuthorized",
    "CredentialsProviderError",
]);

const NETWORK_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EPIPE",
    "ECONNABORTED",
    "EPROTO",
    "CERT_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "SELF_SIGNED_CERT_IN_CHAIN",
]);

interface SdkErrorLike {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
}

export function mapSdkError(
    error: unknown,
    target: ErrorTarget,
    operation: "DescribeSecret" | "GetSecretValue",
    versionId?: string,
): SecretResolutionError {
    const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorLike;
    const name = typeof e.name === "string" ? e.name : "Error";
    const message = typeof e.message === "string" ? e.message : "";
    const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
    // Socket errors carry `code`; when the SDK's retry layer had to wrap one (an error from another
    // realm, as under jest's VM modules) only the message keeps it.
    const code =
        typeof e.code === "string" ? e.code : [...NETWORK_CODES].find((c) => new RegExp(`\\b${c}\\b`).test(message));
    // AWS error responses carry a service message worth showing; anything else (deserialization
    // errors quote the response body, which for GetSecretValue holds the value) shows only its name.
    const isServiceError = e.$fault === "client" || e.$fault === "server";
    const unreadable = name === "SyntaxError" || /Deserialization error/i.test(message);
    const detail =
        isServiceError && message && !unreadable
            ? `${name}: ${message}`
            : status !== undefined
              ? `HTTP ${status}${unreadable ? "" : ` ${name}`}`
              : `${name}${code ? ` ${code}` : ""}`;
    const where = `region ${target.region}${target.endpointKey ? `, endpoint ${target.endpointKey}` : ""}`;
    const versionNote = versionId !== undefined ? ` version ${versionId}` : "";
    const make = (code: SecretErrorCode, text: string) =>
        new SecretResolutionError(code, text, target.secretId, target.key);

    if (name === "ResourceNotFoundException") {
        if (versionId !== undefined && /version/i.test(message)) {
            return make(
                "not_found",
                `${target.what}: version ${versionId} no longer exists (${where}); Secrets Manager removes versions without a staging label over time. Run the update again so that the current version is looked up.`,
            );
        }
        return make(
            "not_found",
            `${target.what} was not found (${where}). Check the secret name or ARN and the region, and that the credentials in use belong to the account that holds the secret.`,
        );
    }
    if (name === "InvalidRequestException" && /marked (for )?delet|scheduled for delet|deleted/i.test(message)) {
        return deletedError(target);
    }
    if (
        ACCESS_DENIED_NAMES.has(name) ||
        /not authori[sz]ed|access denied/i.test(message) ||
        status === 401 ||
        status === 403
    ) {
        const missingCredentials = name === "CredentialsProviderError";
        return make(
            "access_denied",
            `${target.what}: ${operation}${versionNote} was refused (${where}; ${detail}). ` +
                (missingCredentials
                    ? "No AWS credentials were found: provide them through the default chain (environment variables, AWS_PROFILE, SSO, or an instance/task role)."
                    : "The AWS credentials in use need secretsmanager:DescribeSecret and secretsmanager:GetSecretValue on this secret (and kms:Decrypt on its KMS key if it uses a customer-managed key); check them, and that they are valid and not expired."),
        );
    }
    if (name === "DecryptionFailure") {
        return make(
            "access_denied",
            `${target.what}: Secrets Manager could not decrypt the value (${where}; ${detail}). Grant kms:Decrypt on the secret's KMS key to the credentials in use.`,
        );
    }
    if (
        name === "InvalidParameterException" ||
        (name === "InvalidRequestException" && !/delet/i.test(message)) ||
        name === "ValidationException"
    ) {
        return make(
            "invalid_reference",
            `${target.what}: Secrets Manager rejected the request (${where}; ${detail}). Check the secretId, versionStage and key in the reference.`,
        );
    }
    const network =
        (code !== undefined && NETWORK_CODES.has(code)) ||
        name === "TimeoutError" ||
        name === "RequestTimeout" ||
        name === "AbortError";
    return make(
        "unavailable",
        `${target.what}: ${operation}${versionNote} failed (${where}; ${detail}). ` +
            (network || status === undefined
                ? 'Secrets Manager could not be reached: check the network, proxy and any custom endpoint (airbyte:awsEndpoint, the reference\'s "endpoint", AWS_ENDPOINT_URL_SECRETS_MANAGER), then retry.'
                : "Secrets Manager returned an error; retry, and check the AWS service health if it persists."),
    );
}
