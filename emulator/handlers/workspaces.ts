/**
 * Workspaces (airbyte-platform `WorkspacesHandler`): get, get_by_slug, get_by_connection_id,
 * list_by_organization_id (≥ 0.50.18), create, and list (< 1.7.0).
 */
import { randomUUID } from "node:crypto";
import type { HandlerContext, RouteDefinition } from "../context";
import { notFound } from "../errors";
import { DEFAULT_DATAPLANE_GROUP_ID, DEFAULT_ORGANIZATION_ID, type WorkspaceRecord } from "../store";

export function requireWorkspace(ctx: HandlerContext, workspaceId: string, includeTombstone = false): WorkspaceRecord {
    const workspace = ctx.store.workspaces.get(workspaceId);
    if (!workspace || (workspace.tombstone && !includeTombstone)) throw notFound("STANDARD_WORKSPACE", workspaceId);
    return workspace;
}

function toRead(w: WorkspaceRecord): Record<string, unknown> {
    const read: Record<string, unknown> = {
        workspaceId: w.workspaceId,
        customerId: w.customerId,
        email: w.email,
        name: w.name,
        slug: w.slug,
        initialSetupComplete: w.initialSetupComplete,
        displaySetupWizard: w.displaySetupWizard,
        anonymousDataCollection: w.anonymousDataCollection,
        news: w.news,
        securityUpdates: w.securityUpdates,
        notifications: w.notifications,
        tombstone: w.tombstone,
        organizationId: w.organizationId,
        dataplaneGroupId: w.dataplaneGroupId,
        webhookConfigs: [],
    };
    for (const key of Object.keys(read)) if (read[key] === undefined) delete read[key];
    return read;
}

function slugify(name: string): string {
    return (
        name
            .normalize("NFKD")
            .replace(/[\u0300-\u036f]/g, "")
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "") || "workspace"
    );
}

/** Non-deleted workspaces in insertion order. */
function activeWorkspaces(ctx: HandlerContext): WorkspaceRecord[] {
    return [...ctx.store.workspaces.values()].filter((w) => !w.tombstone);
}

/**
 * `WorkspacesHandler.listWorkspacesByUser` for the caller, as the public services use it when no
 * `workspaceIds` are given (`UserServiceImpl.getAllWorkspaceIdsForUser`): every caller here is the
 * instance admin, who sees every non-deleted workspace.
 */
export function workspaceIdsForUser(ctx: HandlerContext): string[] {
    return activeWorkspaces(ctx).map((w) => w.workspaceId);
}

/**
 * `WorkspacesHandler.listWorkspacesPaginated` → `WorkspaceServiceJooqImpl.listStandardWorkspacesPaginated`:
 * the given workspaces, tombstoned ones only with `includeDeleted`, `LIMIT/OFFSET`, no ORDER BY
 * (creation order here).
 */
export function listWorkspacesPaginated(
    ctx: HandlerContext,
    query: { workspaceIds: readonly string[]; includeDeleted: boolean; pageSize: number; rowOffset: number },
): WorkspaceRecord[] {
    const ids = new Set(query.workspaceIds);
    return [...ctx.store.workspaces.values()]
        .filter((w) => ids.has(w.workspaceId) && (query.includeDeleted || !w.tombstone))
        .slice(query.rowOffset, query.rowOffset + Math.max(query.pageSize, 0));
}

export const workspaceRoutes: RouteDefinition[] = [
    {
        operation: "workspaces/get",
        request: { workspaceId: { type: "uuid", required: true }, includeTombstone: { type: "boolean" } },
        handle: (ctx, body) =>
            toRead(requireWorkspace(ctx, body["workspaceId"] as string, body["includeTombstone"] === true)),
    },
    {
        operation: "workspaces/get_by_slug",
        request: { slug: { type: "string", required: true } },
        handle: (ctx, body) => {
            const workspace = [...ctx.store.workspaces.values()].find((w) => w.slug === body["slug"] && !w.tombstone);
            if (!workspace) throw notFound("STANDARD_WORKSPACE", String(body["slug"]));
            return toRead(workspace);
        },
    },
    {
        // WorkspacesHandler.getWorkspaceByConnectionId → WorkspaceService.getStandardWorkspaceFromConnection:
        // the workspace of the connection's source; unknown connection → 404.
        operation: "workspaces/get_by_connection_id",
        request: { connectionId: { type: "uuid", required: true } },
        handle: (ctx, body) => {
            const connectionId = body["connectionId"] as string;
            const connection = ctx.store.connections.get(connectionId);
            if (!connection) throw notFound("STANDARD_SYNC", connectionId);
            const source = ctx.store.sources.get(connection.sourceId)!;
            return toRead(requireWorkspace(ctx, source.workspaceId));
        },
    },
    {
        // fb8f6e619f (#8289), first tag v0.50.18. WorkspacePersistence.listWorkspacesByOrganizationId:
        // non-tombstoned, `orderBy(WORKSPACE.NAME.asc())` (no id tie-break; code-point order here,
        // the database collation on a server), paginated variant `.limit(pageSize).offset(rowOffset)`.
        operation: "workspaces/list_by_organization_id",
        servedBy: (g) => g.hasListWorkspacesByOrganization,
        request: {
            organizationId: { type: "uuid", required: true },
            pagination: { type: "object" },
            nameContains: { type: "string" },
        },
        handle: (ctx, body) => {
            if (body["organizationId"] !== DEFAULT_ORGANIZATION_ID)
                throw notFound("ORGANIZATION", body["organizationId"] as string);
            const needle = typeof body["nameContains"] === "string" ? body["nameContains"].toLowerCase() : undefined;
            let workspaces = activeWorkspaces(ctx)
                .filter((w) => needle === undefined || w.name.toLowerCase().includes(needle))
                .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            const pagination = body["pagination"] as { pageSize?: number; rowOffset?: number } | undefined;
            if (pagination?.pageSize !== undefined) {
                const offset = pagination.rowOffset ?? 0;
                workspaces = workspaces.slice(offset, offset + pagination.pageSize);
            }
            return { workspaces: workspaces.map(toRead) };
        },
    },
    {
        operation: "workspaces/create",
        request: {
            name: { type: "string", required: true },
            organizationId: { type: "uuid", required: true },
            email: { type: "string" },
            anonymousDataCollection: { type: "boolean" },
            news: { type: "boolean" },
            securityUpdates: { type: "boolean" },
            displaySetupWizard: { type: "boolean" },
            notifications: { type: "array" },
            dataplaneGroupId: { type: "uuid" },
        },
        handle: (ctx, body) => {
            if (body["organizationId"] !== DEFAULT_ORGANIZATION_ID)
                throw notFound("ORGANIZATION", body["organizationId"] as string);
            const name = body["name"] as string;
            const base = slugify(name);
            const taken = new Set([...ctx.store.workspaces.values()].map((w) => w.slug));
            // Like the server, a clashing slug gets a random suffix.
            const slug = taken.has(base) ? `${base}-${randomUUID().slice(0, 8)}` : base;
            const workspace: WorkspaceRecord = {
                workspaceId: randomUUID(),
                customerId: randomUUID(),
                name,
                slug,
                email: body["email"] as string | undefined,
                organizationId: DEFAULT_ORGANIZATION_ID,
                initialSetupComplete: false,
                displaySetupWizard: (body["displaySetupWizard"] as boolean | undefined) ?? false,
                anonymousDataCollection: body["anonymousDataCollection"] as boolean | undefined,
                news: body["news"] as boolean | undefined,
                securityUpdates: body["securityUpdates"] as boolean | undefined,
                notifications: (body["notifications"] as unknown[] | undefined) ?? [],
                tombstone: false,
                dataplaneGroupId: (body["dataplaneGroupId"] as string | undefined) ?? DEFAULT_DATAPLANE_GROUP_ID,
                createdAtMs: ctx.now(),
            };
            ctx.store.workspaces.set(workspace.workspaceId, workspace);
            ctx.store.markDirty();
            ctx.log.counters.created.workspaces++;
            return toRead(workspace);
        },
    },
    {
        // WorkspacesHandler.listWorkspaces → listStandardWorkspaces(false): every non-deleted
        // workspace, `where tombstone != true` without ORDER BY (insertion order here). Removed by
        // 3e5ff65dc7 "refactor: deprecate workspaces/list" (#16032), first tag v1.7.0.
        operation: "workspaces/list",
        servedBy: (g) => g.hasWorkspacesList,
        handle: (ctx) => ({ workspaces: activeWorkspaces(ctx).map(toRead) }),
    },
];
