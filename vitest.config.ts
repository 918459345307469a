import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ from the current source before the tests (the CLI tests run the built CLI).
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: the CLI tests spawn processes; keep the pool small.
    maxWorkers: 2,
  },
});
