import { describe, expect, it } from 'vitest';
import { memberStandingFor, readModel } from './model.js';

describe('readModel', () => {
  const model = readModel();

  it('lists cube and view members with their kind and the cube member they stand for', () => {
    expect(model.members.get('web_sessions.bounce_rate')).toMatchObject({
      kind: 'measure',
      owner: 'web_sessions',
      source: 'web_sessions.bounce_rate',
    });
    expect(model.members.get('web_sessions.started_at')).toMatchObject({ kind: 'time' });
    // An aliased view member: customer_health's lifecycle_date is customer_lifecycle.date.
    expect(model.members.get('customer_health.lifecycle_date')).toMatchObject({
      kind: 'time',
      owner: 'customer_health',
      source: 'customer_lifecycle.date',
    });
  });

  it('gives a cube the members of the cube it extends, as its own', () => {
    expect(model.members.get('purchase_funnel.persons')).toMatchObject({
      kind: 'measure',
      owner: 'purchase_funnel',
      source: 'purchase_funnel.persons',
    });
    expect(model.members.get('activation_funnel.entered_at')).toMatchObject({ kind: 'time', owner: 'activation_funnel' });
  });

  it("finds a view's name for a cube member, or none when the view leaves it out", () => {
    expect(memberStandingFor(model, 'customer_health', 'customer_lifecycle.date')?.name).toBe('customer_health.lifecycle_date');
    expect(memberStandingFor(model, 'web_sessions', 'web_sessions.started_at')?.name).toBe('web_sessions.started_at');
    expect(memberStandingFor(model, 'executive_overview', 'social_posts.platform')).toBeUndefined();
  });

  it('gives the KPIs of the cubes with their parsed benchmark meta', () => {
    const nps = model.kpis.find((k) => k.name === 'survey_responses.nps');
    expect(nps).toMatchObject({
      cube: 'survey_responses',
      measure: 'nps',
      meta: { kpi: true, benchmark: { direction: 'higher_is_better' } },
    });
    expect(model.kpis.every((k) => model.cubeMeasures.some((m) => m.name === k.name))).toBe(true);
  });
});
