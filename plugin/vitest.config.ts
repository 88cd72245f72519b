import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    environment: 'jsdom',
    setupFiles: ['tests/setup.ts'],
    // @grafana packages ship ESM that imports moment-timezone's CommonJS; inlining lets vite transform it.
    server: { deps: { inline: [/@grafana\//] } },
    // 2 shared cores: one worker keeps @grafana/ui's large import graph from being transformed twice at once.
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 20_000,
  },
});
