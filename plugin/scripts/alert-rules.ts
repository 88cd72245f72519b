/**
 * Writes Grafana alert rules that fire when a tenant's churn, NPS or bounce rate falls in its
 * benchmark's poor band. The bands and the window (the KPI's grain and time dimension) come from
 * the Cube model's benchmark meta, so a changed band or window changes the rule; a test fails
 * when a file is out of date.
 *   npx tsx scripts/alert-rules.ts
 *
 * provisioning/alerting/engagement-alerts.yaml queries the Cube data source itself, which Grafana
 * runs on its server through the plugin's backend: the last complete period, as the boards show
 * it. provisioning/alerting-fallback/engagement-alerts-warehouse.yaml is the same rules over the
 * `metrics` views on Grafana's PostgreSQL data source (their SQL is Cube's own; the list of views
 * is the contract's), for a Grafana that runs the plugin without its backend.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { METRICS_SCHEMA, metricsViews, SAVED_TARGET_VERSION, type SavedTarget } from '@engagement/contract';
import { hasBands, type Band, type BandedBenchmark } from '../src/shared/benchmark';
import { collectKnownBenchmarks } from './known-benchmarks';
import { kpiOf } from './kpi-windows';

const here = path.dirname(fileURLToPath(import.meta.url));
export const alertRulesFile = path.resolve(here, '../provisioning/alerting/engagement-alerts.yaml');
export const fallbackAlertRulesFile = path.resolve(here, '../provisioning/alerting-fallback/engagement-alerts-warehouse.yaml');

/** The provisioned Cube data source (provisioning/datasources/cube.yaml). */
export const CUBE_DS_UID = 'engagement-cube';
export const CUBE_DS_TYPE = 'engagement-cube-datasource';

/** The provisioned PostgreSQL data source (provisioning/datasources/warehouse.yaml). */
export const WAREHOUSE_DS_UID = 'engagement-warehouse';
export const WAREHOUSE_DS_TYPE = 'grafana-postgresql-datasource';
const EXPRESSION_DS_UID = '__expr__';

export interface AlertSpec {
  uid: string;
  /** The KPI as the boards query it, view.measure: the Cube rule reads it per tenant. */
  member: string;
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
  { uid: 'engagement-churn-poor', member: 'customer_health.churn_rate', title: 'Monthly churn rate in the poor band', suffix: '%' },
  { uid: 'engagement-nps-poor', member: 'customer_health.nps', title: 'NPS in the poor band', suffix: '' },
  { uid: 'engagement-bounce-poor', member: 'web_engagement.bounce_rate', title: 'Bounce rate in the poor band', suffix: '%' },
].map((spec) => {
  const measure = spec.member.split('.')[1]!;
  return { ...spec, measure, view: viewOnWindow(measure) };
});

const DAY_SECONDS = 86_400;
/** About two periods of each grain: the range always holds the last complete one, which the backend keeps. */
const lookBack: Record<string, number> = { day: 2, week: 14, month: 62, quarter: 184, year: 732 };

/** The member that tells tenants apart in the view the KPI is queried from. */
export const tenantMember = (member: string) => `${member.split('.')[0]}.tenant_id`;

/**
 * The Cube target of a rule, as a board's panel stores it (version 2): the KPI per tenant at the
 * grain of its window, with the window's filters, judged on the last complete period.
 */
export function cubeAlertTarget(spec: AlertSpec): SavedTarget & { lookBackSeconds: number } {
  const kpi = kpiOf(spec.member);
  if (kpi.grain === 'lifetime' || !kpi.timeDimension) throw new Error(`${spec.member}: a lifetime KPI has no period to alert on`);
  return {
    version: SAVED_TARGET_VERSION,
    cubeQuery: {
      measures: [spec.member],
      dimensions: [tenantMember(spec.member)],
      timeDimensions: [{ dimension: kpi.timeDimension, granularity: kpi.grain }],
      ...(kpi.filters.length ? { filters: kpi.filters } : {}),
    },
    format: 'time_series',
    periods: 'complete',
    lookBackSeconds: lookBack[kpi.grain]! * DAY_SECONDS,
  };
}

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

/** How a rule reads in a notification: the band's edges and the benchmark's source. */
function wording(spec: AlertSpec) {
  const benchmark = benchmarkOf(spec.measure);
  const band = poorBand(benchmark);
  const edges = [band.from === null ? '' : `≥ ${band.from}${spec.suffix}`, band.to === null ? '' : `< ${band.to}${spec.suffix}`]
    .filter(Boolean)
    .join(' and ');
  const better = benchmark.direction === 'higher_is_better' ? 'higher is better' : 'lower is better';
  return {
    band,
    kpi: spec.title.replace(/ in the poor band$/, ''),
    verdict: `poor (${edges}; ${better})`,
    description: `Benchmark${benchmark.context ? ` (${benchmark.context})` : ''}: ${benchmark.source}`,
  };
}

const expression = (refId: string, model: Record<string, unknown>) => ({
  refId,
  relativeTimeRange: { from: 0, to: 0 },
  datasourceUid: EXPRESSION_DS_UID,
  model: { refId, datasource: { type: EXPRESSION_DS_UID, uid: EXPRESSION_DS_UID }, ...model },
});

/** A rule in the order Grafana exports one; a tenant without data for the KPI is not an incident, a failing query is. */
const rule = (spec: AlertSpec, condition: string, data: unknown[], annotations: Record<string, string>) => ({
  uid: spec.uid,
  title: spec.title,
  condition,
  data,
  noDataState: 'OK',
  execErrState: 'Error',
  for: '0s',
  annotations,
  labels: { kpi: spec.measure, band: 'poor' },
  isPaused: false,
});

/** On the Cube data source: A is the KPI per tenant by period, B its last (complete) period, C whether B is poor. */
function cubeRule(spec: AlertSpec) {
  const { band, kpi, verdict, description } = wording(spec);
  const { lookBackSeconds, ...target } = cubeAlertTarget(spec);
  return rule(
    spec,
    'C',
    [
      {
        refId: 'A',
        relativeTimeRange: { from: lookBackSeconds, to: 0 },
        datasourceUid: CUBE_DS_UID,
        model: { refId: 'A', datasource: { type: CUBE_DS_TYPE, uid: CUBE_DS_UID }, ...target },
      },
      expression('B', { type: 'reduce', expression: 'A', reducer: 'last', settings: { mode: 'dropNN' } }),
      expression('C', { type: 'math', expression: inBandExpression(band, 'B') }),
    ],
    {
      summary: `${kpi} of tenant {{ index $labels "${tenantMember(spec.member)}" }} was {{ humanize $values.B.Value }}${spec.suffix} in the last complete period: ${verdict}.`,
      description,
    },
  );
}

/** The fallback, on the warehouse's `metrics` views: A is each tenant's latest complete month, B whether it is poor. */
function warehouseRule(spec: AlertSpec) {
  const { band, kpi, verdict, description } = wording(spec);
  return rule(
    spec,
    'B',
    [
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
      expression('B', { type: 'math', expression: inBandExpression(band) }),
    ],
    {
      summary: `${kpi} of tenant {{ $labels.tenant_id }} was {{ humanize $values.A.Value }}${spec.suffix} in {{ $labels.month }}: ${verdict}.`,
      description,
    },
  );
}

function render(rules: unknown[], note: string): string {
  const file = { apiVersion: 1, groups: [{ orgId: 1, name: 'KPI benchmarks', folder: 'Engagement', interval: '1h', rules }] };
  return `# Generated by plugin/scripts/alert-rules.ts from the Cube model's benchmark meta: do not edit.\n${note}${stringify(file, { lineWidth: 0 })}`;
}

export function renderAlertRules(): string {
  return render(alertSpecs.map(cubeRule), '');
}

export function renderFallbackAlertRules(): string {
  return render(
    alertSpecs.map(warehouseRule),
    '# The fallback for a Grafana that runs the plugin without its backend: copy this file into\n# provisioning/alerting/ instead of engagement-alerts.yaml (both at once would alert twice).\n',
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, text] of [
    [alertRulesFile, renderAlertRules()],
    [fallbackAlertRulesFile, renderFallbackAlertRules()],
  ] as const) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
