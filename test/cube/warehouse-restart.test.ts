import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { startCubeServer, type RunningCube } from '../../src/cube/server.js';
import { mintToken } from '../../src/cube/tokens.js';
import { schemaDir } from '@engagement/contract/node';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../src/warehouse/embedded.js';
import { migrateDatabase } from '../support/database.js';
import { freePort } from '../support/ports.js';

// Ten board viewers keep asking while the warehouse stops and starts again. Before the fix a
// pg client checked out between two statements got PostgreSQL's "terminating connection due
// to administrator command" with no 'error' listener, and Node died of it.
const dataDir = path.resolve(`${process.env.TEST_DATA_DIR ?? '.data/test'}-warehouse-restart`);
const SECRET = 'warehouse-restart-test-secret';
const VIEWERS = 10;
const MAX_REQUESTS_PER_VIEWER = 400;
const REQUEST_TIMEOUT_MS = 20_000;
const RECOVERY_BOUND_MS = 5_000;

let port: number;
let warehouse: EmbeddedWarehouse | undefined;
let cube: RunningCube;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

const start = () => startEmbeddedWarehouse({ dataDir, port, database: 'engagement' });

/** The n-th query of the board: a few KPI shapes, each with its own range and limit so Cube's cache never answers it. */
function boardQuery(n: number): object {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const shapes = [
    {
      measures: ['web_sessions.sessions', 'web_sessions.bounce_rate'],
      timeDimensions: [{ dimension: 'web_sessions.started_at', granularity: 'week', dateRange: [`2025-01-${day}`, '2026-10-31'] }],
    },
    {
      measures: ['survey_responses.nps'],
      timeDimensions: [{ dimension: 'survey_responses.responded_at', granularity: 'month', dateRange: [`2025-02-${day}`, '2026-10-31'] }],
    },
    {
      measures: ['orders.purchase_frequency'],
      timeDimensions: [{ dimension: 'orders.ordered_at', granularity: 'month', dateRange: [`2025-03-${day}`, '2026-10-31'] }],
    },
    {
      measures: ['support_tickets.avg_first_response_hours'],
      timeDimensions: [{ dimension: 'support_tickets.opened_at', granularity: 'month', dateRange: [`2025-04-${day}`, '2026-10-31'] }],
    },
  ];
  return { ...shapes[n % shapes.length], limit: 1_000 + n };
}

interface Answer {
  at: number;
  status: number;
  error?: string;
}

async function ask(query: object, token: string): Promise<Answer> {
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`${cube.apiUrl}/load?query=${encodeURIComponent(JSON.stringify(query))}`, {
      headers: { Authorization: token },
      signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    });
    const body = (await response.json()) as { error?: string };
    if (body.error !== 'Continue wait') return { at: Date.now(), status: response.status, ...(body.error ? { error: body.error } : {}) };
  }
}

beforeAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
  port = await freePort();
  warehouse = await start();
  await migrateDatabase(warehouse.url);
  await seedWarehouse(warehouse.url, { customers: 1_500, seed: 5, until: new Date('2026-11-01T00:00:00Z') });
  cube = await startCubeServer({
    databaseUrl: warehouse.url,
    port: 0,
    apiSecret: SECRET,
    schemaPath: schemaDir,
    preAggregations: false,
    logger: () => {},
  });
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await cube?.stop();
  await warehouse?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('a warehouse restart under ten board viewers', () => {
  it('answers 503 during the outage and again within 5 s of the warehouse coming back, without crashing', async () => {
    const token = mintToken(SECRET, { tenant: 'acme' });
    const answers: Answer[] = [];
    let next = 0;
    let done = false;
    const viewer = async () => {
      for (let i = 0; i < MAX_REQUESTS_PER_VIEWER && !done; i++) answers.push(await ask(boardQuery(next++), token));
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    const viewers = Array.from({ length: VIEWERS }, viewer);
    await sleep(3_000);
    const stoppedAt = Date.now();
    await warehouse!.stop();
    warehouse = undefined;
    await sleep(2_000);
    warehouse = await start();
    const backAt = Date.now();
    await sleep(RECOVERY_BOUND_MS + 2_000);
    done = true;
    await Promise.all(viewers);

    const before = answers.filter((a) => a.at < stoppedAt);
    const outage = answers.filter((a) => a.at >= stoppedAt && a.at < backAt);
    const after = answers.filter((a) => a.at >= backAt);
    const firstOk = after.find((a) => a.status === 200);
    const recoveryMs = firstOk ? firstOk.at - backAt : Infinity;
    console.log(
      `warehouse restart: ${answers.length} answers (${before.length} before, ${outage.length} during the outage, ${after.length} after); ` +
        `first success ${recoveryMs} ms after the warehouse was back`,
    );

    expect(uncaught).toEqual([]);
    expect(before.length).toBeGreaterThan(0);
    expect(
      before.every((a) => a.status === 200),
      JSON.stringify(before.filter((a) => a.status !== 200)),
    ).toBe(true);
    expect(outage.length).toBeGreaterThan(0);
    const failures = answers.filter((a) => a.status !== 200);
    for (const failure of failures) {
      expect(failure.status, JSON.stringify(failure)).toBe(503);
      expect(failure.error).toMatch(/^The warehouse is unreachable \(.+\)\. Try again once it is back\.$/);
    }
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    // Once one query succeeds the pool has let go of every dead connection: all later ones succeed.
    expect(after.filter((a) => a.at > firstOk!.at + 1_000).every((a) => a.status === 200)).toBe(true);
  });
});
