import type { TablePass } from './table.js';

/** Units sampled per table: enough for a progress bar's total to be within a few percent. */
const SAMPLE_UNITS = 2000;

/** Rows a pass will write, from a sample of evenly spaced units; exact for small tables. */
export function estimateRows(pass: TablePass): number {
  const stride = Math.max(1, Math.floor(pass.units / SAMPLE_UNITS));
  let rows = 0;
  let sampled = 0;
  const counter = { nextId: () => '', push: () => void rows++ };
  for (let unit = 0; unit < pass.units; unit += stride) {
    pass.write(unit, counter);
    sampled++;
  }
  return sampled === 0 ? 0 : Math.round((rows * pass.units) / sampled);
}
