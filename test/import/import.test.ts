import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, type ImportOptions } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratchDir, warehouseFingerprint, writeInput } from './support.js';

let database: TestDatabase;
let db: Knex;
let dir: string;

const CUSTOMERS = `id,signup_at,plan,segment,country,acquisition_channel
1,2024-01-05,basic,smb,DE,organic
2,2024-02-10T08:30:00Z,pro,enterprise,FR,paid_search
3,2024-03-15,basic,smb,US,referral
`;

const run = (file: string, extra: Partial<ImportOptions> = {}) =>
  importFile({ url: database.url, tenant: 'shop', table: 'customers', file, ...extra });

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  dir = await scratchDir();
  await run(await writeInput(dir, 'customers.csv', CUSTOMERS), { tenantName: 'Shop', businessModel: 'b2c' });
});

afterAll(async () => {
  await database?.drop();
});

describe('import', () => {
  it('creates the tenant on the first import and loads every row', async () => {
    const tenant = await db('tenants').where({ id: 'shop' }).first();
    expect(tenant).toMatchObject({ name: 'Shop', business_model: 'b2c' });
    const rows = await db('customers').where({ tenant_id: 'shop' }).orderBy('id');
    expect(rows.map((r) => [String(r.id), r.plan, r.country, new Date(r.signup_at).toISOString()])).toEqual([
      ['1', 'basic', 'DE', '2024-01-05T00:00:00.000Z'],
      ['2', 'pro', 'FR', '2024-02-10T08:30:00.000Z'],
      ['3', 'basic', 'US', '2024-03-15T00:00:00.000Z'],
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await warehouseFingerprint(db);
    const summary = await run(await writeInput(dir, 'again.csv', CUSTOMERS));
    expect(summary).toMatchObject({ rows: 3, added: 0, updated: 0, unchanged: 3 });
    expect(await warehouseFingerprint(db)).toEqual(before);
  });

  it('updates a changed row and adds a new one', async () => {
    const changed = CUSTOMERS.replace('3,2024-03-15,basic', '3,2024-03-15,pro') + '4,2024-04-01,basic,smb,GB,organic\n';
    const summary = await run(await writeInput(dir, 'changed.csv', changed));
    expect(summary).toMatchObject({ rows: 4, added: 1, updated: 1, unchanged: 2 });
    const plans = await db('customers').where({ tenant_id: 'shop' }).orderBy('id').pluck('plan');
    expect(plans).toEqual(['basic', 'pro', 'pro', 'basic']);
  });

  it('counts but writes nothing on a dry run', async () => {
    const before = await warehouseFingerprint(db);
    const summary = await run(await writeInput(dir, 'dry.csv', CUSTOMERS + '5,2024-05-01,basic,smb,GB,organic\n'), { dryRun: true });
    expect(summary).toMatchObject({ rows: 4, added: 1, updated: 1, dryRun: true });
    expect(await warehouseFingerprint(db)).toEqual(before);
  });

  it('asks for a name and business model before creating a tenant', async () => {
    await expect(run(await writeInput(dir, 'new.csv', CUSTOMERS), { tenant: 'newco' })).rejects.toThrow(
      '--tenant: no tenant "newco" yet; to create it on this import give --tenant-name and --business-model',
    );
  });

  it('loads a second tenant with the same source ids beside the first, which keeps its rows', async () => {
    const before = await db('customers').where({ tenant_id: 'shop' }).orderBy('id').select();
    const summary = await run(await writeInput(dir, 'other.csv', CUSTOMERS), {
      tenant: 'other',
      tenantName: 'Other',
      businessModel: 'b2b',
    });
    expect(summary).toMatchObject({ rows: 3, added: 3, updated: 0, unchanged: 0, tenantCreated: true });
    expect(await db('customers').where({ tenant_id: 'other' }).orderBy('id').pluck('id')).toEqual(['1', '2', '3']);
    expect(await db('customers').where({ tenant_id: 'shop' }).orderBy('id').select()).toEqual(before);
  });

  it('leaves every foreign-key check on after an import (the merge runs without them)', async () => {
    await run(await writeInput(dir, 'orders.csv', 'id,customer_id,ordered_at,amount\n80,1,2024-02-01,10\n'), { table: 'orders' });
    const { rows } = await db.raw(
      `SELECT c.relname AS table, t.tgenabled AS enabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE t.tgconstraint <> 0 AND c.relname IN ('customers', 'orders') GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { table: 'customers', enabled: 'O' },
      { table: 'orders', enabled: 'O' },
    ]);
    await expect(
      db('orders').insert({ tenant_id: 'shop', id: '81', customer_id: '404', ordered_at: '2024-02-01', amount: 1 }),
    ).rejects.toThrow(/orders_tenant_id_customer_id_foreign/);
  });

  it('names the tables it knows when --table is wrong', async () => {
    await expect(run(await writeInput(dir, 'x.csv', CUSTOMERS), { table: 'customer' })).rejects.toThrow(
      /--table: unknown table "customer" \(expected one of: .*customers.*\)/,
    );
  });

  it("refuses predict's own tables, and does not offer them", async () => {
    const file = await writeInput(dir, 'p.csv', CUSTOMERS);
    await expect(run(file, { table: 'churn_risk_scores' })).rejects.toThrow(
      '--table: churn_risk_scores is written by npm run predict from the other tables; it is not imported',
    );
    await expect(run(file, { table: 'customer' })).rejects.toThrow(/expected one of: (?!.*prediction)(?!.*churn_risk).*\)$/);
  });
});

/** Each bad input: the message it must give, and the warehouse must be as it was. */
const BAD_INPUTS: { name: string; table?: string; content: string | Buffer; messages: string[] }[] = [
  {
    name: 'unknown column',
    content: 'id,signup_at,plan,segment,country,acquisition_channel,colour\n9,2024-01-01,basic,smb,DE,organic,red\n',
    messages: [
      'unknown-column.csv:1: colour: unknown column (expected one of: id, signup_at, plan, segment, country, acquisition_channel)',
    ],
  },
  {
    name: 'missing required column',
    content: 'id,plan,segment,country,acquisition_channel\n9,basic,smb,DE,organic\n',
    messages: ['missing-required-column.csv:1: signup_at: missing required column (expected a column named signup_at)'],
  },
  {
    name: 'bad date',
    content:
      'id,signup_at,plan,segment,country,acquisition_channel\n9,2024-02-30,basic,smb,DE,organic\n10,yesterday,basic,smb,DE,organic\n',
    messages: [
      'bad-date.csv:2: signup_at: not a date or time (got "2024-02-30", expected an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T09:30:00Z (UTC unless an offset is given))',
      'bad-date.csv:3: signup_at: not a date or time (got "yesterday", expected an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T09:30:00Z (UTC unless an offset is given))',
    ],
  },
  {
    // Cast, a char(2) would cut "USA" to "US" without a word.
    name: 'text too long for its column',
    content: 'id,signup_at,plan,segment,country,acquisition_channel\n9,2024-01-01,basic,smb,USA,organic\n',
    messages: ['text-too-long-for-its-column.csv:2: country: too long (got "USA", expected text of at most 2 characters)'],
  },
  {
    name: 'bad number',
    table: 'orders',
    content: 'id,customer_id,ordered_at,amount\n90,1,2024-02-01,12.50\n91,1,2024-02-02,twelve\n',
    messages: ['bad-number.csv:3: amount: not a number (got "twelve", expected a number (numeric(12,2)))'],
  },
  {
    name: 'value out of range',
    table: 'orders',
    content: 'id,customer_id,ordered_at,amount\n90,1,2024-02-01,-5\n',
    messages: ['value-out-of-range.csv:2: amount: value out of range (got "-5.00", expected amount >= 0)'],
  },
  {
    name: 'unknown customer reference',
    table: 'orders',
    content: 'id,customer_id,ordered_at,amount\n90,1,2024-02-01,10\n91,77,2024-02-01,10\n',
    messages: [
      'unknown-customer-reference.csv:3: customer_id: unknown customer reference (got "77", expected the id of a customer of tenant shop: import customers first)',
    ],
  },
  {
    name: 'duplicate id in the file',
    content:
      'id,signup_at,plan,segment,country,acquisition_channel\n9,2024-01-01,basic,smb,DE,organic\n9,2024-01-02,basic,smb,DE,organic\n',
    messages: ['duplicate-id-in-the-file.csv:3: id: duplicate id in the file (got "9", expected each once; first on line 2)'],
  },
  {
    name: 'duplicate key of two columns in the file',
    table: 'campaign_stats',
    content:
      'id,campaign,channel,day,impressions,clicks,conversions\n1,spring,email,2024-03-01,100,10,1\n2,spring,email,2024-03-02,100,10,1\n3,spring,email,2024-03-01,90,9,0\n',
    messages: [
      'duplicate-key-of-two-columns-in-the-file.csv:4: campaign, day: duplicate key in the file (got "spring, 2024-03-01", expected each once; first on line 2)',
    ],
  },
  {
    name: 'a quote never closed',
    content: 'id,signup_at,plan,segment,country,acquisition_channel\n9,2024-01-01,"basic,smb,DE,organic\n',
    messages: ['a-quote-never-closed.csv:3: a quoted value is never closed (the file stops in the middle of a row)'],
  },
  {
    name: 'a value spanning lines before a bad one',
    content:
      'id,signup_at,plan,segment,country,acquisition_channel\n9,2024-01-01,"two\nlines",smb,DE,organic\n10,someday,basic,smb,DE,organic\n',
    messages: [
      'a-value-spanning-lines-before-a-bad-one.csv:4: signup_at: not a date or time (got "someday", expected an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T09:30:00Z (UTC unless an offset is given))',
    ],
  },
  {
    name: 'empty file',
    content: '',
    messages: ['empty-file.csv: empty file (expected a header row of column names, then one row per record)'],
  },
  {
    name: 'wrong encoding',
    content: Buffer.concat([
      Buffer.from('id,signup_at,plan,segment,country,acquisition_channel\n9,2024-01-01,basic,smb,DE,organic\n10,2024-01-01,'),
      Buffer.from('caf\xe9', 'latin1'),
      Buffer.from(',smb,DE,organic\n'),
    ]),
    messages: ['wrong-encoding.csv:3: not UTF-8 text (expected a UTF-8 encoded file: save or export it as UTF-8)'],
  },
  {
    name: 'a file that stops mid-row',
    content: 'id,signup_at,plan,segment,country,acquisition_channel\n9,2024-01-01,basic,smb,DE,organic\n10,2024-01-',
    messages: [
      'a-file-that-stops-mid-row.csv:3: the row has fewer values than the header has columns (expected one value per column): a row cut short, or a file that stops mid-row',
    ],
  },
];

describe('a bad input is refused, says what is wrong where, and leaves the warehouse unchanged', () => {
  for (const bad of BAD_INPUTS) {
    it(bad.name, async () => {
      const file = await writeInput(dir, `${bad.name.replace(/ /g, '-')}.csv`, bad.content);
      const before = await warehouseFingerprint(db);
      const error = await run(file, { table: bad.table ?? 'customers' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportRefused);
      const lines = (error as ImportRefused).message.split('\n').map((line) => line.replace(`${dir}/`, ''));
      expect(lines).toEqual([...bad.messages, `Nothing was imported from ${bad.name.replace(/ /g, '-')}.csv.`]);
      expect(await warehouseFingerprint(db)).toEqual(before);
    });
  }

  it('shows the first 20 problems and counts the rest', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${100 + i},not-a-date,basic,smb,DE,organic`).join('\n');
    const file = await writeInput(dir, 'many.csv', `id,signup_at,plan,segment,country,acquisition_channel\n${rows}\n`);
    const error = (await run(file).catch((e: unknown) => e)) as ImportRefused;
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[0]).toContain('many.csv:2: signup_at: not a date or time (got "not-a-date"');
    expect(lines[19]).toContain('many.csv:21: signup_at');
    expect(lines[20]).toBe('… and 5 more problems.');
  });
});
