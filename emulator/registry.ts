/**
 * Resolves connector definitions: the built-in catalog plus workspace-scoped custom definitions
 * (kept in the store so they persist). Definitions are immutable once added, so materialised
 * custom connectors are cached.
 */
import { randomUUID } from "node:crypto";
import { BUILT_IN_DESTINATIONS, BUILT_IN_SOURCES, customConnector, type StoredCustomDefinition } from "./connectors";
import type { ActorKind, ConnectorDefinition, DestinationSyncMode, JsonSchema } from "./connectors/types";
import { validatorFor } from "./spec-validation";
import type { Store } from "./store";

/** What `addCustomDefinition` takes. */
export interface CustomDefinitionInput {
    kind: ActorKind;
    workspaceId: string;
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl?: string;
    connectionSpecification: JsonSchema;
    /** Destinations only; defaults to ["overwrite", "append"]. */
    supportedDestinationSyncModes?: DestinationSyncMode[];
    /** Fixed id (for repeatable tests); a random UUID by default. */
    definitionId?: string;
}

export class DefinitionRegistry {
    private readonly builtIn = new Map<string, ConnectorDefinition>();
    private readonly materialised = new Map<string, ConnectorDefinition>();

    constructor(private readonly store: Store) {
        for (const def of [...BUILT_IN_SOURCES, ...BUILT_IN_DESTINATIONS])
            this.builtIn.set(`${def.kind}:${def.definitionId}`, def);
    }

    /** Any definition of that kind with that id, built-in or custom (whatever workspace owns it). */
    get(kind: ActorKind, definitionId: string): ConnectorDefinition | undefined {
        const builtIn = this.builtIn.get(`${kind}:${definitionId}`);
        if (builtIn) return builtIn;
        const stored = this.store.customDefinitions.get(definitionId);
        if (!stored || stored.kind !== kind) return undefined;
        let def = this.materialised.get(definitionId);
        if (!def) this.materialised.set(definitionId, (def = customConnector(stored)));
        return def;
    }

    /** A definition usable in `workspaceId`: a built-in one, or a custom one of that workspace. */
    getForWorkspace(kind: ActorKind, definitionId: string, workspaceId: string): ConnectorDefinition | undefined {
        const def = this.get(kind, definitionId);
        return def && (!def.custom || def.workspaceId === workspaceId) ? def : undefined;
    }

    builtIns(kind: ActorKind): ConnectorDefinition[] {
        return (kind === "source" ? BUILT_IN_SOURCES : BUILT_IN_DESTINATIONS).slice();
    }

    forWorkspace(kind: ActorKind, workspaceId: string): ConnectorDefinition[] {
        const custom = [...this.store.customDefinitions.values()]
            .filter((d) => d.kind === kind && d.workspaceId === workspaceId)
            .map((d) => this.get(kind, d.definitionId)!);
        return [...this.builtIns(kind), ...custom];
    }

    addCustom(input: CustomDefinitionInput): ConnectorDefinition {
        // Fail here, not on the first create against it.
        validatorFor(input.connectionSpecification);
        const stored: StoredCustomDefinition = {
            kind: input.kind,
            definitionId: input.definitionId ?? randomUUID(),
            workspaceId: input.workspaceId,
            name: input.name,
            dockerRepository: input.dockerRepository,
            dockerImageTag: input.dockerImageTag,
            documentationUrl: input.documentationUrl ?? `https://hub.docker.com/r/${input.dockerRepository}`,
            spec: input.connectionSpecification,
            supportedDestinationSyncModes:
                input.kind === "destination"
                    ? (input.supportedDestinationSyncModes ?? ["overwrite", "append"])
                    : undefined,
        };
        this.store.customDefinitions.set(stored.definitionId, stored);
        this.materialised.delete(stored.definitionId);
        this.store.markDirty();
        return this.get(input.kind, stored.definitionId)!;
    }
}
