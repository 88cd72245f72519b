import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCubeServer } from '../../src/cube/server.js';
import { assertTenantScoped, queryRewrite, referencedCubes, scopeQueryToTenant } from '../../src/cube/tenant-scope.js';
import { schemaDir } from '@engagement/contract/node';
import { API_SECRET } from './support.js';

const tenantFilter = (cube: string, tenant = 'acme') => ({ member: `${cube}.tenant_id`, operator: 'equals', values: [tenant] });

describe('referencedCubes', () => {
  it('finds cubes in every part of a query, nested filters and member expressions included', () => {
    expect(
      referencedCubes({
        measures: ['a.count'],
        dimensions: ['b.plan', 'h.created_at.month'],
        segments: ['c.active'],
        timeDimensions: [{ dimension: 'd.created_at' }],
        filters: [
          { member: 'e.kind', operator: 'equals', values: ['x'] },
          { or: [{ dimension: 'f.kind' }, { and: [{ member: 'g.kind' }] }] },
        ],
        order: [['i.count', 'desc']],
      }),
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(referencedCubes({ order: { 'j.count': 'asc' }, measures: [{ cubeName: 'k' }] })).toEqual(['j', 'k']);
  });

  it('refuses a member it cannot place in a cube', () => {
    expect(() => referencedCubes({ measures: [{}] })).toThrow(/Cannot tell which cube/);
    expect(() => referencedCubes({ dimensions: [''] })).toThrow(/Cannot tell which cube/);
  });
});

describe('scopeQueryToTenant', () => {
  it("ANDs the tenant filter after the caller's filters", () => {
    const callerFilter = { or: [{ member: 'a.tenant_id', operator: 'equals', values: ['globex'] }] };
    expect(scopeQueryToTenant({ measures: ['a.count'], filters: [callerFilter] }, 'acme')).toEqual({
      measures: ['a.count'],
      filters: [callerFilter, tenantFilter('a')],
    });
  });

  it('lets each cube of a joined query be empty from a missed left join, never another tenant', () => {
    const orMissing = (cube: string) => ({ or: [tenantFilter(cube), { member: `${cube}.tenant_id`, operator: 'notSet' }] });
    expect(scopeQueryToTenant({ measures: ['b.count'], dimensions: ['a.plan'] }, 'acme')).toEqual({
      measures: ['b.count'],
      dimensions: ['a.plan'],
      filters: [orMissing('a'), orMissing('b')],
    });
  });
});

describe('queryRewrite', () => {
  const query = { measures: ['a.count'] };

  it('scopes a tenant, leaves an admin alone, refuses a request without a context', async () => {
    expect(await queryRewrite(query, { securityContext: { tenant: 'acme' } })).toEqual({ ...query, filters: [tenantFilter('a')] });
    expect(await queryRewrite(query, { securityContext: { admin: true } })).toBe(query);
    expect(await queryRewrite(query, { securityContext: { admin: true, tenant: 'acme' } })).toBe(query);
    await expect(queryRewrite(query, {})).rejects.toThrow(/no tenant/);
    await expect(queryRewrite(query, { securityContext: { tenant: '' } })).rejects.toThrow(/no tenant/);
  });
});

describe('assertTenantScoped', () => {
  const cube = (name: string, dimensions: string[], type = 'cube') => ({
    name,
    type,
    dimensions: dimensions.map((d) => ({ name: `${name}.${d}` })),
  });

  it('accepts a model whose cubes and views all have tenant_id', () => {
    expect(() => assertTenantScoped([cube('a', ['id', 'tenant_id']), cube('v', ['tenant_id'], 'view')])).not.toThrow();
  });

  it('names every cube and view without it', () => {
    expect(() => assertTenantScoped([cube('a', ['tenant_id']), cube('b', ['id']), cube('v', ['b_tenant_id'], 'view')])).toThrow(
      /missing in: cube b, view v\.$/,
    );
  });

  it('stops the server from starting on such a model', async () => {
    await expect(
      startCubeServer({
        // Never connected to: the check runs on the compiled model, before any query.
        databaseUrl: 'postgres://nobody:nothing@127.0.0.1:1/none',
        port: 0,
        apiSecret: API_SECRET,
        schemaPath: path.resolve(import.meta.dirname, 'fixtures/unscoped-model'),
        logger: () => {},
      }),
    ).rejects.toThrow(/missing in: cube tenants, view overview\.$/);
  });
});

describe("the model's views", () => {
  type ViewCube = { join_path: string; includes?: (string | { name: string })[] };
  type YamlCube = { name: string; joins?: { name: string; relationship: string; sql: string }[] };
  const yamlDocs = (dir: string) =>
    fs.readdirSync(path.join(schemaDir, dir)).map((file) => parse(fs.readFileSync(path.join(schemaDir, dir, file), 'utf8')) as object);
  const views = yamlDocs('views').flatMap((doc) => (doc as { views: { name: string; cubes: ViewCube[] }[] }).views);
  const cubes = new Map(
    yamlDocs('cubes')
      .flatMap((doc) => (doc as { cubes: YamlCube[] }).cubes)
      .map((cube) => [cube.name, cube]),
  );

  // A view gets the strict filter on its tenant_id (see scopeQueryToTenant). It must land on the
  // rows of the root Cube joins the others to: the tenant_id of the cube every join path starts
  // from, or tenant_scope's, which every root of the view's paths joins many-to-one by its own
  // tenant_id (and which joins only customers, by tenant_id, when Cube makes it the root).
  it.each(views.map((v) => [v.name, v] as const))('%s takes tenant_id from the root of its join paths', (_name, view) => {
    const owners = view.cubes.filter((c) => (c.includes ?? []).some((i) => (typeof i === 'string' ? i : i.name) === 'tenant_id'));
    expect(owners).toHaveLength(1);
    const owner = owners[0]!.join_path;
    expect(owner).not.toContain('.');
    if (owner === 'tenant_scope') {
      expect(cubes.get('tenant_scope')!.joins).toEqual([
        { name: 'customers', relationship: 'one_to_many', sql: '{CUBE}.id = {customers}.tenant_id' },
      ]);
      for (const root of new Set(view.cubes.map((c) => c.join_path.split('.')[0]!).filter((r) => r !== owner))) {
        const join = cubes.get(root)?.joins?.find((j) => j.name === 'tenant_scope');
        expect(join, `${root} joins tenant_scope`).toMatchObject({
          relationship: 'many_to_one',
          sql: '{CUBE}.tenant_id = {tenant_scope}.id',
        });
      }
    } else {
      for (const c of view.cubes) expect(c.join_path === owner || c.join_path.startsWith(`${owner}.`), c.join_path).toBe(true);
    }
  });
});
