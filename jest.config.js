/** Three tiers (CONVENTIONS.md "Tests"); `npm test` runs them all against a real PostgreSQL. */
/** Transpile only: type errors are `npm run typecheck`'s job, and it keeps the suite fast. */
const typescript = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];

/** ESM-only dependencies, transpiled for Jest's CommonJS runtime (see the transformer). */
const esmPackages = ['expo-server-sdk'];

const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': typescript,
    [`/node_modules/(${esmPackages.join('|')})/.+\\.js$`]: '<rootDir>/test/support/esm-transformer.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
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
