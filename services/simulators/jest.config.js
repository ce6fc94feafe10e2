/** The simulators' own tests: real HTTP against the app on an ephemeral port; no external services needed. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  testTimeout: 20000,
  // The shared X12 package is used from source in tests (its dist is built for the compiled simulators).
  moduleNameMapper: { '^@wintehr/x12$': '<rootDir>/../../packages/x12/src/index.ts' },
};
