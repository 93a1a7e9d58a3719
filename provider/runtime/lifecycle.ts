/**
 * The life cycle every managed Airbyte object shares (sources, destinations and connections),
 * written once: reading an object or learning it is gone, deleting whatever is already gone,
 * writing to an object that may have been deleted outside Pulumi, taking over an existing
 * object (`adoptId`), and creating without duplicates (finishing what an interrupted run
 * started, and reconciling lost answers). The providers supply what differs: how to read and
 * delete their kind, what "the same object" means, and how to bring an adopted one to the
 * desired state.
 */
import { AirbyteApiError } from "../client/errors";
import { log } from "../log";
import { redact } from "../redact";
import { completeIntent, pendingIntents, recordIntent } from "./create-journal";
import {
    bornAfter,
    createWithReconciliation,
    isAmbiguousCreateFailure,
    newestFirst,
    serializedByKey,
    trackId,
    UnsettledCreateError,
} from "./reconciliation";
import type { ServerContext } from "./server-context";
import type { ServerSettings } from "./settings";

/** An Airbyte object as the life cycle needs to see it. */
export interface Identified {
    id: string;
    /** Epoch seconds, where the server reports it. */
    createdAt?: number;
}

/** How to read and delete one kind of object. */
export interface ManagedKind<T extends Identified> {
    /** `source`, `destination`, `connection`. */
    noun: string;
    /** The live object, or undefined when it is gone: it never existed, or it was deleted. */
    read(context: ServerContext, id: string, label: string): Promise<T | undefined>;
    /** Deletes it; the backends treat an object that is already gone as deleted. */
    remove(context: ServerContext, id: string, label: string): Promise<void>;
}

export function isNotFound(error: unknown): boolean {
    return error instanceof AirbyteApiError && error.kind === "not_found";
}

/**
 * An object the stack tracks was deleted in Airbyte (its UI, another tool). Writing to it
 * would fail with an opaque server error (updating a deleted source is an HTTP 500 since
 * Airbyte 0.63.5), or bring a deleted connection back to life; the stack's state has to learn
 * of the deletion first.
 */
export class DeletedOutsidePulumiError extends Error {
    override name = "DeletedOutsidePulumiError";
    constructor(what: string, noun: string, id: string, serverUrl: string) {
        super(
            `${what}: the ${noun} ${id} was deleted in Airbyte (${serverUrl}) outside Pulumi, so it cannot be updated; nothing was changed. ` +
                "Run `pulumi refresh` (or `pulumi up --refresh`) to drop it from the stack; the next `pulumi up` then creates it again.",
        );
    }
}

/** Reads an object; undefined when it is gone. Marks it as belonging to the stack. */
export async function readOrGone<T extends Identified>(
    kind: ManagedKind<T>,
    context: ServerContext,
    id: string,
    label: string,
): Promise<T | undefined> {
    trackId(id);
    return kind.read(context, id, label);
}

/** Deletes an object; one that is already gone (deleted in the UI, or with its source) is what was wanted. */
export async function deleteIgnoringGone<T extends Identified>(
    kind: ManagedKind<T>,
    context: ServerContext,
    id: string,
    label: string,
): Promise<void> {
    trackId(id);
    try {
        await kind.remove(context, id, label);
    } catch (error) {
        if (!isNotFound(error)) throw error;
    }
}

/**
 * Runs a write to an existing object. When it fails the way writes to deleted objects fail
 * (404, or Airbyte's 500 for a deleted source or destination), or `deletedBy` reads the
 * answer as one from a deleted object, the object is read: if it is gone, the user gets
 * `DeletedOutsidePulumiError` (what happened and what to run), never "HTTP 500".
 */
export async function writeUnlessDeleted<T extends Identified, R>(
    kind: ManagedKind<T>,
    context: ServerContext,
    id: string,
    what: string,
    write: () => Promise<R>,
    deletedBy?: (result: R) => boolean | Promise<boolean>,
): Promise<R> {
    trackId(id);
    let result: R;
    try {
        result = await write();
    } catch (error) {
        const suspicious = error instanceof AirbyteApiError && (error.kind === "not_found" || error.statusCode === 500);
        if (suspicious && (await kind.read(context, id, what).catch(() => "unknown" as const)) === undefined) {
            throw new DeletedOutsidePulumiError(what, kind.noun, id, context.serverUrl);
        }
        throw error;
    }
    if (deletedBy && (await deletedBy(result)))
        throw new DeletedOutsidePulumiError(what, kind.noun, id, context.serverUrl);
    return result;
}

/**
 * `adoptId`: the existing object a resource takes over (Pulumi's `import` does not work with
 * dynamic providers). `verify` says why it cannot be adopted, if so.
 */
export async function readForAdoption<T extends Identified>(
    kind: ManagedKind<T>,
    context: ServerContext,
    id: string,
    label: string,
    verify: (found: T) => string | undefined,
): Promise<T> {
    trackId(id);
    const found = await kind.read(context, id, `${label} (adopting ${id})`);
    if (!found)
        throw new Error(
            `adoptId: there is no ${kind.noun} ${id} on ${context.serverUrl} to adopt (it never existed, or it was deleted)`,
        );
    const problem = verify(found);
    if (problem) throw new Error(`adoptId: ${kind.noun} ${id} ${problem}`);
    return found;
}

/** What `createOnce` needs to know about one create. */
export interface CreateOnce<T extends Identified, R> {
    kind: ManagedKind<T>;
    context: ServerContext;
    settings: ServerSettings;
    /** Names the object in messages: `source "mssql"`. */
    what: string;
    /** The same for every create that would make an identical-looking object. */
    fingerprint: string;
    /** A listing of the workspace at least as fresh as `notBefore` (epoch ms), shared by the run. */
    list(notBefore: number): Promise<T[]>;
    /** Whether a listed object looks like what this create makes. */
    matches(item: T): boolean;
    /** Objects that must not be adopted because something else uses them (a connection's ends). */
    inUse?(notBefore: number): Promise<Set<string>>;
    create: () => Promise<T>;
    /** Brings an orphan to the desired state; undefined when it vanished meanwhile (then it is created). */
    adopt(orphan: T): Promise<R | undefined>;
    /** The result for a freshly created object. */
    created(item: T): R | Promise<R>;
}

/** How fresh the shared listing used before creates must be. */
const LISTING_FRESHNESS_MS = 60_000;

/**
 * Creates an object exactly once, across interrupted runs and lost answers:
 *
 * 1. an orphan of this stack (an intent left in the create journal by a run that was killed
 *    while this create was in flight, ./create-journal) is adopted instead of creating again:
 *    only an object that looks the same, was made after that intent and is tracked and used by
 *    nothing else qualifies, so hand-made objects and other stacks' objects never do;
 * 2. otherwise an intent is written, with the look-alikes that exist already, and the create is
 *    sent; a lost answer is reconciled (./reconciliation) before anything is sent again;
 * 3. the intent is removed once the engine has the id, or once it is certain nothing was made.
 *
 * Look-alike creates are serialized, so that each sees the ids its predecessors claimed.
 */
export async function createOnce<T extends Identified, R>(spec: CreateOnce<T, R>): Promise<R> {
    return serializedByKey(spec.fingerprint, async () => {
        const windowMs = spec.settings.adoptWithinMinutes * 60_000;
        const listBefore = () => spec.list(Date.now() - LISTING_FRESHNESS_MS);
        let listing: T[];
        try {
            listing = await listBefore();
        } catch (error) {
            throw new Error(
                redact(
                    `${spec.what}: could not list the workspace before creating (${(error as Error).message}), so nothing was created; run \`pulumi up\` again.`,
                ),
            );
        }

        if (windowMs > 0) {
            const intents = pendingIntents(spec.fingerprint, windowMs);
            if (intents.length > 0) {
                const inUse = spec.inUse ? await spec.inUse(Date.now() - LISTING_FRESHNESS_MS) : new Set<string>();
                for (const orphan of newestFirst(listing.filter((item) => spec.matches(item) && !inUse.has(item.id)))) {
                    const intent = intents.find((i) => bornAfter(orphan, i));
                    if (!intent) continue;
                    trackId(orphan.id);
                    const adopted = await spec.adopt(orphan);
                    if (adopted === undefined) continue;
                    completeIntent(intent);
                    log.warn(
                        `${spec.what}: adopted ${spec.kind.noun} ${orphan.id} instead of creating a duplicate: an earlier \`pulumi up\` was interrupted while creating it (${Math.round((Date.now() - intent.startedAt) / 1000)} s ago)`,
                    );
                    return adopted;
                }
            }
        }

        const knownIds = new Set(listing.filter((item) => spec.matches(item)).map((item) => item.id));
        const intent = windowMs > 0 ? recordIntent(spec.fingerprint, [...knownIds]) : undefined;
        let item: T;
        try {
            item = await createWithReconciliation({
                what: spec.what,
                noun: spec.kind.noun,
                settings: spec.settings,
                knownIds,
                create: spec.create,
                findLost: async (baseline, notBefore) =>
                    newestFirst(
                        (await spec.list(notBefore)).filter((i) => spec.matches(i) && bornAfter(i, baseline)),
                    )[0],
            });
        } catch (error) {
            // Keep the intent only while the create may have happened: the next run settles it.
            if (!(error instanceof UnsettledCreateError || isAmbiguousCreateFailure(error))) completeIntent(intent);
            throw error;
        }
        trackId(item.id);
        completeIntent(intent);
        return spec.created(item);
    });
}
