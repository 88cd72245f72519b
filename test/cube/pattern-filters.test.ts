import { beforeAll, describe, expect, it } from 'vitest';
import { ACME, load, rows, tokenFor, useTwoTenantCube } from './support.js';

// acme's plans are pro, pro, free and, added here, one whose name holds all three of LIKE's
// special characters: `%`, `_` and the escape character `\`.
const fixture = useTwoTenantCube();
const token = tokenFor(ACME);
const oddPlan = '10%_off\\';

beforeAll(async () => {
  await fixture.database.db('customers').insert({
    id: 4,
    tenant_id: ACME,
    plan: oddPlan,
    signup_at: '2026-03-01T12:00:00Z',
    segment: 'smb',
    country: 'US',
    acquisition_channel: 'organic',
  });
});

const plansWhere = (operator: string, value: string) =>
  rows(fixture.cube, token, {
    measures: ['customers.count'],
    dimensions: ['customers.plan'],
    filters: [{ member: 'customers.plan', operator, values: [value] }],
    order: { 'customers.plan': 'asc' },
  }).then((found) => found.map((row) => row['customers.plan']));

describe('text filters match their value literally', () => {
  it('a value ending in the escape character is a value, not a broken pattern', async () => {
    const { status, body } = await load(fixture.cube, token, {
      measures: ['customers.count'],
      filters: [{ member: 'customers.plan', operator: 'endsWith', values: ['\\'] }],
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data).toEqual([{ 'customers.count': 1 }]);
    expect(await plansWhere('contains', 'off\\')).toEqual([oddPlan]);
  });

  it('% and _ are characters to find, under every pattern operator', async () => {
    expect(await plansWhere('startsWith', '%')).toEqual([]);
    expect(await plansWhere('startsWith', '10%_')).toEqual([oddPlan]);
    expect(await plansWhere('startsWith', '1_')).toEqual([]);
    expect(await plansWhere('endsWith', '_')).toEqual([]);
    expect(await plansWhere('contains', '%_o')).toEqual([oddPlan]);
    expect(await plansWhere('contains', '_')).toEqual([oddPlan]);
    expect(await plansWhere('notStartsWith', '%')).toEqual([oddPlan, 'free', 'pro']);
    expect(await plansWhere('notEndsWith', '\\')).toEqual(['free', 'pro']);
  });

  it('matching stays case-insensitive', async () => {
    expect(await plansWhere('startsWith', 'PR')).toEqual(['pro']);
    expect(await plansWhere('contains', 'OFF')).toEqual([oddPlan]);
  });
});
