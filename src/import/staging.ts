import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Column } from './catalog.js';
import type { Cell } from './plan.js';
import { ImportRefused, LONG_ROW, NOT_UTF8, SHORT_ROW, UNCLOSED_QUOTE, type Problem } from './problems.js';
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
 * line, before anything is cast or checked. It is dropped with the transaction. Rows come either
 * from a mapping, row by row (`open`, `push`, `end`), or straight from a CSV file whose header
 * is the table's columns (`copyCsv`), which PostgreSQL's own CSV reader parses several times
 * faster than any JavaScript one.
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

  private async create(line: string): Promise<void> {
    const id = (name: string) => this.client.escapeIdentifier(name);
    const definitions = [`line integer NOT NULL ${line}`, ...this.columns.map((c) => `${id(c.name)} text`)];
    await this.client.query(`CREATE TEMP TABLE ${STAGING_TABLE} (${definitions.join(', ')}) ON COMMIT DROP`);
  }

  /**
   * Streams a CSV file into the table with COPY. Rows are numbered from 2 (the header is line
   * 1): the line a record starts on unless an earlier value spans lines. Bad CSV and bad UTF-8
   * are refused with the line PostgreSQL names.
   */
  async copyCsv(file: string, onBytes?: (bytes: number) => void): Promise<void> {
    await this.client.query(`CREATE TEMP SEQUENCE import_lines START 2`);
    await this.create(`DEFAULT nextval('import_lines')`);
    const columns = this.columns.map((c) => this.client.escapeIdentifier(c.name)).join(', ');
    // FORCE_NULL: an empty quoted value is missing too, as an empty unquoted one is.
    const copy = this.client.query(
      copyFrom(`COPY ${STAGING_TABLE} (${columns}) FROM STDIN WITH (FORMAT csv, HEADER true, FORCE_NULL (${columns}))`),
    );
    const source = createReadStream(file);
    let bytes = 0;
    if (onBytes) source.on('data', (chunk) => onBytes((bytes += chunk.length)));
    try {
      await pipeline(source, copy);
    } catch (error) {
      if (error instanceof pg.DatabaseError) throw new ImportRefused(file, [copyProblem(error)]);
      throw error;
    }
    this.rows = copy.rowCount;
  }

  async open(): Promise<void> {
    const id = (name: string) => this.client.escapeIdentifier(name);
    await this.create('');
    this.stream = this.client.query(
      copyFrom(`COPY ${STAGING_TABLE} (line${this.columns.map((c) => `, ${id(c.name)}`).join('')}) FROM STDIN WITH (FORMAT text)`),
    );
    this.failed = new Promise((_, reject) => this.stream!.once('error', reject));
    this.failed.catch(() => {});
  }

  /**
   * Queues one row. True when a chunk is full: then `flush` it before the next row, so a row
   * costs no promise of its own.
   */
  push(line: number, values: Cell[]): boolean {
    let row = String(line);
    for (const value of values) row += '\t' + copyValue(value);
    this.chunk += row + '\n';
    this.rows++;
    return this.chunk.length >= CHUNK;
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

  /** Sends the queued rows, waiting while the socket drains. */
  async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = '';
    if (chunk.length === 0) return;
    if (!this.stream!.write(chunk)) await Promise.race([once(this.stream!, 'drain'), this.failed!]);
  }
}

/** PostgreSQL's complaint about the file, in our words and at its line. */
function copyProblem(error: pg.DatabaseError): Problem {
  const line = /line (\d+)/.exec(error.where ?? '')?.[1];
  const at = line ? { line: Number(line) } : {};
  if (error.code === '22021') return { ...at, message: NOT_UTF8 };
  if (/^missing data for column/.test(error.message)) return { ...at, message: SHORT_ROW };
  if (/^extra data after last expected column/.test(error.message)) return { ...at, message: LONG_ROW };
  if (/unterminated CSV quoted field/.test(error.message)) return { ...at, message: UNCLOSED_QUOTE };
  return { ...at, message: `not valid CSV: ${error.message}` };
}
