/**
 * Runs once before every jest run: gives the provider's create journal
 * (provider/runtime/create-journal.ts) a fresh directory of its own, so tests never read or
 * leave intents in the user's home directory. Jest's workers and the Pulumi CLI processes of
 * the e2e tests inherit the variable.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async function globalSetup() {
    process.env.AIRBYTE_PROVIDER_STATE_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "airbyte-provider-state-"));
};
