import { metricsViews, type MetricsView } from '@engagement/contract';
import type { HandRange } from './hand-sql.js';

/**
 * The `metrics` function an analyst would call for a board KPI (the per-tenant series that has
 * its column), and the call for the board's range: `SELECT period, <kpi> FROM metrics.<series>(…)`.
 */

const shortName = (member: string) => member.split('.')[1]!;

/** The per-tenant series view (no breakdown) with a column for the measure, if there is one. */
export function seriesFor(measure: string): (MetricsView & { series: string }) | undefined {
  return metricsViews.find(
    (view): view is MetricsView & { series: string } =>
      view.series !== undefined && view.dimensions.length === 1 && view.measures.some((m) => shortName(m) === shortName(measure)),
  );
}

export interface SeriesCall {
  sql: string;
  params: string[];
}

/** The call for a half-open range [from, end): both days included, so the last day is end − 1 day. */
export function seriesCall(measure: string, tenant: string, range: HandRange | null): SeriesCall | null {
  const view = seriesFor(measure);
  if (!view || !range?.granularity) return null;
  const lastDay = new Date(Date.parse(range.end) - 86_400_000).toISOString().slice(0, 10);
  return {
    sql: `SELECT to_char(period, 'YYYY-MM-DD') AS period, "${shortName(measure)}" AS value FROM metrics.${view.series}($1, $2, $3, $4)`,
    params: [tenant, range.from.slice(0, 10), lastDay, range.granularity],
  };
}
