/**
 * Spec fragments that many Airbyte connectors share. Written by hand after the real connectors'
 * specs (the Java CDK's SSH tunnel spec, the JDBC URL parameter field, ...), not copied.
 */
import type { JsonSchema } from "./types";

const TUNNEL_HOST: JsonSchema = {
    title: "SSH Tunnel Jump Server Host",
    description: "Hostname of the jump server host that allows inbound ssh tunnel.",
    type: "string",
    order: 1,
};
const TUNNEL_PORT: JsonSchema = {
    title: "SSH Connection Port",
    description: "Port on the proxy/jump server that accepts inbound ssh connections.",
    type: "integer",
    minimum: 0,
    maximum: 65536,
    default: 22,
    examples: ["22"],
    order: 2,
};
const TUNNEL_USER: JsonSchema = {
    title: "SSH Login Username",
    description: "OS-level username for logging into the jump server host.",
    type: "string",
    order: 3,
};

/** `tunnel_method`: NO_TUNNEL / SSH_KEY_AUTH / SSH_PASSWORD_AUTH, discriminated by `tunnel_method`. */
export function sshTunnelMethod(order: number): JsonSchema {
    return {
        type: "object",
        title: "SSH Tunnel Method",
        description:
            "Whether to initiate an SSH tunnel before connecting to the database, and if so, which kind of authentication to use.",
        order,
        oneOf: [
            {
                title: "No Tunnel",
                required: ["tunnel_method"],
                properties: {
                    tunnel_method: {
                        description: "No ssh tunnel needed to connect to database",
                        type: "string",
                        const: "NO_TUNNEL",
                        order: 0,
                    },
                },
            },
            {
                title: "SSH Key Authentication",
                required: ["tunnel_method", "tunnel_host", "tunnel_port", "tunnel_user", "ssh_key"],
                properties: {
                    tunnel_method: {
                        description: "Connect through a jump server tunnel host using username and ssh key",
                        type: "string",
                        const: "SSH_KEY_AUTH",
                        order: 0,
                    },
                    tunnel_host: TUNNEL_HOST,
                    tunnel_port: TUNNEL_PORT,
                    tunnel_user: {
                        ...TUNNEL_USER,
                        description: "OS-level username for logging into the jump server host.",
                    },
                    ssh_key: {
                        title: "SSH Private Key",
                        description:
                            "OS-level user account ssh key credentials in RSA PEM format ( created with ssh-keygen -t rsa -m PEM -f myuser_rsa )",
                        type: "string",
                        airbyte_secret: true,
                        multiline: true,
                        order: 4,
                    },
                },
            },
            {
                title: "Password Authentication",
                required: ["tunnel_method", "tunnel_host", "tunnel_port", "tunnel_user", "tunnel_user_password"],
                properties: {
                    tunnel_method: {
                        description:
                            "Connect through a jump server tunnel host using username and password authentication",
                        type: "string",
                        const: "SSH_PASSWORD_AUTH",
                        order: 0,
                    },
                    tunnel_host: TUNNEL_HOST,
                    tunnel_port: TUNNEL_PORT,
                    tunnel_user: TUNNEL_USER,
                    tunnel_user_password: {
                        title: "Password",
                        description: "OS-level password for logging into the jump server host",
                        type: "string",
                        airbyte_secret: true,
                        order: 4,
                    },
                },
            },
        ],
    };
}

export function jdbcUrlParams(order: number, example: string): JsonSchema {
    return {
        title: "JDBC URL Params",
        description: `Additional properties to pass to the JDBC URL string when connecting to the database formatted as 'key=value' pairs separated by the symbol '&'. (example: ${example}).`,
        type: "string",
        order,
    };
}

export function hostField(order: number): JsonSchema {
    return { title: "Host", description: "The hostname of the database.", type: "string", order };
}

export function portField(order: number, defaultPort: number): JsonSchema {
    return {
        title: "Port",
        description: "The port of the database.",
        type: "integer",
        minimum: 0,
        maximum: 65536,
        default: defaultPort,
        examples: [String(defaultPort)],
        order,
    };
}

export function usernameField(order: number): JsonSchema {
    return {
        title: "Username",
        description: "The username which is used to access the database.",
        type: "string",
        order,
    };
}

export function passwordField(order: number): JsonSchema {
    return {
        title: "Password",
        description: "The password associated with the username.",
        type: "string",
        airbyte_secret: true,
        order,
    };
}

export function iconUrl(dockerRepository: string): string {
    return `https://connectors.airbyte.com/files/metadata/${dockerRepository}/latest/icon.svg`;
}
