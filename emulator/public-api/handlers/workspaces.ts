/**
 * `GET /workspaces` and `GET /workspaces/{workspaceId}` (airbyte-server
 * `apis/publicapi/controllers/WorkspacesController.kt`, `services/WorkspaceService.kt`):
 * list → `WorkspacesHandler.listWorkspacesPaginated` over the given workspaces, or every workspace
 * of the caller (`UserServiceImpl.getAllWorkspaceIdsForUser`), `WorkspacesResponseMapper` with
 * pagination links; get → `WorkspacesHandler.getWorkspace` (a deleted workspace is not found:
 * 404 STANDARD_WORKSPACE), `WorkspaceResponseMapper`.
 */
import { listWorkspacesPaginated, requireWorkspace, workspaceIdsForUser } from "../../handlers/workspaces";
import { workspaceResponse } from "../mappers";
import { listQuery, pageLinks } from "../pagination";
import { callInternal } from "../problems";
import { ok, type PublicRoute } from "../router";
import { uuidPathParam } from "./common";

export const workspaceRoutes: PublicRoute[] = [
    {
        operation: "public/workspaces/list",
        method: "GET",
        path: "workspaces",
        handle: (ctx, { query }) => {
            const q = listQuery(query, "publicListWorkspaces");
            const ids = q.workspaceIds.length > 0 ? q.workspaceIds : workspaceIdsForUser(ctx);
            const page = callInternal(() =>
                listWorkspacesPaginated(ctx, {
                    workspaceIds: ids,
                    includeDeleted: q.includeDeleted,
                    pageSize: q.limit,
                    rowOffset: q.offset,
                }),
            );
            return ok({ ...pageLinks(ctx, "workspaces", q, page.length), data: page.map(workspaceResponse) });
        },
    },
    {
        operation: "public/workspaces/get",
        method: "GET",
        path: "workspaces/{workspaceId}",
        handle: (ctx, { params }) => {
            const workspaceId = uuidPathParam(params["workspaceId"]!);
            return ok(workspaceResponse(callInternal(() => requireWorkspace(ctx, workspaceId))));
        },
    },
];
