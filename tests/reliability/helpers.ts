/**
 * Shared tools of the reliability suites: capture of the provider's log lines (the real
 * process's stderr, where the revived providers write), a secret-leak scanner, and direct reads
 * of what exists in the emulator (its own API, never through the provider).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { inspect } from "node:util";
import requireFromString from "require-from-string";
import type { EmulatorHandle } from "../../emulator";

/** Everything the provider process writes to stderr (`[airbyte] ...` lines), debug included. */
export interface LogCapture {
    readonly lines: string[];
    /** Lines captured since `mark` (an index into `lines`). */
    since(mark: number): string[];
    stop(): void;
}

/** Starts capturing `[airbyte]` lines of the real process's stderr; other output passes through. */
export function captureProviderLog(): LogCapture {
    const lines: string[] = [];
    const realStderr = requireFromString("module.exports = process.stderr;");
    const write = realStderr.write.bind(realStderr);
    realStderr.write = (chunk: unknown, ...rest: unknown[]) => {
        const text = String(chunk);
        if (text.startsWith("[airbyte]")) {
            lines.push(text);
            return true;
        }
        return write(chunk, ...rest);
    };
    return {
        lines,
        since: (mark) => lines.slice(mark),
        stop: () => {
            realStderr.write = write;
        },
    };
}

/** A JWT (what `applications/token` issues): three base64url parts, the first a JSON header. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

/** Every way an error could be shown to a user or a log: message, stack, inspect, JSON. */
export function renderError(error: unknown): string {
    if (error === undefined) return "";
    const e = error as Error;
    return [String(e?.message), String(e?.stack), String(e), inspect(e, { depth: 6 }), JSON.stringify(e) ?? ""].join(
        "\n",
    );
}

/**
 * Finds secrets in texts: the given values (and any 10-character slice of them), and any JWT
 * (access tokens are never to be shown, whichever one it is). Returns a description per leak.
 */
export function leaksIn(texts: Record<string, string>, secrets: string[]): string[] {
    const found: string[] = [];
    for (const [where, text] of Object.entries(texts)) {
        if (!text) continue;
        for (const secret of secrets) {
            const fragments = new Set([secret]);
            for (let i = 0; i + 10 <= secret.length; i++) fragments.add(secret.slice(i, i + 10));
            const hit = [...fragments].find((f) => text.includes(f));
            if (hit) found.push(`${where}: contains ${JSON.stringify(hit)}`);
        }
        const token = JWT.exec(text);
        if (token) found.push(`${where}: contains an access token ${token[0].slice(0, 12)}…`);
    }
    return found;
}

/** Calls the emulator's API directly (no faults are active when the tests read through it). */
export async function emulatorApi(emu: EmulatorHandle, path: string, body: unknown, token?: string): Promise<any> {
    const response = await fetch(`${emu.url}/api/v1/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`emulator ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
}

export type ObjectKind = "source" | "destination" | "connection";

/** Ids of the live (listed, not deleted) objects of each kind in the default workspace. */
export async function liveIds(emu: EmulatorHandle): Promise<Record<ObjectKind, string[]>> {
    const token = emu.settings().auth === "simple" ? emu.issueToken() : undefined;
    const workspaceId = emu.defaultWorkspaceId;
    const all = async (family: "sources" | "destinations", idField: string) => {
        const ids: string[] = [];
        let cursor: string | undefined;
        for (;;) {
            const page = await emulatorApi(
                emu,
                `${family}/list`,
                { workspaceId, pageSize: 100, ...(cursor ? { cursor } : {}) },
                token,
            );
            const items = page[family] as Record<string, string>[];
            ids.push(...items.map((i) => i[idField]!));
            if (items.length < 100) return ids.sort();
            cursor = items.at(-1)![idField];
        }
    };
    const connections = (await emulatorApi(emu, "connections/list", { workspaceId }, token)).connections as {
        connectionId: string;
    }[];
    return {
        source: await all("sources", "sourceId"),
        destination: await all("destinations", "destinationId"),
        connection: connections.map((c) => c.connectionId).sort(),
    };
}

export interface RecordedRequest {
    method: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
}

export interface RecordingProxy {
    url: string;
    /** Every request the proxy received: method, raw path, raw headers. */
    requests: RecordedRequest[];
    close(): Promise<void>;
}

/**
 * A reverse proxy in front of the emulator that records what arrives on the wire (paths and
 * headers, which the emulator's own log does not keep). With `tls`, it speaks HTTPS with that
 * key and certificate, like a TLS-terminating ingress in front of Airbyte.
 */
export async function startRecordingProxy(
    target: string,
    tls?: { key: string; cert: string },
): Promise<RecordingProxy> {
    const requests: RecordedRequest[] = [];
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
        requests.push({ method: req.method ?? "", url: req.url ?? "", headers: { ...req.headers } });
        const upstream = http.request(
            `${target}${req.url}`,
            { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
            (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            },
        );
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
    };
    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

/** A self-signed certificate for 127.0.0.1 (its own CA), made with openssl into `dir`. */
export function selfSignedCertificate(dir: string, name: string): { key: string; cert: string; certPath: string } {
    const keyPath = join(dir, `${name}.key`);
    const certPath = join(dir, `${name}.crt`);
    execFileSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            keyPath,
            "-out",
            certPath,
            "-days",
            "2",
            "-subj",
            `/CN=${name}`,
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        { stdio: "ignore" },
    );
    return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath };
}
