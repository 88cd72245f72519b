import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, loadMapping, MappingError } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratchDir, warehouseFingerprint, writeInput } from './support.js';

let dir: string;
let database: TestDatabase;

beforeAll(async () => {
  dir = await scratchDir();
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function mappingError(yaml: string): Promise<string> {
  const file = await writeInput(dir, 'map.yml', yaml);
  const error = await loadMapping(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MappingError);
  return (error as MappingError).message.replace(`${dir}/`, '');
}

describe('a mapping file is checked, and its errors name the field', () => {
  it('a column with neither from, constant nor months_before', async () => {
    expect(await mappingError('columns:\n  plan: { values: { a: b } }\n')).toBe(
      'map.yml: columns.plan: give exactly one of from, constant or months_before',
    );
  });

  it('an unknown key', async () => {
    expect(await mappingError('columns:\n  plan: { from: Plan, rename: x }\n')).toMatch(/^map\.yml: columns\.plan: .*rename/);
  });

  it('a time zone that does not exist', async () => {
    expect(await mappingError('columns:\n  signup_at: { from: Created, timezone: Mars/Olympus }\n')).toBe(
      'map.yml: columns.signup_at.timezone: expected an IANA time zone such as Europe/Berlin or America/New_York',
    );
  });

  it('YAML that does not parse', async () => {
    expect(await mappingError('columns: [\n')).toMatch(/^map\.yml: /);
  });
});

describe('a mapped import', () => {
  const header = 'Account,Joined,Tier,Exported,Age,State,Left';

  async function run(csv: string, yaml: string) {
    const mappingFile = await writeInput(dir, 'customers.yml', yaml);
    return importFile({
      url: database.url,
      tenant: 'mapped',
      table: 'customers',
      file: await writeInput(dir, 'export.csv', csv),
      mapping: { file: mappingFile, mapping: await loadMapping(mappingFile) },
      tenantName: 'Mapped',
      businessModel: 'b2c',
    });
  }

  const MAPPING = `columns:
  id: Account
  signup_at: { from: Joined, format: M/d/yyyy h:mm a, timezone: America/New_York }
  plan: { from: Tier, values: { Gold: gold, Free: free } }
  segment: { constant: consumer }
ignore: [Exported, Age, State, Left]
`;

  it('reads a date format in a time zone and applies value maps and constants', async () => {
    const summary = await run(`${header}\nU1,3/9/2025 11:30 PM,Gold,,,,\nU2,12/31/2024 9:05 AM,Free,,,,\n`, MAPPING);
    expect(summary).toMatchObject({ added: 2 });
    const rows = await database.db('customers').where({ tenant_id: 'mapped' }).orderBy('id');
    // 11:30 PM on 9 March 2025 in New York (EDT from 2 a.m. that day, UTC−4) is 03:30 UTC on the 10th.
    expect(rows.map((r) => [r.id, new Date(r.signup_at).toISOString(), r.plan, r.segment])).toEqual([
      ['U1', '2025-03-10T03:30:00.000Z', 'gold', 'consumer'],
      ['U2', '2024-12-31T14:05:00.000Z', 'free', 'consumer'],
    ]);
  });

  it('refuses values the mapping cannot read, naming the line and the source column', async () => {
    const before = await warehouseFingerprint(database.db);
    const error = (await run(`${header}\nU3,2025-03-09,Gold,,,,\nU4,3/9/2025 1:00 PM,Platinum,,,,\n`, MAPPING).catch(
      (e: unknown) => e,
    )) as ImportRefused;
    expect(error).toBeInstanceOf(ImportRefused);
    expect(error.message.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'export.csv:2: signup_at: "Joined" is not a date (got "2025-03-09", expected a date as M/d/yyyy h:mm a)',
      'export.csv:3: plan: "Tier" has a value the mapping\'s values do not list (got "Platinum", expected one of: Gold, Free)',
      'Nothing was imported from export.csv.',
    ]);
    expect(await warehouseFingerprint(database.db)).toEqual(before);
  });

  it('derives a start date from a snapshot date and an age in months', async () => {
    const mapping = `columns:
  id: Account
  signup_at: { months_before: { date: Exported, months: Age }, format: yyyy-MM-dd }
ignore: [Joined, Tier, State, Left]
`;
    await run(`${header}\nU5,,,2026-10-31,8,,\n`, mapping);
    const row = await database.db('customers').where({ tenant_id: 'mapped', id: 'U5' }).first();
    // 31 October less 8 months: 28 February is the last day of that month.
    expect(new Date(row.signup_at).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('a mapping that names a column the table does not have', async () => {
    await expect(run(`${header}\nU6,,,,,,\n`, 'columns:\n  id: Account\n  colour: Tier\n')).rejects.toThrow(
      /customers\.yml: columns\.colour: not a column of customers \(expected one of: id, signup_at/,
    );
  });

  it('a mapping that reads a column the file does not have', async () => {
    const error = (await run(`${header}\nU7,,,,,,\n`, 'columns:\n  id: Acct\n').catch((e: unknown) => e)) as ImportRefused;
    expect(error.message).toContain("export.csv:1: Acct: no such column in the file (the mapping's columns.id reads it)");
  });
});
