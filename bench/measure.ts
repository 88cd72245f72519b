import pg from 'pg';
import { ignoreErrorsOfEndingClients } from '../src/cube/pool-errors.js';
import { PRE_AGGREGATIONS_SCHEMA } from '../src/cube/pre-aggregations-schema.js';
import { startCubeServer, type RunningCube } from '../src/cube/server.js';
import { mintToken } from '../src/cube/tokens.js';
import { schemaDir } from '@engagement/contract/node';
import { CubeClient } from '../src/cube/client.js';
import { cubeAnswer, handRange, sameAnswer, sqlAnswer } from './answers.js';
import type { PanelQuery } from '@engagement/contract';
import { handSql } from './hand-sql.js';
import { runLoad, startLoadServer, type LoadResult } from './load.js';
import { distinctQueries, measureBoards } from './boards.js';
import { seriesCall } from './metrics-functions.js';
import { refreshMetricsViews } from '../src/metrics/views.js';
import { connect } from '../src/warehouse/connection.js';
import type { KpiResult, SizeResult } from './results.js';
import { ratio, timeRuns } from './stats.js';

const API_SECRET = 'benchmark-secret-not-for-production';

export interface MeasureOptions {
  url: string;
  runs: number;
  board: PanelQuery[];
  /** Every provisioned board's queries, timed from rollups. */
  boards: PanelQuery[];
  now: Date;
  /** The tenant whose boards are timed; the one with the most customers when absent. */
  tenant?: string;
  /** The load test's viewer counts, and how long each level runs. */
  load: { viewers: readonly number[]; seconds: number };
  /** Called before each step, with what it is about to measure. */
  step: (label: string) => void;
}

async function startCube(
  url: string,
  preAggregations: boolean,
): Promise<{ cube: RunningCube; tenantClient: (tenant: string) => CubeClient }> {
  const cube = await startCubeServer({
    databaseUrl: url,
    port: 0,
    apiSecret: API_SECRET,
    schemaPath: schemaDir,
    preAggregations,
    // Cold queries and rollup builds at 1,000,000 customers run longer than a served query may.
    limits: { statementTimeoutSeconds: 600 },
    // The timings are the output; Cube's own errors still surface as failed requests.
    logger: () => {},
  });
  const tenantClient = (tenant: string) => new CubeClient(cube.apiUrl, mintToken(API_SECRET, { tenant }), { maxWaitMs: 600_000 });
  return { cube, tenantClient };
}

/** The tenant whose boards are timed: the one named, or the one with the most customers (the heaviest board). */
async function boardTenant(pool: pg.Pool, named: string | undefined): Promise<{ tenant: string; customers: number }> {
  const { rows } = await pool.query<{ tenant_id: string; n: string }>(
    'SELECT tenant_id, count(*) AS n FROM customers GROUP BY tenant_id ORDER BY n DESC, tenant_id',
  );
  const row = named === undefined ? rows[0] : rows.find((r) => r.tenant_id === named);
  if (!row) {
    throw new Error(
      named === undefined
        ? 'The warehouse has no customers'
        : `--tenant: the warehouse has no customers of tenant ${named} (tenants: ${rows.map((r) => r.tenant_id).join(', ')})`,
    );
  }
  return { tenant: row.tenant_id, customers: Number(row.n) };
}

/** Exact row counts: the statistics' estimates are empty after a crash or before ANALYZE. */
async function rowCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows: tables } = await pool.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname <> ALL ('{knex_migrations,knex_migrations_lock,date_spine}') ORDER BY relname`,
  );
  const counts: Record<string, number> = {};
  for (const { relname } of tables) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM public."${relname}"`);
    counts[relname] = Number(rows[0]!.n);
  }
  return counts;
}

/** Each tenant has a rollup schema of its own; the next Cube server to start makes them again. */
async function dropRollups(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname = $1 OR nspname LIKE $1 || '\\_%'`,
    [PRE_AGGREGATIONS_SCHEMA],
  );
  for (const { nspname } of rows) await pool.query(`DROP SCHEMA ${pg.escapeIdentifier(nspname)} CASCADE`);
}

/**
 * The load test against a Cube of its own process, with every board answer already in its
 * result cache.
 */
async function loadTest(options: MeasureOptions, tenant: string): Promise<LoadResult> {
  // It builds its own rollups: a fresh process reading partitions another one built sometimes
  // plans a second version of a partition and reads a table it never made (seen at 400
  // customers with seed 5: "relation … does not exist").
  const pool = new pg.Pool({ connectionString: options.url, max: 1 });
  ignoreErrorsOfEndingClients(pool);
  try {
    await dropRollups(pool);
  } finally {
    await pool.end();
  }
  const server = await startLoadServer(options.url, API_SECRET);
  try {
    const token = mintToken(API_SECRET, { tenant });
    const client = new CubeClient(server.apiUrl, token, { maxWaitMs: 600_000 });
    for (const panel of options.board) await client.loadResult(panel.query);
    return await runLoad({
      apiUrl: server.apiUrl,
      token,
      tenant,
      queries: options.board.map((panel) => panel.query),
      viewers: options.load.viewers,
      seconds: options.load.seconds,
      serverMemory: server.memory,
      onLevel: (viewers) => options.step(`load test: ${viewers} viewer${viewers === 1 ? '' : 's'}`),
    });
  } finally {
    await server.stop();
  }
}

/**
 * Cube caches results by SQL text, and renewQuery still serves a fresh-enough cached result; SQL
 * that differs on every request makes each one run in the database, as the first open of a board
 * does: a row limit far above any board answer's size, or, for a query that has a limit (a top-N
 * table), a filter on its first dimension that no value can meet.
 */
function uncachedQueries(): (query: PanelQuery['query']) => PanelQuery['query'] {
  let requests = 0;
  return (query) => {
    if (query.limit === undefined) return { ...query, limit: 10_000 + requests++ };
    const member = query.dimensions?.[0];
    if (!member) throw new Error('A board query with a row limit and no dimension cannot be made uncached.');
    const never = { member, operator: 'notEquals' as const, values: [`bench-uncached-${requests++}`] };
    return { ...query, filters: [...(query.filters ?? []), never] };
  };
}

/**
 * Times one size: each KPI of the executive board as (a) hand-written SQL, (b) Cube without
 * rollups and without its result cache, (c) the same query again from Cube's cache, (d) Cube
 * reading rollups, without its result cache, (e) the `metrics` function for the KPI and range;
 * then the whole board, all queries at once; then the load test (bench/load.ts).
 */
export async function measureSize(customers: number, options: MeasureOptions): Promise<Omit<SizeResult, 'seeding'>> {
  const pool = new pg.Pool({ connectionString: options.url, max: 4 });
  ignoreErrorsOfEndingClients(pool);
  // Empty, so the first open of the board builds every rollup it reads.
  await dropRollups(pool);
  const raw = await startCube(options.url, false);
  const rolled = await startCube(options.url, true);
  let measured: Omit<SizeResult, 'seeding' | 'load'>;
  try {
    // The `metrics` functions, published as `npm run metrics` does, from the Cube without rollups.
    options.step('publishing the metrics functions');
    const db = connect(options.url);
    try {
      await refreshMetricsViews(db, new CubeClient(raw.cube.apiUrl, mintToken(API_SECRET, { admin: true }), { maxWaitMs: 600_000 }));
    } finally {
      await db.destroy();
    }
    const { tenant, customers: tenantCustomers } = await boardTenant(pool, options.tenant);
    const rawClient = raw.tenantClient(tenant);
    const rolledClient = rolled.tenantClient(tenant);
    const uncached = uncachedQueries();

    // First open of the board on the rollup server: every rollup partition it needs is built.
    options.step('first open of the board (building rollups)');
    const firstOpenStarted = performance.now();
    await Promise.all(options.board.map((panel) => rolledClient.loadResult(panel.query)));
    const firstOpenMs = performance.now() - firstOpenStarted;

    const kpis: KpiResult[] = [];
    for (const panel of distinctQueries(options.board)) {
      const measure = panel.query.measures![0]!;
      const hand = handSql[measure];
      if (!hand) throw new Error(`No hand-written SQL for ${measure} (panel "${panel.panel}")`);
      const range = handRange(panel.query, options.now);
      const { sql, params } = hand(tenant, range);

      // Each KPI's answers come from the last timed run of each way, so no query runs twice.
      options.step(`${panel.panel}: hand-written SQL`);
      const handRuns = await timeRuns(options.runs, () => pool.query<{ period: string | null; value: unknown }>(sql, params));
      options.step(`${panel.panel}: Cube, cold`);
      const cubeCold = (await timeRuns(options.runs, () => rawClient.loadResult(uncached(panel.query)))).timing;
      options.step(`${panel.panel}: Cube, warm`);
      const warmRuns = await timeRuns(options.runs, () => rawClient.loadResult(panel.query));
      options.step(`${panel.panel}: Cube, rollups`);
      const rollupRuns = await timeRuns(options.runs, () => rolledClient.loadResult(uncached(panel.query)));

      const expected = sqlAnswer(handRuns.last.rows);
      const call = seriesCall(measure, tenant, range);
      let metrics = { metricsFunction: null, metricsVsSql: null, metricsSameAnswer: null } as Pick<
        KpiResult,
        'metricsFunction' | 'metricsVsSql' | 'metricsSameAnswer'
      >;
      if (call) {
        options.step(`${panel.panel}: metrics function`);
        const runs = await timeRuns(options.runs, () => pool.query<{ period: string; value: unknown }>(call.sql, call.params));
        metrics = {
          metricsFunction: runs.timing,
          metricsVsSql: ratio(runs.timing.medianMs, handRuns.timing.medianMs),
          metricsSameAnswer: sameAnswer(sqlAnswer(runs.last.rows), expected),
        };
      }
      kpis.push({
        kpi: panel.panel,
        measure,
        handSql: handRuns.timing,
        cubeCold,
        cubeWarm: warmRuns.timing,
        rollup: rollupRuns.timing,
        rollupTables: Object.keys(rollupRuns.last.usedPreAggregations),
        sameAnswer:
          sameAnswer(cubeAnswer(panel.query, warmRuns.last.data), expected) &&
          sameAnswer(cubeAnswer(panel.query, rollupRuns.last.data), expected),
        coldVsSql: ratio(cubeCold.medianMs, handRuns.timing.medianMs),
        rollupVsSql: ratio(rollupRuns.timing.medianMs, handRuns.timing.medianMs),
        ...metrics,
      });
    }

    const wholeBoard = (client: CubeClient, fresh: boolean) => () =>
      Promise.all(options.board.map((panel) => client.loadResult(fresh ? uncached(panel.query) : panel.query)));
    options.step('whole board: cold');
    const cold = (await timeRuns(options.runs, wholeBoard(rawClient, true))).timing;
    options.step('whole board: rollups');
    const rollupBoard = (await timeRuns(options.runs, wholeBoard(rolledClient, true))).timing;
    options.step('whole board: warm');
    const warm = (await timeRuns(options.runs, wholeBoard(rolledClient, false))).timing;

    const boards = await measureBoards({
      client: rolledClient,
      panels: options.boards,
      runs: options.runs,
      uncached,
      step: options.step,
    });

    measured = {
      customers,
      rows: await rowCounts(pool),
      tenant,
      tenantCustomers,
      kpis,
      board: { queries: options.board.length, firstOpenMs, cold, rollup: rollupBoard, warm },
      boards,
    };
  } finally {
    await raw.cube.stop();
    await rolled.cube.stop();
    await pool.end();
  }
  // Only once this process's Cubes have stopped: two processes that each manage the same rollup
  // tables (no Cube Store, no shared lock) drop each other's new versions as orphans.
  options.step('load test: starting its Cube');
  return { ...measured, load: await loadTest(options, measured.tenant) };
}

/**
 * Times only the provisioned boards from their rollups (`--only boards`): no executive KPI
 * comparison, no load test. Rollups already built are kept; each board's first open builds the
 * partitions it still needs, untimed.
 */
export async function measureBoardsOfSize(customers: number, options: MeasureOptions): Promise<Omit<SizeResult, 'seeding'>> {
  const pool = new pg.Pool({ connectionString: options.url, max: 1 });
  ignoreErrorsOfEndingClients(pool);
  const rolled = await startCube(options.url, true);
  try {
    const { tenant, customers: tenantCustomers } = await boardTenant(pool, options.tenant);
    const boards = await measureBoards({
      client: rolled.tenantClient(tenant),
      panels: options.boards,
      runs: options.runs,
      uncached: uncachedQueries(),
      step: options.step,
    });
    return { customers, rows: await rowCounts(pool), tenant, tenantCustomers, kpis: [], board: null, boards, load: null };
  } finally {
    await rolled.cube.stop();
    await pool.end();
  }
}
