import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parquetWriteFile, type SchemaElement } from 'hyparquet-writer';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, loadMapping, type ImportOptions } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratchDir, warehouseFingerprint, writeInput } from './support.js';

let database: TestDatabase;
let db: Knex;
let dir: string;

/** One column of a test file: its schema element (without the name) and its values. */
type TestColumn = [Omit<SchemaElement, 'name'>, unknown[]];

const STRING: Omit<SchemaElement, 'name'> = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' };
const REQUIRED_STRING: Omit<SchemaElement, 'name'> = { ...STRING, repetition_type: 'REQUIRED' };
const MICROS_UTC: Omit<SchemaElement, 'name'> = {
  type: 'INT64',
  repetition_type: 'OPTIONAL',
  logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
};

/** Writes a Parquet file with hyparquet-writer, in row groups of `rowGroupSize` rows (and pages of about `pageSize` bytes). */
function writeParquet(name: string, columns: Record<string, TestColumn>, rowGroupSize = 2, pageSize?: number): string {
  const filename = path.join(dir, name);
  const entries = Object.entries(columns);
  parquetWriteFile({
    filename,
    schema: [{ name: 'root', num_children: entries.length }, ...entries.map(([column, [element]]) => ({ ...element, name: column }))],
    columnData: entries.map(([column, [, data]]) => ({ name: column, data })),
    rowGroupSize,
    ...(pageSize ? { pageSize } : {}),
  });
  return filename;
}

const customers = (): Record<string, TestColumn> => ({
  id: [REQUIRED_STRING, ['C-1', 'C-2', 'C-3']],
  // 2024-01-05T00:00:00Z, 2024-02-10T08:30:00.123456Z, 2024-03-15T23:59:59Z in microseconds
  signup_at: [MICROS_UTC, [1_704_412_800_000_000n, 1_707_553_800_123_456n, 1_710_547_199_000_000n]],
  plan: [STRING, ['basic', 'pro', null]],
  country: [STRING, ['DE', null, 'US']],
});

const run = (file: string, extra: Partial<ImportOptions> = {}) =>
  importFile({ url: database.url, tenant: 'pq', table: 'customers', file, ...extra });

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  dir = await scratchDir();
  await run(writeParquet('customers.parquet', customers()), { tenantName: 'Parquet shop', businessModel: 'b2c' });
});

afterAll(async () => {
  await database?.drop();
});

describe('a Parquet import', () => {
  it('loads every row group: strings, microsecond UTC timestamps, nulls as missing values', async () => {
    const { rows } = await db.raw(
      `SELECT id, to_char(signup_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS signup_at, plan, country
       FROM customers WHERE tenant_id = 'pq' ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'C-1', signup_at: '2024-01-05T00:00:00.000000', plan: 'basic', country: 'DE' },
      { id: 'C-2', signup_at: '2024-02-10T08:30:00.123456', plan: 'pro', country: null },
      { id: 'C-3', signup_at: '2024-03-15T23:59:59.000000', plan: null, country: 'US' },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await warehouseFingerprint(db);
    const summary = await run(writeParquet('again.parquet', customers(), 1));
    expect(summary).toMatchObject({ rows: 3, added: 0, updated: 0, unchanged: 3 });
    expect(await warehouseFingerprint(db)).toEqual(before);
  });

  it('reads INT64 ids as their decimal digits, DATE as a day, DECIMAL exactly (not through a double)', async () => {
    const file = writeParquet('orders.parquet', {
      // Beyond 2^53: a double would make it ...992.
      id: [{ type: 'INT64', repetition_type: 'REQUIRED' }, [9_007_199_254_740_993n, 2n]],
      customer_id: [REQUIRED_STRING, ['C-1', 'C-2']],
      ordered_at: [{ type: 'INT32', converted_type: 'DATE', repetition_type: 'REQUIRED' }, [19_800, 19_801]],
      amount: [
        { type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', precision: 38, scale: 18, repetition_type: 'REQUIRED' },
        // 12.34 and 0.124999999999999999, which rounds to 0.12; as a double it is 0.125, which rounds to 0.13.
        [12_340_000_000_000_000_000n, 124_999_999_999_999_999n],
      ],
    });
    expect(await run(file, { table: 'orders' })).toMatchObject({ rows: 2, added: 2 });
    const { rows } = await db.raw(
      `SELECT id, customer_id, ordered_at AT TIME ZONE 'UTC' AS at, amount::text FROM orders WHERE tenant_id = 'pq' ORDER BY customer_id`,
    );
    expect(rows.map((r: { id: string; customer_id: string; at: Date; amount: string }) => [r.id, r.customer_id, r.amount])).toEqual([
      ['9007199254740993', 'C-1', '12.34'],
      ['2', 'C-2', '0.12'],
    ]);
    // 19800 days after 1970-01-01 is 2024-03-18.
    expect(rows.map((r: { at: Date }) => r.at.toISOString().slice(0, 10))).toEqual(['2024-03-18', '2024-03-19']);
  });

  it('reads a timestamp without a zone as UTC, or in the time zone a mapping gives', async () => {
    const local: Omit<SchemaElement, 'name'> = {
      type: 'INT64',
      repetition_type: 'REQUIRED',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' },
    };
    // 2024-06-01T09:30:00 on the wall clock
    const file = writeParquet('local.parquet', { Account: [REQUIRED_STRING, ['L-1']], Joined: [local, [1_717_234_200_000n]] });
    const mapping = await writeInput(dir, 'local.yml', 'columns:\n  id: Account\n  signup_at: { from: Joined, timezone: Europe/Oslo }\n');
    await run(file, { mapping: { file: mapping, mapping: await loadMapping(mapping) } });
    const plain = writeParquet('local-utc.parquet', { id: [REQUIRED_STRING, ['L-2']], signup_at: [local, [1_717_234_200_000n]] });
    await run(plain);
    const { rows } = await db.raw(
      `SELECT id, to_char(signup_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at FROM customers WHERE id LIKE 'L-%' ORDER BY id`,
    );
    // Oslo is UTC+2 in June.
    expect(rows).toEqual([
      { id: 'L-1', at: '2024-06-01 07:30' },
      { id: 'L-2', at: '2024-06-01 09:30' },
    ]);
  });

  it('takes columns under other names through a mapping, with its value map', async () => {
    const file = writeParquet('mapped.parquet', {
      Account: [REQUIRED_STRING, ['M-1', 'M-2']],
      Created: [MICROS_UTC, [1_704_412_800_000_000n, 1_704_499_200_000_000n]],
      Tier: [STRING, ['Gold', 'Silver']],
      Notes: [STRING, ['x', 'y']],
    });
    const mapping = await writeInput(
      dir,
      'mapped.yml',
      'columns:\n  id: Account\n  signup_at: Created\n  plan: { from: Tier, values: { Gold: pro, Silver: basic } }\nignore: [Notes]\n',
    );
    const summary = await run(file, { mapping: { file: mapping, mapping: await loadMapping(mapping) } });
    expect(summary).toMatchObject({ rows: 2, added: 2 });
    const rows = await db('customers').where({ tenant_id: 'pq' }).whereIn('id', ['M-1', 'M-2']).orderBy('id').select('id', 'plan');
    expect(rows).toEqual([
      { id: 'M-1', plan: 'pro' },
      { id: 'M-2', plan: 'basic' },
    ]);
  });

  it('reads a row group larger than a batch in slices (by the offset index of its columns of many pages), numbering rows across them', async () => {
    const rows = 70_000;
    const ids = Array.from({ length: rows }, (_, i) => `S-${i + 1}`);
    const signups = ids.map((_, i) => 1_704_412_800_000_000n + BigInt(i) * 1_000_000n);
    const countries = ids.map((_, i) => (i + 1 === 65_540 ? 'USA' : null));
    const columns = (country: (string | null)[]): Record<string, TestColumn> => ({
      id: [REQUIRED_STRING, ids],
      signup_at: [MICROS_UTC, signups],
      country: [STRING, country],
    });
    // Pages of 64 KiB: id and signup_at get many, and an offset index; country (nulls but one) one page and none.
    const bad = writeParquet('one-group-bad.parquet', columns(countries), rows, 65_536);
    await expect(run(bad, { dryRun: true })).rejects.toThrow(/one-group-bad\.parquet:row 65540: country: too long \(got "USA"/);
    const good = writeParquet('one-group.parquet', columns(countries.map(() => null)), rows, 65_536);
    // Every row once: a row read twice at a slice's edge would be a duplicate id, a row left out a count short.
    expect(await run(good, { dryRun: true })).toMatchObject({ rows, added: rows });
  });

  it('fills a date column from a timestamp at midnight, integers from INT32 and from whole DOUBLEs (pandas), booleans from BOOLEAN', async () => {
    const millisUtc: Omit<SchemaElement, 'name'> = {
      type: 'INT64',
      repetition_type: 'REQUIRED',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    };
    const int32: Omit<SchemaElement, 'name'> = { type: 'INT32', repetition_type: 'REQUIRED' };
    const double: Omit<SchemaElement, 'name'> = { type: 'DOUBLE', repetition_type: 'REQUIRED' };
    const stats = (days: bigint[], conversions: number[]): Record<string, TestColumn> => ({
      id: [REQUIRED_STRING, ['K-1', 'K-2']],
      campaign: [REQUIRED_STRING, ['spring', 'spring']],
      channel: [REQUIRED_STRING, ['email', 'email']],
      day: [millisUtc, days],
      impressions: [{ type: 'INT64', repetition_type: 'REQUIRED' }, [1000n, 900n]],
      clicks: [int32, [50, 40]],
      conversions: [double, conversions],
    });
    // 2024-03-01T00:00:00Z and 2024-03-02T00:00:00Z
    const midnight = [1_709_251_200_000n, 1_709_337_600_000n];
    expect(await run(writeParquet('stats.parquet', stats(midnight, [3, 2])), { table: 'campaign_stats' })).toMatchObject({ added: 2 });
    const { rows } = await db.raw(
      `SELECT id, day::text, impressions::text, clicks::text, conversions::text FROM campaign_stats WHERE tenant_id = 'pq' ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'K-1', day: '2024-03-01', impressions: '1000', clicks: '50', conversions: '3' },
      { id: 'K-2', day: '2024-03-02', impressions: '900', clicks: '40', conversions: '2' },
    ]);
    const bad = writeParquet('stats-bad.parquet', stats([midnight[0]!, midnight[1]! + 3_600_000n], [3, 2.5]));
    const refused = (await run(bad, { table: 'campaign_stats' }).catch((e: unknown) => e)) as ImportRefused;
    expect(refused.message.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'stats-bad.parquet:row 2: day: not a date (got "2024-03-02T01:00:00.000Z", expected a date as YYYY-MM-DD)',
      'stats-bad.parquet:row 2: conversions: not a number (got "2.5", expected a whole number)',
      'Nothing was imported from stats-bad.parquet.',
    ]);

    const sessions = writeParquet('sessions.parquet', {
      id: [REQUIRED_STRING, ['W-1', 'W-2']],
      visitor_id: [REQUIRED_STRING, ['v1', 'v2']],
      started_at: [MICROS_UTC, [1_709_251_200_000_000n, 1_709_251_200_000_000n]],
      duration_seconds: [int32, [30, 60]],
      pageviews: [int32, [1, 3]],
      converted: [{ type: 'BOOLEAN', repetition_type: 'REQUIRED' }, [false, true]],
    });
    await run(sessions, { table: 'web_sessions' });
    expect(await db('web_sessions').where({ tenant_id: 'pq' }).orderBy('id').pluck('converted')).toEqual([false, true]);
  });

  it('reads a Parquet file of another name with --format parquet', async () => {
    const file = writeParquet('export.dat', { id: [REQUIRED_STRING, ['F-1']], signup_at: [MICROS_UTC, [1_704_412_800_000_000n]] });
    expect(await run(file, { format: 'parquet' })).toMatchObject({ rows: 1, added: 1 });
  });
});

/** Each bad Parquet file: the messages it must give, and the warehouse must be as it was. */
const BAD_FILES: { name: string; table?: string; columns?: Record<string, TestColumn>; content?: string; messages: string[] }[] = [
  {
    name: 'wrong type',
    columns: { id: [REQUIRED_STRING, ['W-1']], signup_at: [{ type: 'DOUBLE', repetition_type: 'REQUIRED' }, [1.5]] },
    messages: ['wrong-type.parquet: signup_at: the wrong Parquet type (got DOUBLE, expected a TIMESTAMP, DATE or STRING column)'],
  },
  {
    name: 'a type no column takes',
    columns: {
      id: [REQUIRED_STRING, ['T-1']],
      signup_at: [{ type: 'INT32', converted_type: 'TIME_MILLIS', repetition_type: 'REQUIRED' }, [3_600_000]],
    },
    messages: [
      'a-type-no-column-takes.parquet: signup_at: a Parquet type that cannot be imported (got INT32 (TIME_MILLIS), expected a column of plain values: integers, decimals, floats, booleans, strings, dates or timestamps)',
    ],
  },
  {
    name: 'null in a required column',
    columns: { id: [REQUIRED_STRING, ['N-1', 'N-2', 'N-3']], signup_at: [MICROS_UTC, [1_704_412_800_000_000n, null, null]] },
    messages: [
      'null-in-a-required-column.parquet:row 2: signup_at: missing value (expected an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T09:30:00Z (UTC unless an offset is given): signup_at is required)',
      'null-in-a-required-column.parquet:row 3: signup_at: missing value (expected an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T09:30:00Z (UTC unless an offset is given): signup_at is required)',
    ],
  },
  {
    name: 'value out of range',
    table: 'orders',
    columns: {
      id: [REQUIRED_STRING, ['O-1', 'O-2', 'O-3']],
      customer_id: [REQUIRED_STRING, ['C-1', 'C-1', 'C-1']],
      ordered_at: [MICROS_UTC, [1_704_412_800_000_000n, 1_704_412_800_000_000n, 1_704_412_800_000_000n]],
      amount: [{ type: 'DOUBLE', repetition_type: 'REQUIRED' }, [10, 5.5, -5]],
    },
    messages: ['value-out-of-range.parquet:row 3: amount: value out of range (got "-5.00", expected amount >= 0)'],
  },
  {
    name: 'text too long for its column',
    columns: {
      id: [REQUIRED_STRING, ['X-1']],
      signup_at: [MICROS_UTC, [1_704_412_800_000_000n]],
      country: [STRING, ['USA']],
    },
    messages: ['text-too-long-for-its-column.parquet:row 1: country: too long (got "USA", expected text of at most 2 characters)'],
  },
  {
    name: 'duplicate id',
    columns: { id: [REQUIRED_STRING, ['D-1', 'D-2', 'D-1']], signup_at: [MICROS_UTC, [1n, 2n, 3n]] },
    messages: ['duplicate-id.parquet:row 3: id: duplicate id in the file (got "D-1", expected each once; first on row 1)'],
  },
  {
    name: 'unknown column',
    columns: { id: [REQUIRED_STRING, ['U-1']], signup_at: [MICROS_UTC, [1n]], colour: [STRING, ['red']] },
    messages: [
      'unknown-column.parquet: colour: unknown column (expected one of: id, signup_at, plan, segment, country, acquisition_channel)',
    ],
  },
  {
    name: 'not Parquet',
    content: 'id,signup_at\nC-9,2024-01-01\n',
    messages: [
      'not-Parquet.parquet: not a Parquet file (got "parquet file invalid (footer != PAR1)", expected a file written by a Parquet writer; a CSV file should be named .csv or given --format csv)',
    ],
  },
  {
    name: 'no rows',
    columns: { id: [REQUIRED_STRING, []], signup_at: [MICROS_UTC, []] },
    messages: ['no-rows.parquet: no rows (expected at least one record)'],
  },
];

describe('a bad Parquet file is refused, says what is wrong where, and leaves the warehouse unchanged', () => {
  it('damaged data', async () => {
    const file = writeParquet('damaged.parquet', customers(), 3);
    const bytes = await readFile(file);
    // The first column chunk's page header, just after the leading PAR1.
    bytes.fill(0xff, 4, 40);
    await writeFile(file, bytes);
    const before = await warehouseFingerprint(db);
    const error = (await run(file).catch((e: unknown) => e)) as ImportRefused;
    expect(error).toBeInstanceOf(ImportRefused);
    expect(error.message.replaceAll(`${dir}/`, '')).toMatch(
      /^damaged\.parquet: id: a damaged Parquet file: row group 1 cannot be read \(got ".+", expected data its writer wrote\)\nNothing was imported from damaged\.parquet\.$/,
    );
    expect(await warehouseFingerprint(db)).toEqual(before);
  });

  for (const bad of BAD_FILES) {
    it(bad.name, async () => {
      const name = `${bad.name.replace(/ /g, '-')}.parquet`;
      const file = bad.columns ? writeParquet(name, bad.columns) : await writeInput(dir, name, bad.content!);
      const before = await warehouseFingerprint(db);
      const error = await run(file, { table: bad.table ?? 'customers' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportRefused);
      const lines = (error as ImportRefused).message.split('\n').map((line) => line.replace(`${dir}/`, ''));
      expect(lines).toEqual([...bad.messages, `Nothing was imported from ${name}.`]);
      expect(await warehouseFingerprint(db)).toEqual(before);
    });
  }
});
