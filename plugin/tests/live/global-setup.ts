import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import './context.js';
import { loadWorkedExamples } from '../../../seeds/worked-examples.js';
import { loadConfig } from '../../../src/config.js';
import { publishMetricsViews } from '../../../src/metrics/publish.js';
import { startStack, type Stack } from '../../../src/runtime/stack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LIVE_API_SECRET = 'plugin-live-test-secret';

let stack: Stack | undefined;

/**
 * The same warehouse + Cube start-up as `npm start` (src/runtime/stack.ts), with the
 * worked-example tenants of DESIGN.md loaded and the `metrics` views published (as `npm run
 * metrics` does) for the alert rules' SQL. DATABASE_URL, when set, is used as is, as the
 * root tests do; otherwise an embedded PostgreSQL on TEST_PG_PORT keeps its cluster in a
 * sub-folder of the root tests' TEST_DATA_DIR (the two suites run one after the other).
 * Type-checked by tests/live/tsconfig.json: the root's Cube runtime needs NodeNext resolution.
 */
export async function setup(project: TestProject): Promise<void> {
  const testDataDir = path.resolve(repoRoot, process.env.TEST_DATA_DIR ?? '.data/test');
  const config = loadConfig(
    {
      DATABASE_URL: process.env.DATABASE_URL,
      PG_PORT: process.env.TEST_PG_PORT ?? '54339',
      DATA_DIR: path.join(testDataDir, 'plugin-live'),
      CUBE_API_SECRET: LIVE_API_SECRET,
    },
    repoRoot,
  );
  stack = await startStack(config, {
    port: 0,
    beforeCube: async (session) => {
      await loadWorkedExamples(session.db);
    },
  });
  await publishMetricsViews(stack.session, stack.apiSecret);
  project.provide('cubeUrl', stack.cube.url);
  project.provide('cubeApiSecret', stack.apiSecret);
  project.provide('warehouseUrl', stack.session.warehouse.url);
}

export async function teardown(): Promise<void> {
  await stack?.close();
}
