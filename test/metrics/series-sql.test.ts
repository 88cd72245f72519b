import { describe, expect, it } from 'vitest';
import { PLACEHOLDER, SERIES_PARAMETERS, parameterize } from '../../src/metrics/series-sql.js';

// Pure string work on SQL shaped like Cube's; metrics-functions.test.ts runs the real thing.
describe("parameterizing Cube's SQL", () => {
  it('binds the tenant and the range to the function arguments and generates the periods of a rolling window', () => {
    const sql =
      "SELECT * FROM (VALUES ('1971-02-01T00:00:00.000', '1971-02-28T23:59:59.999'),('1971-03-01T00:00:00.000', '1971-03-31T23:59:59.999')) AS dates (date_from, date_to) " +
      'WHERE t = $1 AND at >= $2::timestamptz AND at <= $3::timestamptz AND at < $4::timestamp LIMIT 10000';
    const params = [PLACEHOLDER.tenant, '1971-02-03T00:00:00.000Z', '1971-03-09T23:59:59.999Z', '1971-03-31T23:59:59.999'];
    const out = parameterize(sql, params, 'month');
    // $1 tenant, $2 and $3 the first and last day, then each bound once per call (SERIES_PARAMETERS).
    expect(out).toContain('WHERE t = $1::text');
    expect(out).toContain('at >= $8::text::timestamptz AND at <= $9::text::timestamptz');
    expect(out).toContain('at < $7::text::timestamp');
    expect(SERIES_PARAMETERS.map((p) => p.name)).toEqual([
      'tenant',
      'first_day',
      'last_day',
      'range_start',
      'range_end',
      'first_period_start',
      'last_period_end',
      'range_start_z',
      'range_end_z',
      'first_period_start_z',
      'last_period_end_z',
    ]);
    expect(out).toContain(
      `FROM generate_series(date_trunc('month', $2::timestamp), date_trunc('month', $3::timestamp), interval '1 month') AS d`,
    );
    expect(out).not.toMatch(/VALUES|LIMIT/);
  });

  it('stops at a bound value it cannot derive from the arguments', () => {
    expect(() => parameterize('SELECT $1, $2', [PLACEHOLDER.tenant, '1999-01-01'], 'day')).toThrow(
      `Cube's SQL binds $2 to "1999-01-01", which is neither the tenant nor the date range`,
    );
    expect(() => parameterize('SELECT $2', [PLACEHOLDER.tenant], 'day')).toThrow("Cube's SQL refers to $2, which it gave no value for");
  });
});
