// @ts-check
/**
 * Mutation testing of the core (StrykerJS 9 with its vitest runner). Not part of `npm test` or CI: on two
 * cores one module takes minutes. Run it through `npm run mutation`, which picks the test files relevant to
 * each module (scripts/mutation.mjs) and keeps one incremental file per module in the ignored reports/ folder.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // The in-process suite only: tests that run the built CLI never load the mutated sources.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: [
    'src/state/query.ts',
    'src/validate/*.ts',
    'src/state/document-structure.ts',
    'src/match/*.ts',
    'src/lint/*.ts',
    'src/cassette/redact.ts',
    'src/engine/*.ts',
    '!src/**/*.test.ts',
  ],
  // The machine's two cores are shared; more runners only make the servers under test compete.
  // VCR_MUTATION_CONCURRENCY=1 when something else runs beside it.
  concurrency: Number(process.env.VCR_MUTATION_CONCURRENCY ?? 2),
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // A mutant that makes a server wait for a request that never ends is a timeout, not a hang of the run.
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 80, break: null },
};
