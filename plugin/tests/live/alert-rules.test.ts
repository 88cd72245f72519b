import fs from 'node:fs';
import { metricsViews, queryToRun } from '@engagement/contract';
import { FieldType } from '@grafana/data';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertRulesFile, alertSpecs, benchmarkOf, fallbackAlertRulesFile, tenantMember } from '../../scripts/alert-rules';
import { toDataFrames } from '../../src/datasource/toDataFrames';
import { callCube } from '../cubeApi';
import { bandOf } from '../../src/shared/benchmark';
import { evaluateComparison } from '../mathExpression';
import { alertRuleFileSchema } from '../provisioningSchema';
import { directSend, loadRows, tokenFor } from './cube';

const ex = inject('stack').workedExamples;

const rulesOf = (file: string) => alertRuleFileSchema.parse(parse(fs.readFileSync(file, 'utf8'))).groups.flatMap((g) => g.rules);
const rules = rulesOf(fallbackAlertRulesFile);
const cubeRules = rulesOf(alertRulesFile);
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

/**
 * What Grafana's alerting gets from the Cube rule's query A at `now`, reduced like B (the last
 * non-null value of each series): the stored target through the contract's queryToRun (the rule
 * the Go backend follows), Cube's /v1/load and toDataFrames. One entry per tenant series.
 */
async function cubeRuleValues(uid: string, tenant: string, now: string) {
  const query = cubeRules.find((r) => r.uid === uid)!.data.find((q) => q.refId === 'A')!;
  const to = new Date(now);
  const sent = queryToRun(query.model, { from: new Date(to.getTime() - query.relativeTimeRange.from * 1000), to }, to);
  const frames = toDataFrames(await callCube(directSend(tokenFor(tenant)), 'load', sent), sent, { refId: 'A', format: 'time_series' });
  const values = frames.flatMap((frame) =>
    frame.fields
      .filter((f) => f.type === FieldType.number)
      .map((f) => ({ labels: f.labels, last: [...f.values].reverse().find((v) => v !== null && v !== undefined) as number })),
  );
  return Object.assign(values, { dateRange: sent.timeDimensions?.[0]?.dateRange });
}

describe('the Cube alert rules over the worked examples, with no frontend involved', () => {
  const conditionOf = (uid: string) => String(cubeRules.find((r) => r.uid === uid)!.data.find((q) => q.refId === 'C')!.model.expression);

  it('NPS on 10 April 2025 judges March: 40, one instance for the tenant, not poor', async () => {
    const spec = alertSpecs.find((s) => s.measure === 'nps')!;
    const values = await cubeRuleValues(spec.uid, ex.surveys, '2025-04-10T08:00:00Z');
    expect([...values]).toEqual([{ labels: { [tenantMember(spec.member)]: ex.surveys }, last: 40 }]);
    expect(evaluateComparison(conditionOf(spec.uid), { B: 40 })).toBe(false);
  });

  it('bounce on 5 July 2025 judges June: 40 %, not poor', async () => {
    const spec = alertSpecs.find((s) => s.measure === 'bounce_rate')!;
    const values = await cubeRuleValues(spec.uid, ex.web, '2025-07-05T08:00:00Z');
    expect(values.map((v) => v.last)).toEqual([40]);
    expect(evaluateComparison(conditionOf(spec.uid), { B: 40 })).toBe(false);
  });

  it('churn on 2 February 2025 judges January, not two days of February: 10 %, poor, so the rule fires', async () => {
    const spec = alertSpecs.find((s) => s.measure === 'churn_rate')!;
    const values = await cubeRuleValues(spec.uid, ex.churn, '2025-02-02T09:00:00Z');
    expect(values.dateRange).toEqual(['2024-12-01T00:00:00.000', '2025-01-31T23:59:59.999']);
    expect(values.map((v) => v.last)).toEqual([10]);
    expect(bandOf(benchmarkOf('churn_rate'), 10)?.label).toBe('poor');
    expect(evaluateComparison(conditionOf(spec.uid), { B: 10 })).toBe(true);
  });
});

// The fallback: the SQL each warehouse rule runs, on a real PostgreSQL with the `metrics` views published
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

describe('the worked examples through the fallback (warehouse) alert rules', () => {
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
