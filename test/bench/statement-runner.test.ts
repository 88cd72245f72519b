import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinished, sameExecution, unfinishedOn } from '../../bench/probe/answers.js';
import { StatementRunner } from '../../bench/probe/sql-oracle.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The probe runs each statement /v1/sql hands out on the shared warehouse and on the tenant's
// own copy; one that runs past the limit on either is unverified, not a leak of foreign rows.
let database: TestDatabase;
let runner: StatementRunner;

beforeAll(async () => {
  database = await createTestDatabase();
  runner = new StatementRunner(database.url, 200);
});

afterAll(async () => {
  await runner?.close();
  await database?.drop();
});

describe("the probe's statement runner", () => {
  it('tells a statement that ran past its limit from one that failed', async () => {
    const slow = await runner.run('SELECT pg_sleep(2)', []);
    expect(slow).toEqual({ timedOut: 200 });
    const failed = await runner.run('SELECT 1 / $1::int', [0]);
    expect(failed).toEqual({ error: 'division by zero' });
    const done = await runner.run('SELECT $1::int AS n', [7]);
    expect(done).toEqual({ rows: [{ '0': 7 }] });

    expect(isFinished(slow)).toBe(false);
    expect([failed, done].every(isFinished)).toBe(true);
    expect(unfinishedOn(slow, done)).toBe('the statement did not finish on the shared warehouse (200 ms)');
    expect(unfinishedOn(done, slow)).toBe("the statement did not finish on the tenant's own rows (200 ms)");
  });

  it('still reports finished executions that differ', () => {
    expect(sameExecution({ rows: [{ '0': 7 }] }, { rows: [{ '0': 7 }] })).toBeUndefined();
    expect(sameExecution({ rows: [{ '0': 7 }, { '0': 8 }] }, { rows: [{ '0': 7 }] })).toMatch(
      /^1 rows only with other tenants' rows present/,
    );
    expect(sameExecution({ error: 'x' }, { rows: [] })).toBe("shared warehouse: x; tenant's own rows only: 0 rows");
  });
});
