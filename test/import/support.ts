import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';

/** A scratch directory for a test file's CSVs. */
export async function scratchDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'import-test-'));
}

/** Writes `content` (text or bytes) as `name` in `dir` and returns its path. */
export async function writeInput(dir: string, name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

const TABLES = ['tenants', 'customers', 'subscriptions', 'orders', 'survey_responses', 'events'];

/** Row count and an md5 of every row of the tables an import can touch: equal before and after means unchanged. */
export async function warehouseFingerprint(db: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await db.raw(
      `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS f FROM ${table} t`,
    );
    out[table] = (rows as { f: string }[])[0]!.f;
  }
  return out;
}
