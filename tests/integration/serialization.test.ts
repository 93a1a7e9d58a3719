/**
 * The serialized providers: small, identical for every resource of a type, independent of the
 * implementation's code, and complete once the dynamic-provider host has configured them.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import requireFromString from "require-from-string";
import { serializedProvider } from "../helpers/providers";

const ROOT = resolve(".");

/** Serializes a provider from a package copy in a plain Node process (outside jest's sandbox). */
function serializeIn(packageDir: string, exportName: string): string {
    const script = `
        const pulumi = require(${JSON.stringify(join(ROOT, "node_modules/@pulumi/pulumi"))});
        const p = require(${JSON.stringify(join(packageDir, "dist/provider/resources/serialized-providers.js"))})[${JSON.stringify(exportName)}];
        pulumi.runtime.serializeFunction(() => p, { allowSecrets: true }).then((sf) => process.stdout.write(sf.text));`;
    return execFileSync(process.execPath, ["-e", script], {
        cwd: packageDir,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "ignore"],
    });
}

test.each(["Source", "Destination", "Connection"] as const)(
    "%s: __provider is at most 2 KB and names only the runtime",
    async (type) => {
        const text = await serializedProvider(type);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
        expect(text).toContain("pulumi-airbyte-dynamic/runtime");
        expect(text).toContain(`"${type}"`);
    },
);

test("the serialized text does not change when the implementation changes", () => {
    const copy = mkdtempSync(join(tmpdir(), "airbyte-pkg-"));
    try {
        cpSync(join(ROOT, "dist"), join(copy, "dist"), { recursive: true });
        cpSync(join(ROOT, "package.json"), join(copy, "package.json"));
        symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
        const before = serializeIn(copy, "sourceProvider");
        expect(before.length).toBeGreaterThan(200);
        // Change the implementation: the runtime, the client, the catalog code.
        for (const file of ["runtime/actor-provider.js", "client/transport.js", "runtime/catalog.js"]) {
            appendFileSync(join(copy, "dist/provider", file), "\nexports.__changedForTest = () => 42;\n");
        }
        writeFileSync(join(copy, "dist/provider/runtime/extra.js"), "module.exports = {};\n");
        expect(serializeIn(copy, "sourceProvider")).toBe(before);
    } finally {
        rmSync(copy, { recursive: true, force: true });
    }
});

test("configure installs every method before its first await, so concurrent requests never see a bare provider", async () => {
    const text = await serializedProvider("Source");
    const provider = requireFromString(text).handler();
    expect(Object.keys(provider).sort()).toEqual(["configure", "type"]);
    const configured = provider.configure({ config: { get: () => undefined } });
    // Synchronously after the call, as a second gRPC request handled meanwhile would see it:
    for (const method of ["check", "diff", "create", "read", "update", "delete"])
        expect(typeof provider[method]).toBe("function");
    await configured;
});

test("a program directory without the package gets a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "no-pkg-"));
    try {
        const text = await serializedProvider("Source");
        writeFileSync(join(dir, "provider.js"), text);
        const script = `
            const p = require("./provider.js").handler();
            p.configure({ config: { get: () => undefined } }).catch((e) => { process.stdout.write(e.message); });
            p.check({}, {}).catch(() => undefined);`;
        const out = execFileSync(process.execPath, ["-e", script], {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, NODE_OPTIONS: "" },
        });
        expect(out).toMatch(/cannot load pulumi-airbyte-dynamic\/runtime from .*; is the package installed there\?/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
