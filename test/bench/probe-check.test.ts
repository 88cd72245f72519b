import { describe, expect, it } from 'vitest';
import {
  classify,
  compareRows,
  dryRunIsScoped,
  leakedTenantIds,
  rowSets,
  rowsNamingAnotherTenant,
  sqlIsScoped,
} from '../../bench/probe/check.js';
import { generateCase } from '../../bench/probe/generate.js';
import type { ProbeResponse } from '../../bench/probe/http.js';
import { modelFromMeta } from '../../bench/probe/model.js';
import { unpaged } from '../../bench/probe/routes.js';

const answer = (status: number | null, body: unknown, timedOut = false): ProbeResponse => ({
  status,
  body,
  text: JSON.stringify(body),
  ms: 1,
  timedOut,
});

describe('probe checks', () => {
  it('counts a row the tenant’s own data does not give as foreign, and a lacking one as missing', () => {
    const own = [
      { 'c.plan': 'pro', 'c.n': '3' },
      { 'c.plan': 'free', 'c.n': 1 },
    ];
    expect(
      compareRows(
        [
          { 'c.plan': 'free', 'c.n': '1' },
          { 'c.plan': 'pro', 'c.n': 3 },
        ],
        own,
        null,
      ),
    ).toEqual({ foreign: [], missing: 0, wrongCount: false });
    const leaked = compareRows([...own, { 'c.plan': 'pro', 'c.n': 2 }], own, null);
    expect(leaked.foreign).toEqual([{ 'c.plan': 'pro', 'c.n': 2 }]);
    // A changed number is a row the tenant's data does not give, and the row it should have been is missing.
    expect(compareRows([{ 'c.plan': 'pro', 'c.n': 5 }, own[1]!], own, null)).toEqual({
      foreign: [{ 'c.plan': 'pro', 'c.n': 5 }],
      missing: 1,
      wrongCount: false,
    });
    expect(compareRows([own[0]!], own, null)).toMatchObject({ foreign: [], missing: 1 });
    // Duplicates count: an ungrouped answer with a row twice where the data has it once leaks one.
    expect(compareRows([own[1]!, own[1]!], own, null).foreign).toHaveLength(1);
  });

  it('takes any rows of the whole answer as a page, but not too few or too many', () => {
    const whole = [1, 2, 3, 4].map((n) => ({ 'c.n': n }));
    expect(compareRows([{ 'c.n': 4 }, { 'c.n': 2 }], whole, { limit: 2 })).toEqual({ foreign: [], missing: 0, wrongCount: false });
    expect(compareRows([{ 'c.n': 4 }], whole, { limit: 2 }).wrongCount).toBe(true);
    expect(compareRows([{ 'c.n': 4 }], whole, { limit: 2, offset: 3 }).wrongCount).toBe(false);
    expect(compareRows([], whole, { limit: 2, offset: 9 }).wrongCount).toBe(false);
    expect(compareRows([{ 'c.n': 9 }, { 'c.n': 1 }], whole, { limit: 2 }).foreign).toEqual([{ 'c.n': 9 }]);
  });

  it('ignores float noise but not a real difference', () => {
    expect(compareRows([{ x: 0.1 + 0.2 }], [{ x: '0.3' }], null).foreign).toEqual([]);
    expect(compareRows([{ x: 0.3001 }], [{ x: 0.3 }], null).foreign).toHaveLength(1);
  });

  it('flags rows naming another tenant, and tenant ids the request never carried', () => {
    const rows = [{ 'c.tenant_id': 'acme' }, { 'c.tenant_id': null }, { 'v.tenant_id': 'lumen' }, { tenant_id: 'globex' }];
    expect(rowsNamingAnotherTenant(rows, 'acme')).toEqual([{ 'v.tenant_id': 'lumen' }, { tenant_id: 'globex' }]);
    expect(leakedTenantIds('{"y":"acme=3,lumen=4"}', '{"query":{}}acme', ['lumen', 'northwind'])).toEqual(['lumen']);
    expect(leakedTenantIds('{"error":"no lumen here"}', '{"values":["lumen"]}', ['lumen'])).toEqual([]);
  });

  it('classifies answers: a clean 4xx names the problem, anything else is wrong', () => {
    expect(classify('rows', answer(200, { data: [] }))).toBe('ok');
    expect(classify('rows', answer(200, { data: { members: ['a'], dataset: [[1]] } }))).toBe('ok');
    expect(classify('rows', answer(400, { error: 'Invalid query' }))).toBe('refused');
    expect(classify('rows', answer(400, 'Bad Request'))).toBe('bad');
    expect(classify('rows', answer(200, { error: 'x' }))).toBe('bad');
    expect(classify('rows', answer(500, { error: 'TypeError' }))).toBe('5xx');
    expect(classify('rows', answer(null, null, true))).toBe('timeout');
    expect(classify('rows', answer(null, null))).toBe('bad');
    expect(classify('rows', answer(431, null))).toBe('refused');
    expect(classify('graphql', answer(200, { errors: [{ message: 'no' }], data: null }))).toBe('refused');
    expect(classify('graphql', answer(404, null))).toBe('refused');
    expect(classify('graphql', answer(200, { data: { cube: [{ c: { n: 1 } }] } }))).toBe('ok');
    expect(classify('sql', answer(200, { sql: { sql: ['SELECT 1', []] } }))).toBe('ok');
    expect(classify('multi', answer(200, { results: [{ data: [] }, { data: 'x' }] }))).toBe('bad');
    expect(rowSets('graphql', { data: { cube: [{ c: { n: 1, at: { month: 'm' } } }] } })).toEqual([[{ 'c.n': 1, 'c.at.month': 'm' }]]);
  });

  it('sees the tenant scoping in SQL and dry runs only when it names the token’s tenant', () => {
    expect(sqlIsScoped(['SELECT 1 FROM customers AS "customers" WHERE ("customers".tenant_id = $1)', ['acme']], 'acme')).toBe(true);
    expect(sqlIsScoped(['SELECT 1 FROM tenants AS "tenants" WHERE ("tenants".id = $1)', ['acme']], 'acme')).toBe(true);
    expect(sqlIsScoped(['SELECT 1 FROM r WHERE ("c__tenant_id" = $2)', ['x', 'acme']], 'acme')).toBe(true);
    expect(sqlIsScoped(['SELECT 1 FROM customers WHERE ("customers".tenant_id = $1)', ['lumen']], 'acme')).toBe(false);
    expect(sqlIsScoped(['SELECT 1 FROM customers WHERE ("customers".plan = $1)', ['acme']], 'acme')).toBe(false);
    const equals = (cube: string, tenant = 'acme') => ({ member: `${cube}.tenant_id`, operator: 'equals', values: [tenant] });
    const notSet = (cube: string) => ({ member: `${cube}.tenant_id`, operator: 'notSet' });
    const dryRun = (query: object) => ({ normalizedQueries: [query] });
    const scoped = dryRun({ measures: ['c.n'], filters: [{ or: [] }, equals('c')] });
    expect(dryRunIsScoped(scoped, 'acme')).toBe(true);
    expect(dryRunIsScoped(scoped, 'lumen')).toBe(false);
    expect(dryRunIsScoped(dryRun({ measures: ['c.n'], filters: [{ or: [equals('c')] }] }), 'acme')).toBe(false);
    // Several cubes: each needs its own filter, strict or OR-ed with notSet (what a LEFT JOIN leaves), in either order.
    const joined = (filters: object[]) =>
      dryRun({ measures: ['c.n'], dimensions: ['d.plan'], order: [{ id: 'e.at', desc: true }], filters });
    expect(dryRunIsScoped(joined([{ or: [equals('c'), notSet('c')] }, { or: [notSet('d'), equals('d')] }, equals('e')]), 'acme')).toBe(
      true,
    );
    expect(dryRunIsScoped(joined([{ or: [equals('c'), notSet('c')] }, { or: [equals('d'), notSet('d')] }]), 'acme')).toBe(false);
    expect(dryRunIsScoped(joined([equals('c'), { or: [equals('d', 'lumen'), notSet('d')] }, equals('e')]), 'acme')).toBe(false);
    // An OR with anything more, or with another cube's notSet, widens the result.
    expect(dryRunIsScoped(joined([equals('c'), { or: [equals('d'), notSet('d'), equals('d', 'lumen')] }, equals('e')]), 'acme')).toBe(
      false,
    );
    expect(dryRunIsScoped(joined([equals('c'), { or: [equals('d'), notSet('c')] }, equals('e')]), 'acme')).toBe(false);
    expect(dryRunIsScoped(joined([equals('c'), { or: [equals('d'), { ...notSet('d'), values: ['x'] }] }, equals('e')]), 'acme')).toBe(
      false,
    );
    expect(
      dryRunIsScoped(joined([equals('c'), { or: [equals('d'), { member: 'd.tenant_id', operator: 'set' }] }, equals('e')]), 'acme'),
    ).toBe(false);
    // A filter nested in a caller's group does not count, but the cube it names must be scoped too.
    expect(
      dryRunIsScoped(dryRun({ measures: ['c.n'], filters: [equals('c'), { and: [{ member: 'f.x', operator: 'set' }] }] }), 'acme'),
    ).toBe(false);
    expect(dryRunIsScoped(dryRun({ measures: ['c.n'], filters: [equals('c'), { and: [equals('f')] }] }), 'acme')).toBe(false);
    expect(dryRunIsScoped(dryRun({ measures: ['c.n'], timeDimensions: [{ dimension: 'g.at' }], filters: [equals('c')] }), 'acme')).toBe(
      false,
    );
    // Cube's pivot puts `compareDateRange` first among a comparison's dimensions; nowhere else is it a pass.
    expect(dryRunIsScoped(dryRun({ measures: ['c.n'], dimensions: ['compareDateRange', 'c.plan'], filters: [equals('c')] }), 'acme')).toBe(
      true,
    );
    expect(dryRunIsScoped(dryRun({ measures: ['c.n'], dimensions: ['c.plan', 'compareDateRange'], filters: [equals('c')] }), 'acme')).toBe(
      false,
    );
    expect(
      dryRunIsScoped(
        dryRun({ measures: ['c.n'], filters: [equals('c'), { member: 'c.plan', dimension: 'h.plan', operator: 'set' }] }),
        'acme',
      ),
    ).toBe(false);
    // A member that names no cube cannot be vouched for.
    expect(dryRunIsScoped(dryRun({ measures: ['c.n', { expression: 'x' }], filters: [equals('c')] }), 'acme')).toBe(false);
  });
});

describe('probe generator', () => {
  const model = modelFromMeta({
    cubes: [
      {
        name: 'c',
        type: 'cube',
        measures: [{ name: 'c.n', type: 'number' }],
        dimensions: [
          { name: 'c.tenant_id', type: 'string' },
          { name: 'c.plan', type: 'string' },
          { name: 'c.at', type: 'time' },
        ],
        segments: [],
      },
      {
        name: 'v',
        type: 'view',
        measures: [{ name: 'v.n', type: 'number' }],
        dimensions: [
          { name: 'v.tenant_id', type: 'string' },
          { name: 'v.day', type: 'time' },
        ],
      },
    ],
  });
  const tenants = ['acme', 'lumen'];

  it('gives the same case for a seed and index, whatever else was generated', () => {
    expect(generateCase(model, tenants, 7, 42)).toEqual(generateCase(model, tenants, 7, 42));
    expect(JSON.stringify(generateCase(model, tenants, 7, 42))).not.toBe(JSON.stringify(generateCase(model, tenants, 8, 42)));
  });

  it('asks for the tenant dimension, other tenants’ ids and unknown tenants in a share of cases', () => {
    const cases = Array.from({ length: 500 }, (_, i) => generateCase(model, tenants, 1, i));
    const text = cases.map((c) => JSON.stringify(c.query));
    expect(
      cases.filter((c) => ((c.query.dimensions as string[] | undefined) ?? []).some((d) => d.endsWith('.tenant_id'))).length,
    ).toBeGreaterThan(100);
    expect(cases.filter((c, i) => c.known && text[i]!.includes(tenants.find((t) => t !== c.tenant)!)).length).toBeGreaterThan(50);
    expect(cases.filter((c) => !c.known).length).toBeGreaterThan(15);
    expect(text.filter((t) => t.includes('"or"')).length).toBeGreaterThan(50);
    expect(cases.filter((c) => Array.isArray(c.multi)).length).toBeGreaterThan(400);
  });

  it('asks the oracle for the whole answer of a paged query', () => {
    expect(unpaged({ measures: ['c.n'], limit: 3, offset: 2, total: true })).toEqual({ measures: ['c.n'], total: true, limit: 50_000 });
  });
});
