import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Column } from './catalog.js';
import type { Cell } from './plan.js';
import { STAGING_TABLE } from './validate.js';

/** Rows are sent in chunks of about this many characters: large enough that writes are cheap. */
const CHUNK = 256 * 1024;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: \N for null, backslash escapes for the delimiters. */
function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(SPECIAL, (c) => ESCAPES[c]!) : value;
}

/**
 * A temporary table of text columns, filled by COPY: the file's rows as they are, with their
 * line, before anything is cast or checked. It is dropped with the transaction.
 */
export class StagingTable {
  rows = 0;
  private chunk = '';
  private stream?: ReturnType<typeof copyFrom>;
  private failed?: Promise<never>;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly columns: Column[],
  ) {}

  async open(): Promise<void> {
    const id = (name: string) => this.client.escapeIdentifier(name);
    const definitions = ['line integer NOT NULL', ...this.columns.map((c) => `${id(c.name)} text`)];
    await this.client.query(`CREATE TEMP TABLE ${STAGING_TABLE} (${definitions.join(', ')}) ON COMMIT DROP`);
    this.stream = this.client.query(
      copyFrom(`COPY ${STAGING_TABLE} (line${this.columns.map((c) => `, ${id(c.name)}`).join('')}) FROM STDIN WITH (FORMAT text)`),
    );
    this.failed = new Promise((_, reject) => this.stream!.once('error', reject));
    this.failed.catch(() => {});
  }

  /** Queues one row; resolves at once unless a chunk is waiting for the socket to drain. */
  async push(line: number, values: Cell[]): Promise<void> {
    let row = String(line);
    for (const value of values) row += '\t' + copyValue(value);
    this.chunk += row + '\n';
    this.rows++;
    if (this.chunk.length >= CHUNK) await this.flush();
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream!.end();
    await Promise.race([finished(this.stream!), this.failed!]);
  }

  /** Abandons the COPY so the connection is free for ROLLBACK. */
  async abort(reason: Error): Promise<void> {
    if (!this.stream) return;
    this.stream.destroy(reason);
    await this.failed!.catch(() => {});
  }

  private async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = '';
    if (chunk.length === 0) return;
    if (!this.stream!.write(chunk)) await Promise.race([once(this.stream!, 'drain'), this.failed!]);
  }
}
