import type pg from 'pg';
import { CopyWriter } from './copy.js';
import { estimateRows } from './estimate.js';
import type { SeedProgress } from './options.js';
import type { Population } from './population.js';
import { tableSources } from './tables.js';

/** onProgress is called at most once per this many rows (and at the end of each table). */
const PROGRESS_EVERY = 10_000;

/** Streams every table of the population through COPY, one table after another on one connection. */
export async function loadTables(
  client: pg.Client,
  population: Population,
  onProgress?: (progress: SeedProgress) => void,
): Promise<Record<string, number>> {
  const passes = tableSources.map((source) => ({ source, pass: source.open(population) }));
  const estimates = onProgress ? passes.map(({ pass }) => estimateRows(pass)) : [];
  const loaded: Record<string, number> = {};
  let previousTables = 0;
  let reportedAt = 0;

  for (const [index, { source, pass }] of passes.entries()) {
    const report = (rows: number, force: boolean) => {
      const totalRows = previousTables + rows;
      if (!onProgress || (!force && totalRows - reportedAt < PROGRESS_EVERY)) return;
      reportedAt = totalRows;
      // Loaded tables count what they held, so the estimate is exact once the last table is in.
      const rest = estimates.slice(index + 1).reduce((a, b) => a + b, 0);
      const estimatedTotal = totalRows + (force ? 0 : Math.max(0, estimates[index]! - rows)) + rest;
      onProgress({ table: source.table, rows, totalRows, estimatedTotal });
    };
    const writer = new CopyWriter(client, source.table, source.columns, (rows) => report(rows, false));
    try {
      for (let unit = 0; unit < pass.units; unit++) {
        pass.write(unit, writer);
        if (writer.full) await writer.flush();
      }
      await writer.end();
    } catch (error) {
      await writer.abort(error as Error);
      throw error;
    }
    loaded[source.table] = writer.rows;
    report(writer.rows, true);
    previousTables += writer.rows;
  }
  return loaded;
}
