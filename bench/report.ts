import { slowestQuery } from './boards.js';
import type { ImportRuns } from './import.js';
import { renderLifetimes } from './lifetimes.js';
import type { BenchResult, SizeResult } from './results.js';
import type { Timing } from './stats.js';

const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US'));
const timing = (t: Timing) => `${ms(t.medianMs)} / ${ms(t.p95Ms)}`;
const times = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}×`);
const count = (n: number) => n.toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

function sizeSection(size: SizeResult): string {
  const rows = Object.values(size.rows).reduce((a, b) => a + b, 0);
  const seeding = size.seeding
    ? `seeded ${count(size.seeding.rows)} rows in ${size.seeding.seconds.toFixed(1)} s = ${count(Math.round(size.seeding.rowsPerSecond))} rows/s` +
      (size.seeding.fresh ? '' : ` (measured ${size.seeding.measuredAt.slice(0, 10)}, reused)`)
    : 'seeding not measured (warehouse reused)';
  const kpis =
    size.kpis.length === 0
      ? 'Executive KPIs not timed (--only boards).'
      : table(
          [
            'KPI (median / p95 ms)',
            '(a) hand SQL',
            '(b) Cube cold',
            '(c) Cube warm',
            '(d) rollup',
            '(e) metrics fn',
            '(b)/(a)',
            '(d)/(a)',
            '(e)/(a)',
            'same answer',
          ],
          size.kpis.map((k) => [
            k.kpi,
            timing(k.handSql),
            timing(k.cubeCold),
            timing(k.cubeWarm),
            k.rollupTables.length ? timing(k.rollup) : `${timing(k.rollup)} (raw)`,
            k.metricsFunction ? timing(k.metricsFunction) : '–',
            times(k.coldVsSql),
            times(k.rollupVsSql),
            times(k.metricsVsSql),
            k.sameAnswer && k.metricsSameAnswer !== false ? 'yes' : 'NO',
          ]),
        );
  const board = size.board
    ? table(
        [`Executive board, ${size.board.queries} queries at once`, 'median / p95 ms'],
        [
          ['first open (builds the rollups)', ms(size.board.firstOpenMs)],
          ['cold: raw tables, no Cube cache', timing(size.board.cold)],
          ['rollups, no Cube cache', timing(size.board.rollup)],
          ['warm: Cube cache', timing(size.board.warm)],
        ],
      )
    : 'Executive board not timed (--only boards).';
  const boards = table(
    [
      'Board, from rollups (median / p95 ms)',
      'queries',
      'slowest query, uncached',
      'queries with p95 ≥ 50 ms',
      'on raw tables',
      'whole board uncached',
      'whole board warm',
    ],
    size.boards.map((board) => {
      const slowest = slowestQuery(board);
      return [
        board.dashboard.replace(/\.json$/, ''),
        count(board.queries.length),
        `${slowest.panel}: ${timing(slowest.timing)}`,
        count(board.queries.filter((q) => q.uncached.p95Ms >= 50).length),
        count(board.queries.filter((q) => q.rollupTables.length === 0).length),
        timing(board.uncached),
        timing(board.warm),
      ];
    }),
  );
  const mib = (value: number | null) => (value === null ? '–' : count(Math.round(value)));
  const load = !size.load
    ? 'Load test not run (--only boards).'
    : table(
        [
          `Load: viewers opening the board (${size.load.queriesPerOpen} queries each, cached), closed loop`,
          'requests/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'errors',
          'server RSS / peak MiB',
        ],
        size.load.levels.map((level) => [
          `${count(level.viewers)} viewer${level.viewers === 1 ? '' : 's'} × ${level.seconds.toFixed(0)} s (${count(level.requests)} requests)`,
          count(Math.round(level.requestsPerSecond)),
          ms(level.p50Ms),
          ms(level.p95Ms),
          ms(level.p99Ms),
          count(level.errors),
          `${mib(level.serverRssMiB)} / ${mib(level.serverPeakRssMiB)}`,
        ]),
      );
  return [
    `### ${count(size.customers)} customers (${count(rows)} rows; tenant ${size.tenant}: ${count(size.tenantCustomers)} customers)`,
    '',
    seeding,
    '',
    kpis,
    '',
    board,
    '',
    boards,
    '',
    load,
  ].join('\n');
}

/** How each KPI's median grows from the smallest size to the largest. */
function growthSection(result: BenchResult): string {
  if (result.sizes.length < 2) return '';
  const first = result.sizes[0]!;
  const last = result.sizes[result.sizes.length - 1]!;
  const header = ['KPI (median ms)', ...result.sizes.flatMap((s) => [`SQL ${count(s.customers)}`, `rollup ${count(s.customers)}`])];
  const rows = first.kpis.map((k) => [
    k.kpi,
    ...result.sizes.flatMap((s) => {
      const same = s.kpis.find((x) => x.kpi === k.kpi);
      return same ? [ms(same.handSql.medianMs), ms(same.rollup.medianMs)] : ['–', '–'];
    }),
  ]);
  return [`### Growth from ${count(first.customers)} to ${count(last.customers)} customers`, '', table(header, rows)].join('\n');
}

function importTable(runs: ImportRuns): string {
  return table(
    ['npm run import', 'seconds', 'rows/s'],
    [
      [`first load (${count(runs.load.added)} added)`, runs.load.seconds.toFixed(1), count(Math.round(runs.load.rowsPerSecond))],
      [
        `same file again (${count(runs.reimport.unchanged)} unchanged)`,
        runs.reimport.seconds.toFixed(1),
        count(Math.round(runs.reimport.rowsPerSecond)),
      ],
      [
        `every tenth row changed (${count(runs.changed.updated)} updated, ${count(runs.changed.unchanged)} unchanged)`,
        runs.changed.seconds.toFixed(1),
        count(Math.round(runs.changed.rowsPerSecond)),
      ],
    ],
  );
}

function importSection(result: BenchResult): string {
  const i = result.import;
  if (!i) return '';
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  return [
    `### Import: ${count(i.rows)} ${i.table} from CSV (${mib(i.bytes)} MiB)`,
    '',
    importTable(i),
    '',
    `### Import: the same ${count(i.rows)} ${i.table} from Parquet (${mib(i.parquet.bytes)} MiB, Snappy, ${count(i.parquet.rowGroups)} row group${i.parquet.rowGroups === 1 ? '' : 's'})`,
    '',
    importTable(i.parquet),
  ].join('\n');
}

function predictSection(result: BenchResult): string[] {
  const p = result.predict;
  if (!p) return [];
  return [
    '',
    `### Predict: one shop of ${count(p.customers)} customers, ${count(p.orders)} orders`,
    '',
    table(
      ['npm run predict', 'seconds'],
      [
        ['read purchase summaries', p.readSeconds.toFixed(1)],
        [`fit BG/NBD (${count(p.distinctHistories)} distinct histories)`, p.bgnbdFitSeconds.toFixed(1)],
        ['fit Gamma-Gamma', p.gammaGammaFitSeconds.toFixed(1)],
        ['total: read, fit, score, write, commit', p.totalSeconds.toFixed(1)],
        ['total scaled linearly to 1,000,000 customers', p.extrapolatedMillionSeconds.toFixed(0)],
      ],
    ),
  ];
}

export function renderReport(result: BenchResult): string {
  const m = result.machine;
  return [
    `## Benchmark ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.platform}; Node ${m.node}; ${m.postgres}; Cube ${m.cube}. ` +
      `${result.options.runs} measured runs after one warm-up; times are median / p95 in ms.`,
    '',
    ...result.sizes.flatMap((size) => [sizeSection(size), '']),
    growthSection(result),
    '',
    importSection(result),
    ...predictSection(result),
    ...(result.lifetimes ? ['', renderLifetimes(result.lifetimes)] : []),
  ].join('\n');
}
