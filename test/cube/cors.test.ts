import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, seedTwoTenants, startFixtureCube, tokenFor } from './support.js';

const GRAFANA = 'https://grafana.example.com';
const OTHER = 'https://evil.example.net';

let database: TestDatabase;
let production: RunningCube;
let development: RunningCube;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTwoTenants(database.db);
  ({ cube: production } = await startFixtureCube(database.url, 0, {
    http: { mode: 'production', corsOrigins: [GRAFANA, 'http://localhost:3000'] },
  }));
  ({ cube: development } = await startFixtureCube(database.url));
});

afterAll(async () => {
  await production?.stop();
  await development?.stop();
  await database?.drop();
});

const meta = (cube: RunningCube, headers: Record<string, string>, method = 'GET') =>
  fetch(`${cube.apiUrl}/meta`, { method, headers: { Authorization: tokenFor(ACME), ...headers } });

describe('CORS in production mode', () => {
  it('lets a configured origin read answers', async () => {
    const response = await meta(production, { Origin: GRAFANA });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(GRAFANA);
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives any other origin no Access-Control-Allow-Origin, for requests and preflights', async () => {
    expect((await meta(production, { Origin: OTHER })).headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await meta(
      production,
      { Origin: OTHER, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
      'OPTIONS',
    );
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await meta(
      production,
      { Origin: GRAFANA, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
      'OPTIONS',
    );
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(GRAFANA);
  });

  it('serves no GraphiQL page and no playground', async () => {
    const graphiql = await fetch(`${production.url}/cubejs-api/graphql`, {
      headers: { Authorization: tokenFor(ACME), Accept: 'text/html' },
    });
    expect(graphiql.status).toBe(404);
    expect(await graphiql.json()).toEqual({ error: 'GraphQL is off in this service: send the same query as JSON to /cubejs-api/v1/load.' });
    // devServer is off: `/` is Cube's one-line production notice, and no playground app is served.
    const root = await fetch(`${production.url}/`, { headers: { Accept: 'text/html' } });
    expect(await root.text()).toMatch(/^<html><body>Cube\.js server is running in production mode\. <a [^<]*<\/a>\.<\/body><\/html>$/);
    expect((await fetch(`${production.url}/playground`, { headers: { Accept: 'text/html' } })).status).toBe(404);
  });
});

describe('CORS in development mode', () => {
  it('answers any origin', async () => {
    expect((await meta(development, { Origin: OTHER })).headers.get('access-control-allow-origin')).toBe('*');
  });
});
