import { describe, expect, it } from 'vitest';
import { ConfigError, loadQueryLimits } from '../../src/config.js';
import {
  assertSaneStructure,
  assertTimeZones,
  indexModel,
  InvalidQueryError,
  parseQueries,
  type ModelMeta,
} from '../../src/cube/query/index.js';
import { assertWithinLimits, type QueryLimits, type ResolveRange } from '../../src/cube/query/limits.js';
import { countPeriods } from '../../src/cube/query/periods.js';
import { isIsoDate, isTimeZoneName, cubeQuerySchema } from '@engagement/contract';
import { ModelCheck } from '../../src/cube/query/semantics.js';

const LIMITS: QueryLimits = loadQueryLimits({});
const noRelative: ResolveRange = () => {
  throw new Error('no relative range expected');
};

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidQueryError) return error.message;
    throw error;
  }
  throw new Error('expected the query to be refused');
}

const nested = (depth: number) => {
  let filter: object = { member: 'customers.plan', operator: 'equals', values: ['pro'] };
  for (let i = 0; i < depth; i += 1) filter = { or: [filter] };
  return { measures: ['customers.count'], filters: [filter] };
};

describe('the query schema', () => {
  it('accepts the forms Cube 0.35 takes', () => {
    expect(cubeQuerySchema.parse({ order: { 'a.b': 'desc' } })).toEqual({ order: { 'a.b': 'desc' } });
    expect(cubeQuerySchema.parse({ order: [['a.b', 'asc']] })).toEqual({ order: [['a.b', 'asc']] });
    expect(
      cubeQuerySchema.parse({ timeDimensions: [{ dimension: 'a.t', granularity: null, dateRange: ['2026-01-01'] }] }).timeDimensions,
    ).toHaveLength(1);
    expect(
      cubeQuerySchema.parse({ timeDimensions: [{ dimension: 'a.t', compareDateRange: ['last week', ['2026-01-01', '2026-01-07']] }] })
        .timeDimensions,
    ).toHaveLength(1);
    expect(cubeQuerySchema.parse({ dimensions: ['a.t.month'] }).dimensions).toEqual(['a.t.month']);
  });

  it('refuses, naming the field', () => {
    expect(refusal(() => parseQueries({ measures: ['a.b'], extra: 1 }))).toBe('Invalid query: unknown field "extra".');
    expect(refusal(() => parseQueries({ measures: ['a'] }))).toBe(
      'Invalid query: measures[0]: expected a member name such as "customers.count".',
    );
    expect(
      refusal(() => parseQueries({ timeDimensions: [{ dimension: 'a.t', dateRange: ['2026-01-01'], compareDateRange: ['last week'] }] })),
    ).toMatch(/timeDimensions\[0\]: give either dateRange or compareDateRange/);
    expect(refusal(() => parseQueries({ order: [['a.b', 'up']] }))).toMatch(/^Invalid query: order: expected/);
    expect(refusal(() => parseQueries({ filters: [{ and: [{ member: 'a.b', operator: 'equals', values: [{}] }] }] }))).toMatch(
      /^Invalid query: filters\[0\].and\[0\].values\[0\]: expected a string, number, boolean or null/,
    );
    expect(refusal(() => parseQueries([{ measures: ['a.b'] }, { limit: -1 }]))).toMatch(/^Invalid query array: \[1\].limit: /);
    expect(refusal(() => parseQueries([]))).toMatch(/expected at least one query/);
  });

  it('knows real dates and IANA zone names', () => {
    expect(['2026-02-28', '2024-02-29T23:59:59.999', '2026-01-01T00:00:00Z', '2026-01-01 10:00'].every(isIsoDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '2026-01-01T24:00', 'yesterday', '2026-1-1'].some(isIsoDate)).toBe(false);
    expect(['UTC', 'Etc/UTC', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern'].every(isTimeZoneName)).toBe(
      true,
    );
    expect(["UTC'", 'UTC)) --', 'Mars/Base', '+05:00', '', 'America/New_York ', 'a/b/c/d'].some(isTimeZoneName)).toBe(false);
  });
});

describe('the time zone check of SQL API queries', () => {
  it('refuses a zone that is not an IANA name in any query of a request', () => {
    expect(() => assertTimeZones([{ timezone: 'UTC' }, {}])).not.toThrow();
    expect(refusal(() => assertTimeZones([{ timezone: 'UTC' }, { timezone: "UTC')) --" }]))).toMatch(
      /^Invalid query: timezone: expected an IANA time zone name/,
    );
    expect(refusal(() => assertTimeZones({ timezone: 5 }))).toMatch(/got 5/);
  });
});

describe('the structure check, before anything recursive reads the query', () => {
  it('says "too deep" for filter groups past the limit, at any depth, without overflowing the stack', () => {
    expect(() => assertSaneStructure(nested(LIMITS.maxFilterDepth), LIMITS)).not.toThrow();
    for (const depth of [LIMITS.maxFilterDepth + 1, 1_001, 200_000]) {
      expect(refusal(() => assertSaneStructure(nested(depth), LIMITS))).toMatch(
        /filters are nested too deep \(more than 10 levels .*QUERY_MAX_FILTER_DEPTH/,
      );
    }
  });

  it('bounds any other nesting too', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(refusal(() => assertSaneStructure({ measures: deep }, LIMITS))).toMatch(
      /^Invalid query: measures\[0\]\[0\]\[0\]…: the query is nested too deep/,
    );
  });

  it('refuses NUL bytes in values and keys, and a query that is no object', () => {
    expect(refusal(() => assertSaneStructure({ filters: [{ values: ['a', 'b\u0000'] }] }, LIMITS))).toBe(
      'Invalid query: filters[0].values[1]: a NUL byte (\\u0000) is not allowed in a string.',
    );
    expect(refusal(() => assertSaneStructure({ 'a\u0000': 1 }, LIMITS))).toMatch(/NUL byte .* in a field name/);
    expect(refusal(() => assertSaneStructure(null, LIMITS))).toMatch(/expected a JSON object \(or an array of them\), got null/);
  });
});

describe('periods a time dimension makes', () => {
  it('counts every bucket from the one holding the start to the one holding the end', () => {
    expect(countPeriods(['2026-01-01', '2026-12-31'], 'day')).toBe(365);
    expect(countPeriods(['2016-01-01', '2025-12-31'], 'day')).toBe(3_653);
    expect(countPeriods(['2025-01-01', '2025-12-31'], 'hour')).toBe(8_760);
    expect(countPeriods(['2025-01-01', '2025-12-31'], 'second')).toBe(31_536_000);
    expect(countPeriods(['2026-01-15', '2026-03-01'], 'month')).toBe(3);
    expect(countPeriods(['2026-01-01', '2026-12-31'], 'quarter')).toBe(4);
    expect(countPeriods(['2025-12-31T23:00:00.000', '2026-01-01T01:00:00.000'], 'year')).toBe(2);
    // 2026-11-30 is a Monday: the Sunday before is in the previous week.
    expect(countPeriods(['2026-11-29', '2026-11-30'], 'week')).toBe(2);
    expect(countPeriods(['2026-11-30', '2026-12-06'], 'week')).toBe(1);
    expect(countPeriods(['2026-02-01', '2026-01-01'], 'day')).toBe(0);
  });
});

describe('limits', () => {
  const check = (queries: unknown, resolve = noRelative) => assertWithinLimits(parseQueries(queries), LIMITS, resolve);
  const byGrain = (granularity: string, dateRange: unknown) => ({
    measures: ['a.m'],
    timeDimensions: [{ dimension: 'a.t', granularity, dateRange }],
  });

  it('periods: day over ten years passes, hour over a year and finer grains do not', () => {
    expect(() => check(byGrain('day', ['2016-01-01', '2025-12-31']))).not.toThrow();
    expect(refusal(() => check(byGrain('hour', ['2025-01-01', '2025-12-31'])))).toBe(
      'Query too large: the time dimensions make 8,760 periods (granularity × date range); the limit is 5,000 (QUERY_MAX_PERIODS). Choose a coarser granularity or a shorter dateRange.',
    );
    expect(refusal(() => check(byGrain('second', ['2025-01-01', '2025-12-31'])))).toMatch(/31,536,000 periods/);
  });

  it('periods of a relative range, resolved as Cube does', () => {
    const resolve = (range: string, timezone: string) => {
      expect([range, timezone]).toEqual(['last 2 years', 'Europe/Berlin']);
      return ['2024-01-01T00:00:00.000', '2025-12-31T23:59:59.999'] as [string, string];
    };
    expect(refusal(() => check({ ...byGrain('hour', 'last 2 years'), timezone: 'Europe/Berlin' }, resolve))).toMatch(/17,544 periods/);
  });

  it('queries per request: an array, or compareDateRange ranges', () => {
    const one = { measures: ['a.m'] };
    expect(() => check(Array(10).fill(one))).not.toThrow();
    expect(refusal(() => check(Array(11).fill(one)))).toMatch(
      /^Query too large: this request makes 11 queries .*the limit is 10 \(QUERY_MAX_QUERIES\)/,
    );
    const ranges = Array.from({ length: 11 }, (_, i) => [
      `2026-01-${String(i + 1).padStart(2, '0')}`,
      `2026-01-${String(i + 1).padStart(2, '0')}`,
    ]);
    expect(refusal(() => check({ measures: ['a.m'], timeDimensions: [{ dimension: 'a.t', compareDateRange: ranges }] }))).toMatch(
      /makes 11 queries/,
    );
  });

  it('members, filter values per filter and in all', () => {
    expect(refusal(() => check({ measures: Array.from({ length: 101 }, (_, i) => `a.m${i}`) }))).toMatch(
      /101 members .*the limit is 100 \(QUERY_MAX_MEMBERS\)/,
    );
    const filter = (n: number) => ({ member: 'a.d', operator: 'in', values: Array.from({ length: n }, (_, i) => String(i)) });
    expect(refusal(() => check({ measures: ['a.m'], filters: [filter(1), { and: [filter(1_001)] }] }))).toMatch(
      /^Query too large: filters\[1\].and\[0\] has 1,001 values; the limit is 1,000 \(QUERY_MAX_FILTER_VALUES\)/,
    );
    expect(refusal(() => check({ measures: ['a.m'], filters: Array(6).fill(filter(1_000)) }))).toMatch(
      /6,000 values in all; the limit is 5,000 \(QUERY_MAX_TOTAL_FILTER_VALUES\)/,
    );
  });

  it('are read from the environment, and a bad value names its variable', () => {
    expect(loadQueryLimits({ QUERY_MAX_PERIODS: '20000' }).maxPeriods).toBe(20_000);
    expect(() => loadQueryLimits({ QUERY_MAX_QUERIES: '0' })).toThrow(ConfigError);
    expect(() => loadQueryLimits({ QUERY_MAX_MEMBERS: 'many' })).toThrow(/QUERY_MAX_MEMBERS: got "many", expected a whole number/);
  });
});

describe('the check against the model', () => {
  const meta: ModelMeta[] = [
    {
      config: {
        name: 'a',
        measures: [
          { name: 'a.m', type: 'number' },
          { name: 'a.last', type: 'time' },
        ],
        dimensions: [
          { name: 'a.s', type: 'string' },
          { name: 'a.n', type: 'number' },
          { name: 'a.t', type: 'time' },
          { name: 'a.b', type: 'boolean' },
        ],
        segments: [{ name: 'a.seg' }],
      },
    },
  ];
  const model = new ModelCheck(indexModel(meta));
  const filter = (member: string, operator: string, values?: unknown[]) =>
    refusal(() => model.check(parseQueries({ measures: ['a.m'], filters: [{ member, operator, values }] })[0]!));
  const passes = (member: string, operator: string, values?: unknown[]) =>
    expect(() => model.check(parseQueries({ measures: ['a.m'], filters: [{ member, operator, values }] })[0]!)).not.toThrow();

  it('takes each operator on the types it applies to, with values of that type', () => {
    passes('a.s', 'contains', ['x']);
    passes('a.n', 'gt', ['1.5']);
    passes('a.n', 'in', [1, '2', null]);
    passes('a.t', 'inDateRange', ['2026-01-01', '2026-01-31T23:59:59']);
    passes('a.t', 'onTheDate', ['2026-01-01']);
    passes('a.b', 'equals', ['true']);
    passes('a.b', 'notEquals', [false]);
    passes('a.m', 'measureFilter');
    passes('a.last', 'beforeDate', ['2026-01-01']);
  });

  it('knows no member of a hidden cube', () => {
    const hidden = new ModelCheck(
      indexModel([...meta, { config: { name: 'spans', isVisible: false, dimensions: [{ name: 'spans.tenant_id', type: 'string' }] } }]),
    );
    expect(refusal(() => hidden.check(parseQueries({ dimensions: ['spans.tenant_id'] })[0]!))).toMatch(/cube or view "spans" not found/);
  });

  it('refuses the rest, naming the member, operator and value', () => {
    expect(filter('a.n', 'startsWith', ['1'])).toBe(
      'Invalid query: filters[0]: "startsWith" does not apply to "a.n", a number dimension (it takes string members).',
    );
    expect(filter('a.b', 'gt', ['true'])).toMatch(/"gt" does not apply to "a.b", a boolean dimension/);
    expect(filter('a.b', 'equals', ['yes'])).toBe('Invalid query: filters[0].values[0]: expected true or false for "a.b", got "yes".');
    expect(filter('a.n', 'lt', ['1e400x'])).toMatch(/expected a number/);
    expect(filter('a.n', 'lt', ['1', '2'])).toMatch(/"lt" takes 1 value, got 2/);
    expect(filter('a.s', 'measureFilter')).toMatch(/"measureFilter" applies to measures/);
    expect(filter('a.t', 'afterDate', [null])).toMatch(/expected a date/);
    expect(filter('a.s', 'contains', [null])).toMatch(/expected a string for "a.s", got null/);
  });
});
