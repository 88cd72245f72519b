import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { funnelMetaSchema } from '@engagement/contract';
import { schemaDir } from '@engagement/contract/node';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// A funnel's steps and window are written in its cube's SQL (funnel_engine.yml reads them there:
// without Jinja the SQL cannot read meta) and in meta.funnel (the funnel panel reads them there).
// These tests run the SQL's two CTEs in PostgreSQL and hold them to the meta, read as the panel
// reads it.
const cubeFile = (name: string) =>
  (
    parse(fs.readFileSync(path.join(schemaDir, 'cubes', `${name}.yml`), 'utf8')) as {
      cubes: { sql: string; meta?: { funnel?: unknown } }[];
    }
  ).cubes[0]!;
/** The WITH clause that gives funnel_engine its steps and window, as the cube writes it. */
const definitionOf = (sql: string) => sql.slice(0, sql.indexOf('SELECT'));

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(() => t?.drop());

async function stepsAndWindow(sql: string) {
  const definition = definitionOf(sql);
  const { rows: steps } = await t.db.raw(`${definition} SELECT step_number AS number, step AS name, event FROM funnel_steps ORDER BY 1`);
  const { rows: windows } = await t.db.raw(`${definition} SELECT extract(epoch FROM length) / 86400 AS days FROM funnel_window`);
  return { steps: steps as unknown[], days: Number((windows as { days: string }[])[0]!.days) };
}

describe.each(['purchase_funnel', 'activation_funnel'])('%s', (name) => {
  it('has in meta.funnel the steps and window its SQL follows', async () => {
    const cube = cubeFile(name);
    const meta = funnelMetaSchema.parse(cube.meta?.funnel);
    const sql = await stepsAndWindow(cube.sql);
    expect(sql.steps).toEqual(meta.steps);
    expect(sql.days).toBe(meta.window.days);
    expect(meta.steps.map((s) => s.number)).toEqual(meta.steps.map((_s, i) => i + 1));
  });
});

it('abandons a cart within the purchase funnel’s window', async () => {
  const purchase = funnelMetaSchema.parse(cubeFile('purchase_funnel').meta?.funnel);
  const carts = await stepsAndWindow(cubeFile('carts').sql);
  expect(carts.days).toBe(purchase.window.days);
  expect(carts.steps.map((s) => (s as { event: string }).event)).toEqual(['add_to_cart', 'purchase']);
});
