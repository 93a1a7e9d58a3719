import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_NAME, PACKAGE_VERSION, versionFrom } from "../../provider/version";

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string };

test("the version is package.json's, under the test runner", () => {
    expect(PACKAGE_NAME).toBe(manifest.name);
    expect(PACKAGE_VERSION).toBe(manifest.version);
});

test.each([
    ["the package's own manifest", { name: PACKAGE_NAME, version: "9.8.7" }, "9.8.7"],
    ["another package's manifest is passed over", { name: "something-else", version: "1.0.0" }, undefined],
    ["a manifest without a version", { name: PACKAGE_NAME }, undefined],
])("versionFrom: %s", (_, content, expected) => {
    const root = mkdtempSync(join(tmpdir(), "version-walk-"));
    writeFileSync(join(root, "package.json"), JSON.stringify(content));
    const deep = join(root, "dist", "provider");
    mkdirSync(deep, { recursive: true });
    // The temporary directory's parents hold no manifest named PACKAGE_NAME.
    expect(versionFrom(deep)).toBe(expected);
});
