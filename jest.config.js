// Two projects: fast unit tests (pure TypeScript through swc) and integration tests that start a
// real ZooKeeper once per run (globalSetup) and real broker processes from the built dist/.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

module.exports = {
  // Integration tests start real processes; a per-project testTimeout is not honoured by jest 30.
  testTimeout: 120000,
  // Two test files at a time even on 2 cores (jest's default is cores - 1, i.e. one): integration
  // tests mostly wait (session timeouts, rebalances, throttling windows), and every cluster has
  // its own ZooKeeper chroot, free ports and temp dirs, so files do not see each other.
  // ZAFKA_TEST_WORKERS overrides (1 = one file at a time, as before).
  maxWorkers: Number(process.env.ZAFKA_TEST_WORKERS) || 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/helpers/quiet-logs.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/helpers/quiet-logs.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
    },
  ],
};
