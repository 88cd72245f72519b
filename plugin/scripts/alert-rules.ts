/**
 * Writes provisioning/alerting/engagement-alerts.yaml: Grafana alert rules that fire when a
 * tenant's churn, NPS or bounce rate falls in its benchmark's poor band. The bands and the
 * window (a month, on the KPI's time dimension) come from the Cube model's benchmark meta, so a
 * changed band or window changes the rule; a test fails when the file is out of date.
 *   npx tsx scripts/alert-rules.ts
 *
 * Our Cube data source runs in the browser only, and Grafana evaluates alerts on its server,
 * so the rules query Grafana's PostgreSQL data source over the `metrics` views instead (their
 * SQL is Cube's own; the list of views is the contract's, shared with the runtime that publishes them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { METRICS_SCHEMA, metricsViews } from '@engagement/contract';
import { hasBands, type Band, type BandedBenchmark } from '../src/shared/benchmark';
import { collectKnownBenchmarks } from './known-benchmarks';
import { kpiOf } from './kpi-windows';

const here = path.dirname(fileURLToPath(import.meta.url));
export const alertRulesFile = path.resolve(here, '../provisioning/alerting/engagement-alerts.yaml');

/** The provisioned PostgreSQL data source (provisioning/datasources/warehouse.yaml). */
export const WAREHOUSE_DS_UID = 'engagement-warehouse';
export const WAREHOUSE_DS_TYPE = 'grafana-postgresql-datasource';
const EXPRESSION_DS_UID = '__expr__';

export interface AlertSpec {
  uid: string;
  /** The KPI measure's short name, as the model's cubes and the view's column call it. */
  measure: string;
  /** The metrics view that holds the KPI per tenant over its model window (see viewOnWindow). */
  view: string;
  title: string;
  /** How the value reads in a notification, e.g. "%" after churn. */
  suffix: string;
}

/**
 * The metrics view with the KPI per tenant and nothing else, on the time dimension and at the
 * grain of the window the model judges it on, with none of the window's fixed filters to apply.
 */
export function viewOnWindow(measure: string): string {
  const found = metricsViews.find((view) => {
    const member = view.measures.find((m) => m.endsWith(`.${measure}`));
    if (!member || view.dimensions.length !== 1 || !view.dimensions[0]!.endsWith('.tenant_id')) return false;
    const kpi = kpiOf(member);
    return kpi.filters.length === 0 && view.time?.dimension === kpi.timeDimension && view.time?.granularity === kpi.grain;
  });
  if (!found) throw new Error(`${measure}: no ${METRICS_SCHEMA} view holds it per tenant over the window the model judges it on`);
  return found.name;
}

export const alertSpecs: AlertSpec[] = [
  { uid: 'engagement-churn-poor', measure: 'churn_rate', title: 'Monthly churn rate in the poor band', suffix: '%' },
  { uid: 'engagement-nps-poor', measure: 'nps', title: 'NPS in the poor band', suffix: '' },
  { uid: 'engagement-bounce-poor', measure: 'bounce_rate', title: 'Bounce rate in the poor band', suffix: '%' },
].map((spec) => ({ ...spec, view: viewOnWindow(spec.measure) }));

export function benchmarkOf(measure: string): BandedBenchmark {
  const benchmark = collectKnownBenchmarks().measures[measure]?.benchmark;
  if (!benchmark || !hasBands(benchmark)) throw new Error(`${measure}: the model gives it no benchmark bands to alert on`);
  return benchmark;
}

export function poorBand(benchmark: BandedBenchmark): Band {
  const band = benchmark.bands.find((b) => b.label === 'poor');
  if (!band) throw new Error('the benchmark has no poor band');
  return band;
}

/** Grafana math expression that is 1 when $A lies in the band ([from, to)) and 0 otherwise. */
export function inBandExpression(band: Band, ref = 'A'): string {
  const clauses = [...(band.from === null ? [] : [`$${ref} >= ${band.from}`]), ...(band.to === null ? [] : [`$${ref} < ${band.to}`])];
  return clauses.join(' && ');
}

/**
 * Each tenant's value for its latest complete month with data. String columns become the alert
 * instance's labels (tenant_id, month), the one numeric column its value: Grafana's "numeric
 * data" form for SQL tables, so one rule watches every tenant.
 */
export function alertSql(spec: AlertSpec): string {
  const view = metricsViews.find((v) => v.name === spec.view);
  if (!view?.measures.some((m) => m.endsWith(`.${spec.measure}`)))
    throw new Error(`${METRICS_SCHEMA}.${spec.view} has no column ${spec.measure}`);
  if (!view.dimensions.some((d) => d.endsWith('.tenant_id')) || view.time?.granularity !== 'month')
    throw new Error(`${spec.view} is not monthly per tenant`);
  return [
    `SELECT DISTINCT ON (tenant_id) tenant_id, to_char(month, 'YYYY-MM') AS month, ${spec.measure}::float8 AS ${spec.measure}`,
    `FROM ${METRICS_SCHEMA}.${spec.view}`,
    `WHERE month < date_trunc('month', now() AT TIME ZONE 'UTC') AND ${spec.measure} IS NOT NULL`,
    'ORDER BY tenant_id, month DESC',
  ].join('\n');
}

function rule(spec: AlertSpec) {
  const benchmark = benchmarkOf(spec.measure);
  const band = poorBand(benchmark);
  const edges = [band.from === null ? '' : `≥ ${band.from}${spec.suffix}`, band.to === null ? '' : `< ${band.to}${spec.suffix}`]
    .filter(Boolean)
    .join(' and ');
  const better = benchmark.direction === 'higher_is_better' ? 'higher is better' : 'lower is better';
  return {
    uid: spec.uid,
    title: spec.title,
    condition: 'B',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: WAREHOUSE_DS_UID,
        model: {
          refId: 'A',
          datasource: { type: WAREHOUSE_DS_TYPE, uid: WAREHOUSE_DS_UID },
          editorMode: 'code',
          format: 'table',
          rawQuery: true,
          rawSql: alertSql(spec),
        },
      },
      {
        refId: 'B',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: EXPRESSION_DS_UID,
        model: {
          refId: 'B',
          datasource: { type: EXPRESSION_DS_UID, uid: EXPRESSION_DS_UID },
          type: 'math',
          expression: inBandExpression(band),
        },
      },
    ],
    // A tenant without data for the KPI is not an incident; a failing query is.
    noDataState: 'OK',
    execErrState: 'Error',
    for: '0s',
    annotations: {
      summary: `${spec.title.replace(/ in the poor band$/, '')} of tenant {{ $labels.tenant_id }} was {{ humanize $values.A.Value }}${spec.suffix} in {{ $labels.month }}: poor (${edges}; ${better}).`,
      description: `Benchmark${benchmark.context ? ` (${benchmark.context})` : ''}: ${benchmark.source}`,
    },
    labels: { kpi: spec.measure, band: 'poor' },
    isPaused: false,
  };
}

export function renderAlertRules(): string {
  const file = {
    apiVersion: 1,
    groups: [{ orgId: 1, name: 'KPI benchmarks', folder: 'Engagement', interval: '1h', rules: alertSpecs.map(rule) }],
  };
  return `# Generated by plugin/scripts/alert-rules.ts from the Cube model's benchmark meta: do not edit.\n${stringify(file, { lineWidth: 0 })}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(alertRulesFile), { recursive: true });
  fs.writeFileSync(alertRulesFile, renderAlertRules());
  console.log(`wrote ${path.relative(process.cwd(), alertRulesFile)}`);
}
