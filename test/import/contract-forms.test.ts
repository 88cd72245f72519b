import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../../src/import/catalog.js';
import { contractForm, contractPattern } from '../../src/import/validate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The import accepts the common forms of numbers, dates and times without a regular expression
// (LIKE and translate, several times cheaper in PostgreSQL). It must accept exactly what the
// contract's patterns accept: here both are asked about the same values, good and bad.

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

const column = (baseType: string, category: string, type: string): Column => ({
  name: 'v',
  type,
  category,
  baseType,
  notNull: false,
  defaultSql: null,
});

/** Each value with [the fast form's answer, the pattern's answer]. */
async function judge(target: Column, values: string[]): Promise<Map<string, [boolean, boolean]>> {
  const { rows } = await client.query<{ v: string; form: boolean; pattern: boolean }>(
    `SELECT v, ${contractForm(target, 'v')} AS form, v ~ $2 AS pattern FROM unnest($1::text[]) v`,
    [values, contractPattern(target)],
  );
  return new Map(rows.map((r) => [r.v, [r.form, r.pattern]]));
}

const cases: { kind: string; target: Column; good: string[]; bad: string[] }[] = [
  {
    kind: 'integer',
    target: column('int8', 'N', 'bigint'),
    good: ['0', '7', '0042', '123456789012', '-5', '+5'],
    bad: ['', '-', '+', '1.0', '1e3', ' 1', '1 ', '٣', 'NaN', '0x1F', '1_000'],
  },
  {
    kind: 'decimal',
    target: column('numeric', 'N', 'numeric(12,2)'),
    good: ['0', '12', '12.5', '12.', '.5', '-3.25', '+1', '1e3', '1.5E-2', '007.10'],
    bad: ['', '.', '-', '-.', '1.2.3', '1,5', 'NaN', 'Infinity', ' 1', '1e', '٣.٥', '..5'],
  },
  {
    kind: 'date',
    target: column('date', 'D', 'date'),
    good: ['2024-03-01', '0044-03-15', '9999-12-31'],
    bad: [
      '',
      '2024-3-01',
      '2024-03-1',
      '24-03-01',
      '2024/03/01',
      '2024-03-01T00:00:00Z',
      'today',
      'epoch',
      '2024-0a-01',
      '2024--3-01',
      '١٢٣٤-03-01',
    ],
  },
  {
    kind: 'timestamp',
    target: column('timestamptz', 'D', 'timestamp with time zone'),
    good: [
      '2024-03-01',
      '2024-03-01T09:30:00.000Z',
      '2024-03-01T09:30:00.5Z',
      '2024-03-01T09:30:00Z',
      '2024-03-01T09:30:00+01:00',
      '2024-03-01T09:30:00.123456+01:00',
      '2024-03-01T09:30:00-05:00',
      '2024-03-01 09:30:00',
      '2024-03-01 09:30',
      '2024-03-01T09:30',
      '2024-03-01T09:30:00+0100',
      '2024-03-01T09:30:00+01',
    ],
    bad: [
      '',
      'now',
      'epoch',
      'infinity',
      '3/1/2024',
      '2024-03-01T09:30:00.Z',
      '2024-03-01T09:30:00.000z',
      '2024-03-01T9:30:00Z',
      '2024-03-01T09:30:00 Z',
      '2024-03-01 09:30:00 PST',
      '2024-03-01T09:30:00+1:00',
      '2024-03-01TT9:30:00Z',
      '2024-03-01T09:30:00.1-2Z',
      '2024-03-01T09:30:0a.000Z',
      '2024-03-01T09:30:00.12Z3',
      'J2451187',
    ],
  },
];

describe('the contract forms of numbers, dates and times', () => {
  for (const { kind, target, good, bad } of cases) {
    it(`accepts exactly what the ${kind} pattern accepts`, async () => {
      const judged = await judge(target, [...good, ...bad]);
      for (const value of good) expect(judged.get(value), `${kind} ${JSON.stringify(value)}`).toEqual([true, true]);
      for (const value of bad) expect(judged.get(value), `${kind} ${JSON.stringify(value)}`).toEqual([false, false]);
    });
  }

  it('leaves text columns unchecked', () => {
    expect(contractForm(column('text', 'S', 'text'), 'v')).toBeUndefined();
  });
});
