import { defineConfig } from 'vitest/config';

/**
 * The suite as Stryker runs it: the in-process tests, without the global setup that builds `dist/` (a sandbox's
 * sources are instrumented, and tests of the built CLI cannot see a mutant anyway). scripts/mutation.mjs names
 * the test files of each module in VCR_MUTATION_TESTS.
 */
const chosen = process.env.VCR_MUTATION_TESTS?.split(',').filter((file) => file !== '');

export default defineConfig({
  test: {
    include: chosen && chosen.length > 0 ? chosen : ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
