import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelMetaError, startCubeServer } from '../../src/cube/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
const dirs: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
  await t.drop();
});

/** Starts Cube on a one-cube model whose KPI `nps` has the given benchmark lines. */
async function startWithBenchmark(benchmark: string[]) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bad-meta-'));
  dirs.push(dir);
  await fs.writeFile(
    path.join(dir, 'surveys.yml'),
    `cubes:
  - name: surveys
    sql_table: survey_responses
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: tenant_id, sql: tenant_id, type: string }
      - { name: responded_at, sql: responded_at, type: time }
    measures:
      - name: nps
        type: count
        meta:
          kpi: true
          benchmark:
${benchmark.map((line) => `            ${line}\n`).join('')}`,
  );
  return startCubeServer({ databaseUrl: t.url, port: 0, apiSecret: 'a-secret-of-enough-length', schemaPath: dir });
}

describe('loading the model', () => {
  it('refuses a KPI whose benchmark bands are malformed, naming the measure and the field', async () => {
    const start = startWithBenchmark([
      'window: { grain: month, time_dimension: responded_at }',
      'direction: higher_is_better',
      'unit: score',
      'bands: [{ label: poor, from: null, to: 0 }, { label: good, from: 10, to: null }]',
      'source: somewhere reputable',
    ]);
    await expect(start).rejects.toThrow(ModelMetaError);
    await expect(start).rejects.toThrow('surveys.nps: meta.benchmark.bands: band poor ends at 0 but good starts at 10');
  });

  it('refuses a KPI whose window names a dimension its cube does not have', async () => {
    const start = startWithBenchmark([
      'window: { grain: month, time_dimension: answered_at }',
      'none: true',
      'reason: no public benchmark fits',
    ]);
    await expect(start).rejects.toThrow('surveys.nps: meta.benchmark.window.time_dimension: surveys has no time dimension answered_at');
  });
});
