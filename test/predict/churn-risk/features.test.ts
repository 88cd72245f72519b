import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshots } from '../../../src/predict/churn-risk/features.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

// A hand-built tenant, its features worked out by hand below. As of 2026-04-01 with 3 months of
// history, the snapshots are 2026-01-01 (position 1), 02-01 (2), 03-01 (3) and 04-01 (4, the
// as-of one, unlabelled). Events are at midnight UTC so day counts are whole.
const T = 'feat';
const OTHER = 'feat_other';
const AS_OF = new Date('2026-04-01T00:00:00Z');

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const { db } = t;
  await db('tenants').insert([
    { id: T, name: 'Features', business_model: 'b2b' },
    { id: OTHER, name: 'Other', business_model: 'b2b' },
  ]);
  const customer = (tenant: string, id: string, plan: string | null) => ({
    tenant_id: tenant,
    id,
    plan,
    signup_at: '2025-12-01T00:00:00Z',
  });
  await db('customers').insert([
    customer(T, 'C-1', 'pro'),
    customer(T, 'C-2', 'basic'),
    customer(T, 'C-3', null),
    customer(OTHER, 'C-1', 'pro'),
  ]);
  const sub = (tenant: string, id: string, customerId: string, started: string, ended: string | null, mrr: number | null) => ({
    tenant_id: tenant,
    id,
    customer_id: customerId,
    started_at: `${started}T00:00:00Z`,
    ended_at: ended && `${ended}T00:00:00Z`,
    mrr,
  });
  await db('subscriptions').insert([
    sub(T, 'S-1', 'C-1', '2025-12-10', null, 100),
    // C-2 changes plan mid-way and leaves on 03-10: its span (customer_spans) ends then.
    sub(T, 'S-2a', 'C-2', '2026-01-15', '2026-02-15', 50),
    sub(T, 'S-2b', 'C-2', '2026-02-15', '2026-03-10', 60),
    // C-3's first subscription ends, but the second is still open: its span is open, no churn.
    sub(T, 'S-3a', 'C-3', '2026-02-20', '2026-03-05', null),
    sub(T, 'S-3b', 'C-3', '2026-03-01', null, 30),
    sub(OTHER, 'S-1', 'C-1', '2025-12-10', '2026-02-10', 999),
  ]);
  let sessionId = 0;
  const session = (tenant: string, customerId: string | null, day: string) => ({
    tenant_id: tenant,
    id: `W-${++sessionId}`,
    visitor_id: customerId ?? 'A-1',
    customer_id: customerId,
    started_at: `${day}T00:00:00Z`,
    duration_seconds: 60,
    pageviews: 2,
    converted: false,
  });
  await db('web_sessions').insert([
    ...['2026-01-15', '2026-02-10', '2026-02-20', '2026-03-05', '2026-03-25', '2026-04-02'].map((day) => session(T, 'C-1', day)),
    session(T, null, '2026-03-31'),
    session(OTHER, 'C-1', '2026-03-31'),
  ]);
  await db('orders').insert({ tenant_id: T, id: 'O-1', customer_id: 'C-1', ordered_at: '2026-03-28T00:00:00Z', amount: 10 });
  const answer = (id: string, kind: string, score: number, day: string) => ({
    tenant_id: T,
    id,
    customer_id: 'C-1',
    kind,
    score,
    responded_at: `${day}T00:00:00Z`,
  });
  await db('survey_responses').insert([
    answer('R-1', 'nps', 9, '2026-01-20'),
    answer('R-2', 'nps', 4, '2026-03-10'),
    // At the 02-01 snapshot instant itself: known from the 03-01 snapshot on, not at 02-01.
    answer('R-3', 'csat', 5, '2026-02-01'),
  ]);
  await db('support_tickets').insert([
    { tenant_id: T, id: 'K-1', customer_id: 'C-1', opened_at: '2026-02-15T00:00:00Z', resolved_at: '2026-03-02T00:00:00Z', contacts: 1 },
    { tenant_id: T, id: 'K-2', customer_id: 'C-1', opened_at: '2026-03-20T00:00:00Z', resolved_at: null, contacts: 1 },
  ]);
});
afterAll(async () => {
  await t?.drop();
});

describe('churn-risk features on a hand-built tenant', () => {
  it('gives each customer active at each snapshot its history before the snapshot and its churn in the month after', async () => {
    const rows = await readSnapshots(t.db, T, AS_OF, 3);
    const got = rows.map((r) => [
      r.customer_id,
      r.position,
      r.churned,
      r.plan,
      r.tenure_days,
      r.mrr,
      r.days_since_activity,
      r.sessions_1m,
      r.sessions_3m,
      r.latest_nps,
      r.latest_csat,
      r.open_tickets,
      r.tickets_3m,
    ]);
    // prettier-ignore
    expect(got).toEqual([
      // customer, position, churned, plan, tenure days, MRR, days since activity, sessions last month / 3 months, NPS, CSAT, open tickets, tickets 3 months
      // 01-01: 22 days since 12-10; nothing happened yet, so days since activity = tenure.
      ['C-1', 1, false, 'pro', 22, 100, 22, 0, 0, null, null, 0, 0],
      // 02-01: one session (01-15, 17 days ago) and the NPS 9 of January.
      ['C-1', 2, false, 'pro', 53, 100, 17, 1, 1, 9, null, 0, 0],
      // C-2 started 01-15 on S-2a (MRR 50); never active.
      ['C-2', 2, false, 'basic', 17, 50, 17, 0, 0, null, null, 0, 0],
      // 03-01: February's sessions 02-10 and 02-20 (9 days ago), 3 in Dec–Feb; the CSAT of 02-01; K-1 open.
      ['C-1', 3, false, 'pro', 81, 100, 9, 2, 3, 9, 5, 1, 1],
      // C-2 is on S-2b (MRR 60) and leaves on 03-10, within the month after 03-01.
      ['C-2', 3, true, 'basic', 45, 60, 45, 0, 0, null, null, 0, 0],
      // C-3 is on S-3a, whose MRR is not known (counted as 0); S-3b starts at the snapshot instant, not before it.
      ['C-3', 3, false, null, 9, 0, 9, 0, 0, null, null, 0, 0],
      // 04-01, the as-of snapshot: March's sessions 03-05 and 03-25, 5 in Jan–Mar, the order of 03-28 (4 days ago),
      // NPS 4 of 03-10; K-1 resolved on 03-02, K-2 still open; 2 tickets in Jan–Mar. The 04-02 session is after it.
      ['C-1', 4, null, 'pro', 112, 100, 4, 2, 5, 4, 5, 1, 2],
      ['C-3', 4, null, null, 40, 30, 40, 0, 0, null, null, 0, 0],
    ]);
    expect(rows.find((r) => r.customer_id === 'C-1' && r.position === 4)!.last_activity_at).toEqual(new Date('2026-03-28T00:00:00Z'));
    expect(rows.find((r) => r.customer_id === 'C-3' && r.position === 4)!.last_activity_at).toBeNull();
    expect(rows.map((r) => r.at.toISOString().slice(0, 10))).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-02-01',
      '2026-03-01',
      '2026-03-01',
      '2026-03-01',
      '2026-04-01',
      '2026-04-01',
    ]);
  });

  it('reads the history of one customer in `every`, by a hash of the id, and still every customer at the as-of snapshot', async () => {
    // The first 8 hex digits of md5 as a signed 32-bit number: C-1 709549796, C-2 1472488410, C-3 −277772135.
    const positions = async (every: number) => (await readSnapshots(t.db, T, AS_OF, 3, every)).map((r) => `${r.customer_id}@${r.position}`);
    expect(await positions(2)).toEqual(['C-1@1', 'C-1@2', 'C-2@2', 'C-1@3', 'C-2@3', 'C-1@4', 'C-3@4']);
    expect(await positions(3)).toEqual(['C-2@2', 'C-2@3', 'C-1@4', 'C-3@4']);
  });

  it("reads only the tenant's own rows (the other tenant's C-1 churned, with MRR 999)", async () => {
    const rows = await readSnapshots(t.db, OTHER, AS_OF, 3);
    expect(rows.map((r) => [r.customer_id, r.position, r.churned, r.mrr, r.sessions_1m])).toEqual([
      ['C-1', 1, false, 999, 0],
      ['C-1', 2, true, 999, 0],
    ]);
  });
});
