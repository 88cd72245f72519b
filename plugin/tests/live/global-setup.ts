import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import './context';
import { startExamplesStack, type RunningStack } from '../../scripts/examples-stack';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let running: RunningStack | undefined;

/**
 * The same warehouse + Cube start-up as `npm start`, with only the worked-example tenants of
 * DESIGN.md and the `metrics` views published for the alert rules' SQL, run by the root as its
 * own process (scripts/examples-stack.ts). The embedded cluster lives in a sub-folder of the root
 * tests' TEST_DATA_DIR (the two suites run one after the other).
 */
export async function setup(project: TestProject): Promise<void> {
  const testDataDir = path.resolve(repoRoot, process.env.TEST_DATA_DIR ?? '.data/test');
  running = await startExamplesStack(path.join(testDataDir, 'plugin-live'));
  project.provide('stack', running.stack);
}

export async function teardown(): Promise<void> {
  await running?.stop();
}
