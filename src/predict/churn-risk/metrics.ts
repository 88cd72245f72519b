/**
 * Area under the ROC curve: the chance that a random churner is scored above a random
 * non-churner, ties counting half (the Mann–Whitney U statistic ÷ positives × negatives, from
 * average ranks). Null when the labels hold only one class: then there is nothing to rank.
 */
export function auc(scores: readonly number[], labels: readonly boolean[]): number | null {
  if (scores.length !== labels.length) throw new RangeError(`auc: ${scores.length} scores but ${labels.length} labels`);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) {
      if (labels[order[k]!]) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface CalibrationBin {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Share of the bin that churned. */
  observed: number;
  n: number;
}

/**
 * Calibration by `bins` quantiles of the prediction (deciles by default): rows sorted by
 * predicted probability and cut into groups as equal as whole rows allow, each with its mean
 * prediction beside its observed churn rate. A calibrated model has the two close in every bin.
 */
export function calibration(predicted: readonly number[], labels: readonly boolean[], bins = 10): CalibrationBin[] {
  if (predicted.length !== labels.length) throw new RangeError(`calibration: ${predicted.length} predictions but ${labels.length} labels`);
  const order = predicted.map((_, i) => i).sort((a, b) => predicted[a]! - predicted[b]!);
  const result: CalibrationBin[] = [];
  for (let bin = 0; bin < bins; bin += 1) {
    const members = order.slice(Math.floor((bin * order.length) / bins), Math.floor(((bin + 1) * order.length) / bins));
    if (members.length === 0) continue;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    result.push({
      predicted: mean(members.map((i) => predicted[i]!)),
      observed: mean(members.map((i) => (labels[i] ? 1 : 0))),
      n: members.length,
    });
  }
  return result;
}
