/**
 * A journal of creates in flight, so that an interrupted `pulumi up` can be finished without
 * duplicates, and without ever taking an object this stack did not make.
 *
 * Before a create is sent, an intent is written: what would be made (a fingerprint of server,
 * kind, workspace, name, connector and non-secret configuration), when, and the ids of the
 * look-alike objects that already existed. Once the create returns and the engine has the id,
 * the intent is removed. An intent still there at the next `pulumi up` means the earlier run
 * was killed while its create was in flight: the object, if the server made it, is an orphan
 * of this stack, and it is adopted instead of creating a second one (./lifecycle). An object a
 * person made by hand, or another stack, has no intent here, so it is never adopted.
 *
 * One small JSON file per intent under `$AIRBYTE_PROVIDER_STATE_DIR` (default
 * `~/.pulumi-airbyte-dynamic/pending-creates`), written atomically, so concurrent provider
 * processes never see half an intent. Intents older than `airbyte:adoptWithinMinutes` are
 * dropped. When the directory cannot be written, creates go on without a journal (an
 * interrupted run then leaves a duplicate behind, as with any other tool).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { log } from "../log";

export interface CreateIntent {
    /** The file holding it. */
    readonly file: string;
    readonly fingerprint: string;
    /** When the create was about to be sent, epoch ms. */
    readonly startedAt: number;
    /** Look-alike objects that existed before the create: never its result. */
    readonly knownIds: readonly string[];
}

export function journalDirectory(): string {
    return process.env.AIRBYTE_PROVIDER_STATE_DIR
        ? join(process.env.AIRBYTE_PROVIDER_STATE_DIR, "pending-creates")
        : join(homedir(), ".pulumi-airbyte-dynamic", "pending-creates");
}

/** File names start with the fingerprint, so finding a fingerprint's intents reads no other file. */
function prefixOf(fingerprint: string): string {
    return fingerprint.slice(0, 32);
}

/** Writes an intent before a create is sent; undefined when the journal cannot be written. */
export function recordIntent(fingerprint: string, knownIds: readonly string[]): CreateIntent | undefined {
    const directory = journalDirectory();
    const intent = { fingerprint, startedAt: Date.now(), knownIds: [...knownIds] };
    const file = join(directory, `${prefixOf(fingerprint)}-${randomUUID()}.json`);
    try {
        mkdirSync(directory, { recursive: true, mode: 0o700 });
        const temporary = `${file}.tmp`;
        writeFileSync(temporary, JSON.stringify(intent), { mode: 0o600 });
        renameSync(temporary, file);
        return { ...intent, file };
    } catch (error) {
        log.debug(
            `create journal: cannot write ${directory} (${(error as Error).message}); an interrupted run could not be resumed without a duplicate`,
        );
        return undefined;
    }
}

/** Removes an intent: the engine has the id, or nothing was created. */
export function completeIntent(intent: CreateIntent | undefined): void {
    if (!intent) return;
    try {
        rmSync(intent.file, { force: true });
    } catch (error) {
        log.debug(`create journal: cannot remove ${intent.file}: ${(error as Error).message}`);
    }
}

/**
 * The intents of `fingerprint` left by earlier runs, oldest first. Intents older than
 * `maxAgeMs` (and unreadable ones) are deleted on the way.
 */
export function pendingIntents(fingerprint: string, maxAgeMs: number): CreateIntent[] {
    const directory = journalDirectory();
    let names: string[];
    try {
        names = readdirSync(directory).filter(
            (name) => name.startsWith(`${prefixOf(fingerprint)}-`) && name.endsWith(".json"),
        );
    } catch {
        return [];
    }
    const found: CreateIntent[] = [];
    for (const name of names) {
        const file = join(directory, name);
        try {
            const intent = JSON.parse(readFileSync(file, "utf8")) as Omit<CreateIntent, "file">;
            if (intent.fingerprint !== fingerprint) continue;
            if (Date.now() - intent.startedAt > maxAgeMs) {
                rmSync(file, { force: true });
                continue;
            }
            found.push({ ...intent, file });
        } catch {
            // Being written or removed by another process: not ours to judge now.
        }
    }
    return found.sort((a, b) => a.startedAt - b.startedAt);
}
