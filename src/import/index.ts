import { stat } from 'node:fs/promises';
import pg from 'pg';
import { PREDICTION_TABLES } from '../predict/tables.js';
import { importableTables, readTableShape, type TableShape } from './catalog.js';
import { readCsv } from './csv-source.js';
import { formatOf, type ImportFormat } from './format.js';
import type { Mapping } from './mapping.js';
import { lockForImport, mergeTypedRows, withoutOwnReferenceChecks, type MergeCounts } from './merge.js';
import { ParquetSource } from './parquet-source.js';
import { planImport, type ImportPlan } from './plan.js';
import { ImportRefused, SHOWN_PROBLEMS, type Problem, type RecordUnit } from './problems.js';
import { StagingTable } from './staging.js';
import { castStagedRows, findProblems } from './validate.js';

export { ImportRefused, formatProblem } from './problems.js';
export { loadMapping, MappingError } from './mapping.js';
export { IMPORT_FORMATS, type ImportFormat } from './format.js';

export interface ImportOptions {
  /** The warehouse owner's URL. */
  url: string;
  tenant: string;
  table: string;
  file: string;
  /** By default from the file's name: `.parquet` is Parquet, anything else CSV. */
  format?: ImportFormat;
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
 * Imports one CSV or Parquet file into one table of one tenant: streams it into a staging table with COPY,
 * validates every row, and only if nothing is wrong merges it in the same transaction, so a
 * refused file leaves the warehouse as it was.
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    // Zone-less times are UTC. The staged rows live in temporary tables, held in this session's
    // own buffers (8 MB unless raised, which must happen before the first one is made); new rows
    // are sorted into key order in memory (93 MB at 1M customers) rather than on disk.
    await client.query(`SET TimeZone = 'UTC'; SET temp_buffers = '256MB'; SET work_mem = '256MB'`);
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

/** What a file's rows were staged from: its plan, its staged rows, and how its problems are told. */
interface Staged {
  plan: ImportPlan;
  rows: number;
  unit: RecordUnit;
  /** Problems a mapping found while making the rows (the first SHOWN_PROBLEMS), and how many in all. */
  transformProblems: Problem[];
  transformProblemCount: number;
  /** Puts the problems the warehouse found at the file's own lines (COPY numbers records, not lines). */
  locate: (problems: Problem[]) => Promise<Problem[]>;
}

/** Each staged row made by the plan's transform, counting the problems it finds on the way. */
class TransformedRows {
  readonly problems: Problem[] = [];
  count = 0;

  constructor(
    private readonly plan: ImportPlan,
    private readonly staging: StagingTable,
  ) {}

  /** Stages one row; true when the staging table's chunk is full and must be flushed first. */
  push(line: number, values: string[]): boolean {
    const before = this.problems.length;
    const cells = this.plan.transform(values, line, this.problems);
    if (this.problems.length > before) {
      this.count += this.problems.length - before;
      this.problems.length = Math.min(this.problems.length, SHOWN_PROBLEMS);
    }
    return this.staging.push(line, cells);
  }
}

/** Stages the rows of `fill` through `open`/`push`/`end`, abandoning the COPY if anything fails. */
async function stageRows(staging: StagingTable, fill: () => Promise<void>): Promise<void> {
  await staging.open();
  try {
    await fill();
    await staging.end();
  } catch (error) {
    await staging.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

async function stageCsv(client: pg.ClientBase, options: ImportOptions, shape: TableShape): Promise<Staged> {
  const totalBytes = (await stat(options.file)).size;
  const onBytes = (bytes: number) => options.onProgress?.({ phase: 'reading', bytes, totalBytes });
  const records = readCsv(options.file, options.mapping ? onBytes : undefined);
  const first = await records.next();
  if (first.done)
    throw new ImportRefused(options.file, [{ message: 'empty file (expected a header row of column names, then one row per record)' }]);
  const plan = planImport(options.file, shape, { names: first.value.values, line: first.value.line }, options.mapping);
  const staging = new StagingTable(client, plan.columns);
  const transformed = new TransformedRows(plan, staging);
  if (options.mapping) {
    await stageRows(staging, async () => {
      for await (const record of records) if (transformed.push(record.line, record.values)) await staging.flush();
    });
  } else {
    // The header is the table's columns: PostgreSQL reads the file itself.
    await records.return(undefined);
    await staging.copyCsv(options.file, onBytes);
  }
  if (staging.rows === 0) {
    throw new ImportRefused(options.file, [{ line: first.value.line, message: 'no rows after the header (expected at least one record)' }]);
  }
  return {
    plan,
    rows: staging.rows,
    unit: 'line',
    transformProblems: transformed.problems,
    transformProblemCount: transformed.count,
    locate: (problems) => (options.mapping ? Promise.resolve(problems) : withRecordLines(options.file, problems)),
  };
}

/** A Parquet file's rows, a batch at a time, through the same plan (and mapping) as a CSV file's. */
async function stageParquet(client: pg.ClientBase, options: ImportOptions, shape: TableShape): Promise<Staged> {
  const source = await ParquetSource.open(options.file);
  const header = source.columns.map((c) => c.name);
  const plan = planImport(options.file, shape, { names: header }, options.mapping);
  source.checkTypes(plan.reads, plan.copies);
  if (source.rowCount === 0) throw new ImportRefused(options.file, [{ message: 'no rows (expected at least one record)' }], 1, 'row');
  const staging = new StagingTable(client, plan.columns);
  const transformed = new TransformedRows(plan, staging);
  const totalBytes = (await stat(options.file)).size;
  const targets = new Map(plan.copies.map((c) => [c.source, c.column]));
  await stageRows(staging, async () => {
    for await (const batch of source.batches(header, plan.reads, targets)) {
      const values = header.map(() => '');
      for (let i = 0; i < batch.rows; i++) {
        for (let c = 0; c < values.length; c++) values[c] = batch.columns[c]?.[i] ?? '';
        if (transformed.push(batch.firstRow + i, values)) await staging.flush();
      }
      options.onProgress?.({ phase: 'reading', bytes: batch.bytesRead, totalBytes });
    }
  });
  return {
    plan,
    rows: staging.rows,
    unit: 'row',
    transformProblems: transformed.problems,
    transformProblemCount: transformed.count,
    locate: (problems) => Promise.resolve(problems),
  };
}

async function loadAndMerge(client: pg.ClientBase, options: ImportOptions): Promise<MergeCounts & { rows: number }> {
  const shape = await readTableShape(client, options.table);
  await lockForImport(client, shape);
  const staged =
    formatOf(options.file, options.format) === 'parquet'
      ? await stageParquet(client, options, shape)
      : await stageCsv(client, options, shape);
  const { plan, unit } = staged;
  options.onProgress?.({ phase: 'validating' });
  const input = { shape, columns: plan.columns, tenant: options.tenant, unit };
  await castStagedRows(client, input, staged.rows);
  const found = await findProblems(client, input);
  // A value the mapping could not read is staged empty: its "missing value" would say it twice.
  const mapped = new Set(staged.transformProblems.map((p) => `${p.line}:${p.column}`));
  const rowProblems = found.problems.filter((p) => !mapped.has(`${p.line}:${p.column}`));
  const total = found.total - (found.problems.length - rowProblems.length) + staged.transformProblemCount;
  if (total > 0) {
    const located = await staged.locate(rowProblems);
    const problems = [...staged.transformProblems, ...located].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ImportRefused(options.file, problems.slice(0, SHOWN_PROBLEMS), total, unit);
  }
  options.onProgress?.({ phase: 'writing' });
  const counts = await withoutOwnReferenceChecks(client, shape, () =>
    mergeTypedRows(client, shape, plan.columns, options.tenant, staged.rows),
  );
  return { rows: staged.rows, ...counts };
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
