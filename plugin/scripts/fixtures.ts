/**
 * Writes src/datasource/__fixtures__/*.json: answers of the project's Cube runtime on the
 * worked-example tenants, which the unit tests feed to the data source and panels. It starts the
 * root's examples stack (scripts/examples-stack.ts), asks Cube the fixed questions below and
 * writes the answers; a live test fails when a fresh capture differs from the files.
 *   npm run fixtures            (from plugin/)
 * Volatile fields (when Cube last refreshed, whether it found the query slow) are written as
 * fixed values so a capture is reproducible.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CubeQuery, ExamplesStack } from '@engagement/contract';
import { startExamplesStack } from './examples-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixturesDir = path.resolve(here, '../src/datasource/__fixtures__');

const timeseries: CubeQuery = {
  measures: ['web_engagement.bounce_rate', 'web_engagement.sessions'],
  dimensions: ['web_engagement.channel'],
  timeDimensions: [
    { dimension: 'web_engagement.started_at', granularity: 'month', dateRange: ['2025-01-01T00:00:00.000', '2025-12-31T23:59:59.999'] },
  ],
  order: [['web_engagement.started_at', 'asc']],
  limit: 10000,
  timezone: 'UTC',
};

interface Exchange {
  status: number;
  body: unknown;
}

/** `lastRefreshTime` and `slowQuery` change from run to run; everything else is the answer. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key === 'lastRefreshTime') return [key, '2026-01-01T00:00:00.000Z'];
      if (key === 'slowQuery') return [key, false];
      return [key, normalize(v)];
    }),
  );
}

/** Every fixture file's content for a running stack, by file name. */
export async function captureFixtures(stack: ExamplesStack): Promise<Record<string, string>> {
  // The Cube without rollups: answers and SQL from the raw tables, as the model writes them.
  const apiUrl = `${stack.rawCubeUrl}/cubejs-api/v1`;
  const token = (tenant: string) => stack.tokens[tenant] ?? 'missing-token';
  const get = async (pathAndQuery: string, authorization: string): Promise<Exchange> => {
    for (;;) {
      const response = await fetch(`${apiUrl}${pathAndQuery}`, { headers: { Authorization: authorization } });
      const body = (await response.json()) as { error?: unknown };
      if (body.error !== 'Continue wait') return { status: response.status, body: normalize(body) };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const load = (tenant: string, query: CubeQuery) =>
    get(`/load?query=${encodeURIComponent(JSON.stringify(query))}`, `Bearer ${token(tenant)}`);
  const { web, cohort } = stack.workedExamples;

  const meta = (await get('/meta', `Bearer ${token(web)}`)).body as { cubes: Array<{ type?: string }> };
  const exchanges: Record<string, unknown> = {
    // Trimmed to the views, the surface the editor lists first; the cubes add nothing the tests use.
    'meta.json': { cubes: meta.cubes.filter((cube) => cube.type === 'view') },
    'meta-bad-token.json': await get('/meta', 'Bearer not-a-jwt'),
    'load-bad-member.json': await load(web, { measures: ['web_engagement.nope'], timezone: 'UTC' }),
    'load-timeseries.json': await load(web, timeseries),
    'load-cohort.json': await load(cohort, {
      measures: ['customer_health.cohort_retention_rate'],
      dimensions: ['customer_health.months_since_signup'],
      timeDimensions: [{ dimension: 'customer_health.cohort_month', granularity: 'month' }],
      // Without an order Cube's rows within a cohort come in any order, and the fixture would not be stable.
      order: [
        ['customer_health.cohort_month', 'asc'],
        ['customer_health.months_since_signup', 'asc'],
      ],
      limit: 10000,
      timezone: 'UTC',
    }),
    'load-values.json': await load(web, { dimensions: ['web_engagement.channel'], limit: 100, timezone: 'UTC' }),
    'sql.json': await get(`/sql?query=${encodeURIComponent(JSON.stringify(timeseries))}`, `Bearer ${token(web)}`),
  };
  return Object.fromEntries(Object.entries(exchanges).map(([file, value]) => [file, `${JSON.stringify(value, null, 1)}\n`]));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dataDir = path.resolve(here, '../../.data/fixtures');
  const running = await startExamplesStack(dataDir);
  try {
    for (const [file, content] of Object.entries(await captureFixtures(running.stack))) {
      fs.writeFileSync(path.join(fixturesDir, file), content);
      console.log(`wrote ${path.relative(process.cwd(), path.join(fixturesDir, file))}`);
    }
  } finally {
    await running.stop();
  }
}
