import { describe, expect, it } from 'vitest';
import { ACME, call, expectRefused, load, tokenFor, useTwoTenantCube } from './support.js';

const fixture = useTwoTenantCube();
const token = tokenFor(ACME);

const post = (query: unknown, extra: object = {}) =>
  call(fixture.cube, '/load', { authorization: token, method: 'POST', body: JSON.stringify({ query, ...extra }) });
const signups = (granularity: string, dateRange: unknown) => ({
  measures: ['customers.count'],
  timeDimensions: [{ dimension: 'customers.signup_at', granularity, dateRange }],
});
// As text: JSON.stringify itself overflows the stack on an object 100,000 deep.
const nested = (depth: number) =>
  `{"measures":["customers.count"],"filters":[${'{"or":['.repeat(depth)}{"member":"customers.plan","operator":"equals","values":["pro"]}${']}'.repeat(depth)}]}`;
const postText = (query: string) => call(fixture.cube, '/load', { authorization: token, method: 'POST', body: `{"query":${query}}` });

describe('each limit is refused with a 4xx naming it and its variable', () => {
  it('periods: second or hour grain over a year (which exhausted memory or ran for minutes) is refused; day over ten years runs', async () => {
    await expectRefused(
      load(fixture.cube, token, signups('second', ['2025-01-01', '2025-12-31'])),
      /31,536,000 periods .*the limit is 5,000 \(QUERY_MAX_PERIODS\)/,
    );
    await expectRefused(load(fixture.cube, token, signups('minute', ['2025-01-01', '2025-12-31'])), /525,600 periods/);
    await expectRefused(load(fixture.cube, token, signups('hour', ['2016-01-01', '2025-12-31'])), /87,672 periods/);
    await expectRefused(load(fixture.cube, token, signups('hour', 'last 2 years')), /periods .*QUERY_MAX_PERIODS/);
    const { status, body } = await load(fixture.cube, token, signups('day', ['2016-01-01', '2025-12-31']));
    expect(status, JSON.stringify(body)).toBe(200);
  });

  it('periods of a rolling-window measure: customers to date by second over an hour is refused; by day over two years runs', async () => {
    const toDate = (granularity: string, dateRange: unknown) => ({
      measures: ['customers.count', 'customers.signed_up_to_date'],
      dimensions: ['customers.plan'],
      timeDimensions: [{ dimension: 'customers.signup_at', granularity, dateRange }],
    });
    await expectRefused(
      load(fixture.cube, token, toDate('second', ['2026-02-03T12:00:00', '2026-02-03T12:59:59'])),
      /^Query too large: a rolling-window measure \(computed period by period\) over 3,600 periods of "customers.signup_at"; the limit is 1,000 \(QUERY_MAX_ROLLING_PERIODS\)\./,
    );
    // A calculated measure over a rolling window is one too, though /v1/meta does not say so.
    await expectRefused(
      load(fixture.cube, token, { ...toDate('day', ['2020-01-01', '2026-12-31']), measures: ['customers.signed_up_by_period_end'] }),
      /over 2,557 periods of "customers.signup_at".*QUERY_MAX_ROLLING_PERIODS/,
    );
    // The same periods without the rolling measure are within QUERY_MAX_PERIODS.
    const plain = await load(fixture.cube, token, signups('second', ['2026-02-03T12:00:00', '2026-02-03T12:59:59']));
    expect(plain.status, JSON.stringify(plain.body).slice(0, 300)).toBe(200);
    const { status, body } = await load(fixture.cube, token, {
      ...toDate('month', ['2026-01-01', '2026-03-31']),
      measures: ['customers.signed_up_to_date'],
      // Cube orders by the period only; the plans within one come in whatever order the plan gives.
      order: { 'customers.signup_at': 'asc', 'customers.plan': 'asc' },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    // acme: pro signed up in January and February, free in February; every plan has a row each month.
    expect(
      body.data!.map((row) => [row['customers.signup_at.month'], row['customers.plan'], Number(row['customers.signed_up_to_date'])]),
    ).toEqual([
      ['2026-01-01T00:00:00.000', 'free', 0],
      ['2026-01-01T00:00:00.000', 'pro', 1],
      ['2026-02-01T00:00:00.000', 'free', 1],
      ['2026-02-01T00:00:00.000', 'pro', 2],
      ['2026-03-01T00:00:00.000', 'free', 1],
      ['2026-03-01T00:00:00.000', 'pro', 2],
    ]);
    const twoYears = await load(fixture.cube, token, toDate('day', ['2025-01-01', '2026-12-31']));
    expect(twoYears.status, JSON.stringify(twoYears.body).slice(0, 300)).toBe(200);
  });

  it('periods: a grain finer than a day with no dateRange (bounded only by the data) is refused; day with none runs', async () => {
    const noRange = (granularity: string) => ({
      measures: ['customers.count'],
      timeDimensions: [{ dimension: 'customers.signup_at', granularity }],
    });
    await expectRefused(
      load(fixture.cube, token, noRange('minute')),
      /^Query too large: timeDimensions\[0\] has granularity "minute" and no dateRange, so its periods are not bounded; the limit is 5,000 \(QUERY_MAX_PERIODS\)\. A granularity finer than a day \(second, minute, hour\) needs a dateRange/,
    );
    await expectRefused(load(fixture.cube, token, noRange('second')), /granularity "second" and no dateRange/);
    await expectRefused(load(fixture.cube, token, noRange('hour')), /granularity "hour" and no dateRange/);
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], dimensions: ['customers.signup_at.hour'] }),
      /dimensions\[0\] has granularity "hour" and no dateRange/,
    );
    await expectRefused(
      post([signups('minute', ['2026-03-01', '2026-03-01']), noRange('minute')], { queryType: 'multi' }),
      /^Query too large: query \[1\]: timeDimensions\[0\] has granularity "minute"/,
    );
    for (const query of [
      noRange('day'),
      signups('hour', ['2026-03-01', '2026-03-03']),
      { measures: ['customers.count'], dimensions: ['customers.signup_at.day'] },
    ]) {
      const { status, body } = await load(fixture.cube, token, query);
      expect(status, JSON.stringify(body)).toBe(200);
    }
  });

  it('queries per request: a 500-query array or a 1,000-range compareDateRange', async () => {
    await expectRefused(
      post(Array(500).fill(signups('month', ['2026-01-01', '2026-03-31'])), { queryType: 'multi' }),
      /this request makes 500 queries .*the limit is 10 \(QUERY_MAX_QUERIES\)/,
    );
    const ranges = Array.from({ length: 1_000 }, () => ['2026-01-01', '2026-01-31']);
    await expectRefused(
      post(
        { measures: ['customers.count'], timeDimensions: [{ dimension: 'customers.signup_at', compareDateRange: ranges }] },
        { queryType: 'multi' },
      ),
      /makes 1,000 queries/,
    );
  });

  it('70,000 values in one filter', async () => {
    const values = Array.from({ length: 70_000 }, (_, i) => `p${i}`);
    await expectRefused(
      post({ measures: ['customers.count'], filters: [{ member: 'customers.plan', operator: 'in', values }] }),
      /filters\[0\] has 70,000 values; the limit is 1,000 \(QUERY_MAX_FILTER_VALUES\)/,
    );
  });

  it('10,000 measures, answered at once instead of after seconds of SQL', async () => {
    const started = Date.now();
    await expectRefused(
      post({ measures: Array(10_000).fill('customers.count') }),
      /10,000 members .*the limit is 100 \(QUERY_MAX_MEMBERS\)/,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('filters nested past the depth limit, up to 100,000 deep, say "too deep"', async () => {
    for (const depth of [11, 1_001, 100_000]) {
      await expectRefused(postText(nested(depth)), /filters are nested too deep .*QUERY_MAX_FILTER_DEPTH/);
    }
    expect((await postText(nested(10))).status).toBe(200);
  });

  it('a request body above QUERY_MAX_BODY_BYTES', async () => {
    const padding = 'x'.repeat(1_100_000);
    await expectRefused(
      post({ measures: ['customers.count'] }, { padding }),
      /^The request body is larger than 1,048,576 bytes, the limit \(QUERY_MAX_BODY_BYTES\)/,
      413,
    );
  });

  it('a URL above QUERY_MAX_URL_BYTES, while a long one below it is served', async () => {
    const filter = (n: number) => ({
      measures: ['customers.count'],
      filters: [{ member: 'customers.plan', operator: 'in', values: Array.from({ length: n }, (_, i) => `plan-${'x'.repeat(30)}-${i}`) }],
    });
    const urlBytes = (n: number) => encodeURIComponent(JSON.stringify(filter(n))).length;
    // Node's default header limit (16 KiB) would have refused this one with a bare 431.
    expect(urlBytes(900)).toBeGreaterThan(40_000);
    const { status, body } = await load(fixture.cube, token, filter(900));
    expect(status, JSON.stringify(body)).toBe(200);
    // Beyond the limit plus Node's 16 KiB for other headers, Node itself answers 431.
    expect(urlBytes(1_450)).toBeGreaterThan(65_536);
    expect(urlBytes(1_450)).toBeLessThan(65_536 + 16_384 - 1_000);
    await expectRefused(
      load(fixture.cube, token, filter(1_450)),
      /^The request URL is longer than 65,536 bytes, the limit \(QUERY_MAX_URL_BYTES\): send the query as a POST body/,
      414,
    );
  });

  it('GraphQL 1,000 deep (a stack overflow before) meets GraphQL off', async () => {
    const deep = `${'{ a '.repeat(1_000)}${'}'.repeat(1_000)}`;
    const response = await fetch(`${fixture.cube.url}/cubejs-api/graphql`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: deep }),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/GraphQL is off/);
  });
});
