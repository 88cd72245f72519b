import pc from 'picocolors';
import { hasBands } from '@engagement/contract';
import type { Insights } from './insights.js';
import type { KpiResult } from './kpi-report.js';

const bandColour = { poor: pc.red, fair: pc.yellow, good: pc.green, excellent: pc.cyan } as const;

export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return 'no data';
  switch (unit) {
    case 'percent':
      return `${value.toFixed(2)}%`;
    case 'currency':
      return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'seconds':
      return `${Math.floor(value / 60)}m ${String(Math.round(value % 60)).padStart(2, '0')}s`;
    case 'hours':
      return `${value.toFixed(1)} h`;
    default:
      return value.toFixed(2);
  }
}

/** The report as an aligned table; colour only when `colour` is true (a terminal). */
export function formatReport(
  results: KpiResult[],
  options: { tenant: string; month: string; dataThrough: string | null; colour: boolean },
): string {
  const paint = (label: KpiResult['band'], text: string) => (options.colour && label ? bandColour[label](text) : text);
  const rows = results.map((r) => ({
    title: r.title,
    period: r.period,
    value: r.missing ?? formatValue(r.value, r.unit),
    band: r.band ?? (hasBands(r.benchmark) ? '—' : 'no benchmark'),
    source: hasBands(r.benchmark) ? r.benchmark.source : r.benchmark.reason,
    label: r.band,
  }));
  const width = (key: 'title' | 'period' | 'value' | 'band') => Math.max(...rows.map((r) => r[key].length), key.length);
  const [wt, wp, wv, wb] = [width('title'), width('period'), width('value'), width('band')];
  const header = `${'KPI'.padEnd(wt)}  ${'Period'.padEnd(wp)}  ${'Value'.padStart(wv)}  ${'Band'.padEnd(wb)}  Source`;
  const lines = rows.map(
    (r) => `${r.title.padEnd(wt)}  ${r.period.padEnd(wp)}  ${r.value.padStart(wv)}  ${paint(r.label, r.band.padEnd(wb))}  ${r.source}`,
  );
  const title = `KPI report for tenant ${options.tenant}, ${options.month} (data through ${options.dataThrough ?? 'no data yet'})`;
  return [options.colour ? pc.bold(title) : title, '', header, '-'.repeat(header.length), ...lines].join('\n');
}

const count = (n: number) => n.toLocaleString('en-US');

function predictionsText({ averageClv12m, averageClv3y, likelyAliveShare }: Insights['predictions']): string {
  if (averageClv12m === null && likelyAliveShare === null)
    return 'no data (npm run predict fits them from orders, once some customer has bought twice)';
  const clv =
    averageClv12m === null
      ? 'CLV not estimated (npm run predict says why)'
      : `CLV ${formatValue(averageClv12m, 'currency')} over 12 months, ${formatValue(averageClv3y, 'currency')} over 3 years`;
  return `${clv} · likely alive ${formatValue(likelyAliveShare, 'percent')}`;
}

/** The segments, health and predictions lines under the KPI table. */
export function formatInsights(insights: Insights, month: string): string {
  const { segments, health, predictions, churnRisk } = insights;
  const list = (items: { name: string; customers: number }[]) =>
    items.length ? items.map((i) => `${i.name} ${count(i.customers)}`).join(' · ') : 'no data';
  const healthLine =
    health.average === null
      ? 'no data'
      : [
          `average ${formatValue(health.average, 'number')}`,
          list(health.bands.map((b) => ({ name: b.band, customers: b.customers }))),
        ].join(' · ');
  return [
    `Segments (RFM), ${month}: ${list(segments.map((s) => ({ name: s.segment, customers: s.customers })))}`,
    `Health, ${month}: ${healthLine}`,
    `Predictions: ${predictionsText(predictions)}`,
    churnRisk.customersAtRisk === null
      ? 'Churn risk: no data (npm run predict fits it from subscriptions with at least 20 churn events)'
      : `Churn risk: ${count(churnRisk.customersAtRisk)} customers at risk · revenue at risk ${formatValue(churnRisk.revenueAtRisk, 'currency')} a month · average risk ${formatValue(churnRisk.averageRisk, 'percent')}`,
  ].join('\n');
}
