import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Tests that run the CLI run the built code: rebuilt first when a source is newer.
    globalSetup: ['test/support/build-first.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only make the servers under test compete.
    maxWorkers: 2,
  },
});
