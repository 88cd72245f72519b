import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../../seeds/index.js';
import { runChurnRisk, type ChurnRiskResult } from '../../../src/predict/churn-risk/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

// Out-of-time validation on generated data: each tenant's model is fitted on the 18 monthly
// snapshots before its cut-off and judged on the 6 after it. The generator's churn hazard rises
// with low latent satisfaction, which also means fewer sessions, more tickets and lower survey
// answers (seeds/customer.ts), so the behavioural features must rank churners better than
// recency alone.
const AS_OF = new Date('2026-11-01T00:00:00Z');

let t: TestDatabase;
const results = new Map<string, ChurnRiskResult>();

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 8000, seed: 7, until: AS_OF });
  for (const tenant of (await t.db('tenants').orderBy('id').pluck('id')) as string[]) {
    const result = await runChurnRisk({ db: t.db, tenantId: tenant, asOf: AS_OF });
    results.set(tenant, result);
    console.log(
      `churn risk ${tenant}:`,
      JSON.stringify(result.diagnostics),
      `${result.rowsWritten} scores in ${result.seconds.toFixed(1)} s`,
    );
  }
}, 600_000);
afterAll(async () => {
  await t?.drop();
});

describe('churn risk on generated data, validated out of time', () => {
  it('fits every sample tenant and beats a recency-only model on the months after the cut-off', () => {
    expect([...results.keys()]).toEqual(['acme', 'lumen', 'northwind']);
    for (const [tenant, { diagnostics }] of results) {
      expect(typeof diagnostics.auc, tenant).toBe('number');
      expect(diagnostics.auc as number, tenant).toBeGreaterThan(diagnostics.baselineAuc as number);
      expect(diagnostics.auc as number, tenant).toBeGreaterThan(0.6);
    }
  });
});
