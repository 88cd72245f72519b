import { runPurchaseModels } from './purchases.js';
import { runRetentionModel } from './retention.js';
import type { PredictStep } from './step.js';

/**
 * Every model `npm run predict` fits, in order, each given the tenant's context (step.ts) inside
 * the tenant's one transaction. A new model is a function here.
 */
export const PREDICT_STEPS: { name: string; run: PredictStep }[] = [
  { name: 'purchases (BG/NBD + Gamma-Gamma)', run: runPurchaseModels },
  { name: 'retention (sBG)', run: runRetentionModel },
];
