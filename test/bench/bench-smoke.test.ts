import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../bench/report.js';
import { runBench } from '../../bench/run.js';
import { freePort } from '../support/ports.js';
import { dashboardQueries } from '@engagement/contract/node';
import { readsRawByDesign } from '../support/raw-by-design.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

/** A smoke run's options: one tiny warehouse, one run of each figure, a second of load. */
async function smokeOptions(
  dataDir: string,
  overrides: Partial<Parameters<typeof runBench>[0]> = {},
): Promise<Parameters<typeof runBench>[0]> {
  return {
    sizes: [400],
    runs: 1,
    seed: 5,
    reseed: false,
    out: '',
    dataDir,
    port: await freePort(),
    importRows: 500,
    predictCustomers: 200,
    viewers: [1],
    loadSeconds: 1,
    lifetimesPython: path.join(dataDir, 'no-python'),
    ...overrides,
  };
}

// `npm run bench` at 1M customers takes many minutes; this runs the same code on a tiny warehouse.
describe('npm run bench (smoke run)', () => {
  // Seeds, starts three Cube servers, builds the rollups and runs the load test: minutes on a busy machine.
  it('times every executive KPI five ways, agrees with the hand-written SQL, and reads rollups', async () => {
    // Under the project, not /tmp: as root, the embedded PostgreSQL runs as another user.
    const dataDir = path.resolve('.data', `bench-smoke-${process.pid}`);
    dirs.push(dataDir);
    const result = await runBench(await smokeOptions(dataDir, { importRows: 3000, predictCustomers: 2000, viewers: [1, 3] }));

    const [size] = result.sizes;
    expect(size!.customers).toBe(400);
    expect(size!.seeding).toMatchObject({ customers: 400, fresh: true });
    expect(size!.seeding!.rowsPerSecond).toBeGreaterThan(0);
    expect(size!.kpis.map((k) => k.measure).sort()).toEqual([
      'customer_health.ces',
      'customer_health.churn_rate',
      'customer_health.clv',
      'customer_health.csat',
      'customer_health.nps',
      'customer_health.retention_rate',
      'web_engagement.bounce_rate',
      'web_engagement.conversion_rate',
      'web_engagement.stickiness',
    ]);
    for (const kpi of size!.kpis) {
      expect(kpi.sameAnswer, kpi.kpi).toBe(true);
      expect(kpi.rollupTables.length, kpi.kpi).toBeGreaterThan(0);
      expect(kpi.coldVsSql).toBeCloseTo(kpi.cubeCold.medianMs / kpi.handSql.medianMs, 9);
      // Every KPI but lifetime value has a metrics function, whose answer is the hand SQL's.
      if (kpi.measure === 'customer_health.clv') expect(kpi.metricsFunction, kpi.kpi).toBeNull();
      else {
        expect(kpi.metricsSameAnswer, kpi.kpi).toBe(true);
        expect(kpi.metricsVsSql).toBeCloseTo(kpi.metricsFunction!.medianMs / kpi.handSql.medianMs, 9);
      }
    }
    expect(size!.board!.queries).toBe(11);

    // Every provisioned board from its rollups: each query uncached, then the whole board.
    const provisioned = dashboardQueries({ from: new Date(0), to: new Date() });
    expect(size!.boards.map((board) => board.dashboard).sort()).toEqual([...new Set(provisioned.map((panel) => panel.dashboard))].sort());
    for (const board of size!.boards) {
      expect(board.queries.length, board.dashboard).toBeGreaterThan(0);
      expect(board.uncached.runs).toBe(1);
      const rawByDesign = (panel: string) =>
        readsRawByDesign(provisioned.find((p) => p.dashboard === board.dashboard && p.panel === panel)!.query);
      for (const query of board.queries) expect(query.rollupTables.length === 0, query.panel).toBe(rawByDesign(query.panel));
    }

    // The load test: one level per viewer count, every request answered from the cache.
    expect(size!.load).toMatchObject({ tenant: size!.tenant, queriesPerOpen: 11 });
    expect(size!.load!.levels.map((level) => level.viewers)).toEqual([1, 3]);
    for (const level of size!.load!.levels) {
      expect(level.errors, `${level.viewers} viewers`).toBe(0);
      expect(level.requests).toBeGreaterThan(level.viewers);
      expect(level.requestsPerSecond).toBeCloseTo(level.requests / level.seconds, 6);
      expect(level.p50Ms).toBeLessThanOrEqual(level.p95Ms);
      expect(level.p95Ms).toBeLessThanOrEqual(level.p99Ms);
      expect(level.serverRssMiB).toBeGreaterThan(0);
      expect(level.serverPeakRssMiB).toBeGreaterThanOrEqual(level.serverRssMiB!);
    }

    expect(result.import).toMatchObject({ table: 'customers', rows: 3000, load: { added: 3000 }, reimport: { unchanged: 3000 } });
    expect(result.import!.changed).toMatchObject({ updated: 300, unchanged: 2700 });
    expect(result.import!.load.rowsPerSecond).toBeCloseTo(3000 / result.import!.load.seconds, 6);

    expect(result.predict).toMatchObject({ customers: 2000 });
    expect(result.predict!.orders).toBeGreaterThan(2000);
    expect(result.predict!.extrapolatedMillionSeconds).toBeCloseTo(result.predict!.totalSeconds * 500, 6);

    const report = renderReport(result);
    expect(report).toContain('### Predict: one shop of 2,000 customers');
    expect(report).toContain('Skipped: no Python with lifetimes at');
    expect(report).toContain('| (b)/(a) | (d)/(a) | (e)/(a) |');
    expect(report).toContain('### Import: 3,000 customers from CSV');
    expect(report).toMatch(/\| first load \(3,000 added\) +\| +[\d.]+ \| +[\d,]+ \|/);
    expect(report).toMatch(/\| every tenth row changed \(300 updated, 2,700 unchanged\) +\| +[\d.]+ \| +[\d,]+ \|/);
    expect(report).toContain('| Churn rate (monthly)');
    expect(report).toMatch(/\| executive-overview +\| +9 \|/);
    expect(report).toMatch(/\| 3 viewers × 1 s \([\d,]+ requests\) +\| +[\d,]+ \|/);
    expect(report).toContain(`${result.machine.cores} cores`);
  }, 240_000);

  it('--only boards times the named provisioned boards alone, from their rollups', async () => {
    const dataDir = path.resolve('.data', `bench-boards-${process.pid}`);
    dirs.push(dataDir);
    const options = await smokeOptions(dataDir, { only: 'boards' });
    await expect(runBench({ ...options, dashboards: ['customer-journey', 'no-such-board'] })).rejects.toThrow(
      /--dashboards: no provisioned dashboard no-such-board \(known: .*customer-journey/,
    );

    // The shop: the largest tenant is a SaaS one, whose purchase funnel and carts are empty.
    const result = await runBench({ ...options, dashboards: ['customer-journey'], tenant: 'northwind' });
    const [size] = result.sizes;
    expect(size).toMatchObject({ customers: 400, tenant: 'northwind', kpis: [], board: null, load: null });
    expect(size!.boards.map((board) => board.dashboard)).toEqual(['customer-journey.json']);
    for (const query of size!.boards[0]!.queries) expect(query.rollupTables.length, query.panel).toBeGreaterThan(0);
    expect(result.import).toBeUndefined();
    const report = renderReport(result);
    expect(report).toContain('Executive KPIs not timed (--only boards).');
    expect(report).toMatch(/\| customer-journey +\| +\d+ \|/);

    await expect(runBench({ ...options, dashboards: ['customer-journey'], tenant: 'nobody' })).rejects.toThrow(
      /--tenant: the warehouse has no customers of tenant nobody \(tenants: .*northwind/,
    );
  }, 240_000);

  it('--only import times the import alone, seeding no warehouse', async () => {
    const dataDir = path.resolve('.data', `bench-import-${process.pid}`);
    dirs.push(dataDir);
    const result = await runBench(await smokeOptions(dataDir, { only: 'import' }));
    expect(result.sizes).toEqual([]);
    expect(result.predict).toBeUndefined();
    expect(result.import).toMatchObject({ rows: 500, load: { added: 500 }, reimport: { unchanged: 500 }, changed: { updated: 50 } });
    expect(result.import!.parquet).toMatchObject({
      rowGroups: 1,
      load: { added: 500 },
      reimport: { unchanged: 500 },
      changed: { updated: 50 },
    });
    expect(renderReport(result)).toContain('### Import: the same 500 customers from Parquet (');
    expect(await fs.readdir(dataDir)).not.toContain('seed-400.json');
  });

  it('has --help, and names the option a bad value came from', async () => {
    const help = await run(tsx, ['bench/run.ts', '--help']);
    expect(help.stdout).toContain('--sizes <list>');
    expect(help.stdout).toContain('--runs <n>');
    expect(help.stdout).toContain('--import-rows <n>');
    expect(help.stdout).toContain('--viewers <list>');
    expect(help.stdout).toMatch(/--only <part> +run one part only.*\(choices: "board",\s+"boards",\s+"import",\s+"predict"\)/s);
    expect(help.stdout).toContain('--dashboards <list>');
    expect(help.stdout).toContain('--tenant <id>');
    const bad = await run(tsx, ['bench/run.ts', '--runs', '0']).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--runs: runs must be at least 1');
    const noViewers = await run(tsx, ['bench/run.ts', '--viewers', '10,0']).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(noViewers.code).toBe(2);
    expect(noViewers.stderr).toContain('--viewers: each viewer count must be at least 1');
  });
});
