/**
 * Jest runs in ESM mode (ts-jest's default-esm preset with NODE_OPTIONS=--experimental-vm-modules)
 * because `got` 12+ is ESM-only and jest cannot `require()` it. Projects split the suites:
 * `npm test` runs unit, integration and emulator; `npm run test:e2e` runs e2e (real Pulumi CLI).
 */
const common = {
    preset: "ts-jest/presets/default-esm",
    testEnvironment: "node",
    extensionsToTreatAsEsm: [".ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.jest.json" }] },
};

module.exports = {
    testTimeout: 30_000,
    // A private directory for the provider's create journal (AIRBYTE_PROVIDER_STATE_DIR).
    globalSetup: "<rootDir>/tests/helpers/global-setup.cjs",
    projects: [
        { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
        { ...common, displayName: "integration", testMatch: ["<rootDir>/tests/integration/**/*.test.ts", "<rootDir>/tests/secrets/**/*.test.ts", "<rootDir>/tests/reliability/**/*.test.ts"] },
        { ...common, displayName: "emulator", testMatch: ["<rootDir>/tests/emulator/**/*.test.ts"] },
        // Slow by nature (real CLI and engine); `npm run test:e2e` passes --testTimeout and --runInBand.
        { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    ],
};
