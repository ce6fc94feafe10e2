// Lint: correctness rules from typescript-eslint plus the module boundaries the architecture depends on.
// The boundaries fail the build when broken (npm test runs `npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import { readdirSync } from 'node:fs';

const WEB_FEATURES = 'web/src/features';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '.data/**',
      'web/e2e/.artifacts/**',
      'hapi-config/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['packages/*/tsconfig.json', 'services/*/tsconfig.json', 'web/tsconfig.json', 'tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // `_ignored` destructuring drops a field on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-namespace': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-control-regex': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            // Cross-cutting parts never depend on a domain module: modules plug into core through the manifest.
            {
              target: 'services/api/src/core',
              from: 'services/api/src/modules',
              message: 'core must not import a module; register through the module manifest',
            },
            {
              target: 'services/api/src',
              from: 'web',
              message: 'the API does not import the web app; share through packages/contracts',
            },
            {
              target: 'web/src',
              from: 'services',
              message: 'the web app does not import the API; share through packages/contracts',
            },
            { target: 'web/src/core', from: WEB_FEATURES, message: 'web core must not import a feature' },
            // Web features compose through web/src/core or the app shell, not through each other.
            // Every feature folder, so a new feature is covered the day it is created.
            ...readdirSync(WEB_FEATURES, { withFileTypes: true })
              .filter((d) => d.isDirectory())
              .map((d) => d.name)
              .map((f) => ({
                target: `${WEB_FEATURES}/${f}`,
                from: WEB_FEATURES,
                except: [`./${f}`],
                message:
                  'a web feature must not import another feature; move the shared part to web/src/core or compose in the app',
              })),
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.int.test.ts',
      '**/*.test.tsx',
      '**/*.test-util.ts',
      '**/test-support/**',
      'web/e2e/**',
    ],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
