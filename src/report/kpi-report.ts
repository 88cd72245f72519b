import {
  bandOf,
  hasBands,
  hasSubscriptions,
  kpiNeedText,
  memberTitle,
  subscriptionsQuery,
  type Band,
  type Benchmark,
  type CubeMember,
} from '@engagement/contract';
import type { CubeClient } from '../cube/client.js';
import { describeWindow, reportKpi, reportMeasures, reportQuery } from './spec.js';

export interface KpiResult {
  measure: string;
  title: string;
  period: string;
  value: number | null;
  unit: string;
  band: Band['label'] | null;
  benchmark: Benchmark;
  /** Why there is no value, when the tenant's data says so (a shop's churn: "needs subscriptions"). */
  missing?: string;
}

function measuresByName(cubes: { measures: CubeMember[] }[]): Map<string, CubeMember> {
  return new Map(cubes.flatMap((c) => c.measures.map((m) => [m.name, m] as const)));
}

const dataThroughQuery = { dimensions: ['tenants.data_through'] };

/** The token's tenant's data-through day (YYYY-MM-DD), or null for a tenant with no data yet. */
export async function loadDataThrough(client: CubeClient): Promise<string | null> {
  const [row] = await client.load(dataThroughQuery);
  const day = row?.['tenants.data_through'];
  return typeof day === 'string' ? day.slice(0, 10) : null;
}

/** Every report KPI for one month, with the benchmark band its value falls in. */
export async function buildKpiReport(client: CubeClient, month: string): Promise<KpiResult[]> {
  const members = measuresByName(await client.meta());
  const subscriptions = hasSubscriptions(await client.load(subscriptionsQuery));
  const resultFor = async (measure: string): Promise<KpiResult> => {
    const member = members.get(measure);
    if (!member) throw new Error(`The model has no measure ${measure}`);
    const kpi = reportKpi(measure, member.meta);
    const { benchmark } = kpi;
    const [row] = await client.load(reportQuery(kpi, month));
    const raw = row?.[kpi.measure];
    const value = raw === null || raw === undefined ? null : Number(raw);
    return {
      measure: kpi.measure,
      title: memberTitle(member),
      period: describeWindow(kpi.window, month),
      value,
      unit: hasBands(benchmark) ? benchmark.unit : typeof member.format === 'string' ? member.format : 'number',
      band: value !== null && hasBands(benchmark) ? (bandOf(benchmark, value)?.label ?? null) : null,
      benchmark,
      ...(value === null && !subscriptions && kpi.needs.includes('subscriptions') ? { missing: kpiNeedText.subscriptions } : {}),
    };
  };
  // One query at a time: on a cold warehouse, queries at once built the same rollup partition
  // at once, and Cube 0.35.81 failed one of them ("relation … already exists", or "table is not
  // found … after it was successfully created"). The builds queue per tenant anyway.
  const results: KpiResult[] = [];
  for (const measure of reportMeasures) results.push(await resultFor(measure));
  return results;
}
