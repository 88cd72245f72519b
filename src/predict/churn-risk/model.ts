import { Design, RECENCY_ONLY, type Feature } from './design.js';
import type { SnapshotRow } from './features.js';
import { fitLogistic, predictLogistic, type LogisticFit } from './logistic.js';
import { auc, calibration, type CalibrationBin } from './metrics.js';

export const MODEL_VERSION = 'churn-risk-logit-1';
/** Monthly snapshots before the as-of instant that the model learns from. */
export const HISTORY_MONTHS = 24;
/** The last snapshots before the as-of instant, held out for the out-of-time validation. */
export const VALIDATION_MONTHS = 6;
/** Fewer churn events than this before the cut-off, and the model is not fitted: its coefficients would be noise. */
export const MIN_CHURN_EVENTS = 20;
/** At risk: a predicted churn probability at least this many times the tenant's average monthly churn. */
export const AT_RISK_MULTIPLE = 2;

export interface Score {
  row: SnapshotRow;
  risk: number;
  reasons: string[];
}

export interface ChurnModel {
  /** Standardised coefficients of the model that scores, by feature, and its intercept. */
  coefficients: Record<string, number>;
  /** Snapshot instant from which on the validation months start. */
  cutoff: Date;
  nTrain: number;
  nValidation: number;
  churnEvents: number;
  baseRate: number;
  auc: number | null;
  baselineAuc: number | null;
  calibration: CalibrationBin[];
  scores: Score[];
}

export class NotEnoughHistoryError extends Error {
  override name = 'NotEnoughHistoryError';
}

interface Fitted {
  design: Design;
  fit: LogisticFit;
}

function fit(rows: readonly SnapshotRow[], candidates?: Feature[]): Fitted {
  const design = Design.fit(rows, candidates);
  return {
    design,
    fit: fitLogistic(
      rows.map((r) => design.vector(r)),
      rows.map((r) => r.churned === true),
    ),
  };
}

const predict = ({ design, fit: f }: Fitted, row: SnapshotRow) => predictLogistic(f, design.vector(row));

/** The (at most three) features that raised this customer's risk most, coefficient × standardised value, in words. */
export function topReasons({ design, fit: f }: Fitted, row: SnapshotRow, count = 3): string[] {
  const z = design.vector(row);
  return design.features
    .map((feature, j) => ({ feature, z: z[j]!, contribution: f.coefficients[j]! * z[j]! }))
    .filter((c) => c.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, count)
    .map((c) => (c.z > 0 ? c.feature.high : c.feature.low));
}

/**
 * Validates out of time, then scores. A model fitted on the snapshots before the cut-off is
 * judged on the VALIDATION_MONTHS after it (AUC, deciles of calibration), beside a model of
 * recency alone; the model that scores is then fitted again, the same way, on every labelled
 * snapshot, so it learns from the latest months too.
 */
export function fitChurnModel(rows: readonly SnapshotRow[], months = HISTORY_MONTHS): ChurnModel {
  const firstValidation = months - VALIDATION_MONTHS + 1;
  const labelled = rows.filter((r) => r.churned !== null);
  const train = labelled.filter((r) => r.position < firstValidation);
  const validation = labelled.filter((r) => r.position >= firstValidation);
  const churnEvents = train.filter((r) => r.churned).length;
  if (churnEvents < MIN_CHURN_EVENTS) {
    throw new NotEnoughHistoryError(
      `${churnEvents} churn events in the ${months - VALIDATION_MONTHS} months before the cut-off (at least ${MIN_CHURN_EVENTS} needed)`,
    );
  }
  if (validation.length === 0) throw new NotEnoughHistoryError(`no subscription customers in the ${VALIDATION_MONTHS} validation months`);
  const validated = fit(train);
  const baseline = fit(train, RECENCY_ONLY);
  const outcomes = validation.map((r) => r.churned === true);
  const predicted = validation.map((r) => predict(validated, r));

  const scoring = fit(labelled);
  const baseRate = labelled.filter((r) => r.churned).length / labelled.length;
  const asOf = rows.filter((r) => r.churned === null);
  return {
    coefficients: {
      intercept: scoring.fit.intercept,
      ...Object.fromEntries(scoring.design.features.map((f, j) => [f.key, scoring.fit.coefficients[j]!])),
    },
    cutoff: validation[0]!.at,
    nTrain: train.length,
    nValidation: validation.length,
    churnEvents,
    baseRate,
    auc: auc(predicted, outcomes),
    baselineAuc: auc(
      validation.map((r) => predict(baseline, r)),
      outcomes,
    ),
    calibration: calibration(predicted, outcomes),
    scores: asOf.map((row) => ({ row, risk: predict(scoring, row), reasons: topReasons(scoring, row) })),
  };
}
