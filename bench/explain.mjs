/**
 * Plain-language notes for each missed target (and each cost worth naming), with the measured
 * numbers: why, the engine's share and ours, and what would close the gap.
 */
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const list = (o) => Object.entries(o).map(([k, v]) => `\`${k}\`${v > 1 ? ` ×${v}` : ""}`).join(", ");

/** Known causes of extra calls, by resource type and endpoint. */
const CAUSES = {
    Connection: {
        "sources/get": "`check` (provider/runtime/connection-provider.ts) confirms that the source exists (`actorState`: a get, plus the workspace listing, since a deleted source still answers get) before the discover that validates the streams, although that discover fails for a missing source anyway",
        "destinations/get": "`check` reads the destination, for its existence and for its definition, whose spec gives the supported destination sync modes (the spec is cached per definition)",
        "sources/list": "the existence check lists the workspace's sources; the listing is shared for 15 s but dropped after every source create, so during an `up` it is fetched again and again (pages of 100)",
        "destinations/list": "as `sources/list`, for destinations",
        "sources/discover_schema": "`applyUpdate` rebuilds and resends the whole catalog, so a schedule-only change re-discovers the source although the streams did not change",
        "connections/list": "create-time reconciliation lists the workspace's connections (once per run, shared) to find one an interrupted `up` left behind",
    },
};

export function explain({ targets, decomposition, serializedCheck, analysis, largest, walltime, propertyCost, calls, parallel }) {
    const notes = [];

    // Calls per operation.
    for (const [type, ops] of Object.entries(targets.minimumCallsPerOperation.perOperation)) {
        for (const [op, v] of Object.entries(ops)) {
            if (v.met) continue;
            const causes = Object.keys({ ...v.extraWarm, ...v.extraCold })
                .map((endpoint) => CAUSES[type]?.[endpoint] && `\`${endpoint}\`: ${CAUSES[type][endpoint]}`)
                .filter(Boolean);
            notes.push(
                `**${type} ${op}**: ${v.warm} calls per resource once lookups are cached, against a minimum of ${v.minimum} (extra: ${list(v.extraWarm) || "none"}; the first in a process makes ${v.cold}, with ${list(v.extraCold) || "no other extra"} besides lookups). ` +
                    (causes.length ? `${causes.join("; ")}.` : ""),
            );
        }
    }
    const conn = targets.minimumCallsPerOperation.perOperation.Connection;
    if (conn && (!conn.create.met || !conn.update.met)) {
        notes.push(
            "*Proposed fix* (provider/runtime/connection-provider.ts; the benchmark does not change provider code): in `check`, validate the streams with the discover alone and drop the `actorProblem` existence checks, which `create` repeats anyway; " +
                "in `applyUpdate`, when `streams`/`syncCatalog` equal the old outputs, send the patch without `syncCatalog` and skip the discover (`connections/update` keeps the catalog when it is absent). " +
                `Calls per connection would become: create ${conn.create.minimum + (conn.create.extraWarm["destinations/get"] ? 1 : 0)} (discover, create${conn.create.extraWarm["destinations/get"] ? ", and the destination get that gives its sync modes" : ""}), schedule change 1.`,
        );
    }

    // Serialized Check.
    const up = decomposition.up;
    if (serializedCheck.maxInFlight === 1 && serializedCheck.sumMs > 0) {
        const n = Object.values(serializedCheck.endpoints).reduce((a, e) => a + e.calls, 0);
        notes.push(
            `**Connection.check is on the engine's serial path.** Pulumi runs Check for one resource at a time (the step generator, pkg/resource/deploy/step_generator.go), so the ${n} calls Connection.check made during \`up\` at N = ${largest} (${list(Object.fromEntries(Object.entries(serializedCheck.endpoints).map(([k, e]) => [k, e.calls])))}) ran with at most 1 in flight: ${s(serializedCheck.sumMs)} of latency in series. ` +
                `Ours adds ${s(up.oursOverFloorWithoutCheckpointsMs)} over the trivial provider in \`up\` when checkpoints are off, ${s(up.oursOverFloorMs)} with them (the engine then spends that time writing state, which hides part of it). ` +
                `The fix above removes two calls of every three from Check; moving the discover to \`create\` too (where ${parallel} run at once) would remove the rest, at the price of reporting an unknown stream name at apply instead of at preview.`,
        );
    }

    // Ratio.
    const ratio = targets.ratioAtMost1_5AtLargestN;
    if (!ratio.met) {
        const parts = ["up", "refresh", "destroy"].map((c) => {
            const d = decomposition[c];
            return `\`${c}\` ${s(d.oursMs)} vs ${s(d.rawMs)} raw (×${d.ratio}); the trivial provider takes ${s(d.floorMs)} (×${d.floorRatio}), ${s(d.floorWithoutCheckpointsMs)} without checkpoints (×${d.floorRatioWithoutCheckpoints})`;
        });
        notes.push(
            `**Wall time ÷ raw ≤ 1.5 at N = ${largest}** is missed: ${parts.join("; ")}. The engine's share (trivial provider − raw) is ${["up", "refresh", "destroy"].map((c) => `${s(decomposition[c].engineMs)} in \`${c}\``).join(", ")}; ours (ours − trivial provider) ${["up", "refresh", "destroy"].map((c) => `${s(decomposition[c].oursOverFloorMs)}`).join(", ")}. ` +
                (Object.values(ratio.floorRatio).every((r) => r > 1.5)
                    ? "Even the trivial provider is far above 1.5 × raw, so no dynamic provider can meet the target with this engine and backend: start-up (CLI, plugins, program, provider process), one gRPC round trip per step, and the file backend's checkpoint after each step."
                    : ""),
        );
    }
    if (!ratio.met && up.engineCheckpointsMs > 0.3 * up.floorMs) {
        notes.push(
            `**Checkpoints dominate \`up\` and \`destroy\`.** The file backend rewrites the whole checkpoint (${(walltime[largest].ours.state.checkpointBytes / 1e6).toFixed(1)} MB at N = ${largest}), after copying the previous one to a \`.bak\`, after every step, so each step costs more as the stack grows: ${s(up.engineCheckpointsMs)} of the trivial provider's \`up\` and ${s(decomposition.destroy.engineCheckpointsMs)} of its \`destroy\` at N = ${largest}; \`up\`'s overhead per resource is ${Object.entries(analysis).map(([n, a]) => `${a.up.overheadPerResourceMs} ms at N = ${n}`).join(", ")}. ` +
                `With \`PULUMI_SKIP_CHECKPOINTS=true\` (the final state only) ours takes ${s(up.oursWithoutCheckpointsMs)} for \`up\` (×${up.ratioWithoutCheckpoints}) and ${s(decomposition.destroy.oursWithoutCheckpointsMs)} for \`destroy\` (×${decomposition.destroy.ratioWithoutCheckpoints}). ` +
                "What closes the gap: on the engine side, state writes that do not grow with the stack (Pulumi Cloud journals changes; the file backend has no such mode), smaller stacks (the cost per step grows with the stack), or `PULUMI_SKIP_CHECKPOINTS=true` where losing the record of an interrupted run is acceptable; on ours, the Check fix above and fewer registered properties (below). State bytes per resource also scale the checkpoint cost: `__provider` is stored twice per resource.",
        );
    }

    // Preview and the program's CPU.
    const pv = analysis[largest].preview;
    if (propertyCost?.programCpuMsPerPropertyPerResource) {
        const removable = Object.values(propertyCost.registeredProperties.unsetAndNotExposed).reduce((a, b) => a + b, 0);
        notes.push(
            `**No-op preview** at N = ${largest}: ${s(pv.oursMs)} vs ${s(pv.floorMs)} for the trivial provider, with 0 Airbyte calls on both. Our provider's own work is small (in-process, a no-op check + diff costs ${["Source", "Destination", "Connection"].map((t) => `${calls.noopCheckDiffCost[t].cpuMsPerResource} ms`).join(" / ")} of CPU per Source / Destination / Connection); ` +
                `the difference is CPU in the program process (${s(pv.programCpuMs.ours)} vs ${s(pv.programCpuMs.floor)}), where the Pulumi SDK makes an Output and promises (each with a captured, source-mapped stack trace) for every property a resource registers. ` +
                `Measured: ${propertyCost.extraProperties} more (unset) properties per resource cost the trivial provider's program ${propertyCost.programCpuMsPerPropertyPerResource} ms of CPU per property per resource (preview ${s(propertyCost.previewMs.floor)} → ${s(propertyCost.previewMs.floorWithExtraProperties)}). ` +
                `Ours registers ${Object.entries(propertyCost.registeredProperties.ours).map(([t, k]) => `${k} (${t})`).join(", ")} against the trivial provider's ${Object.values(propertyCost.registeredProperties.floor).join("/")}; ${removable} per triple are neither set nor exposed here. *Proposed fix*: leave unset optional inputs and internal keys (\`checkConnection\`, \`adoptId\`, \`server\`, \`resolved\`, \`syncCatalog\`, the namespace options) out of the props in provider/resources/source.ts \`actorProps\` and connection.ts, which saves about ${s(removable * largest * propertyCost.programCpuMsPerPropertyPerResource)} of program CPU at N = ${largest}.`,
        );
    }
    return notes;
}

/** The same findings in a few short bullets, for the README. */
export function readmeNotes(r) {
    const out = [];
    const largest = r.memory.largestN;
    const d = r.walltime.decompositionAtLargestN;
    const t = r.targets;
    const conn = t.minimumCallsPerOperation.perOperation.Connection;
    const check = r.walltime.serializedCheckAtLargestN;
    const prop = r.walltime.programCostPerProperty;
    if (conn && (!conn.create.met || !conn.update.met)) {
        out.push(
            `**Connection calls** (${conn.create.warm} per create against ${conn.create.minimum}, ${conn.update.warm} per schedule change against ${conn.update.minimum}): \`check\` re-reads both ends (${list(conn.create.extraWarm)}) before the discover that validates the streams, and an update re-discovers and resends the catalog even when the streams did not change. ` +
                "Proposed fix in provider/runtime/connection-provider.ts: validate with the discover alone in `check` (a missing source fails it; `create` keeps the existence checks), and patch without `syncCatalog` when the streams are unchanged.",
        );
    }
    if (check?.maxInFlight === 1 && check.sumMs > 0) {
        out.push(
            `**Check runs one resource at a time in the engine**, so those calls are serial: ${Object.values(check.endpoints).reduce((a, e) => a + e.calls, 0)} calls, ${(check.sumMs / 1000).toFixed(1)} s of latency in series during \`up\` at N = ${largest}, against ${(d.up.oursOverFloorWithoutCheckpointsMs / 1000).toFixed(1)} s that ours adds over the trivial provider without checkpoints (${(d.up.oursOverFloorMs / 1000).toFixed(1)} s with them).`,
        );
    }
    if (!t.ratioAtMost1_5AtLargestN.met) {
        out.push(
            `**Ratio ≤ 1.5**: ours is ×${d.up.ratio} raw for \`up\`, ×${d.refresh.ratio} for \`refresh\`, ×${d.destroy.ratio} for \`destroy\`, and the trivial provider${[d.up, d.refresh, d.destroy].every((x) => x.floorRatio > 1.5) ? " already" : ""} ×${d.up.floorRatio} / ×${d.refresh.floorRatio} / ×${d.destroy.floorRatio}: the engine's share. ` +
                `The file backend's checkpoint after every step accounts for ${(d.up.engineCheckpointsMs / 1000).toFixed(1)} s of the trivial provider's ${(d.up.floorMs / 1000).toFixed(1)} s \`up\` and grows with the stack; with \`PULUMI_SKIP_CHECKPOINTS=true\` ours is ×${d.up.ratioWithoutCheckpoints} / ×${d.refresh.ratioWithoutCheckpoints} / ×${d.destroy.ratioWithoutCheckpoints} and the trivial provider ×${d.up.floorRatioWithoutCheckpoints} / ×${d.refresh.floorRatioWithoutCheckpoints} / ×${d.destroy.floorRatioWithoutCheckpoints}. ` +
                "Closing it takes state writes that do not grow with the stack (Pulumi Cloud's journaling; not available with the file backend), smaller stacks, or skipping intermediate checkpoints where that risk is acceptable; on our side, the Check fix above.",
        );
    }
    if (prop?.programCpuMsPerPropertyPerResource) {
        const pv = r.walltime.perN[largest].preview;
        out.push(
            `**No-op preview** (0 calls): ${(pv.oursMs / 1000).toFixed(1)} s vs ${(pv.floorMs / 1000).toFixed(1)} s for the trivial provider at N = ${largest}. The provider's own check + diff takes at most ${Math.max(...["Source", "Destination", "Connection"].map((t) => r.calls.noopCheckDiffCost[t].cpuMsPerResource))} ms of CPU per resource (in-process); the difference is the program's CPU (${(pv.programCpuMs.ours / 1000).toFixed(1)} s vs ${(pv.programCpuMs.floor / 1000).toFixed(1)} s): the SDK spends about ${prop.programCpuMsPerPropertyPerResource} ms per registered property per resource, and our resource classes register ${Object.values(prop.registeredProperties.ours).join("/")} properties (Source/Destination/Connection), many unset. Leaving unset optional inputs out of the props (provider/resources/source.ts, connection.ts) would save about that much per property.`,
        );
    }
    return out;
}
