import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX, adminToken, call, rows, tokenFor, useTwoTenantCube } from './support.js';

const fixture = useTwoTenantCube();

const byTenant = { measures: ['customers.count'], dimensions: ['customers.tenant_id'], order: { 'customers.tenant_id': 'asc' } };

describe('tenant isolation', () => {
  it("gives a tenant's token that tenant's rows only, through each cube", async () => {
    expect(await rows(fixture.cube, tokenFor(ACME), byTenant)).toEqual([{ 'customers.tenant_id': ACME, 'customers.count': 3 }]);
    expect(await rows(fixture.cube, tokenFor(GLOBEX), byTenant)).toEqual([{ 'customers.tenant_id': GLOBEX, 'customers.count': 2 }]);
    expect(await rows(fixture.cube, tokenFor(GLOBEX), { measures: ['survey_responses.count'] })).toEqual([{ 'survey_responses.count': 2 }]);
  });

  it('scopes every cube of a joined query, and the view', async () => {
    const joined = { measures: ['survey_responses.count'], dimensions: ['customers.plan'], order: { 'customers.plan': 'asc' } };
    expect(await rows(fixture.cube, tokenFor(ACME), joined)).toEqual([
      { 'customers.plan': 'free', 'survey_responses.count': 1 },
      { 'customers.plan': 'pro', 'survey_responses.count': 3 },
    ]);
    const view = { measures: ['engagement.count', 'engagement.responses'], dimensions: ['engagement.tenant_id'] };
    expect(await rows(fixture.cube, tokenFor(GLOBEX), view)).toEqual([
      { 'engagement.tenant_id': GLOBEX, 'engagement.count': 2, 'engagement.responses': 2 },
    ]);
  });

  it('lets an admin token see every tenant', async () => {
    expect(await rows(fixture.cube, adminToken(), byTenant)).toEqual([
      { 'customers.tenant_id': ACME, 'customers.count': 3 },
      { 'customers.tenant_id': GLOBEX, 'customers.count': 2 },
    ]);
    expect(await rows(fixture.cube, adminToken(), { measures: ['engagement.responses'] })).toEqual([{ 'engagement.responses': 6 }]);
  });

  it("returns nothing of another tenant when a tenant's query filters on that tenant", async () => {
    const toGlobex = { member: 'customers.tenant_id', operator: 'equals', values: [GLOBEX] };
    expect(await rows(fixture.cube, tokenFor(ACME), { ...byTenant, filters: [toGlobex] })).toEqual([]);
    expect(await rows(fixture.cube, tokenFor(ACME), { measures: ['customers.count'], filters: [toGlobex] })).toEqual([
      { 'customers.count': 0 },
    ]);
    // An OR cannot widen the result: the tenant filter is ANDed outside it.
    const widened = { or: [toGlobex, { member: 'customers.plan', operator: 'equals', values: ['pro'] }] };
    expect(await rows(fixture.cube, tokenFor(ACME), { ...byTenant, filters: [widened] })).toEqual([
      { 'customers.tenant_id': ACME, 'customers.count': 2 },
    ]);
    const viaView = {
      measures: ['engagement.responses'],
      filters: [{ member: 'engagement.tenant_id', operator: 'equals', values: [GLOBEX] }],
    };
    expect(await rows(fixture.cube, tokenFor(ACME), viaView)).toEqual([{ 'engagement.responses': 0 }]);
  });

  it('scopes cubes referenced only by a segment, a time dimension, a nested filter or the order', async () => {
    const query = {
      measures: ['customers.count'],
      segments: ['survey_responses.nps'],
      timeDimensions: [{ dimension: 'survey_responses.responded_at', dateRange: ['2026-01-01', '2026-12-31'] }],
      filters: [{ and: [{ member: 'survey_responses.kind', operator: 'set' }] }],
      order: { 'survey_responses.kind': 'asc' },
    };
    const { status, body } = await call(fixture.cube, `/sql?query=${encodeURIComponent(JSON.stringify(query))}`, {
      authorization: tokenFor(ACME),
    });
    expect(status).toBe(200);
    const [sql, params] = (body.sql as { sql: [string, unknown[]] }).sql;
    expect(sql).toMatch(/"customers"\.tenant_id = \$\d+/);
    expect(sql).toMatch(/"survey_responses"\.tenant_id = \$\d+/);
    expect(params.filter((p) => p === ACME)).toHaveLength(2);
    expect(await rows(fixture.cube, tokenFor(ACME), query)).toEqual([{ 'customers.count': 2 }]);
  });

  it('compiles the model once for all tenants, each with its own rollup schema', async () => {
    const context = (tenant: string) => ({ securityContext: { tenant }, requestId: 'test' });
    const acme = await fixture.cube.core.getCompilerApi(context(ACME));
    const globex = await fixture.cube.core.getCompilerApi(context(GLOBEX));
    expect(await acme.getCompilers()).toBe(await globex.getCompilers());
    expect([acme.preAggregationsSchema, globex.preAggregationsSchema]).toEqual([
      'cube_pre_aggregations_t_acme',
      'cube_pre_aggregations_t_globex',
    ]);
  });
});
