import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kpiMetaSchema, parseSavedTarget } from '@engagement/contract';
import { readModel } from '@engagement/contract/node';
import {
  alertRulesFile,
  alertSpecs,
  CUBE_DS_TYPE,
  CUBE_DS_UID,
  fallbackAlertRulesFile,
  renderAlertRules,
  renderFallbackAlertRules,
  tenantMember,
  viewOnWindow,
  WAREHOUSE_DS_TYPE,
  WAREHOUSE_DS_UID,
} from '../scripts/alert-rules';
import { kpiOf } from '../scripts/kpi-windows';
import { bandOf, hasBands, type BandedBenchmark } from '../src/shared/benchmark';
import { evaluateComparison } from './mathExpression';
import { alertRuleFileSchema, datasourceFileSchema } from './provisioningSchema';

const provisioningDir = path.resolve(import.meta.dirname, '../provisioning');
const readYaml = (file: string): unknown => parse(fs.readFileSync(path.join(provisioningDir, file), 'utf8'));
const rules = alertRuleFileSchema.parse(readYaml('alerting/engagement-alerts.yaml')).groups.flatMap((g) => g.rules);
const fallbackRules = alertRuleFileSchema
  .parse(readYaml('alerting-fallback/engagement-alerts-warehouse.yaml'))
  .groups.flatMap((g) => g.rules);

/** Each alerted KPI's benchmark, read from the cube that defines it (not from the generator's lookup). */
const definingMeasure: Record<string, string> = {
  churn_rate: 'customer_lifecycle.churn_rate',
  nps: 'survey_responses.nps',
  bounce_rate: 'web_sessions.bounce_rate',
};
async function modelBenchmark(measure: string): Promise<BandedBenchmark> {
  const found = readModel().cubeMeasures.find((m) => m.name === definingMeasure[measure]);
  const benchmark = kpiMetaSchema.parse(found?.meta).benchmark;
  if (!hasBands(benchmark)) throw new Error(`${measure} has no bands`);
  return benchmark;
}

describe('alert rule provisioning', () => {
  it('is what scripts/alert-rules.ts generates from the model (run it after changing a benchmark)', () => {
    expect(fs.readFileSync(alertRulesFile, 'utf8')).toBe(renderAlertRules());
    expect(fs.readFileSync(fallbackAlertRulesFile, 'utf8')).toBe(renderFallbackAlertRules());
  });

  it.each(rules.map((r) => [r.title, r] as const))(
    '%s: queries the Cube data source for the KPI per tenant on the model’s window, judging the last complete period',
    (_title, rule) => {
      const query = rule.data.find((q) => q.refId === 'A')!;
      expect(query).toMatchObject({ datasourceUid: CUBE_DS_UID, model: { datasource: { type: CUBE_DS_TYPE, uid: CUBE_DS_UID } } });
      // The stored target is exactly what a board's panel stores, and the backend reads it as such.
      const target = parseSavedTarget(query.model);
      const member = target.cubeQuery.measures![0]!;
      const kpi = kpiOf(member);
      expect(target).toMatchObject({ version: 2, periods: 'complete', format: 'time_series' });
      expect(target.cubeQuery.dimensions).toEqual([tenantMember(member)]);
      expect(target.cubeQuery.timeDimensions).toEqual([{ dimension: kpi.timeDimension, granularity: kpi.grain }]);
      expect(target.cubeQuery.filters ?? []).toEqual(kpi.filters);
      // A is reduced to its last period per tenant (B), and C says whether that lies in the poor band.
      expect(rule.condition).toBe('C');
      expect(rule.data.find((q) => q.refId === 'B')).toMatchObject({
        datasourceUid: '__expr__',
        model: { type: 'reduce', expression: 'A', reducer: 'last' },
      });
      expect(rule.data.find((q) => q.refId === 'C')).toMatchObject({ datasourceUid: '__expr__', model: { type: 'math' } });
      expect(String(rule.data.find((q) => q.refId === 'C')!.model.expression)).toMatch(/^\$B /);
      expect(Object.values(rule.labels).join(' ')).not.toContain('$');
    },
  );

  it('keeps the warehouse rules as the fallback, with the same uids, outside the provisioned folder', () => {
    expect(fallbackRules.map((r) => r.uid)).toEqual(rules.map((r) => r.uid));
    expect(path.dirname(fallbackAlertRulesFile)).not.toBe(path.dirname(alertRulesFile));
  });

  it('fallback: reads each KPI from the metrics view on the window the model judges it on', () => {
    expect(Object.fromEntries(alertSpecs.map((s) => [s.measure, s.view]))).toEqual({
      churn_rate: 'customer_kpis_monthly',
      nps: 'survey_kpis_monthly',
      bounce_rate: 'web_kpis_monthly',
    });
    // customer_kpis_monthly has retention by month, but the model judges retention by year.
    expect(() => viewOnWindow('retention_rate')).toThrow(
      'retention_rate: no metrics view holds it per tenant over the window the model judges it on',
    );
  });

  it('is a valid Grafana alerting file with one rule per alerted KPI', () => {
    expect(rules.map((r) => r.labels.kpi).sort()).toEqual(['bounce_rate', 'churn_rate', 'nps']);
    expect(new Set(rules.map((r) => r.uid)).size).toBe(rules.length);
  });

  it.each(fallbackRules.map((r) => [r.title, r] as const))(
    'fallback %s: queries the provisioned warehouse and sets its condition on an expression over it',
    (_title, rule) => {
      const refIds = rule.data.map((q) => q.refId);
      expect(refIds).toContain(rule.condition);
      const [query, condition] = [rule.data.find((q) => q.refId === 'A')!, rule.data.find((q) => q.refId === rule.condition)!];
      expect(query).toMatchObject({
        datasourceUid: WAREHOUSE_DS_UID,
        model: { format: 'table', rawQuery: true, datasource: { type: WAREHOUSE_DS_TYPE, uid: WAREHOUSE_DS_UID } },
      });
      expect(query.model.rawSql).toMatch(/FROM metrics\.\w+/);
      expect(condition).toMatchObject({ datasourceUid: '__expr__', model: { type: 'math' } });
      // Grafana expands $VAR in provisioned labels (not in models or annotations): labels must carry none.
      expect(Object.values(rule.labels).join(' ')).not.toContain('$');
    },
  );

  it.each(alertSpecs.map((s) => [s.measure, s] as const))(
    '%s: fires exactly when the value lies in the model’s poor band',
    async (measure, spec) => {
      const benchmark = await modelBenchmark(measure);
      const edges = benchmark.bands.flatMap((b) => [b.from, b.to]).filter((e): e is number => e !== null);
      const probes = [...new Set(edges.flatMap((e) => [e - 0.01, e, e + 0.01])), Math.min(...edges) - 100, Math.max(...edges) + 100];
      // The Cube rule tests its reduced value B, the fallback the SQL's value A.
      for (const [rule, ref] of [
        [rules.find((r) => r.uid === spec.uid)!, 'B'],
        [fallbackRules.find((r) => r.uid === spec.uid)!, 'A'],
      ] as const) {
        const expression = String(rule.data.find((q) => q.refId === rule.condition)!.model.expression);
        for (const value of probes) {
          expect(evaluateComparison(expression, { [ref]: value }), `${measure} = ${value}`).toBe(
            bandOf(benchmark, value)?.label === 'poor',
          );
        }
        expect(rule.annotations.description).toContain(benchmark.source);
      }
    },
  );
});

describe('data source provisioning', () => {
  const files = fs.readdirSync(path.join(provisioningDir, 'datasources'));
  const all = files.flatMap((f) => datasourceFileSchema.parse(readYaml(`datasources/${f}`)).datasources);

  it('provisions the warehouse PostgreSQL data source the alert rules name', () => {
    expect(all.find((d) => d.uid === WAREHOUSE_DS_UID)).toMatchObject({ type: WAREHOUSE_DS_TYPE, jsonData: { sslmode: 'disable' } });
  });

  it('provisions the Cube data source the alert rules name, with the token from a file, kept in secureJsonData', () => {
    const cube = all.find((d) => d.type === 'engagement-cube-datasource');
    expect(cube?.uid).toBe(CUBE_DS_UID);
    expect(cube?.secureJsonData?.token).toMatch(/^\$__file\{\/.+\}$/);
    expect(cube?.jsonData).toEqual({ cubeUrl: '${CUBE_URL}' });
  });

  it('uses only ${VAR}, $__env{} and $__file{} expansions, which Grafana supports (no ${VAR:-default})', () => {
    const lines = files.flatMap((f) => fs.readFileSync(path.join(provisioningDir, 'datasources', f), 'utf8').split('\n'));
    const text = lines.filter((line) => !/^\s*#/.test(line)).join('\n');
    const expansions = [...text.matchAll(/\$(__\w+)?\{([^}]*)\}/g)].map((m) => m[0]);
    expect(expansions.length).toBeGreaterThan(0);
    for (const e of expansions) expect(e).toMatch(/^\$(\{[A-Z_][A-Z0-9_]*\}|__env\{[A-Z_][A-Z0-9_]*\}|__file\{\/[^}]+\})$/);
  });
});
