import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../seeds/prng.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type CubeQuery, type Row, type TestCube } from '../support/cube.js';
import { expectSameNumbers } from '../support/same-numbers.js';

// Product-usage retention (schema/cubes/usage_retention*.yml) through a real Cube server: a
// hand-built tenant whose triangle is worked out below, and generated tenants against SQL written
// here from the cubes' description alone.

const HAND = 'usage_hand';
// Wednesday 2025-02-12: history is complete to 2025-02-13 00:00 UTC. The week of Monday 02-10 is
// not complete by then; every day up to 02-12 is.
const HAND_THROUGH = '2025-02-12T10:00:00Z';

interface Event {
  visitor: string;
  at: string;
  name?: string;
}

// Weeks (Mondays): W0 01-06, W1 01-13, W2 01-20, W3 01-27, W4 02-03; W5 02-10 is incomplete.
const HAND_EVENTS: Event[] = [
  // ann: W0 (twice the same day), W1, W2, then stops; a page view in W4 is no feature use.
  { visitor: 'ann', at: '2025-01-06T09:00:00Z' },
  { visitor: 'ann', at: '2025-01-06T15:00:00Z' },
  { visitor: 'ann', at: '2025-01-15T12:00:00Z' },
  { visitor: 'ann', at: '2025-01-22T12:00:00Z' },
  { visitor: 'ann', at: '2025-02-04T12:00:00Z', name: 'page_view' },
  // bob: W0, skips W1 and W2, back in W3.
  { visitor: 'bob', at: '2025-01-07T08:00:00Z' },
  { visitor: 'bob', at: '2025-01-29T08:00:00Z' },
  // cat: W0, and again only in the incomplete W5: that return is not counted yet.
  { visitor: 'cat', at: '2025-01-10T18:00:00Z' },
  { visitor: 'cat', at: '2025-02-11T18:00:00Z' },
  // fay: a page view in W0 is not a start; first feature use W2, again W3.
  { visitor: 'fay', at: '2025-01-08T10:00:00Z', name: 'page_view' },
  { visitor: 'fay', at: '2025-01-21T10:00:00Z' },
  { visitor: 'fay', at: '2025-01-28T10:00:00Z' },
  // dan: first use in W4, the last complete week: a cohort with age 0 only.
  { visitor: 'dan', at: '2025-02-05T10:00:00Z' },
  // eve: first use in the incomplete W5: in no weekly cohort.
  { visitor: 'eve', at: '2025-02-11T10:00:00Z' },
  // hal: 23:59:59 on Monday 02-10, then one second into Tuesday: calendar day 1, not the same 24 hours.
  { visitor: 'hal', at: '2025-02-10T23:59:59Z' },
  { visitor: 'hal', at: '2025-02-11T00:00:01Z' },
  // gus: after the data-through day: not observed.
  { visitor: 'gus', at: '2025-02-20T10:00:00Z' },
];

// History from 1995: Monday 1995-01-02, back the week after; complete to Thursday 1995-01-19, so
// the week of 01-16 is not.
const OLD = 'usage_1995';
const OLD_EVENTS: Event[] = [
  { visitor: 'old', at: '1995-01-02T10:00:00Z' },
  { visitor: 'old', at: '1995-01-10T10:00:00Z' },
  { visitor: 'old', at: '1995-01-17T10:00:00Z' },
];

let t: TestDatabase;
let withRollups: TestCube;
let withoutRollups: TestCube;

async function insertEvents(tenant: string, events: Event[]): Promise<void> {
  const rows = events.map((e, i) => ({
    tenant_id: tenant,
    id: `${tenant}-${i}`,
    visitor_id: e.visitor,
    name: e.name ?? 'feature_used',
    occurred_at: e.at,
    product: 'reports',
  }));
  for (let i = 0; i < rows.length; i += 5000) await t.db('events').insert(rows.slice(i, i + 5000));
}

// Generated tenants: visitors who start on a random day and use features on later days with a
// chance that decays, plus page views that must not count. One tenant's end is its latest event,
// the other's is a data-through day inside its history.
const GENERATED = ['usage_gen_a', 'usage_gen_b'];
const GEN_START = Date.UTC(2025, 5, 2); // Monday 2025-06-02
const DAY = 86_400_000;

function generatedEvents(seed: number): Event[] {
  const prng = new Prng(seed);
  const events: Event[] = [];
  for (let v = 0; v < 160; v++) {
    prng.reseed(1, seed, v);
    const start = GEN_START + prng.int(0, 90) * DAY + prng.int(0, DAY);
    const stickiness = prng.next();
    for (let d = 0; d < 100; d++) {
      const use = d === 0 || prng.chance(stickiness * 0.6 * Math.exp(-d / 30));
      const at = start + d * DAY + prng.int(-DAY / 3, DAY / 3);
      if (use) events.push({ visitor: `v${v}`, at: new Date(d === 0 ? start : at).toISOString() });
      if (prng.chance(0.1)) events.push({ visitor: `v${v}`, at: new Date(at).toISOString(), name: 'page_view' });
    }
  }
  return events;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('tenants').insert([
    { id: HAND, name: 'Usage by hand', business_model: 'b2b', data_through: HAND_THROUGH },
    { id: OLD, name: 'Usage in 1995', business_model: 'b2b', data_through: '1995-01-18T12:00:00Z' },
    { id: GENERATED[0], name: 'Usage generated A', business_model: 'b2b' },
    { id: GENERATED[1], name: 'Usage generated B', business_model: 'b2b', data_through: '2025-08-20T15:00:00Z' },
  ]);
  await insertEvents(HAND, HAND_EVENTS);
  await insertEvents(OLD, OLD_EVENTS);
  await insertEvents(GENERATED[0]!, generatedEvents(41));
  await insertEvents(GENERATED[1]!, generatedEvents(42));
  [withRollups, withoutRollups] = await Promise.all([startTestCube(t.url), startTestCube(t.url, { preAggregations: false })]);
});
afterAll(async () => {
  await withRollups?.stop();
  await withoutRollups?.stop();
  await t?.drop();
});

type Cube = 'usage_retention_weekly' | 'usage_retention_daily';
type Behaviour = 'first_time' | 'recurring';
const MEASURES = ['cohort_people', 'returned_people', 'returned_on_or_after_people', 'retention_rate', 'retention_on_or_after_rate'];

/** The triangle of one behaviour as Cube serves it, ordered by cohort and age. */
function triangleQuery(cube: Cube, behaviour: Behaviour, measures = MEASURES): CubeQuery {
  const granularity = cube === 'usage_retention_weekly' ? 'week' : 'day';
  return {
    measures: measures.map((m) => `${cube}.${m}`),
    dimensions: [`${cube}.periods_since_start`],
    timeDimensions: [{ dimension: `${cube}.cohort_start`, granularity }],
    filters: [{ member: `${cube}.behaviour`, operator: 'equals', values: [behaviour] }],
    order: [
      [`${cube}.cohort_start`, 'asc'],
      [`${cube}.periods_since_start`, 'asc'],
    ],
    limit: 50_000,
  };
}

/** [cohort day, age, cohort people, returned, returned on or after] per row. */
async function cells(cube: Cube, behaviour: Behaviour, tenant = HAND): Promise<[string, number, number, number, number][]> {
  const granularity = cube === 'usage_retention_weekly' ? 'week' : 'day';
  const rows = await withRollups.load(tenant, triangleQuery(cube, behaviour));
  return rows.map((r) => [
    String(r[`${cube}.cohort_start.${granularity}`]).slice(0, 10),
    Number(r[`${cube}.periods_since_start`]),
    Number(r[`${cube}.cohort_people`]),
    Number(r[`${cube}.returned_people`]),
    Number(r[`${cube}.returned_on_or_after_people`]),
  ]);
}

const rates = (rows: Row[], cube: Cube) =>
  rows.map((r) => [Number(r[`${cube}.retention_rate`]), Number(r[`${cube}.retention_on_or_after_rate`])]);

describe('weekly usage retention on a hand-built tenant', () => {
  it('first time: cohorts by first feature use, ages up to the last complete week', async () => {
    expect(await cells('usage_retention_weekly', 'first_time')).toEqual([
      // ann, bob, cat. On: ann W1, ann W2, bob W3 (after skipping two), nobody W4 (cat's W5 is not complete).
      // On or after: ann and bob are seen at or after W1 and W2, bob at W3.
      ['2025-01-06', 0, 3, 3, 3],
      ['2025-01-06', 1, 3, 1, 2],
      ['2025-01-06', 2, 3, 1, 2],
      ['2025-01-06', 3, 3, 1, 1],
      ['2025-01-06', 4, 3, 0, 0],
      // No first-time cohort in W1 (ann's W1 is a return). fay: W2, W3; W4 is the last age.
      ['2025-01-20', 0, 1, 1, 1],
      ['2025-01-20', 1, 1, 1, 1],
      ['2025-01-20', 2, 1, 0, 0],
      // dan in W4; eve (W5) and gus (after the end) are in no cohort.
      ['2025-02-03', 0, 1, 1, 1],
    ]);
  });

  it('recurring: a cohort for each week a person used a feature, so ann is in three', async () => {
    expect(await cells('usage_retention_weekly', 'recurring')).toEqual([
      ['2025-01-06', 0, 3, 3, 3],
      ['2025-01-06', 1, 3, 1, 2],
      ['2025-01-06', 2, 3, 1, 2],
      ['2025-01-06', 3, 3, 1, 1],
      ['2025-01-06', 4, 3, 0, 0],
      // ann alone: back in W2, not after.
      ['2025-01-13', 0, 1, 1, 1],
      ['2025-01-13', 1, 1, 1, 1],
      ['2025-01-13', 2, 1, 0, 0],
      ['2025-01-13', 3, 1, 0, 0],
      // ann and fay (first time had fay only): fay back in W3.
      ['2025-01-20', 0, 2, 2, 2],
      ['2025-01-20', 1, 2, 1, 1],
      ['2025-01-20', 2, 2, 0, 0],
      // bob and fay, neither back in W4.
      ['2025-01-27', 0, 2, 2, 2],
      ['2025-01-27', 1, 2, 0, 0],
      ['2025-02-03', 0, 1, 1, 1],
    ]);
  });

  it('gives the rates as percent of the cohort: 1 of 3 on week 1, 2 of 3 on or after', async () => {
    const rows = await withRollups.load(HAND, {
      ...triangleQuery('usage_retention_weekly', 'first_time'),
      timeDimensions: [{ dimension: 'usage_retention_weekly.cohort_start', granularity: 'week', dateRange: ['2025-01-06', '2025-01-12'] }],
    });
    const third = 100 / 3;
    const got = rates(rows, 'usage_retention_weekly');
    const want = [
      [100, 100],
      [third, 2 * third],
      [third, 2 * third],
      [third, third],
      [0, 0],
    ];
    expect(got).toHaveLength(want.length);
    got.forEach(([on, onOrAfter], i) => {
      expect(on).toBeCloseTo(want[i]![0]!, 9);
      expect(onOrAfter).toBeCloseTo(want[i]![1]!, 9);
    });
  });
});

describe('the counting cube', () => {
  it('is not part of the API (its SQL needs the period a public cube gives it): a 400 naming it', async () => {
    await expect(withRollups.load(HAND, { measures: [], dimensions: ['usage_retention_cells.tenant_id'] })).rejects.toThrow(
      /Cube 400: Invalid query: dimensions\[0\]: cube or view "usage_retention_cells" not found/,
    );
  });
});

describe('usage retention of history from any year', () => {
  it('has its weekly triangle up to the last week complete, in 1995 too', async () => {
    expect(await cells('usage_retention_weekly', 'first_time', OLD)).toEqual([
      ['1995-01-02', 0, 1, 1, 1],
      ['1995-01-02', 1, 1, 1, 1],
    ]);
    expect(await cells('usage_retention_weekly', 'recurring', OLD)).toEqual([
      ['1995-01-02', 0, 1, 1, 1],
      ['1995-01-02', 1, 1, 1, 1],
      ['1995-01-09', 0, 1, 1, 1],
    ]);
  });
});

describe('daily usage retention on a hand-built tenant', () => {
  it('counts calendar days: one second after midnight is day 1; the last day ended by the end is in', async () => {
    const hal = (await cells('usage_retention_daily', 'first_time')).filter(([day]) => day === '2025-02-10');
    // hal only; ages 0–2 (02-12 is complete by 02-13 00:00, 02-13 is not).
    expect(hal).toEqual([
      ['2025-02-10', 0, 1, 1, 1],
      ['2025-02-10', 1, 1, 1, 1],
      ['2025-02-10', 2, 1, 0, 0],
    ]);
  });

  it('stops at day 30, and has day N exactly as well as on or after', async () => {
    const ann = (await cells('usage_retention_daily', 'first_time')).filter(([day]) => day === '2025-01-06');
    expect(ann.map(([, age]) => age)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    // ann alone (bob starts 01-07): back on day 9 (01-15) and day 16 (01-22) only.
    expect(ann.filter(([, , , returned]) => returned === 1).map(([, age]) => age)).toEqual([0, 9, 16]);
    expect(ann.filter(([, , , , onOrAfter]) => onOrAfter === 1).map(([, age]) => age)).toEqual(Array.from({ length: 17 }, (_, i) => i));
  });

  it('recurring has a cohort on each day of use, first time only on the first', async () => {
    const days = async (behaviour: Behaviour) => [
      ...new Set((await cells('usage_retention_daily', behaviour)).filter(([, age]) => age === 0).map(([day]) => day)),
    ];
    expect(await days('first_time')).toEqual([
      '2025-01-06',
      '2025-01-07',
      '2025-01-10',
      '2025-01-21',
      '2025-02-05',
      '2025-02-10',
      '2025-02-11',
    ]);
    expect(await days('recurring')).toEqual([
      '2025-01-06',
      '2025-01-07',
      '2025-01-10',
      '2025-01-15',
      '2025-01-21',
      '2025-01-22',
      '2025-01-28',
      '2025-01-29',
      '2025-02-05',
      '2025-02-10',
      '2025-02-11',
    ]);
  });
});

/**
 * The triangle written from the description alone, one person and age at a time: a period of
 * `step` counts when it ends by the tenant's end (the next UTC midnight after its data-through
 * instant, else after its latest event); returned on N: a feature use in the period N steps after
 * the cohort's; on or after: in that period or a later counted one.
 */
async function oracle(tenant: string, unit: 'week' | 'day', behaviour: Behaviour): Promise<Row[]> {
  const step = unit === 'week' ? '1 week' : '1 day';
  const lastAge = unit === 'week' ? 1_000_000 : 30;
  const { rows } = await t.db.raw(
    `WITH ended AS (
       SELECT date_trunc('day', coalesce(t.data_through, (SELECT max(occurred_at) FROM events e WHERE e.tenant_id = t.id)) AT TIME ZONE 'UTC')
              + interval '1 day' AS until
       FROM tenants t WHERE t.id = :tenant
     ),
     used AS (
       SELECT DISTINCT e.visitor_id, date_trunc(:unit, e.occurred_at AT TIME ZONE 'UTC') AS period
       FROM events e, ended
       WHERE e.tenant_id = :tenant AND e.name = 'feature_used'
         AND date_trunc(:unit, e.occurred_at AT TIME ZONE 'UTC') + interval '${step}' <= ended.until
     ),
     cohort AS (
       SELECT visitor_id, min(period) AS start FROM used WHERE :behaviour = 'first_time' GROUP BY visitor_id
       UNION ALL
       SELECT visitor_id, period FROM used WHERE :behaviour = 'recurring'
     ),
     cell AS (
       SELECT c.visitor_id, c.start, p.n - 1 AS age, p.period
       FROM cohort c, ended, generate_series(c.start, ended.until - interval '${step}', interval '${step}') WITH ORDINALITY AS p(period, n)
       WHERE p.n - 1 <= :lastAge
     )
     SELECT to_char(start, 'YYYY-MM-DD') AS cohort, age,
            count(*) AS cohort_people,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM used u WHERE u.visitor_id = cell.visitor_id AND u.period = cell.period)) AS returned,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM used u WHERE u.visitor_id = cell.visitor_id AND u.period >= cell.period)) AS returned_later
     FROM cell GROUP BY start, age`,
    { tenant, unit, behaviour, lastAge },
  );
  const cube = unit === 'week' ? 'usage_retention_weekly' : 'usage_retention_daily';
  return (rows as { cohort: string; age: string; cohort_people: string; returned: string; returned_later: string }[]).map((r) => ({
    [`${cube}.cohort_start.${unit}`]: `${r.cohort}T00:00:00.000`,
    [`${cube}.periods_since_start`]: Number(r.age),
    [`${cube}.cohort_people`]: Number(r.cohort_people),
    [`${cube}.returned_people`]: Number(r.returned),
    [`${cube}.returned_on_or_after_people`]: Number(r.returned_later),
    [`${cube}.retention_rate`]: (100 * Number(r.returned)) / Number(r.cohort_people),
    [`${cube}.retention_on_or_after_rate`]: (100 * Number(r.returned_later)) / Number(r.cohort_people),
  }));
}

describe('usage retention against independent SQL on generated tenants', () => {
  const cases = GENERATED.flatMap((tenant) =>
    (['usage_retention_weekly', 'usage_retention_daily'] as const).flatMap((cube) =>
      (['first_time', 'recurring'] as const).map((behaviour) => [tenant, cube, behaviour] as const),
    ),
  );

  it.each(cases)('%s › %s › %s: every cell as the SQL counts it', async (tenant, cube, behaviour) => {
    const unit = cube === 'usage_retention_weekly' ? 'week' : 'day';
    const want = await oracle(tenant, unit, behaviour);
    expect(want.length).toBeGreaterThan(unit === 'week' ? 50 : 1000);
    const got = await withoutRollups.load(tenant, triangleQuery(cube, behaviour));
    // Cube also gives `cohort_start` beside its granularity member: compare on the granularity member.
    const strip = (rows: Row[]): Row[] =>
      rows.map((r) => ({
        [`${cube}.cohort_start.${unit}`]: String(r[`${cube}.cohort_start.${unit}`]),
        [`${cube}.periods_since_start`]: Number(r[`${cube}.periods_since_start`]),
        ...Object.fromEntries(MEASURES.map((m) => [`${cube}.${m}`, r[`${cube}.${m}`] ?? null])),
      }));
    expectSameNumbers(
      strip(got),
      strip(want),
      MEASURES.map((m) => `${cube}.${m}`),
    );
  });
});

describe('the Customer journey board’s retention query (JOURNEY.md query 6)', () => {
  const boardQuery: CubeQuery = {
    measures: ['usage_retention_weekly.retention_rate'],
    dimensions: ['usage_retention_weekly.periods_since_start'],
    timeDimensions: [{ dimension: 'usage_retention_weekly.cohort_start', granularity: 'week' }],
    filters: [{ member: 'usage_retention_weekly.behaviour', operator: 'equals', values: ['first_time'] }],
  };

  it.each([HAND, ...GENERATED])('%s: is served from the rollup with the raw numbers', async (tenant) => {
    const rolled = await withRollups.loadBody(tenant, boardQuery);
    const raw = await withoutRollups.loadBody(tenant, boardQuery);
    expect(Object.keys(rolled.usedPreAggregations)).toEqual([expect.stringContaining('usage_retention_weekly_triangle')]);
    expect(Object.keys(raw.usedPreAggregations)).toEqual([]);
    expect(raw.data.length).toBeGreaterThan(5);
    expectSameNumbers(rolled.data, raw.data, ['usage_retention_weekly.retention_rate']);
  });

  it('the daily triangle is served from its rollup too', async () => {
    const query = triangleQuery('usage_retention_daily', 'recurring', ['retention_rate', 'retention_on_or_after_rate']);
    const rolled = await withRollups.loadBody(GENERATED[0]!, query);
    expect(Object.keys(rolled.usedPreAggregations)).toEqual([expect.stringContaining('usage_retention_daily_triangle')]);
    expectSameNumbers(rolled.data, (await withoutRollups.loadBody(GENERATED[0]!, query)).data, [
      'usage_retention_daily.retention_rate',
      'usage_retention_daily.retention_on_or_after_rate',
    ]);
  });
});
