/**
 * Reads secrets from AWS Secrets Manager for the provider process.
 *
 * Two steps, so that a preview never reads a value:
 * - `currentSecretVersion` (DescribeSecret) finds the version a reference points at. `check`
 *   records it, so a rotation shows up as a diff. Answers are cached for the life of the
 *   process: a preview asks once per distinct secret, however many resources use it.
 * - `readSecretValue` (GetSecretValue) reads the value at that version in `create`/`update`,
 *   extracts the JSON `key` if any, and registers the value with the redactor before
 *   returning it.
 *
 * Credentials come from the SDK's default chain (environment, shared config/SSO, web identity,
 * ECS or EC2 instance role). The SDK is loaded lazily, on the first call, and clients are made
 * per (region, endpoint) on demand.
 *
 * Every error is a `SecretResolutionError` whose message names the secret (and key), says
 * what to do, and never contains the value or any part of the SecretString: SDK messages are
 * included only for recognised AWS error responses, and pass through `redact()`; JSON parse
 * errors (which quote the text they failed on) are never included.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { processState } from "../process-state";
import { registerSecret } from "../redact";
import {
    DEFAULT_VERSION_STAGE,
    describeReference,
    referenceProblems,
    regionOfArn,
    SecretsManagerReference,
} from "./reference";
import { deletedError, mapSdkError, SecretResolutionError } from "./errors";

export { SecretResolutionError, type SecretErrorCode } from "./errors";

/** Provider-level defaults (from stack config), used when the reference does not say. */
export interface SecretsManagerDefaults {
    region?: string;
    endpoint?: string;
}

/**
 * How long a value read at a pinned VersionId may be reused (the same secret used by several resources in one `up`).
 */
const VALUE_CACHE_TTL_MS = 5 * 60_000;
const VALUE_CACHE_MAX_ENTRIES = 64;
/** Key names listed in a `missing_key` message. */
const MAX_LISTED_KEYS = 50;

interface Target {
    reference: SecretsManagerReference;
    secretId: string;
    key?: string;
    stage: string;
    region: string;
    /**
     * Explicit endpoint (reference or defaults); undefined lets the SDK apply AWS_ENDPOINT_URL_SECRETS_MANAGER /
     * AWS_ENDPOINT_URL.
     */
    endpoint?: string;
    /** The endpoint as far as caching is concerned (explicit, or the environment's). */
    endpointKey: string;
    /** `Secrets Manager secret "x" key "y"` for messages. */
    what: string;
}

interface RawValue {
    arn: string;
    versionId: string;
    secretString?: string;
    hasBinary: boolean;
}

/** Clients, answers and call counts live in the process state (../process-state), for one command. */
function state() {
    return processState().secretsManager;
}

/** For benchmarks/tests: how many DescribeSecret and GetSecretValue calls this process made. */
export function secretsManagerCallCounts(): { describeSecret: number; getSecretValue: number } {
    return { ...state().calls };
}

/** The version a reference currently points at, without reading the value (DescribeSecret). */
export async function currentSecretVersion(
    ref: SecretsManagerReference,
    defaults?: SecretsManagerDefaults,
): Promise<{ versionId: string; arn: string }> {
    const target = await resolveTarget(ref, defaults);
    const cacheKey = [target.endpointKey, target.region, target.secretId, target.stage].join("\n");
    const versionCache = state().versions;
    let pending = versionCache.get(cacheKey);
    if (!pending) {
        pending = describeVersion(target);
        versionCache.set(cacheKey, pending);
        // Failures are not remembered: the next call asks again.
        pending.catch(() => {
            if (versionCache.get(cacheKey) === pending) versionCache.delete(cacheKey);
        });
    }
    return { ...(await pending) };
}

/**
 * The value (GetSecretValue), optionally pinned to a VersionId (the one `currentSecretVersion` saw), with `key`
 * extracted from a JSON SecretString.
 */
export async function readSecretValue(
    ref: SecretsManagerReference,
    options?: { versionId?: string },
    defaults?: SecretsManagerDefaults,
): Promise<{ value: string; versionId: string }> {
    const target = await resolveTarget(ref, defaults);
    const versionId = nonEmpty(options?.versionId);
    const raw = await fetchValue(target, versionId);
    const value = extractValue(raw, target, versionId);
    registerSecret(value);
    return { value, versionId: raw.versionId };
}

// ---------------------------------------------------------------------------------------------
// Reference → target

async function resolveTarget(
    ref: SecretsManagerReference,
    defaults: SecretsManagerDefaults | undefined,
): Promise<Target> {
    const location = (ref as Partial<SecretsManagerReference> | undefined)?.secretsManager;
    const rawSecretId = (location as { secretId?: unknown } | undefined)?.secretId;
    const secretId = typeof rawSecretId === "string" ? rawSecretId : (JSON.stringify(rawSecretId) ?? "");
    const rawKey = (location as { key?: unknown } | undefined)?.key;
    const key = typeof rawKey === "string" && rawKey !== "" ? rawKey : undefined;
    if (typeof location !== "object" || location === null) {
        throw new SecretResolutionError(
            "invalid_reference",
            `Invalid Secrets Manager reference: expected { secretsManager: { secretId, key?, versionStage?, region?, endpoint? } }.`,
            secretId,
            key,
        );
    }
    const what = describeReference(ref);
    const arnRegion = regionOfArn(secretId);
    if (arnRegion && typeof location.region === "string" && location.region !== "" && location.region !== arnRegion) {
        throw new SecretResolutionError(
            "region_mismatch",
            `${what}: the reference says region "${location.region}" but the secret ARN is in "${arnRegion}". Remove "region" from the reference or make it "${arnRegion}".`,
            secretId,
            key,
        );
    }
    const problems = referenceProblems(ref);
    if (problems.length > 0) {
        const list = problems.map(([field, reason]) => `"${field}" ${reason}`).join("; ");
        throw new SecretResolutionError("invalid_reference", `${what}: invalid reference: ${list}.`, secretId, key);
    }

    const endpoint = nonEmpty(location.endpoint) ?? nonEmpty(defaults?.endpoint);
    if (endpoint !== undefined && !isHttpUrl(endpoint)) {
        throw new SecretResolutionError(
            "invalid_reference",
            `${what}: endpoint "${endpoint}" is not an http(s) URL. Use e.g. "https://secretsmanager.us-east-1.amazonaws.com", or leave it unset.`,
            secretId,
            key,
        );
    }
    const endpointKey = endpoint ?? environmentEndpoint() ?? "";

    const region =
        arnRegion ??
        nonEmpty(location.region) ??
        nonEmpty(defaults?.region) ??
        nonEmpty(process.env.AWS_REGION) ??
        nonEmpty(process.env.AWS_DEFAULT_REGION) ??
        (await regionFromSharedConfig());
    if (!region) {
        throw new SecretResolutionError(
            "invalid_reference",
            `${what}: no AWS region is known for this secret. Use the secret's full ARN, set "region" in the reference, ` +
                `set the stack config "airbyte:awsRegion" (e.g. \`pulumi config set airbyte:awsRegion us-east-1\`), or set AWS_REGION in the environment.`,
            secretId,
            key,
        );
    }
    return {
        reference: ref,
        secretId,
        key,
        stage: nonEmpty(location.versionStage) ?? DEFAULT_VERSION_STAGE,
        region,
        endpoint,
        endpointKey,
        what,
    };
}

function nonEmpty(value: unknown): string | undefined {
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function isHttpUrl(text: string): boolean {
    try {
        const url = new URL(text);
        return url.protocol === "http:" || url.protocol === "https:";
    } catch {
        return false;
    }
}

/**
 * The endpoint the SDK will take from the environment (it reads these itself; this is only for cache keys and
 * messages).
 */
function environmentEndpoint(): string | undefined {
    if ((process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true") return undefined;
    return nonEmpty(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER) ?? nonEmpty(process.env.AWS_ENDPOINT_URL);
}

/**
 * The region of the shared config profile (~/.aws/config, AWS_PROFILE), as the SDK resolves it; asked once per process.
 */
function regionFromSharedConfig(): Promise<string | undefined> {
    const cache = state();
    cache.sharedConfigRegion ??= (async () => {
        const sm = await loadSdk();
        const probe = new sm.SecretsManagerClient({});
        try {
            return nonEmpty(await probe.config.region());
        } catch {
            return undefined;
        } finally {
            probe.destroy();
        }
    })();
    return cache.sharedConfigRegion;
}

// ---------------------------------------------------------------------------------------------
// SDK calls

async function loadSdk(): Promise<typeof import("@aws-sdk/client-secrets-manager")> {
    // The SDK warns on every Node < 22 process; in a Pulumi provider that only adds noise to
    // `pulumi preview` output the user cannot act on. An explicit setting is respected.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    return import("@aws-sdk/client-secrets-manager");
}

async function clientFor(target: Target): Promise<SecretsManagerClient> {
    const cacheKey = `${target.region}\n${target.endpointKey}\n${target.endpoint === undefined ? "env" : "explicit"}`;
    const clients = state().clients;
    const cached = clients.get(cacheKey);
    if (cached) return cached;
    const sm = await loadSdk();
    const again = clients.get(cacheKey); // another caller may have made it meanwhile
    if (again) return again;
    const client = new sm.SecretsManagerClient({
        region: target.region,
        ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}),
        // Without these a black-holed endpoint would hang until the OS gives up.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    clients.set(cacheKey, client);
    return client;
}

async function describeVersion(target: Target): Promise<{ versionId: string; arn: string }> {
    const sm = await loadSdk();
    const client = await clientFor(target);
    let output;
    try {
        state().calls.describeSecret++;
        output = await client.send(new sm.DescribeSecretCommand({ SecretId: target.secretId }));
    } catch (error) {
        throw mapSdkError(error, target, "DescribeSecret");
    }
    const arn = output.ARN ?? target.secretId;
    if (output.DeletedDate) {
        throw deletedError(target, output.DeletedDate);
    }
    const stages = output.VersionIdsToStages ?? {};
    const versionId = Object.keys(stages).find((id) => (stages[id] ?? []).includes(target.stage));
    if (!versionId) {
        const labels = [...new Set(Object.values(stages).flat())].sort();
        throw new SecretResolutionError(
            "no_value",
            `${target.what} holds no value yet: no version has the staging label "${target.stage}"` +
                (labels.length > 0 ? ` (labels in use: ${labels.join(", ")})` : " (the secret has no versions)") +
                `. Write a value (put-secret-value), or set "versionStage" to a label that has one (unset means ${DEFAULT_VERSION_STAGE}).`,
            target.secretId,
            target.key,
        );
    }
    return { versionId, arn };
}

function fetchValue(target: Target, versionId: string | undefined): Promise<RawValue> {
    const selector = versionId !== undefined ? `id:${versionId}` : `stage:${target.stage}`;
    const cacheKey = [target.endpointKey, target.region, target.secretId, selector].join("\n");
    const now = Date.now();
    const valueCache = state().values as Map<string, { promise: Promise<RawValue>; expires: number }>;
    const cached = valueCache.get(cacheKey);
    if (cached && cached.expires > now) return cached.promise;

    const promise = getSecretValue(target, versionId);
    // A pinned version never changes, so several resources using it share one read for a
    // while; a read by stage is only shared while in flight.
    const pinned = versionId !== undefined;
    for (const [k, entry] of valueCache) if (entry.expires <= now) valueCache.delete(k);
    while (valueCache.size >= VALUE_CACHE_MAX_ENTRIES) valueCache.delete(valueCache.keys().next().value as string);
    valueCache.set(cacheKey, { promise, expires: pinned ? now + VALUE_CACHE_TTL_MS : Number.POSITIVE_INFINITY });
    const forget = () => {
        if (valueCache.get(cacheKey)?.promise === promise) valueCache.delete(cacheKey);
    };
    promise.then(() => {
        if (!pinned) forget();
    }, forget);
    return promise;
}

async function getSecretValue(target: Target, versionId: string | undefined): Promise<RawValue> {
    const sm = await loadSdk();
    const client = await clientFor(target);
    let output;
    try {
        state().calls.getSecretValue++;
        output = await client.send(
            new sm.GetSecretValueCommand(
                versionId !== undefined
                    ? { SecretId: target.secretId, VersionId: versionId }
                    : { SecretId: target.secretId, VersionStage: target.stage },
            ),
        );
    } catch (error) {
        const mapped = mapSdkError(error, target, "GetSecretValue", versionId);
        // "Not found" also answers for a secret that exists but has no value at the stage (created
        // empty, to be written later); DescribeSecret tells the two apart.
        if (mapped.code === "not_found" && versionId === undefined) {
            const described = await describeVersion(target).catch((e: unknown) => e);
            if (described instanceof SecretResolutionError && described.code === "no_value") throw described;
        }
        throw mapped;
    }
    if (typeof output.SecretString === "string") registerSecret(output.SecretString);
    return {
        arn: output.ARN ?? target.secretId,
        versionId: output.VersionId ?? versionId ?? "",
        secretString: typeof output.SecretString === "string" ? output.SecretString : undefined,
        hasBinary: output.SecretBinary !== undefined && output.SecretBinary !== null,
    };
}

// ---------------------------------------------------------------------------------------------
// Value extraction

function extractValue(raw: RawValue, target: Target, versionId: string | undefined): string {
    const at = versionId !== undefined ? ` (version ${versionId})` : "";
    if (raw.secretString === undefined) {
        if (raw.hasBinary) {
            throw new SecretResolutionError(
                "binary",
                `${target.what}${at} holds a SecretBinary value; only SecretString secrets are supported. Store the value as a string (plain, or a JSON object with "key").`,
                target.secretId,
                target.key,
            );
        }
        throw new SecretResolutionError(
            "not_found",
            `${target.what}${at} has no SecretString value. Put a value in the secret (PutSecretValue).`,
            target.secretId,
            target.key,
        );
    }
    if (target.key === undefined) return raw.secretString;

    let parsed: unknown;
    let isJson = true;
    try {
        parsed = JSON.parse(raw.secretString);
    } catch {
        // The parse error quotes the text it failed on: never keep it.
        isJson = false;
    }
    if (!isJson || typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        const found = !isJson
            ? "is not JSON"
            : `is JSON but a${Array.isArray(parsed) ? "n array" : ` ${parsed === null ? "null" : typeof parsed}`}, not an object`;
        throw new SecretResolutionError(
            "not_json",
            `${target.what}${at}: the SecretString ${found}, so key "${target.key}" cannot be read from it. ` +
                `Remove "key" from the reference to use the whole string, or store a JSON object with a "${target.key}" field.`,
            target.secretId,
            target.key,
        );
    }
    const object = parsed as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(object, target.key)) {
        const names = Object.keys(object);
        const listed = names
            .slice(0, MAX_LISTED_KEYS)
            .map((name) => JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name));
        const more = names.length > MAX_LISTED_KEYS ? ` and ${names.length - MAX_LISTED_KEYS} more` : "";
        throw new SecretResolutionError(
            "missing_key",
            `${target.what}${at}: the JSON SecretString has no key "${target.key}"; ` +
                (names.length > 0 ? `its keys are ${listed.join(", ")}${more}` : "it is an empty object") +
                `. Fix "key" in the reference, or add "${target.key}" to the secret.`,
            target.secretId,
            target.key,
        );
    }
    const value = object[target.key];
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : "an object";
    throw new SecretResolutionError(
        "missing_key",
        `${target.what}${at}: key "${target.key}" holds ${kind}, not a string. Point "key" at a string field, or store the value as a string.`,
        target.secretId,
        target.key,
    );
}
