/**
 * `GET /api/v1/instance_configuration` (`InstanceConfigurationApiController`,
 * `@Secured(IS_ANONYMOUS)`), after `InstanceConfigurationHandler.getInstanceConfiguration` in
 * airbyte-platform `airbyte-commons-server/.../handlers/InstanceConfigurationHandler.{java,kt}`.
 * Which fields exist depends on the release (generations.ts); null fields are left out
 * (`@JsonInclude(NON_NULL)` on the generated models), which is why some fields the spec calls
 * required never appear:
 *
 * - `defaultWorkspaceId` is only sent by 0.50.24–0.50.50;
 * - `licenseStatus` (spec-required since v1.1.0, 62313c67b6) is `currentLicenseStatus()`, which
 *   returns null without an `ActiveAirbyteLicense` (a Pro/Enterprise-only bean): absent in the
 *   community edition.
 */
import type { HandlerContext, RouteDefinition } from "../context";
import { DEFAULT_ORGANIZATION_ID, DEFAULT_USER_ID } from "../store";

function instanceConfiguration(ctx: HandlerContext): Record<string, unknown> {
    const g = ctx.settings.generation;
    const enterprise = ctx.settings.edition === "enterprise";
    const body: Record<string, unknown> = {};
    if (g.reportsAirbyteUrlAndVersion) {
        body["airbyteUrl"] = ctx.baseUrl;
        body["edition"] = enterprise ? (g.hasEnterpriseEdition ? "enterprise" : "pro") : "community";
        body["version"] = g.version;
    } else {
        body["webappUrl"] = ctx.baseUrl;
        body["edition"] = enterprise ? "pro" : "community";
    }
    // A Pro/Enterprise license: `licenseType` (0.50.9–0.64.3), then `currentLicenseStatus()`.
    if (enterprise) body[g.reportsLicenseStatus ? "licenseStatus" : "licenseType"] = "pro";
    // Community: `AuthConfigs` → NONE, or SIMPLE with Micronaut security on; null (absent) before 0.60.0.
    if (g.reportsAuthMode) body["auth"] = { mode: ctx.settings.auth === "simple" ? "simple" : "none" };
    if (g.reportsSetupFields) {
        // From 0.50.51 `workspacePersistence.getInitialSetupComplete()` (any workspace), before the default workspace's
        // flag.
        const defaultWorkspace = ctx.store.oldestWorkspace();
        body["initialSetupComplete"] = g.reportsDefaultWorkspaceId
            ? defaultWorkspace.initialSetupComplete
            : [...ctx.store.workspaces.values()].some((w) => w.initialSetupComplete);
        body["defaultUserId"] = DEFAULT_USER_ID;
        body["defaultOrganizationId"] = DEFAULT_ORGANIZATION_ID;
        if (g.reportsDefaultOrganizationEmail) body["defaultOrganizationEmail"] = "admin@example.com";
        if (g.reportsDefaultWorkspaceId) body["defaultWorkspaceId"] = defaultWorkspace.workspaceId;
    }
    if (g.reportsTrackingStrategy) body["trackingStrategy"] = "logging";
    return body;
}

export const instanceConfigurationRoutes: RouteDefinition[] = [
    {
        operation: "instance_configuration",
        method: "GET",
        anonymous: true,
        servedBy: (g) => g.hasInstanceConfiguration,
        handle: instanceConfiguration,
    },
];
