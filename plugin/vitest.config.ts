import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    setupFiles: ['tests/setup.ts'],
    // @grafana packages ship ESM that imports moment-timezone's CommonJS; inlining lets vite transform it.
    server: { deps: { inline: [/@grafana\//] } },
    // 2 shared cores: one worker keeps @grafana/ui's large import graph from being transformed twice at once.
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}', 'tests/*.test.ts'] } },
      // The production build in dist/: run after `npm run build` (`npm run test:build`).
      { extends: true, test: { name: 'build', include: ['tests/build/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'live',
          include: ['tests/live/**/*.test.ts'],
          // A real warehouse and Cube server, started once from the root's runtime; vitest runs
          // a project's global setup only when one of its files is selected.
          globalSetup: ['tests/live/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
