/** The route table: every API operation the emulator serves, keyed by `<family>/<method>`. */
import type { RouteDefinition } from "../context";
import { applicationRoutes } from "./applications";
import { connectionRoutes } from "./connections";
import { definitionsRoutes } from "./definitions";
import { destinationRoutes } from "./destinations";
import { healthRoutes } from "./health";
import { instanceConfigurationRoutes } from "./instance-configuration";
import { jobRoutes } from "./jobs";
import { sourceRoutes } from "./sources";
import { workspaceRoutes } from "./workspaces";

export function buildRouteTable(): Map<string, RouteDefinition> {
    const table = new Map<string, RouteDefinition>();
    for (const route of [
        ...healthRoutes,
        ...instanceConfigurationRoutes,
        ...workspaceRoutes,
        ...definitionsRoutes,
        ...sourceRoutes,
        ...destinationRoutes,
        ...connectionRoutes,
        ...jobRoutes,
        ...applicationRoutes,
    ]) {
        if (table.has(route.operation)) throw new Error(`duplicate route ${route.operation}`);
        table.set(route.operation, route);
    }
    return table;
}
