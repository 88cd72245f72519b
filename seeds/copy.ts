import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { TableSink } from './table.js';

/** Rows are sent in chunks of about this many characters: large enough that writes are cheap. */
const CHUNK = 256 * 1024;

/**
 * Streams one table's rows into `COPY ... FROM STDIN` in text format. Generators push rows
 * synchronously; the loader flushes between units once `full`, waiting for the socket to drain,
 * so at most a chunk or two is held in memory whatever the table's size.
 *
 * Values need no escaping: generators only write numbers, timestamps and words from the tenant
 * profiles, none with tabs, newlines or backslashes.
 */
export class CopyWriter implements TableSink {
  rows = 0;
  /** Per table counted ('' for this one), the last id given per tenant. */
  private readonly ids = new Map<string, Map<string, number>>();
  private chunk = '';
  private readonly stream: ReturnType<typeof copyFrom>;
  /** Rejects as soon as the server refuses the data, even between our writes. */
  private readonly failed: Promise<never>;

  constructor(
    client: pg.Client,
    table: string,
    columns: readonly string[],
    private readonly onFlush: (rows: number) => void,
  ) {
    // FREEZE writes the rows already frozen: the table was truncated in this transaction, so no
    // other transaction could see it half-loaded, and later reads need not set hint bits.
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT text, FREEZE)`));
    this.failed = new Promise((_, reject) => this.stream.once('error', reject));
    this.failed.catch(() => {}); // observed by flush and end; never an unhandled rejection
  }

  nextId(tenantId: string, of = ''): string {
    let ids = this.ids.get(of);
    if (!ids) this.ids.set(of, (ids = new Map()));
    const next = (ids.get(tenantId) ?? 0) + 1;
    ids.set(tenantId, next);
    return String(next);
  }

  push(row: string): void {
    this.chunk += row;
    this.rows++;
  }

  /** Time to `flush()`: checked between units rather than awaited after every row. */
  get full(): boolean {
    return this.chunk.length >= CHUNK;
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await Promise.race([finished(this.stream), this.failed]);
  }

  /** Abandons the COPY after a failure on our side; resolves once the server has rolled it back. */
  async abort(reason: Error): Promise<void> {
    // destroy() sends CopyFail; without it the server would wait for more rows and the
    // connection, needed for ROLLBACK, would never be free again.
    this.stream.destroy(reason);
    await this.failed.catch(() => {});
  }

  async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = '';
    const drained = chunk.length === 0 || this.stream.write(chunk);
    this.onFlush(this.rows);
    if (!drained) await Promise.race([once(this.stream, 'drain'), this.failed]);
  }
}
