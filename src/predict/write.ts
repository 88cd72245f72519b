import type { Knex } from 'knex';
import type { FitDiagnostics } from './optimise.js';
import type { PredictResult } from './step.js';

export interface Column {
  name: string;
  /** PostgreSQL type of the array the values are sent as, e.g. text, int, float8. */
  type: string;
  values: ArrayLike<unknown>;
}

const BATCH = 50_000;

/**
 * Inserts rows given column by column, as one array parameter per column unnested by
 * PostgreSQL: one statement per 50,000 rows instead of one placeholder per value.
 */
export async function insertColumns(
  db: Knex,
  table: string,
  columns: Column[],
  onBatch?: (done: number, total: number) => void,
): Promise<number> {
  const total = columns[0]?.values.length ?? 0;
  const names = columns.map((c) => c.name).join(', ');
  const arrays = columns.map((c) => `?::${c.type}[]`).join(', ');
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(start + BATCH, total);
    const slices = columns.map((c) => Array.prototype.slice.call(c.values, start, end));
    await db.raw(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`, slices);
    onBatch?.(end, total);
  }
  return total;
}

/** A fit as prediction_fits holds it and as the command prints it. */
export function fitResult(
  name: string,
  parameters: Record<string, number>,
  diagnostics: FitDiagnostics,
  rowsWritten: number,
  notes: string[] = [],
): PredictResult {
  return { name, parameters, diagnostics: { ...diagnostics }, rowsWritten, notes };
}

export async function saveFit(db: Knex, tenantId: string, asOf: Date, fittedAt: Date, result: PredictResult): Promise<void> {
  const d = result.diagnostics;
  await db('prediction_fits').where({ tenant_id: tenantId, model: result.name }).delete();
  await db('prediction_fits').insert({
    tenant_id: tenantId,
    model: result.name,
    as_of: asOf,
    fitted_at: fittedAt,
    parameters: JSON.stringify(result.parameters),
    log_likelihood: d.logLikelihood,
    n: d.n,
    iterations: d.iterations,
    converged: d.converged,
    seconds: d.seconds,
  });
}
