/**
 * Airbyte server generations: every behaviour of the emulated server that changed between
 * releases, derived from one version string.
 *
 * Each flag names the airbyte-platform commit that changed the behaviour and the first tag that
 * contains it (`git tag --contains <commit> | sort -V | head -1` on airbytehq/airbyte-platform).
 * Boundaries are inclusive at the first tag: `atLeast("1.7.0")` is true for 1.7.0 and later.
 */
import type { AuthMode } from "./auth";

/** A release as `[major, minor, patch]`; pre-release suffixes (`-rc1`) are ignored. */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version {
    const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+.].*)?$/.exec(text.trim());
    if (!match) throw new Error(`not an Airbyte server version: "${text}" (expected e.g. "1.8.0")`);
    return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareVersions(a: Version, b: Version): number {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
}

/** Named server generations with the settings a typical installation of that era had. */
export const SERVER_PROFILES = {
    /** docker-compose era: nginx basic-auth proxy in front of the server. */
    "0.50": { serverVersion: "0.50.45", auth: "basic" },
    /** Last 0.x release (Helm / early abctl). */
    "0.63": { serverVersion: "0.63.20" },
    /** Last release with `workspaces/list`. */
    "1.6": { serverVersion: "1.6.0" },
    /** `workspaces/list` removed. */
    "1.7": { serverVersion: "1.7.0" },
    /** Cursor-paginated `sources/list` / `destinations/list`. */
    "1.8": { serverVersion: "1.8.0" },
    /** Error bodies cut to `{errorId}`; abctl installs enable Micronaut security ("simple" auth). */
    "2.0": { serverVersion: "2.0.0", auth: "simple" },
    /**
     * Airbyte Cloud as its clients see it: only the public API, at `https://api.airbyte.com/v1`
     * (api.yaml `servers`), tokens from `/v1/applications/token` living 3 minutes (the
     * reference.airbyte.com Authentication page: "These tokens are short lived (3 min)").
     */
    cloud: { serverVersion: "2.0.0", auth: "simple", cloud: true, tokenLifetimeSeconds: 180 },
} as const satisfies Record<
    string,
    { serverVersion: string; auth?: AuthMode; cloud?: boolean; tokenLifetimeSeconds?: number }
>;

export type ServerProfile = keyof typeof SERVER_PROFILES;

export function isServerProfile(value: unknown): value is ServerProfile {
    return typeof value === "string" && Object.hasOwn(SERVER_PROFILES, value);
}

/**
 * Error body families (`KnownException.infoFromThrowableWithMessage` and the exception handlers in
 * `airbyte-commons-server/.../errors/`):
 * - `stack`: before 1.3.0 — `{message, exceptionClassName, exceptionStack, rootCauseExceptionClassName?,
 *   rootCauseExceptionStack?}`;
 * - `legacy`: 1.3.0–1.8.x — `{message, exceptionClassName}` (d4a4ebaaf3 "change known exception
 *   error handler to not display stack trace", #12785, first tag v1.3.0);
 * - `v2`: 2.0.0 and later — `{errorId}`, KnownExceptions `{message, errorId}` (75054177f0 "remove
 *   security risk data from error responses", #17953, first tag v2.0.0).
 */
export type ErrorStyle = "v2" | "legacy" | "stack";

export interface ServerGeneration {
    /** The emulated release, e.g. "1.8.0" (what `instance_configuration.version` reports). */
    readonly version: string;

    // --- GET /api/v1/instance_configuration (InstanceConfigurationHandler.getInstanceConfiguration) ---
    /** The endpoint exists: 787ab444cf "MVP: Okta SSO in Airbyte Pro" (#7110), first tag v0.50.9. */
    readonly hasInstanceConfiguration: boolean;
    /** `initialSetupComplete`, `defaultUserId`, `defaultOrganizationId`: dacfafff41 (#8400), first tag v0.50.24. */
    readonly reportsSetupFields: boolean;
    /**
     * `defaultWorkspaceId` (the oldest non-deleted workspace): added by dacfafff41 (#8400, v0.50.24),
     * removed by 1f09d1698f "handle null instance configuration" (#10279, first tag v0.50.51),
     * although the spec keeps listing it as required.
     */
    readonly reportsDefaultWorkspaceId: boolean;
    /** `trackingStrategy`: 4a93c3c53a (#10779), first tag v0.50.46. */
    readonly reportsTrackingStrategy: boolean;
    /** `webappUrl` renamed `airbyteUrl`, plus `version`: ba19f0a8ee (#12221), first tag v0.57.4. */
    readonly reportsAirbyteUrlAndVersion: boolean;
    /** `auth: {mode}` for the community edition: b2e3e2a15b (#12415), first tag v0.60.0. */
    readonly reportsAuthMode: boolean;
    /** `defaultOrganizationEmail`: b912665559 (#13333), first tag v0.63.12. */
    readonly reportsDefaultOrganizationEmail: boolean;
    /**
     * `licenseType` replaced by `licenseStatus` (null, hence absent, in community): 9d5a39ee38 (#13711), first tag
     * v0.64.4.
     */
    readonly reportsLicenseStatus: boolean;
    /**
     * `edition` enum widened to community/pro/enterprise/trial: 62313c67b6 (#13979), first tag v1.1.0 (before:
     * community/pro).
     */
    readonly hasEnterpriseEdition: boolean;

    // --- workspaces ---
    /** `workspaces/list` removed: 3e5ff65dc7 "refactor: deprecate workspaces/list" (#16032), first tag v1.7.0. */
    readonly hasWorkspacesList: boolean;
    /** `workspaces/list_by_organization_id`: fb8f6e619f "Org/RBAC API implementations" (#8289), first tag v0.50.18. */
    readonly hasListWorkspacesByOrganization: boolean;
    /** `connections/list_paginated`: cede9f6da3 "Introduce Airbyte API to OSS" (#7871), first tag v0.50.13. */
    readonly hasListConnectionsPaginated: boolean;

    // --- sources and destinations ---
    /** `SourceRead.createdAt` / `DestinationRead.createdAt`: 7f2287865a (#14509), first tag v1.2.0. */
    readonly reportsActorCreatedAt: boolean;
    /** Cursor-paginated `sources/list` / `destinations/list`: c742220ed8 (#17021), first tag v1.8.0. */
    readonly paginatesActorLists: boolean;
    /**
     * Delete voids the configuration (`SourceServiceJooqImpl.tombstoneSource` "Tombstone source and
     * void config"): 275832edb0 "fix: actor deletion with config" (#12978), first tag v0.63.5.
     * Before, `SourceHandler.deleteSource` re-persisted the full configuration with `tombstone=true`.
     */
    readonly deleteVoidsActorConfiguration: boolean;

    // --- connections ---
    /** `ConnectionRead.created_at`: 609d3dd4f6 (#10966), first tag v0.50.46. */
    readonly reportsConnectionCreatedAt: boolean;
    /** `CatalogValidator.fieldCount` on create/update: a139a0d396 (#12197), first tag v0.58.0. */
    readonly limitsCatalogFields: boolean;
    /**
     * Cron problems as 400 problem JSON instead of 422 JsonValidationException: bd2ef46e22 (#12682), first tag v0.62.4.
     */
    readonly cronProblemsAre400: boolean;
    /**
     * `validateCronFrequency` (cron-utils) runs before the time-zone check: 1649d3f1b8 (#14565),
     * first tag v1.3.0. Before, the zone was checked first (`DateTimeZone.forID` precedes `new CronExpression`).
     */
    readonly cronExpressionCheckedBeforeZone: boolean;

    // --- connections ---
    /**
     * `ConnectionsHandler.updateConnection` refuses LOCKED connections with `ConnectionLockedProblem`
     * (409): 37d38e81fb "chore: api for locking connections" (#18040), on master after v2.0.0 and in
     * no tag up to v2.0.0, so the emulator applies it to versions above 2.0.0 only.
     */
    readonly refusesLockedConnectionUpdates: boolean;

    // --- public API (`/api/public/v1`, airbyte-server `apis/publicapi`) ---
    /**
     * airbyte-server serves the public API under `/api/public/v1`: ced8946f33 "Merge openapi specs"
     * (#11272), first tag v0.50.54 (before, the separate airbyte-api-server answered `/v1` on its
     * own port; the emulator does not model it, so older releases answer those paths as unknown routes).
     */
    readonly hasPublicApi: boolean;
    /**
     * `POST /applications/token` (`ApplicationsController.publicGetAccessToken`): ff7d645cea (#12757), first tag
     * v0.63.7.
     */
    readonly hasPublicApplicationsToken: boolean;
    /** `GET /connector_definitions` (`ConnectorDefinitionsController`): 5234d887f2 (#14486), first tag v1.2.0. */
    readonly hasPublicConnectorDefinitions: boolean;
    /**
     * `GET /workspaces/{id}/definitions/{sources|destinations}[/{definitionId}]` (`DefinitionsController`): 29679d8baa
     * (#15437), first tag v1.6.0.
     */
    readonly hasPublicWorkspaceDefinitions: boolean;
    /**
     * `StreamConfiguration.namespace` and the (name, namespace) stream lookup of
     * `AirbyteCatalogHelper.getValidConfiguredStreams`: 511bfd5373 (#16067), first tag v1.7.0. Before,
     * `validateStreams` looked streams up by name only ("Invalid stream found ...").
     */
    readonly publicStreamNamespace: boolean;
    /**
     * `createdAt` in SourceResponse / DestinationResponse / ConnectionResponse: 7f2287865a (#14509), first tag v1.2.0.
     */
    readonly publicResponsesHaveCreatedAt: boolean;
    /** `definitionId` in SourceResponse / DestinationResponse: d57c69188f (#14374), first tag v1.2.0. */
    readonly publicActorResponsesHaveDefinitionId: boolean;
    /** `tags` in ConnectionResponse (and on create/patch): 7fc79722d0 / 4cc1f2ece3 (#15193), first tag v1.6.0. */
    readonly publicConnectionTags: boolean;
    /**
     * `AirbyteCatalogHelper.normalizeCronExpression` strips a trailing "UTC": d76ffcef49 (#12679), first tag v0.63.1.
     */
    readonly publicCronStripsUtc: boolean;
    /**
     * `configuration.sourceType` is found with Jackson's `ObjectNode.findValue`, which checks a node's
     * own field before descending into its children from jackson-databind 2.16.0
     * (FasterXML/jackson-databind#4008); before, children were searched in field order, so a nested
     * `sourceType` in an earlier field won. airbyte-platform moved to Jackson 2.16.1 with 75a3855bba
     * "Micronaut 4.x" (#10802), first tag v0.52.0.
     */
    readonly findValueChecksOwnFieldFirst: boolean;
    /**
     * `destinationObjectName` in the streams of ConnectionResponse (`ConnectionReadMapper`): ffd51c029b (#17664), first
     * tag v2.0.0.
     */
    readonly publicReadsDestinationObjectName: boolean;

    // --- errors ---
    readonly errorStyle: ErrorStyle;
    /**
     * `rootCauseExceptionClassName` was `t.getClass().getClass().getName()`, i.e. "java.lang.Class",
     * until 26d3236382 "add details field to known exception" (#13930), first tag v0.64.5.
     */
    readonly rootCauseClassNameIsJavaLangClass: boolean;
}

/** The generation of `version`; `errorStyle` overrides the version's own error bodies. */
export function serverGeneration(version: string, errorStyle?: ErrorStyle): ServerGeneration {
    const v = parseVersion(version);
    const atLeast = (boundary: string): boolean => compareVersions(v, parseVersion(boundary)) >= 0;
    return {
        version: v.join("."),
        hasInstanceConfiguration: atLeast("0.50.9"),
        reportsSetupFields: atLeast("0.50.24"),
        reportsDefaultWorkspaceId: atLeast("0.50.24") && !atLeast("0.50.51"),
        reportsTrackingStrategy: atLeast("0.50.46"),
        reportsAirbyteUrlAndVersion: atLeast("0.57.4"),
        reportsAuthMode: atLeast("0.60.0"),
        reportsDefaultOrganizationEmail: atLeast("0.63.12"),
        reportsLicenseStatus: atLeast("0.64.4"),
        hasEnterpriseEdition: atLeast("1.1.0"),
        hasWorkspacesList: !atLeast("1.7.0"),
        hasListWorkspacesByOrganization: atLeast("0.50.18"),
        hasListConnectionsPaginated: atLeast("0.50.13"),
        reportsActorCreatedAt: atLeast("1.2.0"),
        paginatesActorLists: atLeast("1.8.0"),
        deleteVoidsActorConfiguration: atLeast("0.63.5"),
        reportsConnectionCreatedAt: atLeast("0.50.46"),
        limitsCatalogFields: atLeast("0.58.0"),
        cronProblemsAre400: atLeast("0.62.4"),
        cronExpressionCheckedBeforeZone: atLeast("1.3.0"),
        refusesLockedConnectionUpdates: compareVersions(v, parseVersion("2.0.0")) > 0,
        hasPublicApi: atLeast("0.50.54"),
        hasPublicApplicationsToken: atLeast("0.63.7"),
        hasPublicConnectorDefinitions: atLeast("1.2.0"),
        hasPublicWorkspaceDefinitions: atLeast("1.6.0"),
        publicStreamNamespace: atLeast("1.7.0"),
        publicResponsesHaveCreatedAt: atLeast("1.2.0"),
        publicActorResponsesHaveDefinitionId: atLeast("1.2.0"),
        publicConnectionTags: atLeast("1.6.0"),
        publicCronStripsUtc: atLeast("0.63.1"),
        publicReadsDestinationObjectName: atLeast("2.0.0"),
        findValueChecksOwnFieldFirst: atLeast("0.52.0"),
        errorStyle: errorStyle ?? (atLeast("2.0.0") ? "v2" : atLeast("1.3.0") ? "legacy" : "stack"),
        rootCauseClassNameIsJavaLangClass: !atLeast("0.64.5"),
    };
}
