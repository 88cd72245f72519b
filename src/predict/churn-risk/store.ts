import type { Knex } from 'knex';
import type { ChurnModel } from './model.js';
import { AT_RISK_MULTIPLE, MODEL_VERSION } from './model.js';

const BATCH = 1000;

/**
 * Replaces the tenant's scores and model row in one transaction: readers see the previous run's
 * or this one's, never a mix. A tenant whose model could not be fitted keeps no scores.
 */
export async function writeScores(
  db: Knex,
  tenantId: string,
  asOf: Date,
  fittedAt: Date,
  model: ChurnModel | null,
  sampleEvery: number,
): Promise<number> {
  return db.transaction(async (trx) => {
    await trx('churn_risk_scores').where({ tenant_id: tenantId }).delete();
    await trx('churn_risk_models').where({ tenant_id: tenantId }).delete();
    if (model === null) return 0;
    await trx('churn_risk_models').insert({
      tenant_id: tenantId,
      model_version: MODEL_VERSION,
      fitted_at: fittedAt,
      as_of: asOf,
      cutoff: model.cutoff,
      n_train: model.nTrain,
      n_validation: model.nValidation,
      sample_every: sampleEvery,
      churn_events: model.churnEvents,
      base_rate: model.baseRate,
      auc: model.auc,
      baseline_auc: model.baselineAuc,
      calibration: JSON.stringify(model.calibration),
      coefficients: JSON.stringify(model.coefficients),
    });
    const rows = model.scores.map(({ row, risk, reasons }) => ({
      tenant_id: tenantId,
      customer_id: row.customer_id,
      as_of: asOf,
      risk,
      at_risk: risk >= AT_RISK_MULTIPLE * model.baseRate,
      reason_1: reasons[0] ?? null,
      reason_2: reasons[1] ?? null,
      reason_3: reasons[2] ?? null,
      mrr: row.mrr,
      last_activity_at: row.last_activity_at,
      model_version: MODEL_VERSION,
      fitted_at: fittedAt,
    }));
    for (let start = 0; start < rows.length; start += BATCH) {
      await trx('churn_risk_scores').insert(rows.slice(start, start + BATCH));
    }
    return rows.length;
  });
}
