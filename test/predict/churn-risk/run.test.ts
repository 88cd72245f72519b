import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../../seeds/index.js';
import { readSnapshots } from '../../../src/predict/churn-risk/features.js';
import { runChurnRisk } from '../../../src/predict/churn-risk/index.js';
import { HISTORY_MONTHS } from '../../../src/predict/churn-risk/model.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const AS_OF = new Date('2026-11-01T00:00:00Z');

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 3000, seed: 11, until: AS_OF });
});
afterAll(async () => {
  await t?.drop();
});

const scores = (tenant: string) => t.db('churn_risk_scores').where({ tenant_id: tenant });

describe('runChurnRisk', () => {
  it("writes one score per subscription customer active on the as-of day, replacing the tenant's previous ones", async () => {
    const steps: [number, number][] = [];
    const first = await runChurnRisk({ db: t.db, tenantId: 'lumen', asOf: AS_OF, progress: (done, total) => steps.push([done, total]) });
    // The generator gives each customer one subscription, so active spans are active subscriptions.
    const { active } = (
      await t.db.raw(
        `SELECT count(DISTINCT customer_id)::int AS active FROM subscriptions
          WHERE tenant_id = 'lumen' AND started_at < :asOf AND (ended_at IS NULL OR ended_at >= :asOf)`,
        { asOf: AS_OF.toISOString() },
      )
    ).rows[0] as { active: number };
    expect(first.name).toBe('churn-risk');
    expect(first.rowsWritten).toBe(active);
    expect(await scores('lumen').count()).toEqual([{ count: active }]);
    expect(steps).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(Object.keys(first.parameters)).toEqual(
      expect.arrayContaining(['intercept', 'days_since_activity', 'sessions_3m', 'latest_nps']),
    );
    expect(first.diagnostics).toMatchObject({
      cutoff: '2026-05-01T00:00:00.000Z',
      modelVersion: 'churn-risk-logit-1',
      historySampleEvery: 1,
    });

    const model = await t.db('churn_risk_models').where({ tenant_id: 'lumen' }).first();
    expect(model.auc).toBe(first.diagnostics.auc);
    expect(model.calibration).toHaveLength(10);

    // Each score's reasons are words, at most three; at_risk follows the stored base rate.
    const rows = await scores('lumen');
    for (const row of rows) {
      expect(row.risk).toBeGreaterThan(0);
      expect(row.risk).toBeLessThan(1);
      expect(row.at_risk).toBe(row.risk >= 2 * model.base_rate);
    }
    expect(rows.some((r) => r.reason_1 !== null && r.reason_3 !== null)).toBe(true);

    await t.db('churn_risk_scores').where({ tenant_id: 'lumen' }).update({ reason_1: 'stale' });
    const second = await runChurnRisk({ db: t.db, tenantId: 'lumen', asOf: AS_OF });
    expect(second.rowsWritten).toBe(active);
    expect(await scores('lumen').where({ reason_1: 'stale' }).count()).toEqual([{ count: 0 }]);
    expect(second.parameters).toEqual(first.parameters);
  });

  it('gives the customers outside a history sample the same as-of features as without one', async () => {
    // Outside the sample, the history before the last 3 months is read as one bucket.
    const asOf = async (every: number) =>
      (await readSnapshots(t.db, 'lumen', AS_OF, HISTORY_MONTHS, every)).filter((r) => r.churned === null);
    const all = await asOf(1);
    expect(all.length).toBeGreaterThan(500);
    expect(all.filter((r) => r.latest_nps !== null && r.tenure_days > 365).length).toBeGreaterThan(100);
    expect(await asOf(3)).toEqual(all);
  });

  it('fits no model for a tenant with too little history, says why, and leaves it no scores', async () => {
    await t.db('churn_risk_scores').insert({
      tenant_id: 'acme',
      customer_id: 'C-1',
      as_of: AS_OF,
      risk: 0.5,
      at_risk: true,
      model_version: 'old',
      fitted_at: AS_OF,
    });
    // Three months back, acme's subscriptions have barely begun: no churn before the cut-off.
    const early = await runChurnRisk({ db: t.db, tenantId: 'acme', asOf: new Date('2024-12-01T00:00:00Z') });
    expect(early.rowsWritten).toBe(0);
    expect(early.parameters).toEqual({});
    expect(early.diagnostics.skipped).toMatch(/^\d+ churn events in the 18 months before the cut-off \(at least 20 needed\)$/);
    expect(await scores('acme').count()).toEqual([{ count: 0 }]);
  });

  it('refuses a bad context, naming the field', async () => {
    const bad = (context: object) => runChurnRisk({ db: t.db, tenantId: 'lumen', asOf: AS_OF, ...context });
    await expect(bad({ tenantId: '' })).rejects.toThrow('tenantId: expected a tenant id, got an empty string');
    await expect(bad({ asOf: new Date('nope') })).rejects.toThrow('asOf: expected a valid Date');
    await expect(bad({ db: {} as Knex })).rejects.toThrow('db: expected a Knex connection');
    await expect(bad({ progress: 'yes' })).rejects.toThrow('progress: expected a function');
    await expect(bad({ tenantId: 'nobody' })).rejects.toThrow('tenantId: no tenant "nobody" in the warehouse');
  });

  it('lets the seeder reload the warehouse over existing scores (they go with the customers)', async () => {
    await runChurnRisk({ db: t.db, tenantId: 'lumen', asOf: AS_OF });
    await seedWarehouse(t.url, { customers: 300, seed: 11, until: AS_OF, reset: true });
    expect(await t.db('churn_risk_scores').count()).toEqual([{ count: 0 }]);
  });
});
