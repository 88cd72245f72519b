import { runChurnRisk } from './churn-risk/index.js';
import { runPurchaseModels } from './purchases.js';
import { runRetentionModel } from './retention.js';
import type { PredictStep } from './step.js';

/** Churn risk keeps its diagnostics in churn_risk_models; here it reports them for printing. */
const runChurnRiskStep: PredictStep = async (ctx) => {
  const { name, parameters, diagnostics, rowsWritten, seconds } = await runChurnRisk({
    db: ctx.db,
    tenantId: ctx.tenantId,
    asOf: ctx.asOf,
    progress: (done, total) => ctx.onProgress(done, total, 'churn risk'),
  });
  const skipped = typeof diagnostics.skipped === 'string' ? { skipped: diagnostics.skipped } : {};
  return [{ name, parameters, diagnostics: { ...diagnostics, seconds }, rowsWritten, ...skipped }];
};

/**
 * Every model `npm run predict` fits, in order, each given the tenant's context (step.ts) inside
 * the tenant's one transaction. A new model is a function here.
 */
export const PREDICT_STEPS: { name: string; run: PredictStep }[] = [
  { name: 'purchases (BG/NBD + Gamma-Gamma)', run: runPurchaseModels },
  { name: 'retention (sBG)', run: runRetentionModel },
  { name: 'churn risk (logistic regression)', run: runChurnRiskStep },
];
