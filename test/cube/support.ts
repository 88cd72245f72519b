import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect } from 'vitest';
import { startCubeServer, type CubeServerOptions, type RunningCube } from '../../src/cube/server.js';
import { mintToken } from '../../src/cube/tokens.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

export const API_SECRET = 'cube-runtime-test-secret';
export const MODEL_DIR = path.resolve(import.meta.dirname, 'fixtures/model');

export const ACME = 'acme';
export const GLOBEX = 'globex';

/** Two tenants: acme has 3 customers and 4 survey answers, globex 2 and 2. */
export async function seedTwoTenants(db: Knex): Promise<void> {
  await db('tenants').insert([
    { id: ACME, name: 'Acme', business_model: 'b2b' },
    { id: GLOBEX, name: 'Globex', business_model: 'b2c' },
  ]);
  const customer = (id: number, tenant: string, plan: string, signup: string) => ({
    id,
    tenant_id: tenant,
    plan,
    signup_at: signup,
    segment: 'smb',
    country: 'US',
    acquisition_channel: 'organic',
  });
  await db('customers').insert([
    customer(1, ACME, 'pro', '2026-01-10T12:00:00Z'),
    customer(2, ACME, 'pro', '2026-02-03T12:00:00Z'),
    customer(3, ACME, 'free', '2026-02-20T12:00:00Z'),
    customer(11, GLOBEX, 'pro', '2026-01-15T12:00:00Z'),
    customer(12, GLOBEX, 'free', '2026-03-01T12:00:00Z'),
  ]);
  const answer = (id: number, tenant: string, customerId: number, kind: string, score: number) => ({
    id,
    tenant_id: tenant,
    customer_id: customerId,
    kind,
    score,
    responded_at: '2026-03-05T12:00:00Z',
    touchpoint: 'email',
  });
  await db('survey_responses').insert([
    answer(1, ACME, 1, 'nps', 10),
    answer(2, ACME, 1, 'nps', 9),
    answer(3, ACME, 2, 'nps', 3),
    answer(4, ACME, 3, 'csat', 5),
    answer(11, GLOBEX, 11, 'nps', 7),
    answer(12, GLOBEX, 12, 'csat', 2),
  ]);
}

export interface LogLine {
  level: string;
  message: string;
}

/** The fixture model on a free port; Cube's log lines are collected instead of printed. */
export async function startFixtureCube(
  databaseUrl: string,
  port = 0,
  options: Pick<CubeServerOptions, 'http' | 'maxTokenLifetime' | 'answerCacheSeconds'> = {},
): Promise<{ cube: RunningCube; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const cube = await startCubeServer({
    databaseUrl,
    port,
    apiSecret: API_SECRET,
    schemaPath: MODEL_DIR,
    logger: (level, message) => logs.push({ level, message }),
    ...options,
  });
  return { cube, logs };
}

export const tokenFor = (tenant: string) => mintToken(API_SECRET, { tenant });
export const adminToken = () => mintToken(API_SECRET, { admin: true });

export interface CubeResponse {
  status: number;
  body: { error?: string; data?: Record<string, unknown>[]; [key: string]: unknown };
}

/**
 * One HTTP request to the REST API. Cube answers a query still running after a few seconds
 * with 200 `{ error: 'Continue wait' }` and expects the client to ask again, as its SDK does.
 */
export async function call(
  cube: RunningCube,
  endpoint: string,
  init: { authorization?: string; method?: 'GET' | 'POST'; body?: string; timeoutMs?: number } = {},
): Promise<CubeResponse> {
  const deadline = Date.now() + (init.timeoutMs ?? 30_000);
  for (;;) {
    const response = await fetch(`${cube.apiUrl}${endpoint}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.authorization === undefined ? {} : { Authorization: init.authorization }),
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: init.body,
      signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    });
    const body = (await response.json()) as CubeResponse['body'];
    if (body.error !== 'Continue wait') return { status: response.status, body };
  }
}

/** A refusal: the status (400 unless given), a message that matches, and no stack trace. */
export async function expectRefused(response: Promise<CubeResponse>, message: RegExp, status = 400): Promise<void> {
  const { status: got, body } = await response;
  expect(got, JSON.stringify(body).slice(0, 500)).toBe(status);
  expect(body.error).toMatch(message);
  expect(body).not.toHaveProperty('stack');
}

/** `/v1/load` for a query given as an object, with a raw Authorization header value. */
export function load(cube: RunningCube, authorization: string, query: object, timeoutMs?: number): Promise<CubeResponse> {
  return call(cube, `/load?query=${encodeURIComponent(JSON.stringify(query))}`, { authorization, timeoutMs });
}

/** Rows of a successful load; counts come back as numbers or numeric strings depending on pg's parsers. */
export async function rows(cube: RunningCube, authorization: string, query: object): Promise<Record<string, unknown>[]> {
  const { status, body } = await load(cube, authorization, query);
  if (status !== 200 || !body.data) throw new Error(`Cube answered ${status}: ${JSON.stringify(body)}`);
  return body.data.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value]),
    ),
  );
}

/**
 * For one test file: a fresh database with the two tenants of seedTwoTenants and the fixture
 * model's Cube over it, started before the file's tests and stopped after them.
 */
export function useTwoTenantCube(): { readonly cube: RunningCube; readonly database: TestDatabase } {
  const fixture = {} as { cube: RunningCube; database: TestDatabase };
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    await seedTwoTenants(fixture.database.db);
    ({ cube: fixture.cube } = await startFixtureCube(fixture.database.url));
  });
  afterAll(async () => {
    await fixture.cube?.stop();
    await fixture.database?.drop();
  });
  return fixture;
}
