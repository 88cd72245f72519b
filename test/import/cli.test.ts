import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratchDir, warehouseFingerprint, writeInput } from './support.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const cli = path.resolve('src/cli/main.ts');

let database: TestDatabase;
let dir: string;

async function importCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [cli, 'import', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, NO_COLOR: '1' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await scratchDir();
});
afterAll(() => database?.drop());

describe('npm run import', () => {
  it('imports, creating the tenant, and prints what it added, updated and left', async () => {
    const file = await writeInput(dir, 'customers.csv', 'id,signup_at\nC-1,2025-01-01\nC-2,2025-02-01\n');
    const first = await importCommand(['--tenant', 'cli', '--tenant-name', 'CLI', '--business-model', 'b2c', '--table', 'customers', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Imported 2 rows of .*customers\.csv into customers for tenant cli \(new tenant\)/);
    expect(first.stdout).toMatch(/added +2\n +updated +0\n +unchanged +0/);
    // The tenant's predictions are fitted again after an import that changed it.
    expect(first.stdout).toMatch(/cli \(history through 2025-02-01, [\d.]+ s\):\n {2}bgnbd +skipped: no orders before the as-of date/);
    const again = await importCommand(['--tenant', 'cli', '--table', 'customers', '--dry-run', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Dry run, nothing written: would import 2 rows/);
    expect(again.stdout).toMatch(/unchanged +2/);
    expect(again.stdout).not.toMatch(/history through/);
  });

  it('exits 1 on a refused file with its problems and no stack', async () => {
    const file = await writeInput(dir, 'bad.csv', 'id,signup_at\nC-3,tomorrow\n');
    const before = await warehouseFingerprint(database.db);
    const { code, stderr } = await importCommand(['--tenant', 'cli', '--table', 'customers', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:2: signup_at: not a date or time (got "tomorrow"`);
    expect(stderr).toContain(`Nothing was imported from ${file}.`);
    expect(stderr).not.toContain('    at ');
    expect(await warehouseFingerprint(database.db)).toEqual(before);
  });

  it.each([
    [
      ['--tenant', 'nobody', '--table', 'customers'],
      '--tenant: no tenant "nobody" yet; to create it on this import give --tenant-name and --business-model',
    ],
    [['--tenant', 'cli', '--table', 'clients'], '--table: unknown table "clients"'],
    [
      ['--tenant', 'x', '--tenant-name', 'X', '--business-model', 'b2x', '--table', 'customers'],
      '--business-model: not allowed (got "b2x"',
    ],
    [['--table', 'customers'], "required option '--tenant <id>' not specified"],
  ])('exits 2 on %j, naming the flag', async (args, message) => {
    const file = await writeInput(dir, 'ok.csv', 'id,signup_at\nC-9,2025-01-01\n');
    const { code, stderr } = await importCommand([...args, file]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('--help says Parquet is read too, and --format takes csv or parquet only', async () => {
    const help = await importCommand(['--help']);
    expect(help.stdout).toContain('Import a CSV or Parquet file');
    expect(help.stdout).toMatch(/--format <format> +the file is CSV or Parquet/);
    const file = await writeInput(dir, 'f.csv', 'id,signup_at\nC-9,2025-01-01\n');
    const bad = await importCommand(['--tenant', 'cli', '--table', 'customers', '--format', 'xlsx', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--format <format>' argument 'xlsx' is invalid. Allowed choices are csv, parquet.");
  });

  it('exits 2 on a bad mapping file, naming the field', async () => {
    const mapping = await writeInput(dir, 'map.yml', 'columns:\n  signup_at: { from: Joined, timezone: Nowhere/City }\n');
    const file = await writeInput(dir, 'mapped.csv', 'id,Joined\nC-9,2025-01-01\n');
    const { code, stderr } = await importCommand(['--tenant', 'cli', '--table', 'customers', '--mapping', mapping, file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${mapping}: columns.signup_at.timezone: expected an IANA time zone`);
  });

  it('--through stores the observation end where the warehouse has tenants.data_through, and says so where it has not', async () => {
    const file = await writeInput(dir, 'through.csv', 'id,signup_at\nC-1,2025-01-01\n');
    const { code, stderr } = await importCommand(['--tenant', 'cli', '--table', 'customers', '--through', '2025-06-30', file]);
    const { rows } = await database.db.raw(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'tenants' AND column_name = 'data_through'`,
    );
    if (rows.length) {
      expect(code).toBe(0);
      const tenant = await database.db('tenants').where({ id: 'cli' }).first();
      expect(new Date(tenant.data_through).toISOString()).toBe('2025-06-30T00:00:00.000Z');
    } else {
      expect(code).toBe(2);
      expect(stderr).toContain('--through: this warehouse has no tenants.data_through column to store an observation end in');
    }
  });
});
