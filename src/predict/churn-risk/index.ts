import type { Knex } from 'knex';
import { z } from 'zod';
import { readSnapshots } from './features.js';
import { fitChurnModel, HISTORY_MONTHS, MAX_HISTORY_CUSTOMERS, MODEL_VERSION, NotEnoughHistoryError, type ChurnModel } from './model.js';
import { writeScores } from './store.js';

export interface ChurnRiskContext {
  /** The warehouse connection the commands use (the table owner: it writes the scores). */
  db: Knex;
  tenantId: string;
  /** Scores the customers active at this instant, from the history before it. */
  asOf: Date;
  progress?: (done: number, total: number) => void;
}

export interface ChurnRiskResult {
  name: 'churn-risk';
  /** The scoring model's standardised coefficients by feature, and its intercept. */
  parameters: Record<string, number>;
  diagnostics: Record<string, number | string>;
  rowsWritten: number;
  seconds: number;
}

const contextSchema = z.object({
  db: z.custom<Knex>((value) => typeof value === 'function' && 'transaction' in (value as object), 'db: expected a Knex connection'),
  tenantId: z.string({ error: 'tenantId: expected a tenant id' }).min(1, 'tenantId: expected a tenant id, got an empty string'),
  asOf: z.date({ error: 'asOf: expected a valid Date' }),
  progress: z
    .custom<(done: number, total: number) => void>((value) => typeof value === 'function', 'progress: expected a function')
    .optional(),
});

/** Steps reported to `progress`: read the snapshots, fit and validate, then the scores written. */
const STEPS = 3;

/**
 * Fits the tenant's churn-risk model on its own history, validates it out of time and replaces
 * its scores (churn_risk_scores) and model row (churn_risk_models). A tenant with too little
 * subscription history gets no model and no scores; its diagnostics say why.
 */
export async function runChurnRisk(context: ChurnRiskContext): Promise<ChurnRiskResult> {
  const started = performance.now();
  const { db, tenantId, asOf, progress } = contextSchema.parse(context);
  const tenant = await db('tenants').where({ id: tenantId }).first('id');
  if (!tenant) throw new Error(`tenantId: no tenant "${tenantId}" in the warehouse`);

  const [{ customers }] = (await db('subscriptions').where({ tenant_id: tenantId }).countDistinct({ customers: 'customer_id' })) as [
    { customers: number },
  ];
  const every = Math.max(1, Math.ceil(customers / MAX_HISTORY_CUSTOMERS));
  const rows = await readSnapshots(db, tenantId, asOf, HISTORY_MONTHS, every);
  progress?.(1, STEPS);
  let model: ChurnModel | null = null;
  let skipped: string | null = null;
  try {
    model = fitChurnModel(rows);
  } catch (error) {
    if (!(error instanceof NotEnoughHistoryError)) throw error;
    skipped = error.message;
  }
  progress?.(2, STEPS);
  const rowsWritten = await writeScores(db, tenantId, asOf, new Date(), model, every);
  progress?.(3, STEPS);

  const diagnostics: Record<string, number | string> =
    model === null
      ? { modelVersion: MODEL_VERSION, skipped: skipped! }
      : {
          modelVersion: MODEL_VERSION,
          historySampleEvery: every,
          auc: model.auc ?? 'n/a',
          baselineAuc: model.baselineAuc ?? 'n/a',
          nTrain: model.nTrain,
          nValidation: model.nValidation,
          churnEvents: model.churnEvents,
          baseRate: model.baseRate,
          cutoff: model.cutoff.toISOString(),
          calibration: model.calibration.map((b) => `${(100 * b.predicted).toFixed(1)}%/${(100 * b.observed).toFixed(1)}%`).join(' '),
        };
  return {
    name: 'churn-risk',
    parameters: model?.coefficients ?? {},
    diagnostics,
    rowsWritten,
    seconds: (performance.now() - started) / 1000,
  };
}
