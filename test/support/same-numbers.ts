import { expect } from 'vitest';
import type { Row } from './cube.js';

/** Rows in a stable order, keyed by their dimension values. */
function byKey(rows: Row[], measures: string[]): Map<string, Row> {
  const key = (row: Row) =>
    JSON.stringify(
      Object.entries(row)
        .filter(([member]) => !measures.includes(member))
        .sort(),
    );
  return new Map(rows.map((row) => [key(row), row]));
}

/** The same rows (by dimension values) with the same measures, to 9 decimals; null only where null. */
export function expectSameNumbers(actual: Row[], expected: Row[], measures: string[]): void {
  const got = byKey(actual, measures);
  const want = byKey(expected, measures);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, row] of want) {
    for (const measure of measures) {
      const a = got.get(key)![measure];
      const e = row[measure];
      if (e === null || a === null) expect(a, `${measure} at ${key}`).toBe(e);
      else expect(Number(a), `${measure} at ${key}`).toBeCloseTo(Number(e), 9);
    }
  }
}
