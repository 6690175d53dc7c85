// ESLint's and typescript-eslint's recommended syntax rules and the repository's own, over every TypeScript file. The
// type-aware rules of typescript-eslint's recommendedTypeChecked run in oxlint (.oxlintrc.json: tsgolint, on
// TypeScript 7's native checker), about seven times cheaper than here; `npm run lint` runs both.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'bench/results/', '**/*.js', '**/*.mjs', '**/*.cjs', 'clients/typescript/src/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*/../*'], message: 'use a #alias import' }] }],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '#adapters/*', '#http/*'], message: 'shared/domain is pure: no AWS, adapters or HTTP imports' }] }],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/functions/**', '../*'], message: 'functions never import each other' }] }],
    },
  },
  {
    // Tests never read the machine's date: "now" comes from test/support/clock (a fixed instant per suite, TEST_NOW to
    // override) or the local stack's controllable clock; test/support names the few places that need real time.
    files: ['test/**/*.ts'],
    ignores: ['test/support/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'take "now" from test/support/clock (testNowMs, clockNowMs, machineNowMs where real time is what is tested)' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the machine clock: use test/support/clock' },
        { selector: "CallExpression[callee.object.name='DateTime'][callee.property.name=/^(now|local|utc)$/][arguments.length=0]", message: "luxon's DateTime.now() reads the machine clock: DateTime.fromMillis(clockNowMs())" },
      ],
    },
  },
);
