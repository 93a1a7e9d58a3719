// @ts-check
/**
 * Plain-language notes for each missed target (and each cost worth naming), with the measured
 * numbers: why, the engine's share and ours, and what would close the gap.
 */
import { at } from "./lib/common.mjs";

/**
 * @import { Results, Walltime } from "./run.mjs"
 * @typedef {Results["walltime"]["perN"]} Analysis  per N and command, ours next to the floor and raw
 * @typedef {Results["walltime"]["programCostPerProperty"]} PropertyCost
 */

/** Seconds, from milliseconds (no figure reads as 0). @param {number | null} ms */
const s = (ms) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
/** @param {Readonly<Record<string, number>>} o */
const list = (o) =>
    Object.entries(o)
        .map(([k, v]) => `\`${k}\`${v > 1 ? ` ×${v}` : ""}`)
        .join(", ");

/** Known causes of extra calls, by resource type and endpoint. @type {Record<string, Record<string, string>>} */
const CAUSES = {
    Connection: {
        "sources/get":
            '`create` confirms that the source exists and is not deleted (Airbyte accepts a connection to a deleted source, whose every sync would then fail) and reads its name and workspace (Airbyte\'s default connection name "source <> destination", and the workspace that create-time reconciliation searches)',
        "destinations/get":
            "the same for the destination, whose definition also gives, through its cached spec, the destination sync modes the streams may use",
        "sources/list":
            "a deleted source still answers `get`, so the existence check lists the workspace's live sources, once per run: every connection shares the listing, and the provider records its own creates and deletes in it",
        "destinations/list": "as `sources/list`, for destinations",
        "sources/discover_schema": "the streams changed, so the source is discovered again to build the catalog",
        "connections/list":
            "create-time reconciliation lists the workspace's connections (once per run, shared) to find one an interrupted `up` left behind",
    },
};

/**
 * The Connection create measured with ends created earlier in the same process, and the calls of a whole `up`.
 * @param {Results["calls"]} calls
 * @param {Analysis} analysis
 * @param {number} largest
 */
function sameRunNote(calls, analysis, largest) {
    const same = calls.connectionCreateWithEndsFromSameRun;
    if (!same?.warm) return "";
    const up = analysis[largest]?.up?.airbyteCalls;
    return (
        `When its source and destination were created earlier in the same run, as in a first \`up\`, a Connection create makes ${same.warm.coreCalls} calls once warm (${list(same.warm.byEndpoint)}), the minimum: the provider remembers the actors it created and their listing. ` +
        `The two \`get\`s are paid only by a connection whose ends existed before the run, and they are kept on purpose: without them a connection to a deleted source would be created and fail at every sync. ` +
        (up
            ? `Over a whole \`pulumi up\` of ${largest} triples, ours makes ${up.ours} Airbyte calls against ${up.raw} for the raw script (the difference is the per-process lookups and once-per-run listings).`
            : "")
    );
}

/**
 * @param {{ targets: Results["targets"], decomposition: Results["walltime"]["decompositionAtLargestN"],
 *           serializedCheck: Results["walltime"]["serializedCheckAtLargestN"], analysis: Analysis, largest: number,
 *           walltime: Walltime, propertyCost: PropertyCost, calls: Results["calls"], parallel: number }} measured
 * @returns {string[]}
 */
export function explain({
    targets,
    decomposition,
    serializedCheck,
    analysis,
    largest,
    walltime,
    propertyCost,
    calls,
    parallel,
}) {
    /** @type {string[]} */
    const notes = [];

    // Calls per operation, through each API (the public API's endpoints share the Config API's causes).
    /** @type {[string, Results["targets"]["minimumCallsPerOperation"]["perOperation"]][]} */
    const perApi = [
        ["", targets.minimumCallsPerOperation.perOperation],
        [" (public API)", targets.minimumCallsPerOperation.perOperationPublicApi ?? {}],
    ];
    for (const [suffix, perOperation] of perApi) {
        for (const [type, ops] of Object.entries(perOperation)) {
            for (const [op, v] of Object.entries(ops)) {
                if (v.met) continue;
                const causes = Object.keys({ ...v.extraWarm, ...v.extraCold })
                    .map((endpoint) => {
                        const cause = CAUSES[type]?.[endpoint.replace(/^public\//, "")];
                        return cause && `\`${endpoint}\`: ${cause}`;
                    })
                    .filter(Boolean);
                notes.push(
                    `**${type} ${op}${suffix}**: ${v.warm} calls per resource once lookups are cached, against a minimum of ${v.minimum} (extra: ${list(v.extraWarm) || "none"}; the first in a process makes ${v.cold}, with ${list(v.extraCold) || "no other extra"} besides lookups). ` +
                        (causes.length ? `${causes.join("; ")}.` : "") +
                        (type === "Connection" && op === "create" && !suffix
                            ? ` ${sameRunNote(calls, analysis, largest)}`
                            : ""),
                );
            }
        }
    }
    // Serialized Check.
    const up = decomposition.up;
    if (serializedCheck.maxInFlight === 1 && serializedCheck.sumMs > 0) {
        const n = Object.values(serializedCheck.endpoints).reduce((a, e) => a + e.calls, 0);
        notes.push(
            `**Connection.check is on the engine's serial path.** Pulumi runs Check for one resource at a time (the step generator, pkg/resource/deploy/step_generator.go), so the ${n} calls Connection.check made during \`up\` at N = ${largest} (${list(Object.fromEntries(Object.entries(serializedCheck.endpoints).map(([k, e]) => [k, e.calls])))}) ran with at most 1 in flight: ${s(serializedCheck.sumMs)} of latency in series. ` +
                `Ours adds ${s(up.oursOverFloorWithoutCheckpointsMs)} over the trivial provider in \`up\` when checkpoints are off, ${s(up.oursOverFloorMs)} with them (the engine then spends that time writing state, which hides part of it). ` +
                `Only that discover, which validates the stream names, is left in Check (existence checks run there only when the ends change and are free for ends this run created; schedule and option changes skip Check's calls). ` +
                `Moving it to \`create\` (where ${parallel} run at once) would remove this serial latency, at the price of reporting an unknown stream name at apply instead of at preview; we keep the preview-time error.`,
        );
    }

    // Ratio.
    const ratio = targets.ratioAtMost1_5AtLargestN;
    if (!ratio.met) {
        const parts = /** @type {const} */ (["up", "refresh", "destroy"]).map((c) => {
            const d = decomposition[c];
            return `\`${c}\` ${s(d.oursMs)} vs ${s(d.rawMs)} raw (×${d.ratio}); the trivial provider takes ${s(d.floorMs)} (×${d.floorRatio}), ${s(d.floorWithoutCheckpointsMs)} without checkpoints (×${d.floorRatioWithoutCheckpoints})`;
        });
        notes.push(
            `**Wall time ÷ raw ≤ ${ratio.target} at N = ${largest}** is missed: ${parts.join("; ")}. The engine's share (trivial provider − raw) is ${/** @type {const} */ (["up", "refresh", "destroy"]).map((c) => `${s(decomposition[c].engineMs)} in \`${c}\``).join(", ")}; ours (ours − trivial provider) ${/** @type {const} */ (["up", "refresh", "destroy"]).map((c) => `${s(decomposition[c].oursOverFloorMs)}`).join(", ")}. ` +
                (Object.values(ratio.floorRatio).every((r) => r !== null && r > ratio.target)
                    ? `Even the trivial provider is far above ${ratio.target} × raw, so no dynamic provider can meet the target with this engine and backend: start-up (CLI, plugins, program, provider process), one gRPC round trip per step, and the file backend's checkpoint after each step.`
                    : ""),
        );
    }
    if (!ratio.met && up.engineCheckpointsMs > 0.3 * up.floorMs) {
        notes.push(
            `**Checkpoints dominate \`up\` and \`destroy\`.** The file backend rewrites the whole checkpoint (${(at(walltime, largest).ours.state.checkpointBytes / 1e6).toFixed(1)} MB at N = ${largest}), after copying the previous one to a \`.bak\`, after every step, so each step costs more as the stack grows: ${s(up.engineCheckpointsMs)} of the trivial provider's \`up\` and ${s(decomposition.destroy.engineCheckpointsMs)} of its \`destroy\` at N = ${largest}; \`up\`'s overhead per resource is ${Object.entries(
                analysis,
            )
                .map(([n, a]) => `${a.up.overheadPerResourceMs} ms at N = ${n}`)
                .join(", ")}. ` +
                `With \`PULUMI_SKIP_CHECKPOINTS=true\` (the final state only) ours takes ${s(up.oursWithoutCheckpointsMs)} for \`up\` (×${up.ratioWithoutCheckpoints}) and ${s(decomposition.destroy.oursWithoutCheckpointsMs)} for \`destroy\` (×${decomposition.destroy.ratioWithoutCheckpoints}). ` +
                "What closes the gap: on the engine side, state writes that do not grow with the stack (Pulumi Cloud journals changes; the file backend has no such mode), smaller stacks (the cost per step grows with the stack), or `PULUMI_SKIP_CHECKPOINTS=true` where losing the record of an interrupted run is acceptable; on ours, moving the discover out of Check (above), which we decline. State bytes per resource also scale the checkpoint cost: `__provider` is stored twice per resource.",
        );
    }

    // Preview and the program's CPU.
    const pv = at(analysis, largest).preview;
    if (propertyCost?.programCpuMsPerPropertyPerResource) {
        notes.push(
            `**No-op preview** at N = ${largest}: ${s(pv.oursMs)} vs ${s(pv.floorMs)} for the trivial provider, with 0 Airbyte calls on both. Our provider's own work is small (in-process, a no-op check + diff costs ${/** @type {const} */ (["Source", "Destination", "Connection"]).map((t) => `${calls.noopCheckDiffCost[t].cpuMsPerResource} ms`).join(" / ")} of CPU per Source / Destination / Connection); ` +
                `the difference is CPU in the program process (${s(pv.programCpuMs.ours)} vs ${s(pv.programCpuMs.floor)}), where the Pulumi SDK makes an Output and promises (each with a captured, source-mapped stack trace) for every property a resource registers. ` +
                `Measured: ${propertyCost.extraProperties} more (unset) properties per resource cost the trivial provider's program ${propertyCost.programCpuMsPerPropertyPerResource} ms of CPU per property per resource (preview ${s(propertyCost.previewMs.floor)} → ${s(propertyCost.previewMs.floorWithExtraProperties)}). ` +
                propertyNote(propertyCost, largest),
        );
    }
    return notes;
}

/**
 * What our resource classes register against the trivial provider, and what that costs.
 * @param {PropertyCost} propertyCost
 * @param {number} largest
 */
function propertyNote(propertyCost, largest) {
    const reg = propertyCost.registeredProperties;
    const total = (/** @type {Readonly<Record<string, number>>} */ o) => Object.values(o).reduce((a, b) => a + b, 0);
    const more = total(reg.ours) - total(reg.floor);
    return (
        `Ours registers ${Object.entries(reg.ours)
            .map(([t, k]) => `${k} (${t})`)
            .join(
                ", ",
            )}, of which ${Object.values(reg.oursOutputsOnly).join("/")} are outputs registered unset so that Pulumi exposes them (${(reg.oursOutputKeys ?? []).map((k) => `\`${k}\``).join(", ")}); unset optional inputs are not registered. ` +
        `The trivial provider registers ${Object.values(reg.floor).join("/")} (its inputs and padding). At the measured rate, the ${more} more properties per triple account for about ${s(more * largest * (propertyCost.programCpuMsPerPropertyPerResource ?? 0))} of program CPU at N = ${largest}: the price of the outputs users read.`
    );
}

/** The same findings in a few short bullets, for the README. @param {Results} r */
export function readmeNotes(r) {
    /** @type {string[]} */
    const out = [];
    const largest = r.memory.largestN;
    const d = r.walltime.decompositionAtLargestN;
    const t = r.targets;
    const conn = t.minimumCallsPerOperation.perOperation.Connection;
    const connPublic = t.minimumCallsPerOperation.perOperationPublicApi?.Connection;
    const check = r.walltime.serializedCheckAtLargestN;
    const prop = r.walltime.programCostPerProperty;
    const unmet = conn ? Object.entries(conn).filter(([, v]) => !v.met) : [];
    if (unmet.length) {
        const same = r.calls.connectionCreateWithEndsFromSameRun?.warm;
        const up = r.walltime.perN[largest]?.up?.airbyteCalls;
        out.push(
            `**Connection calls**: ${unmet.map(([op, v]) => `${op} ${v.warm} against ${v.minimum} (${list(v.extraWarm)})`).join("; ")}, when the ends existed before the run: \`create\` confirms both ends exist and are not deleted (Airbyte accepts a connection to a deleted source) and reads the names and the destination's definition. ` +
                (same
                    ? `With ends created in the same run, as in a first \`up\`, it makes ${same.coreCalls}, the minimum. `
                    : "") +
                (up
                    ? `A whole \`up\` of ${largest} triples makes ${up.ours} Airbyte calls against ${up.raw} raw.`
                    : "") +
                (connPublic?.create && !connPublic.create.met
                    ? ` Through the public API the same: create ${connPublic.create.warm} against ${connPublic.create.minimum} (${list(connPublic.create.extraWarm)}).`
                    : ""),
        );
    }
    if (check?.maxInFlight === 1 && check.sumMs > 0) {
        out.push(
            `**Check runs one resource at a time in the engine**, so the calls that validate a connection at preview are serial: ${Object.values(check.endpoints).reduce((a, e) => a + e.calls, 0)} calls, ${(check.sumMs / 1000).toFixed(1)} s of latency in series during \`up\` at N = ${largest}, against ${(d.up.oursOverFloorWithoutCheckpointsMs / 1000).toFixed(1)} s that ours adds over the trivial provider without checkpoints (${(d.up.oursOverFloorMs / 1000).toFixed(1)} s with them).`,
        );
    }
    if (!t.ratioAtMost1_5AtLargestN.met) {
        out.push(
            `**Ratio ≤ ${t.ratioAtMost1_5AtLargestN.target}**: ours is ×${d.up.ratio} raw for \`up\`, ×${d.refresh.ratio} for \`refresh\`, ×${d.destroy.ratio} for \`destroy\`, and the trivial provider${[d.up, d.refresh, d.destroy].every((x) => x.floorRatio !== null && x.floorRatio > t.ratioAtMost1_5AtLargestN.target) ? " already" : ""} ×${d.up.floorRatio} / ×${d.refresh.floorRatio} / ×${d.destroy.floorRatio}: the engine's share. ` +
                `The file backend's checkpoint after every step accounts for ${(d.up.engineCheckpointsMs / 1000).toFixed(1)} s of the trivial provider's ${(d.up.floorMs / 1000).toFixed(1)} s \`up\` and grows with the stack; with \`PULUMI_SKIP_CHECKPOINTS=true\` ours is ×${d.up.ratioWithoutCheckpoints} / ×${d.refresh.ratioWithoutCheckpoints} / ×${d.destroy.ratioWithoutCheckpoints} and the trivial provider ×${d.up.floorRatioWithoutCheckpoints} / ×${d.refresh.floorRatioWithoutCheckpoints} / ×${d.destroy.floorRatioWithoutCheckpoints}. ` +
                "Closing it takes state writes that do not grow with the stack (Pulumi Cloud's journaling; not available with the file backend), smaller stacks, or skipping intermediate checkpoints where that risk is acceptable.",
        );
    }
    if (prop?.programCpuMsPerPropertyPerResource) {
        const pv = at(r.walltime.perN, largest).preview;
        out.push(
            `**No-op preview** (0 calls): ${(pv.oursMs / 1000).toFixed(1)} s vs ${(pv.floorMs / 1000).toFixed(1)} s for the trivial provider at N = ${largest}. The provider's own check + diff takes at most ${Math.max(.../** @type {const} */ (["Source", "Destination", "Connection"]).map((t) => r.calls.noopCheckDiffCost[t].cpuMsPerResource))} ms of CPU per resource (in-process); the difference is the program's CPU (${((pv.programCpuMs.ours ?? 0) / 1000).toFixed(1)} s vs ${((pv.programCpuMs.floor ?? 0) / 1000).toFixed(1)} s): the SDK spends about ${prop.programCpuMsPerPropertyPerResource} ms per registered property per resource. ` +
                propertyNote(prop, largest),
        );
    }
    return out;
}
