/**
 * The built package (dist/, made by `npm test`'s pretest) as an installed copy runs it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

test("the built module reads package.json from its own location, whatever the working directory", () => {
    // dist/ is built by `npm test`'s pretest; an unrelated working directory proves the lookup
    // starts at the module, not at process.cwd().
    const elsewhere = mkdtempSync(join(tmpdir(), "version-cwd-"));
    const built = join(process.cwd(), "dist/provider/version.js");
    const printed = execFileSync(process.execPath, ["-p", `require(${JSON.stringify(built)}).PACKAGE_VERSION`], {
        cwd: elsewhere,
        encoding: "utf8",
    }).trim();
    expect(printed).toBe(manifest.version);
});
