/**
 * Jest runs in ESM mode (ts-jest's default-esm preset with NODE_OPTIONS=--experimental-vm-modules)
 * because `got` 12+ is ESM-only and jest cannot `require()` it.
 *
 * Projects split the suites. The provider-side suites talk to the emulator playing one Airbyte
 * generation through one backend (its "test profile", tests/helpers/airbyte-target.ts):
 *   unit                 pure logic, no server (seconds: `npm run test:unit`)
 *   integration          the providers against the emulator: Airbyte 2.0 with auth on, Config API backend
 *   secrets              AWS Secrets Manager against moto (same profile)
 *   reliability          faults, retries, reconciliation, leak checks (same profile)
 *   integration-1.6      the suite's core against a generation before 1.7 (workspaces/list, no pagination)
 *   integration-public   the suite's core and the fault matrix through the public-API backend
 *   emulator             the emulator itself, as Airbyte's clients see it
 *   generations          the suite's core under the profile in AIRBYTE_TEST_PROFILE (npm run test:generations)
 *   e2e                  the real Pulumi CLI and engine (npm run test:e2e)
 *
 * Which projects a run holds comes from JEST_PROJECTS (comma-separated), so that arguments after
 * `npm test --` stay jest's own: `npm test -- tests/unit/schedule.test.ts` runs that file in the
 * projects that match it, and `npm test -- --selectProjects secrets` one project of the set.
 * Without JEST_PROJECTS a run holds `npm test`'s set (DEFAULT_RUN).
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

const ALL_PROJECTS = [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    {
        ...common,
        displayName: "integration",
        globals: { AIRBYTE_TEST_PROFILE: "2.0" },
        testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
    },
    {
        ...common,
        displayName: "secrets",
        globals: { AIRBYTE_TEST_PROFILE: "2.0" },
        testMatch: ["<rootDir>/tests/secrets/**/*.test.ts"],
    },
    {
        ...common,
        displayName: "reliability",
        globals: { AIRBYTE_TEST_PROFILE: "2.0" },
        testMatch: ["<rootDir>/tests/reliability/**/*.test.ts"],
    },
    { ...common, displayName: "integration-1.6", globals: { AIRBYTE_TEST_PROFILE: "1.6" }, testMatch: PROFILED_SUITE },
    {
        ...common,
        displayName: "integration-public",
        globals: { AIRBYTE_TEST_PROFILE: "2.0-public" },
        testMatch: [...PROFILED_SUITE, "<rootDir>/tests/reliability/fault-matrix.test.ts"],
    },
    { ...common, displayName: "emulator", testMatch: ["<rootDir>/tests/emulator/**/*.test.ts"] },
    { ...common, displayName: "generations", testMatch: PROFILED_SUITE },
    // Slow by nature (real CLI and engine); `npm run test:e2e` passes --testTimeout and --runInBand.
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
];

const DEFAULT_RUN = [
    "unit",
    "integration",
    "secrets",
    "reliability",
    "integration-1.6",
    "integration-public",
    "emulator",
];

function selectedProjects() {
    const wanted = process.env.JEST_PROJECTS ? process.env.JEST_PROJECTS.split(",").map((p) => p.trim()) : DEFAULT_RUN;
    const known = new Set(ALL_PROJECTS.map((p) => p.displayName));
    const unknown = wanted.filter((p) => !known.has(p));
    if (unknown.length > 0)
        throw new Error(`JEST_PROJECTS: unknown project(s) ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
    return ALL_PROJECTS.filter((p) => wanted.includes(p.displayName));
}

module.exports = {
    testTimeout: 30_000,
    // A private directory for the provider's create journal (AIRBYTE_PROVIDER_STATE_DIR).
    globalSetup: "<rootDir>/tests/helpers/global-setup.cjs",
    projects: selectedProjects(),
};
