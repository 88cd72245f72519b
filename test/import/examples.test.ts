import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, loadMapping } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

// The README's walk-through, end to end: the two example exports imported with their mappings,
// then their KPIs read through a real Cube server.
const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');
const TENANT = 'fjord';

let database: TestDatabase;
let cube: TestCube;

async function importExample(table: string, csv: string, mapping: string) {
  const mappingFile = path.join(EXAMPLES, mapping);
  return importFile({
    url: database.url,
    tenant: TENANT,
    table,
    file: path.join(EXAMPLES, csv),
    mapping: { file: mappingFile, mapping: await loadMapping(mappingFile) },
    tenantName: 'Fjord Analytics',
    businessModel: 'b2b',
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await importExample('customers', 'billing/subscriptions-export.csv', 'billing/customers.yml');
  await importExample('subscriptions', 'billing/subscriptions-export.csv', 'billing/subscriptions.yml');
  await importExample('survey_responses', 'survey/nps-export.csv', 'survey/survey_responses.yml');
  cube = await startTestCube(database.url);
});

afterAll(async () => {
  await cube?.stop();
  await database?.drop();
});

const byMonth = (dimension: string, from: string, to: string) => ({
  timeDimensions: [{ dimension, granularity: 'month', dateRange: [from, to] }],
});

describe('the example exports', () => {
  it('map every field: sign-up from the export date less the account age, value maps, a constant, unknown channel', async () => {
    const customers = await database.db('customers').where({ tenant_id: TENANT }).orderBy('id');
    expect(customers).toHaveLength(12);
    expect(customers[0]).toMatchObject({ id: 'A-1001', plan: 'growth', country: 'NO', segment: 'smb', acquisition_channel: null });
    // 15/10/2026 less 20 months.
    expect(new Date(customers[0].signup_at).toISOString()).toBe('2025-02-15T00:00:00.000Z');
    const ended = await database.db('subscriptions').where({ tenant_id: TENANT }).whereNotNull('ended_at').orderBy('id').pluck('id');
    expect(ended).toEqual(['SUB-5002', 'SUB-5004', 'SUB-5006', 'SUB-5009']);
    // 2026-09-01 00:30 in Oslo (UTC+2 in summer) is 31 August, 22:30 UTC.
    const late = await database.db('survey_responses').where({ tenant_id: TENANT, id: 'R-0002' }).first();
    expect(new Date(late.responded_at).toISOString()).toBe('2026-08-31T22:30:00.000Z');
  });

  it('re-importing an example changes nothing', async () => {
    const again = await importExample('subscriptions', 'billing/subscriptions-export.csv', 'billing/subscriptions.yml');
    expect(again).toMatchObject({ rows: 12, added: 0, updated: 0, unchanged: 12 });
  });

  it('churn: 9 accounts active on 1 September, 2 cancel in September → 22.22%; August: 1 of 9 → 11.11%', async () => {
    // Active on 1 Sept: A-1001…A-1005, A-1007…A-1010 (A-1006 left on 5 Aug, A-1011 starts on 15 Sept).
    // Cancelled in September: A-1002 (10 Sept) and A-1004 (28 Sept); in August: A-1006.
    const rows = await cube.load(TENANT, {
      measures: ['customer_lifecycle.customers_at_start', 'customer_lifecycle.lost_customers', 'customer_lifecycle.churn_rate'],
      ...byMonth('customer_lifecycle.date', '2026-08-01', '2026-09-30'),
    });
    expect(
      rows.map((r) => [
        Number(r['customer_lifecycle.customers_at_start']),
        Number(r['customer_lifecycle.lost_customers']),
        Number(r['customer_lifecycle.churn_rate']),
      ]),
    ).toEqual([
      [9, 1, expect.closeTo((100 * 1) / 9, 9)],
      [9, 2, expect.closeTo((100 * 2) / 9, 9)],
    ]);
  });

  it('NPS: September has 5 promoters, 2 passives, 3 detractors → 20; August 1 and 1 → 0 (the Oslo time zone moves R-0002 there)', async () => {
    const rows = await cube.load(TENANT, {
      measures: ['survey_responses.nps', 'survey_responses.nps_responses'],
      ...byMonth('survey_responses.responded_at', '2026-08-01', '2026-10-31'),
    });
    expect(rows.map((r) => [Number(r['survey_responses.nps_responses']), Number(r['survey_responses.nps'])])).toEqual([
      [2, 0],
      [10, 20],
      [2, 0],
    ]);
  });
});
