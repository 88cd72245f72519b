import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'contract/src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Tests share one PostgreSQL (and later one Cube server) on 2 cores: start-up dominates, not CPU.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
