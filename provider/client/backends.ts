/**
 * Which backend talks to a server (`airbyte:api`: `auto`, `config` or `public`).
 *
 * `auto` chooses:
 * - the public API for Airbyte Cloud, the only API Cloud serves;
 * - the Config API for self-managed servers. Every self-managed generation since 0.50 serves
 *   it, it is what Airbyte's own web app uses on that server (so it cannot lag behind the
 *   server's features), and it alone offers the connector spec and connection check that let
 *   `pulumi preview` validate configurations and `pulumi up` test credentials before writing.
 *   Set `airbyte:api public` to write through the supported public API instead; where the
 *   Config API is reachable too, spec validation and connection checks still use it (read-only).
 *
 * This is the one place that knows every backend.
 */
import type { AirbyteBackend } from "./api";
import { CONFIG_API_HEALTH_PATH, CONFIG_API_TOKEN_ENDPOINT, ConfigApiBackend } from "./config-api";
import { PublicApiBackend, publicHealthPath, publicTokenEndpoint } from "./public-api";
import { AirbyteTransport, TransportSettings } from "./transport";

/** The backends, by their `airbyte:api` names. */
export const BACKEND_NAMES = ["config", "public"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
    api: BackendName | "auto";
    /** Airbyte Cloud, or a server laid out like it (public API under `/v1`, no Config API). */
    cloud: boolean;
}

/** The backend `auto` (or an explicit choice) gives for a server. */
export function chosenBackend(choice: BackendChoice): BackendName {
    if (choice.api !== "auto") return choice.api;
    return choice.cloud ? "public" : "config";
}

/** A backend for a server, with a transport configured for its API. */
export function createBackend(
    transport: Omit<TransportSettings, "tokenEndpoint" | "healthPath">,
    choice: BackendChoice,
    options: { listPageSize?: number } = {},
): AirbyteBackend {
    switch (chosenBackend(choice)) {
        case "config":
            return new ConfigApiBackend(
                new AirbyteTransport({
                    ...transport,
                    tokenEndpoint: CONFIG_API_TOKEN_ENDPOINT,
                    healthPath: CONFIG_API_HEALTH_PATH,
                }),
                options,
            );
        case "public": {
            // On a self-managed server, the Config API lends what the public API lacks (connector
            // specs, connection checks), read-only; Cloud has no Config API for users.
            const readOnlyHelper = choice.cloud
                ? undefined
                : new ConfigApiBackend(
                      new AirbyteTransport({
                          ...transport,
                          tokenEndpoint: CONFIG_API_TOKEN_ENDPOINT,
                          healthPath: CONFIG_API_HEALTH_PATH,
                      }),
                      options,
                  );
            return new PublicApiBackend(
                new AirbyteTransport({
                    ...transport,
                    tokenEndpoint: publicTokenEndpoint(choice.cloud),
                    healthPath: publicHealthPath(choice.cloud),
                }),
                { cloud: choice.cloud, readOnlyHelper },
            );
        }
    }
}
