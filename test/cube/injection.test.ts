import { describe, expect, it } from 'vitest';
import { ACME, call, GLOBEX, load, tokenFor, type CubeResponse, useTwoTenantCube } from './support.js';

// The probe of issue 9: Cube 0.35.81 pastes `timezone` into `AT TIME ZONE '…'`, so this closes
// the quote and adds a column that reads every tenant's customers.
const INJECTION =
  `UTC')) "customers__signup_at_year", (SELECT string_agg(tenant_id || '=' || n, ',') FROM ` +
  `(SELECT tenant_id, count(*) n FROM customers GROUP BY 1) t) "customers__count" --`;

const fixture = useTwoTenantCube();
const token = tokenFor(ACME);

// No dateRange: with one, Cube's date parser happens to reject the zone first.
const query = (timezone: string) => ({
  measures: ['customers.count'],
  timeDimensions: [{ dimension: 'customers.signup_at', granularity: 'year' }],
  timezone,
});
const asParam = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const get = (endpoint: string, value: unknown, extra = '') =>
  call(fixture.cube, `${endpoint}?query=${asParam(value)}${extra}`, { authorization: token });
const post = (endpoint: string, body: unknown) =>
  call(fixture.cube, endpoint, { authorization: token, method: 'POST', body: JSON.stringify(body) });

async function expectRefused(response: Promise<CubeResponse>, status = 400): Promise<void> {
  const { status: got, body } = await response;
  expect(got, JSON.stringify(body)).toBe(status);
  expect(JSON.stringify(body)).not.toContain(GLOBEX);
  if (status === 400) expect(body.error).toMatch(/timezone: expected an IANA time zone name/);
}

describe('the timezone injection of issue 9 is refused on every route', () => {
  it('POST /load', () => expectRefused(post('/load', { query: query(INJECTION) })));
  it('GET /load', () => expectRefused(get('/load', query(INJECTION))));
  it('GET /subscribe', () => expectRefused(get('/subscribe', query(INJECTION))));
  it('GET /sql', () => expectRefused(get('/sql', query(INJECTION))));
  it('POST /sql', () => expectRefused(post('/sql', { query: query(INJECTION) })));
  it('GET /dry-run', () => expectRefused(get('/dry-run', query(INJECTION))));
  it('POST /dry-run', () => expectRefused(post('/dry-run', { query: query(INJECTION) })));
  it('inside a multi-query array (data blending)', () =>
    expectRefused(post('/load', { query: [query('UTC'), query(INJECTION)], queryType: 'multi' })));
  it('in a compareDateRange query', async () => {
    const compare = {
      ...query(INJECTION),
      timeDimensions: [
        {
          dimension: 'customers.signup_at',
          granularity: 'year',
          compareDateRange: [
            ['2025-01-01', '2025-12-31'],
            ['2026-01-01', '2026-12-31'],
          ],
        },
      ],
    };
    await expectRefused(get('/load', compare, '&queryType=multi'));
  });
  it('GraphQL is off', async () => {
    const graphql = `{ cube(timezone: ${JSON.stringify(INJECTION)}) { customers { count signupAt { year } } } }`;
    const response = await fetch(`${fixture.cube.url}/cubejs-api/graphql`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: graphql }),
    });
    const text = await response.text();
    expect(response.status).toBe(404);
    expect(text).not.toContain(GLOBEX);
    expect(JSON.parse(text).error).toMatch(/GraphQL is off in this service/);
  });

  it('a real zone name still works with a tenant token, and shows only that tenant', async () => {
    const { status, body } = await load(fixture.cube, token, query('America/New_York'));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data!.map((row) => [row['customers.signup_at.year'], Number(row['customers.count'])])).toEqual([
      ['2026-01-01T00:00:00.000', 3],
    ]);
  });
});
