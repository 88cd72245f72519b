import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ignoreErrorsOfEndingClients } from '../../src/cube/pool-errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(() => t?.drop());

describe('a pool of our own', () => {
  it('survives the warehouse terminating its idle clients, and serves the next query', async () => {
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    ignoreErrorsOfEndingClients(pool);
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const removed = new Promise((resolve) => pool.once('remove', resolve));
      // As DROP DATABASE … FORCE or a restart does to the idle client the pool keeps.
      await t.db.raw('SELECT pg_terminate_backend(?)', [rows[0]!.pid]);
      await removed;
      expect(pool.listenerCount('error')).toBe(1);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
