/**
 * The emulator's conventions for simulated connector failures, shared by every connector:
 *
 * - a host name (or bucket, endpoint, URL host) ending in `.invalid` cannot be resolved
 *   (RFC 2606 reserves `.invalid`, so no real configuration uses it by accident);
 * - a secret whose value is exactly `wrong-password` is rejected by the remote system.
 *
 * Messages imitate what the real connectors print, and never contain a secret value.
 */
import type { CheckOutcome, ConnectorConfiguration } from "./types";

export const WRONG_PASSWORD = "wrong-password";

export function isUnresolvableHost(value: unknown): boolean {
    if (typeof value !== "string" || value === "") return false;
    let host = value.trim().toLowerCase();
    // Accept URLs and host:port too.
    const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/.exec(host);
    if (url) host = url[1]!;
    host = host.replace(/:\d+$/, "").replace(/\.$/, "");
    return host.endsWith(".invalid") || host === "invalid";
}

export function hostOf(value: string): string {
    const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(value.trim());
    return url ? url[1]! : value.trim();
}

export type SqlDialect = "mssql" | "postgres" | "mysql";

/** The SSH tunnel is opened before anything else, so its failures come first. */
function checkTunnel(config: ConnectorConfiguration): CheckOutcome {
    const tunnel = config["tunnel_method"];
    if (typeof tunnel !== "object" || tunnel === null) return { ok: true };
    const t = tunnel as Record<string, unknown>;
    if (t["tunnel_method"] === "NO_TUNNEL" || t["tunnel_method"] === undefined) return { ok: true };
    if (isUnresolvableHost(t["tunnel_host"])) {
        return {
            ok: false,
            message: `Could not connect with provided SSH configuration. Error: java.net.UnknownHostException: ${hostOf(textOf(t["tunnel_host"]))}: Name or service not known`,
        };
    }
    if (t["ssh_key"] === WRONG_PASSWORD || t["tunnel_user_password"] === WRONG_PASSWORD) {
        return {
            ok: false,
            message: `Could not connect with provided SSH configuration. Error: org.apache.sshd.common.SshException: No more authentication methods available (user: ${textOf(t["tunnel_user"])})`,
        };
    }
    return { ok: true };
}

/**
 * A configuration value as a connector would print it. The server validated the configuration against
 * the spec first, so these are strings or numbers; anything else prints as `fallback`.
 */
export function textOf(value: unknown, fallback = ""): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return fallback;
}

/** `check` of a JDBC database connector (source or destination). */
export function checkSqlDatabase(config: ConnectorConfiguration, dialect: SqlDialect): CheckOutcome {
    const tunnel = checkTunnel(config);
    if (!tunnel.ok) return tunnel;
    const host = textOf(config["host"]);
    const port = config["port"] ?? { mssql: 1433, postgres: 5432, mysql: 3306 }[dialect];
    const user = textOf(config["username"]);
    if (isUnresolvableHost(host)) {
        const cause = `java.net.UnknownHostException: ${hostOf(host)}: Name or service not known`;
        const detail = {
            mssql: `State code: 08S01; Message: The TCP/IP connection to the host ${hostOf(host)}, port ${textOf(port)} has failed. Error: "${cause}. Verify the connection properties. Make sure that an instance of SQL Server is running on the host and accepting TCP/IP connections at the port."`,
            postgres: `State code: 08001; Message: The connection attempt failed. Caused by: ${cause}`,
            mysql: `State code: 08S01; Message: Communications link failure. The driver has not received any packets from the server. Caused by: ${cause}`,
        }[dialect];
        return { ok: false, message: `Could not connect with provided configuration. Error: ${detail}` };
    }
    if (config["password"] === WRONG_PASSWORD) {
        const detail = {
            mssql: `State code: S0001; Error code: 18456; Message: Login failed for user '${user}'.`,
            postgres: `State code: 28P01; Message: FATAL: password authentication failed for user "${user}"`,
            mysql: `State code: 28000; Error code: 1045; Message: Access denied for user '${user}'@'172.17.0.1' (using password: YES)`,
        }[dialect];
        return { ok: false, message: `Could not connect with provided configuration. Error: ${detail}` };
    }
    return { ok: true };
}

/**
 * Fallback `check` for custom definitions: any string property that looks like a host or URL and
 * ends in `.invalid` fails, and so does any value equal to `wrong-password`.
 */
export function checkGeneric(config: ConnectorConfiguration): CheckOutcome {
    let outcome: CheckOutcome = { ok: true };
    const visit = (value: unknown, key: string): void => {
        if (!outcome.ok) return;
        if (typeof value === "string") {
            if (/host|url|endpoint|server|address/i.test(key) && isUnresolvableHost(value)) {
                outcome = {
                    ok: false,
                    message: `Could not connect with provided configuration. Error: java.net.UnknownHostException: ${hostOf(value)}: Name or service not known`,
                };
            } else if (value === WRONG_PASSWORD) {
                outcome = {
                    ok: false,
                    message: `Could not connect with provided configuration. Error: authentication failed (check the credentials in '${key}')`,
                };
            }
        } else if (Array.isArray(value)) {
            value.forEach((item) => visit(item, key));
        } else if (typeof value === "object" && value !== null) {
            for (const [k, v] of Object.entries(value)) visit(v, k);
        }
    };
    visit(config, "");
    return outcome;
}
