import pg from 'pg';
import { keepPoolErrorsHandled } from '../../src/cube/pool-errors.js';
import { ORACLE_ROW_CAP } from './routes.js';

/** A statement's result; `timedOut` when it ran past the runner's limit, which says nothing about its rows. */
export type Execution = { rows: Record<string, unknown>[] } | { error: string } | { timedOut: number };

/** PostgreSQL's SQLSTATE for a statement cancelled, here by statement_timeout. */
const QUERY_CANCELED = '57014';

/** Cube ends its statements with the page; the oracle wants the whole answer. */
const TRAILING_PAGE = /\s+(LIMIT\s+\d+(\s+OFFSET\s+\d+)?|OFFSET\s+\d+(\s+LIMIT\s+\d+)?)\s*$/i;

/**
 * Runs statements that `/v1/sql` handed to a tenant, read-only and time-limited, on a warehouse:
 * the shared one and the copy holding only that tenant's rows must give the same result.
 */
export class StatementRunner {
  private readonly pool: pg.Pool;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    // The warehouse stops under these clients when the probe is interrupted: no uncaught 'error'.
    keepPoolErrorsHandled(this.pool, () => {});
  }

  async run(sql: string, params: unknown[]): Promise<Execution> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.round(this.timeoutMs)}`);
      const whole = `SELECT * FROM (${sql.replace(TRAILING_PAGE, '')}) AS probe_statement LIMIT ${ORACLE_ROW_CAP + 1}`;
      const { rows } = await client.query({ text: whole, values: params, rowMode: 'array' });
      return { rows: rows.map((values: unknown[]) => Object.fromEntries(values.map((value, i) => [String(i), value]))) };
    } catch (error) {
      if ((error as { code?: string }).code === QUERY_CANCELED) return { timedOut: this.timeoutMs };
      return { error: error instanceof Error ? error.message : String(error) };
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
