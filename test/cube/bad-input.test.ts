import { describe, expect, it } from 'vitest';
import { ACME, call, expectRefused, load, tokenFor, useTwoTenantCube } from './support.js';

const fixture = useTwoTenantCube();
const token = tokenFor(ACME);

const post = (endpoint: string, body: unknown) =>
  call(fixture.cube, endpoint, { authorization: token, method: 'POST', body: JSON.stringify(body) });
const signups = (timeDimension: object) => ({
  measures: ['customers.count'],
  timeDimensions: [{ dimension: 'customers.signup_at', ...timeDimension }],
});
const countWhere = (...filters: object[]) => ({ measures: ['customers.count'], filters });

describe('bad queries come back as 400 with a readable message', () => {
  it('unknown member or cube', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.lifetime_value'] }),
      /^Invalid query: measures\[0\]: member "customers.lifetime_value" not found in "customers"\.$/,
    );
    await expectRefused(
      load(fixture.cube, token, { dimensions: ['invoices.id'] }),
      /^Invalid query: dimensions\[0\]: cube or view "invoices" not found \(in "invoices.id"\)/,
    );
  });

  it('a member used where it does not belong', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.plan'] }),
      /measures\[0\]: "customers.plan" is a dimension, and "measures" takes a measure/,
    );
    await expectRefused(load(fixture.cube, token, { dimensions: ['customers.count'] }), /dimensions\[0\]: "customers.count" is a measure/);
    await expectRefused(
      load(fixture.cube, token, { measures: ['survey_responses.count'], segments: ['survey_responses.kind'] }),
      /segments\[0\]: "survey_responses.kind" is a dimension, and "segments" takes a segment/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'survey_responses.nps', operator: 'set' })),
      /filters\[0\].member: "survey_responses.nps" is a segment/,
    );
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], order: { 'customers.nope': 'asc' } }),
      /order\[0\]: member "customers.nope" not found/,
    );
  });

  it('malformed JSON in the query parameter or the body', async () => {
    await expectRefused(
      call(fixture.cube, `/load?query=${encodeURIComponent('{"measures": [')}`, { authorization: token }),
      /Unable to decode query param as JSON/,
    );
    await expectRefused(
      call(fixture.cube, '/load', { authorization: token, method: 'POST', body: '{"query": {"measures": [' }),
      /^Malformed JSON in the request body: /,
    );
  });

  it('no query, or a query that is not one', async () => {
    await expectRefused(call(fixture.cube, '/load', { authorization: token }), /Query param is required/);
    await expectRefused(load(fixture.cube, token, { measures: 'customers.count' }), /^Invalid query: measures: /);
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], timeDimensions: 'customers.signup_at' }),
      /^Invalid query: timeDimensions: /,
    );
    await expectRefused(
      call(fixture.cube, '/load?query=null', { authorization: token }),
      /^Invalid query: expected a JSON object \(or an array of them\), got null/,
    );
    await expectRefused(load(fixture.cube, token, { filters: [] }), /Query should contain either measures, dimensions or timeDimensions/);
  });

  it('unknown fields, anywhere', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], measure: ['customers.count'] }),
      /^Invalid query: unknown field "measure"\.$/,
    );
    await expectRefused(
      load(fixture.cube, token, signups({ granularity: 'month', range: 'last year' })),
      /^Invalid query: timeDimensions\[0\]: unknown field "range"/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'equals', values: ['pro'], not: true })),
      /^Invalid query: filters\[0\]: unknown field "not"/,
    );
  });

  it('timeDimensions: [null] (a 500 in Cube 0.35.81)', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], timeDimensions: [null] }),
      /^Invalid query: timeDimensions\[0\]: /,
    );
  });

  it('a member-expression object (a 500 in Cube 0.35.81)', async () => {
    const expression = { cubeName: 'customers', name: 'x', expressionName: 'x', definition: 'SELECT 1', expression: ['customers'] };
    await expectRefused(load(fixture.cube, token, { measures: [expression] }), /^Invalid query: measures\[0\]: .*member name/);
    await expectRefused(post('/load', { query: { dimensions: [expression] } }), /^Invalid query: dimensions\[0\]: /);
  });

  it('bad date ranges', async () => {
    await expectRefused(
      load(fixture.cube, token, signups({ dateRange: ['2026-13-45', '2026-02-30'] })),
      /^Invalid query: timeDimensions\[0\].dateRange\[0\]: expected a date "YYYY-MM-DD"/,
    );
    await expectRefused(
      load(fixture.cube, token, signups({ dateRange: ['2026-01-01', 'tomorrow-ish'] })),
      /^Invalid query: timeDimensions\[0\].dateRange\[1\]: expected a date/,
    );
    await expectRefused(
      load(fixture.cube, token, signups({ dateRange: [] })),
      /^Invalid query: timeDimensions\[0\].dateRange: expected \["YYYY-MM-DD", "YYYY-MM-DD"\]/,
    );
    await expectRefused(load(fixture.cube, token, signups({ dateRange: 'next blursday' })), /Can't parse date: 'next blursday'/);
    // Cube's parser makes year -7974 of this, which its normalizer then fails on with a TypeError.
    await expectRefused(
      load(fixture.cube, token, signups({ dateRange: 'from 10000 years ago to now' })),
      /^Invalid query: dateRange "from 10000 years ago to now" is not a range Cube can read/,
    );
    await expectRefused(
      load(fixture.cube, token, signups({ compareDateRange: ['last week', 'from 10000 years ago to now'] })),
      /is not a range Cube can read/,
    );
  });

  it('bad dates inside an inDateRange filter (a PostgreSQL error before)', async () => {
    await expectRefused(
      load(
        fixture.cube,
        token,
        countWhere({ member: 'customers.signup_at', operator: 'inDateRange', values: ['2026-02-30', '2026-03-01'] }),
      ),
      /^Invalid query: filters\[0\].values\[0\]: expected a date "YYYY-MM-DD".* for "customers.signup_at", got "2026-02-30"/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.signup_at', operator: 'inDateRange', values: ['2026-01-01'] })),
      /"inDateRange" takes 2 values, got 1/,
    );
  });

  it('NUL bytes in any string (a PostgreSQL error before)', async () => {
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'equals', values: ['pro\u0000'] })),
      /^Invalid query: filters\[0\].values\[0\]: a NUL byte \(\\u0000\) is not allowed/,
    );
    await expectRefused(post('/load', { query: { measures: ['customers.count\u0000'] } }), /measures\[0\]: a NUL byte/);
  });

  it('granularity on a dimension that is not a time (a PostgreSQL error before)', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], timeDimensions: [{ dimension: 'customers.plan', granularity: 'month' }] }),
      /^Invalid query: timeDimensions\[0\].dimension: "customers.plan" is a string dimension; only time dimensions have a granularity/,
    );
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], dimensions: ['customers.plan.month'] }),
      /dimensions\[0\]: "customers.plan" is a string dimension/,
    );
  });

  it('unknown granularity', async () => {
    await expectRefused(
      load(fixture.cube, token, signups({ granularity: 'fortnight' })),
      /^Invalid query: timeDimensions\[0\].granularity: expected one of second, .*month/,
    );
  });

  it('an operator that does not apply to the member, or values of the wrong type', async () => {
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'resembles', values: ['pro'] })),
      /^Invalid query: filters\[0\].operator: expected one of equals, /,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.id', operator: 'contains', values: ['1'] })),
      /"contains" does not apply to "customers.id", a number dimension \(it takes string members\)/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'beforeDate', values: ['2026-01-01'] })),
      /"beforeDate" does not apply to "customers.plan", a string dimension/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'gt', values: ['a'] })),
      /"gt" does not apply to "customers.plan"/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.id', operator: 'equals', values: ['one'] })),
      /filters\[0\].values\[0\]: expected a number for "customers.id", got "one"/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'equals', values: [true] })),
      /expected a string for "customers.plan", got true/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.signup_at', operator: 'gt', values: ['yesterday'] })),
      /expected a date .* got "yesterday"/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'set', values: ['pro'] })),
      /"set" takes no values, got 1/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', operator: 'equals' })),
      /"equals" takes at least 1 value, got 0/,
    );
    await expectRefused(
      load(fixture.cube, token, countWhere({ member: 'customers.plan', dimension: 'customers.plan', operator: 'equals', values: ['pro'] })),
      /give exactly one of "member" or "dimension"/,
    );
    await expectRefused(load(fixture.cube, token, countWhere({ or: [], and: [] })), /a filter group has exactly one of "or" or "and"/);
    await expectRefused(
      load(fixture.cube, token, countWhere({ or: [{ member: 'customers.plan', operator: 'equals', values: [1.5] }] })),
      /filters\[0\].or\[0\].values\[0\]: expected a string/,
    );
  });

  it('a time zone that is not an IANA name', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], timezone: 'Mars/Olympus_Mons' }),
      /^Invalid query: timezone: expected an IANA time zone name/,
    );
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], timezone: '+05:00' }),
      /timezone: expected an IANA time zone name/,
    );
  });

  it('a limit above the maximum names the variable', async () => {
    await expectRefused(
      load(fixture.cube, token, { measures: ['customers.count'], limit: 1_000_000 }),
      /query limit has been exceeded: `limit` is at most 50,000 rows \(CUBEJS_DB_QUERY_LIMIT\)/,
    );
  });

  it('routes this service does not serve', async () => {
    await expectRefused(post('/pre-aggregations/can-use', { transformedQuery: null }), /Rollup Designer .* is not served by this API/, 404);
    await expectRefused(post('/pre-aggregations/jobs', { action: 'post' }), /\/v1\/pre-aggregations\/jobs is not served by this API/, 404);
    await expectRefused(
      call(fixture.cube, '/run-scheduled-refresh', { authorization: token }),
      /\/v1\/run-scheduled-refresh is not served/,
      404,
    );
  });

  it('no odd input gets a 500, on any route that takes a query', async () => {
    const odd = [
      '[1]',
      '1',
      '"x"',
      '[[]]',
      '{"measures":[null]}',
      '{"filters":[null]}',
      '{"filters":[{"or":null}]}',
      '{"timeDimensions":[{}]}',
      '{"order":null}',
      '{"order":[["customers.plan"]]}',
      '{"limit":"5"}',
      '{"measures":["customers.count"],"timezone":null}',
      '{"segments":[{}]}',
      '{"measures":["customers.count"],"timeDimensions":[{"dimension":"customers.signup_at","compareDateRange":"last week"}]}',
      '{"measures":["customers.count"],"filters":[{"member":"customers.signup_at","operator":"inDateRange","values":[null,null]}]}',
      '{"dimensions":["customers.signup_at.fortnight"]}',
      '{"__proto__":{"measures":1},"measures":["customers.count"]}',
      '{"measures":["customers.count"],"filters":[{"member":"customers.count","operator":"measureFilter"}],"ungrouped":true}',
    ];
    for (const query of odd) {
      for (const endpoint of ['/load', '/sql', '/dry-run', '/subscribe']) {
        const { status, body } = await call(fixture.cube, `${endpoint}?query=${encodeURIComponent(query)}&queryType=multi`, {
          authorization: token,
        });
        expect(status, `GET ${endpoint} ${query}: ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(200);
        expect(status, `GET ${endpoint} ${query}: ${JSON.stringify(body)}`).toBeLessThan(500);
      }
      const { status, body } = await call(fixture.cube, '/load', {
        authorization: token,
        method: 'POST',
        body: `{"query":${query},"queryType":"multi"}`,
      });
      expect(status, `POST /load ${query}: ${JSON.stringify(body)}`).toBeLessThan(500);
    }
  });

  it('still answers good queries afterwards', async () => {
    const { status, body } = await load(fixture.cube, token, signups({ dateRange: ['2026-02-01', '2026-02-28T23:59:59'] }));
    expect(status).toBe(200);
    expect(Number(body.data![0]!['customers.count'])).toBe(2);
  });

  it('accepts every field of a full query, filters of every type and nested groups', async () => {
    const query = {
      measures: ['customers.count'],
      dimensions: ['customers.plan'],
      timeDimensions: [{ dimension: 'customers.signup_at', granularity: 'month', dateRange: ['2026-01-01', '2026-03-31'] }],
      filters: [
        {
          or: [
            { member: 'customers.plan', operator: 'equals', values: ['pro'] },
            {
              and: [
                { dimension: 'customers.id', operator: 'gte', values: ['3'] },
                { member: 'customers.id', operator: 'lt', values: [100] },
              ],
            },
          ],
        },
        { member: 'customers.signup_at', operator: 'afterDate', values: ['2025-12-31'] },
        { member: 'customers.plan', operator: 'notEquals', values: [null] },
        { member: 'customers.count', operator: 'gt', values: ['0'] },
      ],
      order: [['customers.plan', 'asc']],
      limit: 100,
      offset: 0,
      total: true,
      renewQuery: false,
      ungrouped: false,
      responseFormat: 'default',
      timezone: 'Europe/Berlin',
    };
    const { status, body } = await load(fixture.cube, token, query);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data!.map((row) => [row['customers.plan'], Number(row['customers.count'])])).toEqual([
      ['free', 1],
      ['pro', 1],
      ['pro', 1],
    ]);
  });
});
