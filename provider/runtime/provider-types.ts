/**
 * The dynamic-provider contract the runtime implements, restated without importing
 * `@pulumi/pulumi` (a deployment-only module the provider process should not load).
 * Mirrors `pulumi.dynamic.ResourceProvider` (sdk/nodejs/dynamic/index.ts).
 */
export interface CheckFailure {
    property: string;
    reason: string;
}
export interface CheckResult {
    inputs?: Record<string, unknown>;
    failures?: CheckFailure[];
}
export interface DiffResult {
    changes?: boolean;
    replaces?: string[];
    stables?: string[];
    deleteBeforeReplace?: boolean;
}
export interface CreateResult {
    id: string;
    outs?: Record<string, unknown>;
}
export interface ReadResult {
    id?: string;
    props?: Record<string, unknown>;
    inputs?: Record<string, unknown>;
}
export interface UpdateResult {
    outs?: Record<string, unknown>;
}

export interface DynamicProvider {
    check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
    diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult>;
    create(inputs: Record<string, unknown>): Promise<CreateResult>;
    read(id: string, props: Record<string, unknown>): Promise<ReadResult>;
    update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<UpdateResult>;
    delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/**
 * An error thrown by `create` after the Airbyte object exists: the engine records the id (and
 * properties), so the object is tracked in state rather than orphaned.
 */
export class PartialCreateError extends Error {
    override name = "PartialCreateError";
    constructor(
        message: string,
        readonly id: string,
        readonly properties: Record<string, unknown>,
        readonly reasons: string[] = [message],
    ) {
        super(message);
    }
}
