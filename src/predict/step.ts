import type { Knex } from 'knex';

/** What each model step is given: one tenant, inside that tenant's write transaction. */
export interface PredictContext {
  /** The tenant's transaction: a step replaces its own rows through it, and all commit together. */
  db: Knex;
  tenantId: string;
  /** History up to this instant (exclusive) is read; predictions are from it on. */
  asOf: Date;
  /** Monthly rate that discounts future value (PREDICT_MONTHLY_DISCOUNT_RATE). */
  monthlyDiscountRate: number;
  /** Reports work done within the step, e.g. customers scored. */
  onProgress(done: number, total: number, label: string): void;
}

/** One fitted model, for printing and for prediction_fits. */
export interface PredictResult {
  /** Model name, e.g. bgnbd, gamma_gamma, sbg. */
  name: string;
  parameters: Record<string, number>;
  /** e.g. logLikelihood, n, iterations, converged, seconds; a step may add its own (AUC). */
  diagnostics: Record<string, number | string | boolean>;
  rowsWritten: number;
  /** Why the model was not fitted for this tenant (too little data), instead of parameters. */
  skipped?: string;
  /** Remarks worth printing, e.g. a check of an assumption. */
  notes?: string[];
}

export type PredictStep = (ctx: PredictContext) => Promise<PredictResult[]>;
