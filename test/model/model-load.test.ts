import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelMetaError, startCubeServer } from '../../src/cube/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bad-meta-'));
  await fs.writeFile(path.join(dir, 'surveys.yml'), `cubes:
  - name: surveys
    sql_table: survey_responses
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: tenant_id, sql: tenant_id, type: string }
    measures:
      - name: nps
        type: count
        meta:
          kpi: true
          benchmark:
            direction: higher_is_better
            unit: score
            bands: [{ label: poor, from: null, to: 0 }, { label: good, from: 10, to: null }]
            source: somewhere reputable
`);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await t.drop();
});

describe('loading the model', () => {
  it('refuses a KPI whose benchmark bands are malformed, naming the measure and the field', async () => {
    const start = startCubeServer({ databaseUrl: t.url, port: 0, apiSecret: 'a-secret-of-enough-length', schemaPath: dir });
    await expect(start).rejects.toThrow(ModelMetaError);
    await expect(start).rejects.toThrow('surveys.nps: meta.benchmark.bands: band poor ends at 0 but good starts at 10');
  });
});
