import { findingKinds, type Finding, type ProbeRun, type RouteStats } from './run.js';

const SHOWN_PER_KIND = 8;

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const ms = (value: number) => (Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US'));

/** A route's figures as they go into the JSON: timings summarised, not listed. */
export function summariseRoute(stats: RouteStats) {
  const { ms: times, ...counts } = stats;
  return { ...counts, medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
}

export function probeJson(run: ProbeRun) {
  return { ...run, routes: run.routes.map(summariseRoute) };
}

/** Findings that make the run fail: everything except clean answers and clean refusals. */
export function isClean(run: ProbeRun): boolean {
  return run.findingCount === 0 && !run.stoppedEarly;
}

export function renderProbeTable(run: ProbeRun): string {
  const header = [
    'route',
    'queries',
    '2xx',
    '4xx',
    '5xx',
    'bad',
    'timeouts',
    'foreign rows',
    'differs',
    'unscoped',
    'unverified',
    'checked',
    'median ms',
    'p95 ms',
  ];
  const rows = run.routes.map((s) =>
    [
      s.route,
      s.queries,
      s.ok,
      s.refused,
      s.serverErrors,
      s.bad,
      s.timeouts,
      s.foreignRows,
      s.differs,
      s.unscoped,
      s.unverified,
      s.checked,
      ms(quantile(s.ms, 0.5)),
      ms(quantile(s.ms, 0.95)),
    ].map((cell) => (typeof cell === 'number' ? cell.toLocaleString('en-US') : cell)),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function renderProbeReport(run: ProbeRun): string {
  const lines = [
    `Probe: ${run.ran.toLocaleString('en-US')} of ${run.requested.toLocaleString('en-US')} queries (seed ${run.seed}) through ${run.routes.length} routes in ${run.seconds.toFixed(1)} s${run.stoppedEarly ? ', stopped at the time limit' : ''}.`,
    '',
    renderProbeTable(run),
    '',
  ];
  if (run.findingCount === 0) lines.push('No findings: no foreign rows, no 5xx, no timeouts, no malformed answers.');
  else {
    lines.push(
      `${run.findingCount.toLocaleString('en-US')} findings (route × query); replay one with npm run probe -- --seed ${run.seed} --case <n> (and the same --customers).`,
    );
    for (const kind of findingKinds) {
      // One line per query and kind, naming every route it happened on.
      const byCase = new Map<number, Finding[]>();
      for (const f of run.findings.filter((x) => x.kind === kind)) byCase.set(f.case, [...(byCase.get(f.case) ?? []), f]);
      if (byCase.size === 0) continue;
      lines.push(
        '',
        `${kind}: ${byCase.size} queries${byCase.size >= SHOWN_PER_KIND ? ` (first ${SHOWN_PER_KIND} shown, more in the JSON)` : ''}`,
      );
      for (const [n, group] of [...byCase].slice(0, SHOWN_PER_KIND)) {
        const first = group[0]!;
        lines.push(
          `  case ${n}, tenant ${JSON.stringify(first.tenant)}, ${group.map((f) => `${f.route} (${f.status ?? '—'})`).join(', ')}: ${first.detail.slice(0, 260)}`,
        );
        lines.push(`    query ${first.query.slice(0, 260)}`);
      }
    }
  }
  return lines.join('\n');
}
