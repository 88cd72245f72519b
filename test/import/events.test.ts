import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, loadMapping, type ImportOptions } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratchDir, warehouseFingerprint, writeInput } from './support.js';

let database: TestDatabase;
let db: Knex;
let dir: string;

const HEADER = 'id,visitor_id,customer_id,session_id,name,occurred_at,product,value,channel,device,properties';
// properties is JSON in a quoted CSV value: its quotes doubled.
const EVENTS = `${HEADER}
e1,v-9,,s-1,product_view,2024-03-01T10:00:00Z,rain-jacket,,social,mobile,"{""page"": ""/p/rain-jacket""}"
e2,v-9,,s-1,add_to_cart,2024-03-01T10:02:00Z,rain-jacket,89.00,social,mobile,
e3,v-9,1,s-2,purchase,2024-03-02T18:30:00Z,rain-jacket,96.95,email,desktop,"{""order_id"": ""1001"", ""shipping_cost"": 7.95}"
`;

const run = (file: string, extra: Partial<ImportOptions> = {}) =>
  importFile({ url: database.url, tenant: 'shop', table: 'events', file, ...extra });

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  dir = await scratchDir();
  await importFile({
    url: database.url,
    tenant: 'shop',
    table: 'customers',
    file: await writeInput(
      dir,
      'customers.csv',
      'id,signup_at,plan,segment,country,acquisition_channel\n1,2024-03-02,standard,retail,DE,email\n',
    ),
    tenantName: 'Shop',
    businessModel: 'b2c',
  });
});
afterAll(async () => {
  await database?.drop();
});

describe('importing events', () => {
  it('loads every row, properties as JSON objects', async () => {
    const summary = await run(await writeInput(dir, 'events.csv', EVENTS));
    expect(summary).toMatchObject({ rows: 3, added: 3, updated: 0, unchanged: 0 });
    const rows = await db('events').where({ tenant_id: 'shop' }).orderBy('id');
    expect(rows.map((r) => [r.id, r.customer_id, r.name, new Date(r.occurred_at).toISOString(), r.value, r.device, r.properties])).toEqual([
      ['e1', null, 'product_view', '2024-03-01T10:00:00.000Z', null, 'mobile', { page: '/p/rain-jacket' }],
      ['e2', null, 'add_to_cart', '2024-03-01T10:02:00.000Z', 89, 'mobile', null],
      ['e3', '1', 'purchase', '2024-03-02T18:30:00.000Z', 96.95, 'desktop', { order_id: '1001', shipping_cost: 7.95 }],
    ]);
  });

  it('changes nothing when the same file is imported again, whatever the spacing of its JSON', async () => {
    const before = await warehouseFingerprint(db);
    const respaced = EVENTS.replace('{""page"": ""/p/rain-jacket""}', '{ ""page"":""/p/rain-jacket"" }');
    const summary = await run(await writeInput(dir, 'again.csv', respaced));
    expect(summary).toMatchObject({ rows: 3, added: 0, updated: 0, unchanged: 3 });
    expect(await warehouseFingerprint(db)).toEqual(before);
  });

  it('renames an analytics export’s columns into the contract with a mapping file', async () => {
    const mappingFile = await writeInput(
      dir,
      'events.yml',
      [
        'columns:',
        '  id: insert_id',
        '  visitor_id: distinct_id',
        '  name: event',
        '  occurred_at: { from: time, format: "dd/MM/yyyy HH:mm", timezone: Europe/Berlin }',
        '  device: { from: platform, values: { iOS: mobile, Android: mobile, Web: desktop, iPadOS: tablet } }',
        '  properties: props',
        'ignore: [library]',
        '',
      ].join('\n'),
    );
    const file = await writeInput(
      dir,
      'export.csv',
      'insert_id,distinct_id,event,time,platform,props,library\nm1,v-7,feature_used,01/03/2024 09:15,iPadOS,"{""screen"": ""reports""}",sdk-4.2\n',
    );
    const summary = await run(file, { mapping: { file: mappingFile, mapping: await loadMapping(mappingFile) } });
    expect(summary).toMatchObject({ rows: 1, added: 1 });
    const row = await db('events').where({ tenant_id: 'shop', id: 'm1' }).first();
    expect([row.visitor_id, row.name, new Date(row.occurred_at).toISOString(), row.device, row.properties]).toEqual([
      'v-7',
      'feature_used',
      '2024-03-01T08:15:00.000Z',
      'tablet',
      { screen: 'reports' },
    ]);
  });
});

const EXPECTED_JSON = 'expected a JSON object, e.g. {"order_id": "1001"}';

/** Each bad events file: the messages it must give; the warehouse must be as it was. */
const BAD_EVENTS: { name: string; rows: string[]; messages: string[] }[] = [
  {
    name: 'properties that are not JSON',
    rows: ['b1,v-1,,,page_view,2024-03-01,,,,,"{page: /pricing}"', 'b2,v-1,,,page_view,2024-03-01,,,,,"{""page"": ""/a"""'],
    messages: [
      `properties-that-are-not-JSON.csv:2: properties: not valid JSON (got "{page: /pricing}", ${EXPECTED_JSON})`,
      `properties-that-are-not-JSON.csv:3: properties: not valid JSON (got "{\\"page\\": \\"/a\\"", ${EXPECTED_JSON})`,
    ],
  },
  {
    name: 'properties that are JSON but not an object',
    rows: [
      'b1,v-1,,,page_view,2024-03-01,,,,,"[1, 2]"',
      'b2,v-1,,,page_view,2024-03-01,,,,,42',
      'b3,v-1,,,page_view,2024-03-01,,,,,"""/pricing"""',
    ],
    messages: [
      `properties-that-are-JSON-but-not-an-object.csv:2: properties: not a JSON object (got "[1, 2]", ${EXPECTED_JSON})`,
      `properties-that-are-JSON-but-not-an-object.csv:3: properties: not a JSON object (got "42", ${EXPECTED_JSON})`,
      `properties-that-are-JSON-but-not-an-object.csv:4: properties: not a JSON object (got "\\"/pricing\\"", ${EXPECTED_JSON})`,
    ],
  },
  {
    name: 'a device outside the vocabulary',
    rows: ['b1,v-1,,,page_view,2024-03-01,,,,toaster,'],
    messages: [
      'a-device-outside-the-vocabulary.csv:2: device: value out of range (got "toaster", expected one of desktop, mobile, tablet)',
    ],
  },
  {
    name: 'an unknown customer',
    rows: ['b1,v-1,404,,purchase,2024-03-01,,10,,,'],
    messages: [
      'an-unknown-customer.csv:2: customer_id: unknown customer reference (got "404", expected the id of a customer of tenant shop: import customers first)',
    ],
  },
  {
    name: 'a missing visitor',
    rows: ['b1,,,,page_view,2024-03-01,,,,,'],
    messages: ['a-missing-visitor.csv:2: visitor_id: missing value (expected text: visitor_id is required)'],
  },
];

describe('a bad events file is refused, says what is wrong where, and leaves the warehouse unchanged', () => {
  for (const bad of BAD_EVENTS) {
    it(bad.name, async () => {
      const name = `${bad.name.replace(/ /g, '-')}.csv`;
      const file = await writeInput(dir, name, [HEADER, ...bad.rows, ''].join('\n'));
      const before = await warehouseFingerprint(db);
      const error = await run(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportRefused);
      const lines = (error as ImportRefused).message.split('\n').map((line) => line.replace(`${dir}/`, ''));
      expect(lines).toEqual([...bad.messages, `Nothing was imported from ${name}.`]);
      expect(await warehouseFingerprint(db)).toEqual(before);
    });
  }

  it('through a mapping too, at the line of the file', async () => {
    const mappingFile = await writeInput(dir, 'rename.yml', 'columns:\n  name: event\n  properties: props\n');
    const file = await writeInput(
      dir,
      'mapped.csv',
      'id,visitor_id,event,occurred_at,props\nb1,v-1,page_view,2024-03-01,"{}"\nb2,v-1,page_view,2024-03-01,[]\n',
    );
    const before = await warehouseFingerprint(db);
    const error = (await run(file, { mapping: { file: mappingFile, mapping: await loadMapping(mappingFile) } }).catch(
      (e: unknown) => e,
    )) as ImportRefused;
    expect(error).toBeInstanceOf(ImportRefused);
    expect(error.message.replace(`${dir}/`, '').split('\n')[0]).toBe(
      `mapped.csv:3: properties: not a JSON object (got "[]", ${EXPECTED_JSON})`,
    );
    expect(await warehouseFingerprint(db)).toEqual(before);
  });
});
