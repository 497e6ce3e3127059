/** Three tiers (CONVENTIONS.md "Tests"); `npm test` runs them all against a real PostgreSQL. */
/** Transpile only: type errors are `npm run typecheck`'s job, and it keeps the suite fast. */
const typescript = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': typescript },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const withDatabase = {
  ...common,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...withDatabase,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
    },
    { ...withDatabase, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
