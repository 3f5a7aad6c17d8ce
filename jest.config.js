process.env.LOG_LEVEL ??= "warn";

/**
 * Unit tests (tests/unit) need no database. Integration tests (tests/integration) share one real
 * Neo4j, started once by tests/setup/globalSetup.ts, and run one file at a time because each file
 * resets the graph to a known state.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/tests/setup/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/setup/globalTeardown.ts',
  maxWorkers: 1,
  // Generous, since a test or hook that loads documents shares two cores with Neo4j: a real hang
  // still fails, a slow machine does not.
  testTimeout: 180_000,
};
