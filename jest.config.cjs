/**
 * Jest runs in ESM mode (ts-jest's default-esm preset with NODE_OPTIONS=--experimental-vm-modules)
 * because `got` 12+ is ESM-only and jest cannot `require()` it.
 *
 * Projects split the suites. The integration suite talks to the emulator playing one Airbyte
 * generation through one backend (its "test profile", tests/helpers/airbyte-target.ts):
 *   integration          everything provider-side, Airbyte 2.0 with auth on, Config API backend
 *   integration-1.6      the suite's core against a generation before 1.7 (workspaces/list, no pagination)
 *   integration-public   the suite's core and the fault matrix through the public-API backend
 *   generations          the suite's core under the profile in AIRBYTE_TEST_PROFILE (npm run test:generations)
 * `npm test` runs unit, integration, integration-1.6, integration-public and emulator;
 * `npm run test:e2e` runs e2e (real Pulumi CLI).
 */
const common = {
    preset: "ts-jest/presets/default-esm",
    testEnvironment: "node",
    extensionsToTreatAsEsm: [".ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.jest.json" }] },
};

/** The files that run against the test profile's server (they start it with startTarget). */
const PROFILED_SUITE = ["source-destination", "connection", "secrets-manager", "bad-inputs"].map(
    (f) => `<rootDir>/tests/integration/${f}.test.ts`,
);

module.exports = {
    testTimeout: 30_000,
    // A private directory for the provider's create journal (AIRBYTE_PROVIDER_STATE_DIR).
    globalSetup: "<rootDir>/tests/helpers/global-setup.cjs",
    projects: [
        { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
        {
            ...common,
            displayName: "integration",
            globals: { AIRBYTE_TEST_PROFILE: "2.0" },
            testMatch: [
                "<rootDir>/tests/integration/**/*.test.ts",
                "<rootDir>/tests/secrets/**/*.test.ts",
                "<rootDir>/tests/reliability/**/*.test.ts",
            ],
        },
        {
            ...common,
            displayName: "integration-1.6",
            globals: { AIRBYTE_TEST_PROFILE: "1.6" },
            testMatch: PROFILED_SUITE,
        },
        {
            ...common,
            displayName: "integration-public",
            globals: { AIRBYTE_TEST_PROFILE: "2.0-public" },
            testMatch: [...PROFILED_SUITE, "<rootDir>/tests/reliability/fault-matrix.test.ts"],
        },
        { ...common, displayName: "generations", testMatch: PROFILED_SUITE },
        { ...common, displayName: "emulator", testMatch: ["<rootDir>/tests/emulator/**/*.test.ts"] },
        // Slow by nature (real CLI and engine); `npm run test:e2e` passes --testTimeout and --runInBand.
        { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    ],
};
