/**
 * Runs once before every jest run: gives the provider's create journal
 * (provider/runtime/create-journal.ts) a fresh directory of its own, so tests never read or
 * leave intents in the user's home directory. Jest's workers and the Pulumi CLI processes of
 * the e2e tests inherit the variable.
 */
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async function globalSetup() {
    process.env.AIRBYTE_PROVIDER_STATE_DIR ??= mkdtempSync(join(tmpdir(), "airbyte-provider-state-"));
};
