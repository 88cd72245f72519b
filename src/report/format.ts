import pc from 'picocolors';
import { hasBands } from '@engagement/contract';
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
