/** Destinations: the shared actor endpoints. */
import type { RouteDefinition } from "../context";
import { actorRoutes, DESTINATION_NAMES } from "./actors";

export const destinationRoutes: RouteDefinition[] = actorRoutes(DESTINATION_NAMES);
