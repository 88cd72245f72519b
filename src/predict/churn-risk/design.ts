import type { SnapshotRow } from './features.js';

/** One model input: how it is computed from a snapshot row, and how a reason names it. */
export interface Feature {
  key: string;
  value: (row: SnapshotRow) => number;
  /** The reason's words when the customer's value is above the tenant's mean, and when below. */
  high: Words;
  low: Words;
}

/** Fixed words, or words about the customer (their own plan). */
export type Words = string | ((row: SnapshotRow) => string);

export const wordsFor = (words: Words, row: SnapshotRow): string => (typeof words === 'string' ? words : words(row));

/** Counts, money and durations are skewed: the model sees log(1 + x), so one heavy user does not set the scale. */
const log1p = Math.log1p;

const FIXED: Feature[] = [
  { key: 'tenure', value: (r) => log1p(r.tenure_days), high: 'long tenure', low: 'short tenure' },
  { key: 'mrr', value: (r) => log1p(r.mrr), high: 'high MRR', low: 'low MRR' },
  {
    key: 'days_since_activity',
    value: (r) => log1p(r.days_since_activity),
    high: 'long since last activity',
    low: 'recently active',
  },
  // Level and change rather than the two counts: last month's sessions are also part of the last
  // three months', and two so correlated counts split their effect into opposite-signed
  // coefficients, which would name "many sessions" as a reason to leave.
  {
    key: 'sessions_3m',
    value: (r) => log1p(r.sessions_3m / 3),
    high: 'many sessions in the last 3 months',
    low: 'few sessions in the last 3 months',
  },
  {
    key: 'session_trend',
    value: (r) => log1p(r.sessions_1m) - log1p(r.sessions_3m / 3),
    high: 'sessions rising',
    low: 'sessions falling',
  },
  { key: 'no_nps', value: (r) => (r.latest_nps === null ? 1 : 0), high: 'no NPS answer', low: 'answered NPS' },
  { key: 'no_csat', value: (r) => (r.latest_csat === null ? 1 : 0), high: 'no CSAT answer', low: 'answered CSAT' },
  { key: 'open_tickets', value: (r) => r.open_tickets, high: 'open support tickets', low: 'no open support tickets' },
  {
    key: 'tickets_3m',
    value: (r) => log1p(r.tickets_3m),
    high: 'many support tickets in the last 3 months',
    low: 'few support tickets in the last 3 months',
  },
];

export const RECENCY_ONLY: Feature[] = FIXED.filter((f) => f.key === 'days_since_activity');

/**
 * The features of one tenant's model, with everything learnt from its training rows: the mean
 * that stands in for a missing survey answer, the plans (each but the most common one an
 * indicator), and each feature's mean and standard deviation for standardising. A feature that
 * does not vary in training (no surveys at all) is left out: it could not be standardised.
 */
export class Design {
  private constructor(
    readonly features: Feature[],
    private readonly means: number[],
    private readonly deviations: number[],
  ) {}

  static fit(rows: readonly SnapshotRow[], candidates?: Feature[]): Design {
    const all = candidates ?? [...FIXED, ...surveyFeatures(rows), ...planFeatures(rows)];
    const kept: Feature[] = [];
    const means: number[] = [];
    const deviations: number[] = [];
    for (const feature of all) {
      const values = rows.map(feature.value);
      const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
      const deviation = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
      if (!(deviation > 1e-12)) continue;
      kept.push(feature);
      means.push(mean);
      deviations.push(deviation);
    }
    return new Design(kept, means, deviations);
  }

  /** The row's standardised feature vector: 0 is the training mean, 1 one standard deviation above it. */
  vector(row: SnapshotRow): number[] {
    return this.features.map((feature, j) => (feature.value(row) - this.means[j]!) / this.deviations[j]!);
  }
}

function meanOf(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The latest NPS and CSAT answers; a customer without one gets the training mean (and the no_… indicator says so). */
function surveyFeatures(rows: readonly SnapshotRow[]): Feature[] {
  const nps = meanOf(rows.flatMap((r) => (r.latest_nps === null ? [] : [r.latest_nps])));
  const csat = meanOf(rows.flatMap((r) => (r.latest_csat === null ? [] : [r.latest_csat])));
  return [
    { key: 'latest_nps', value: (r) => r.latest_nps ?? nps, high: 'high latest NPS answer', low: 'low latest NPS answer' },
    { key: 'latest_csat', value: (r) => r.latest_csat ?? csat, high: 'high latest CSAT answer', low: 'low latest CSAT answer' },
  ];
}

function planFeatures(rows: readonly SnapshotRow[]): Feature[] {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.plan !== null) counts.set(r.plan, (counts.get(r.plan) ?? 0) + 1);
  const plans = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([plan]) => plan);
  // Below the mean of an indicator is being on another plan: the reason names that plan, so the
  // contributions of all plan indicators add up under the customer's own plan.
  const ownPlan = (r: SnapshotRow) => (r.plan === null ? 'plan not known' : `on the ${r.plan} plan`);
  return plans.slice(1).map((plan) => ({
    key: `plan_${plan}`,
    value: (r: SnapshotRow) => (r.plan === plan ? 1 : 0),
    high: `on the ${plan} plan`,
    low: ownPlan,
  }));
}
