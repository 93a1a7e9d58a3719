/** Small helpers the public handlers share. */
import { internalError } from "../../errors";
import { isUuid } from "../../validation";

/**
 * A path id the controller takes as a `String` and converts with `UUID.fromString` (sources,
 * destinations, connections, workspaces): a malformed one throws an IllegalArgumentException
 * outside `ConfigClientErrorHandler` → the uncaught handler's 500.
 */
export function uuidPathParam(value: string): string {
    if (!isUuid(value)) throw internalError(`Invalid UUID string: ${value}`);
    return value.toLowerCase();
}
