import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaDir } from '@engagement/contract/node';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The RFM segment table and the health score's weights and bands are written in meta, where
// /v1/meta, the docs and the README read them; the SQL cannot read meta (no Jinja without Cube's
// native module), so these tests run that SQL in PostgreSQL and hold it to the meta.
interface Dimension {
  name: string;
  sql: string;
  meta?: Record<string, unknown>;
}
const dimensionsOf = (file: string): Dimension[] =>
  (parse(fs.readFileSync(path.join(schemaDir, 'cubes', file), 'utf8')) as { cubes: { dimensions: Dimension[] }[] }).cubes[0]!.dimensions;
const dimension = (file: string, name: string) => dimensionsOf(file).find((d) => d.name === name)!;

const segment = dimension('customer_segments.yml', 'segment');
const rfm = segment.meta!.rfm as { segments: Record<string, string[]>; without_purchase_in_window: string; window_months: number };
const score = dimension('customer_health_scores.yml', 'health_score');
const health = score.meta!.health as { weights: Record<string, number>; bands: { label: string; from: number; to: number }[] };
const band = dimension('customer_health_scores.yml', 'health_band');

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(() => t?.drop());

/** The dimension's SQL over a VALUES row whose columns stand for the cube's. */
async function evaluate(sql: string, columns: Record<string, number | null>): Promise<unknown> {
  const names = Object.keys(columns);
  const values = names.map((name) => (columns[name] === null ? 'NULL::numeric' : `${columns[name]}::numeric`));
  const { rows } = await t.db.raw(
    `SELECT ${sql.replaceAll('{CUBE}', 'g')} AS v FROM (VALUES (${values.join(', ')})) AS g(${names.join(', ')})`,
  );
  return (rows as { v: unknown }[])[0]!.v;
}

describe('the RFM segment table', () => {
  it('names the eleven segments of the published table', () => {
    const names = new Set([...Object.values(rfm.segments).flat(), rfm.without_purchase_in_window]);
    expect([...names].sort()).toEqual(
      [
        'Champions',
        'Loyal',
        'Potential loyalist',
        'New',
        'Promising',
        'Need attention',
        'About to sleep',
        'At risk',
        'Cannot lose them',
        'Hibernating',
        'Lost',
      ].sort(),
    );
    expect(rfm.window_months).toBe(12);
  });

  it('is what the SQL gives every R and FM score, and Lost without a purchase in the window', async () => {
    for (const [r, row] of Object.entries(rfm.segments)) {
      expect(row).toHaveLength(5);
      for (const [i, name] of row.entries()) {
        expect(await evaluate(segment.sql, { r_score: Number(r), fm_score: i + 1 }), `R ${r} FM ${i + 1}`).toBe(name);
      }
    }
    expect(Object.keys(rfm.segments).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(await evaluate(segment.sql, { r_score: null, fm_score: null })).toBe(rfm.without_purchase_in_window);
  });
});

describe('the health score', () => {
  const inputs = ['recency', 'frequency', 'trend', 'sentiment', 'support'];

  it('has a weight for each input, summing to 1, and bands tiling 0–100', () => {
    expect(Object.keys(health.weights).sort()).toEqual([...inputs].sort());
    expect(Object.values(health.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(health.bands[0]!.from).toBe(0);
    expect(health.bands.at(-1)!.to).toBe(100);
    for (let i = 1; i < health.bands.length; i++) expect(health.bands[i]!.from).toBe(health.bands[i - 1]!.to);
  });

  it('is the weighted mean of the inputs with the meta weights, leaving out a missing NPS/CSAT', async () => {
    const cases: Record<string, number | null>[] = [
      { recency: 100, frequency: 0, trend: 50, sentiment: 90, support: 50 },
      { recency: 12.5, frequency: 80, trend: 0, sentiment: null, support: 100 },
      { recency: 0, frequency: 0, trend: 0, sentiment: 0, support: 0 },
      { recency: 100, frequency: 100, trend: 100, sentiment: null, support: 100 },
    ];
    for (const points of cases) {
      const present = inputs.filter((input) => points[input] !== null);
      const expected =
        present.reduce((sum, input) => sum + health.weights[input]! * points[input]!, 0) /
        present.reduce((sum, input) => sum + health.weights[input]!, 0);
      const columns = Object.fromEntries(inputs.map((input) => [`${input}_points`, points[input]!]));
      expect(Number(await evaluate(score.sql, columns)), JSON.stringify(points)).toBeCloseTo(expected, 12);
    }
  });

  it('bands a score as the meta bands say, [from, to)', async () => {
    for (const { label, from, to } of health.bands) {
      for (const value of [from, (from + to) / 2, to - 0.001]) {
        expect(await evaluate(band.sql.replaceAll('{health_score}', '{CUBE}.s'), { s: value }), String(value)).toBe(label);
      }
    }
  });
});
