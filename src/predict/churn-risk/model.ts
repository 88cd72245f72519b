import { Design, RECENCY_ONLY, wordsFor, type Feature } from './design.js';
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
/**
 * A tenant with more subscription customers has the history of one in every ⌈customers ÷ this⌉
 * read: enough rows for a dozen coefficients, and memory and time that stop growing with the
 * tenant. Every customer is still scored.
 */
export const MAX_HISTORY_CUSTOMERS = 50_000;
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

/**
 * The (at most three) reasons that raised this customer's risk most: each feature's contribution
 * is its coefficient × the customer's standardised value, and features that say the same thing
 * (the plan indicators, under the customer's own plan) add up under those words.
 */
export function topReasons({ design, fit: f }: Fitted, row: SnapshotRow, count = 3): string[] {
  const z = design.vector(row);
  const byWords = new Map<string, number>();
  design.features.forEach((feature, j) => {
    const words = wordsFor(z[j]! > 0 ? feature.high : feature.low, row);
    byWords.set(words, (byWords.get(words) ?? 0) + f.coefficients[j]! * z[j]!);
  });
  return [...byWords.entries()]
    .filter(([, contribution]) => contribution > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([words]) => words);
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
