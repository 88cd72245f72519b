import { stat } from 'node:fs/promises';
import pg from 'pg';
import { PREDICTION_TABLES } from '../predict/tables.js';
import { importableTables, readTableShape } from './catalog.js';
import { readCsv } from './csv-source.js';
import type { Mapping } from './mapping.js';
import { lockForImport, mergeTypedRows, withoutOwnReferenceChecks, type MergeCounts } from './merge.js';
import { planImport } from './plan.js';
import { ImportRefused, SHOWN_PROBLEMS, type Problem } from './problems.js';
import { StagingTable } from './staging.js';
import { castStagedRows, findProblems } from './validate.js';

export { ImportRefused, formatProblem } from './problems.js';
export { loadMapping, MappingError } from './mapping.js';

export interface ImportOptions {
  /** The warehouse owner's URL. */
  url: string;
  tenant: string;
  table: string;
  file: string;
  mapping?: { file: string; mapping: Mapping };
  /** Validate and count, then roll back. */
  dryRun?: boolean;
  /** Creates the tenant on its first import; on later ones, renames it. */
  tenantName?: string;
  businessModel?: string;
  /** The tenant's data is complete through this instant (tenants.data_through, the observation end). */
  through?: Date;
  onProgress?: (event: { phase: 'reading'; bytes: number; totalBytes: number } | { phase: 'validating' | 'writing' }) => void;
}

export interface ImportSummary extends MergeCounts {
  table: string;
  tenant: string;
  rows: number;
  seconds: number;
  dryRun: boolean;
  tenantCreated: boolean;
}

const DATA_THROUGH = 'data_through';

/** A bad flag: the table or tenant named does not exist, or the new tenant lacks a name. */
export class ImportUsageError extends Error {
  override name = 'ImportUsageError';
}

/**
 * Imports one CSV file into one table of one tenant: streams it into a staging table with COPY,
 * validates every row, and only if nothing is wrong merges it in the same transaction, so a
 * refused file leaves the warehouse as it was.
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    // Zone-less times are UTC. The staged rows live in temporary tables, held in this session's
    // own buffers (8 MB unless raised, which must happen before the first one is made).
    await client.query(`SET TimeZone = 'UTC'; SET temp_buffers = '256MB'`);
    const tables = (await importableTables(client)).filter((table) => !PREDICTION_TABLES.includes(table));
    if (PREDICTION_TABLES.includes(options.table)) {
      throw new ImportUsageError(`--table: ${options.table} is written by npm run predict from the other tables; it is not imported`);
    }
    if (!tables.includes(options.table)) {
      throw new ImportUsageError(`--table: unknown table "${options.table}" (expected one of: ${tables.join(', ')})`);
    }
    await client.query('BEGIN');
    try {
      const tenantCreated = await ensureTenant(client, options);
      const counts = await loadAndMerge(client, options);
      await client.query(options.dryRun ? 'ROLLBACK' : 'COMMIT');
      return {
        table: options.table,
        tenant: options.tenant,
        ...counts,
        seconds: (performance.now() - started) / 1000,
        dryRun: options.dryRun ?? false,
        tenantCreated,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function ensureTenant(client: pg.ClientBase, options: ImportOptions): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM tenants WHERE id = $1', [options.tenant]);
  const given = { name: options.tenantName, business_model: options.businessModel };
  if (rows.length === 0 && (!given.name || !given.business_model)) {
    throw new ImportUsageError(
      `--tenant: no tenant "${options.tenant}" yet; to create it on this import give --tenant-name and --business-model`,
    );
  }
  await client.query('SAVEPOINT tenant');
  try {
    if (rows.length === 0) {
      await client.query('INSERT INTO tenants (id, name, business_model) VALUES ($1, $2, $3)', [
        options.tenant,
        given.name,
        given.business_model,
      ]);
    } else if (given.name || given.business_model) {
      await client.query('UPDATE tenants SET name = coalesce($2, name), business_model = coalesce($3, business_model) WHERE id = $1', [
        options.tenant,
        given.name ?? null,
        given.business_model ?? null,
      ]);
    }
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT tenant');
    if (error instanceof pg.DatabaseError && error.code === '23514') {
      const shape = await readTableShape(client, 'tenants');
      const check = shape.checks.find((c) => c.name === error.constraint);
      throw new ImportUsageError(
        `--business-model: not allowed (got "${given.business_model}", expected ${check ? check.expression : 'a known value'})`,
      );
    }
    throw error;
  }
  if (options.through) await setDataThrough(client, options.tenant, options.through);
  return rows.length === 0;
}

/** The observation end lives in tenants.data_through where the warehouse has that column. */
async function setDataThrough(client: pg.ClientBase, tenant: string, through: Date): Promise<void> {
  const shape = await readTableShape(client, 'tenants');
  if (!shape.columns.some((c) => c.name === DATA_THROUGH)) {
    throw new ImportUsageError(`--through: this warehouse has no tenants.${DATA_THROUGH} column to store an observation end in`);
  }
  await client.query(`UPDATE tenants SET ${DATA_THROUGH} = $2 WHERE id = $1`, [tenant, through]);
}

async function loadAndMerge(client: pg.ClientBase, options: ImportOptions): Promise<MergeCounts & { rows: number }> {
  const shape = await readTableShape(client, options.table);
  await lockForImport(client, shape);
  const totalBytes = (await stat(options.file)).size;
  const onBytes = (bytes: number) => options.onProgress?.({ phase: 'reading', bytes, totalBytes });
  const records = readCsv(options.file, options.mapping ? onBytes : undefined);
  const first = await records.next();
  if (first.done)
    throw new ImportRefused(options.file, [{ message: 'empty file (expected a header row of column names, then one row per record)' }]);
  const plan = planImport(options.file, shape, first.value.values, options.mapping);
  const staging = new StagingTable(client, plan.columns);
  const mappingProblems: Problem[] = [];
  let mappingProblemCount = 0;
  if (options.mapping) {
    await staging.open();
    try {
      for await (const record of records) {
        const before = mappingProblems.length;
        const cells = plan.transform(record.values, record.line, mappingProblems);
        if (mappingProblems.length > before) {
          mappingProblemCount += mappingProblems.length - before;
          mappingProblems.length = Math.min(mappingProblems.length, SHOWN_PROBLEMS);
        }
        await staging.push(record.line, cells);
      }
      await staging.end();
    } catch (error) {
      await staging.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  } else {
    // The header is the table's columns: PostgreSQL reads the file itself.
    await records.return(undefined);
    await staging.copyCsv(options.file, onBytes);
  }
  if (staging.rows === 0) {
    throw new ImportRefused(options.file, [{ line: first.value.line, message: 'no rows after the header (expected at least one record)' }]);
  }
  options.onProgress?.({ phase: 'validating' });
  const input = { shape, columns: plan.columns, tenant: options.tenant };
  await castStagedRows(client, input, staging.rows);
  const found = await findProblems(client, input);
  // A value the mapping could not read is staged empty: its "missing value" would say it twice.
  const mapped = new Set(mappingProblems.map((p) => `${p.line}:${p.column}`));
  const rowProblems = found.problems.filter((p) => !mapped.has(`${p.line}:${p.column}`));
  const total = found.total - (found.problems.length - rowProblems.length) + mappingProblemCount;
  if (total > 0) {
    const located = options.mapping ? rowProblems : await withRecordLines(options.file, rowProblems);
    const problems = [...mappingProblems, ...located].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ImportRefused(options.file, problems.slice(0, SHOWN_PROBLEMS), total);
  }
  options.onProgress?.({ phase: 'writing' });
  const counts = await withoutOwnReferenceChecks(client, shape, () => mergeTypedRows(client, shape, plan.columns, options.tenant));
  return { rows: staging.rows, ...counts };
}

/**
 * COPY numbers rows by record (the header is 1); a value spanning lines puts later records
 * further down the file. Only for the problems shown, the file is read again to say where.
 */
async function withRecordLines(file: string, problems: Problem[]): Promise<Problem[]> {
  const wanted = new Set(problems.map((p) => p.line));
  const lines = new Map<number, number>();
  let record = 0;
  for await (const { line } of readCsv(file)) {
    if (wanted.has(++record)) lines.set(record, line);
    if (lines.size === wanted.size) break;
  }
  return problems.map((p) => (p.line === undefined ? p : { ...p, line: lines.get(p.line) ?? p.line }));
}
