import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamicProvider } from "../../provider/runtime/provider-types";
import { timed } from "../../provider/runtime/timings";

const provider: DynamicProvider = {
    check: async (_olds, news) => ({ inputs: news }),
    diff: async () => ({ changes: false }),
    create: async () => ({ id: "x" }),
    read: async (id) => ({ id }),
    update: async () => ({}),
    delete: async () => {
        throw new Error("gone wrong");
    },
};

describe("provider method timings (AIRBYTE_PROVIDER_TIMINGS)", () => {
    const saved = process.env.AIRBYTE_PROVIDER_TIMINGS;
    afterEach(() => {
        if (saved === undefined) delete process.env.AIRBYTE_PROVIDER_TIMINGS;
        else process.env.AIRBYTE_PROVIDER_TIMINGS = saved;
    });

    test("off: the provider itself, untouched", () => {
        delete process.env.AIRBYTE_PROVIDER_TIMINGS;
        expect(timed("Source", provider)).toBe(provider);
    });

    test("on: one line per call, failures included, no inputs or outputs recorded", async () => {
        const dir = mkdtempSync(join(tmpdir(), "timings-"));
        try {
            process.env.AIRBYTE_PROVIDER_TIMINGS = join(dir, "t.jsonl");
            const p = timed("Source", provider);
            expect(await p.check({}, { password: "s3cret" })).toEqual({ inputs: { password: "s3cret" } });
            await p.diff("x", {}, {});
            await expect(p.delete("x", {})).rejects.toThrow("gone wrong");
            const lines = readFileSync(join(dir, "t.jsonl"), "utf8")
                .trim()
                .split("\n")
                .map((l) => JSON.parse(l));
            expect(lines.map((l) => [l.type, l.method])).toEqual([
                ["Source", "check"],
                ["Source", "diff"],
                ["Source", "delete"],
            ]);
            for (const l of lines) expect(l.endMs).toBeGreaterThanOrEqual(l.startMs);
            expect(readFileSync(join(dir, "t.jsonl"), "utf8")).not.toContain("s3cret");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
