import fs from 'node:fs';
import { metricsViews } from '@engagement/contract';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertRulesFile, alertSpecs, benchmarkOf } from '../../scripts/alert-rules';
import { bandOf } from '../../src/shared/benchmark';
import { evaluateComparison } from '../mathExpression';
import { alertRuleFileSchema } from '../provisioningSchema';
import { loadRows } from './cube';

const ex = inject('stack').workedExamples;

const rules = alertRuleFileSchema.parse(parse(fs.readFileSync(alertRulesFile, 'utf8'))).groups.flatMap((g) => g.rules);
const sqlOf = (uid: string) => String(rules.find((r) => r.uid === uid)!.data.find((q) => q.refId === 'A')!.model.rawSql);
const expressionOf = (uid: string) => {
  const rule = rules.find((r) => r.uid === uid)!;
  return String(rule.data.find((q) => q.refId === rule.condition)!.model.expression);
};

interface AlertRow {
  tenant_id: string;
  month: string;
  [measure: string]: unknown;
}

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('stack').warehouseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

const monthEnd = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year!, m!, 0)).toISOString().slice(0, 10);
};

// The SQL each provisioned rule runs, on a real PostgreSQL with the `metrics` views published
// from Cube by the global setup, over the worked-example tenants.
describe.each(alertSpecs.map((s) => [s.measure, s] as const))('alert rule on %s', (measure, spec) => {
  it('returns one row per tenant: labels as strings, the value as a number, as Cube’s REST API gives it for that month', async () => {
    const { rows, fields } = await db.query<AlertRow>(sqlOf(spec.uid));
    expect(fields.map((f) => f.name)).toEqual(['tenant_id', 'month', measure]);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.tenant_id)).size).toBe(rows.length);
    const view = metricsViews.find((v) => v.name === spec.view)!;
    const member = view.measures.find((m) => m.endsWith(`.${measure}`))!;
    for (const row of rows) {
      expect(row.month).toMatch(/^\d{4}-\d{2}$/);
      expect(typeof row[measure]).toBe('number');
      const [rest] = await loadRows(row.tenant_id, {
        measures: [member],
        timeDimensions: [{ dimension: view.time!.dimension, granularity: 'month', dateRange: [`${row.month}-01`, monthEnd(row.month)] }],
      });
      expect(Number(rest?.[member]), `${row.tenant_id} ${row.month}`).toBeCloseTo(row[measure] as number, 9);
    }
  });
});

describe('the worked examples through the alert rules', () => {
  const valueFor = async (uid: string, tenant: string) => {
    const { rows } = await db.query<AlertRow>(sqlOf(uid));
    return rows.find((r) => r.tenant_id === tenant);
  };

  it('NPS 40 (March 2025) and bounce 40 % (June 2025) are not poor, so neither rule fires', async () => {
    const nps = await valueFor('engagement-nps-poor', ex.surveys);
    expect(nps).toEqual({ tenant_id: ex.surveys, month: '2025-03', nps: 40 });
    expect(evaluateComparison(expressionOf('engagement-nps-poor'), { A: 40 })).toBe(false);
    const bounce = await valueFor('engagement-bounce-poor', ex.web);
    expect(bounce).toEqual({ tenant_id: ex.web, month: '2025-06', bounce_rate: 40 });
    expect(evaluateComparison(expressionOf('engagement-bounce-poor'), { A: 40 })).toBe(false);
  });

  it('a tenant whose last month had only detractors (NPS −100) fires the NPS rule', async () => {
    // Rolled back afterwards: the rows live only inside this transaction, which the view sees.
    await db.query('BEGIN');
    try {
      await db.query(`INSERT INTO tenants (id, name, business_model) VALUES ('alert_probe', 'Alert probe', 'b2b')`);
      await db.query(`INSERT INTO customers (id, tenant_id, plan, signup_at, segment, country, acquisition_channel)
        VALUES (8999999001, 'alert_probe', 'standard', now() - interval '1 year', 'smb', 'US', 'organic')`);
      await db.query(`INSERT INTO survey_responses (id, tenant_id, customer_id, kind, score, responded_at, touchpoint)
        SELECT 8999999100 + i, 'alert_probe', 8999999001, 'nps', i % 7, date_trunc('month', now()) - interval '10 days', 'email'
        FROM generate_series(1, 20) AS i`);
      const probe = await valueFor('engagement-nps-poor', 'alert_probe');
      expect(probe?.nps).toBe(-100);
      expect(bandOf(benchmarkOf('nps'), -100)?.label).toBe('poor');
      expect(evaluateComparison(expressionOf('engagement-nps-poor'), { A: probe!.nps as number })).toBe(true);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
