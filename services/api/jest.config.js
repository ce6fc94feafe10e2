/** Unit tests (*.test.ts) are pure; integration tests (*.int.test.ts) need the real HAPI, PostgreSQL and Redis. */
const swc = (syntax) => ['@swc/jest', { jsc: { parser: { syntax }, target: 'es2022' }, module: { type: 'commonjs' } }];
// jose 6 and file-type 21 (with the packages it imports) ship ESM only; Node loads them natively, but jest's module
// runtime needs them transformed to CommonJS.
const esmOnly = [
  'jose',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer/inflate',
  'uint8array-extras',
  '@borewit/text-codec',
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc('typescript'), '^.+\\.js$': swc('ecmascript') },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  // The shared contract is used from source in tests (its dist is built for the compiled API).
  moduleNameMapper: {
    '^@wintehr/contracts$': '<rootDir>/../../packages/contracts/src/index.ts',
    '^@wintehr/x12$': '<rootDir>/../../packages/x12/src/index.ts',
  },
};
module.exports = {
  // testTimeout is a global option: inside a project entry jest ignores it.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/src/**/*.int.test.ts'],
      globalSetup: '<rootDir>/src/test-support/global-setup.ts',
    },
  ],
};
