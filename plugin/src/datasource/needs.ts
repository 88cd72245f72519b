import { kpiNeedText } from '@engagement/contract';
import type { DataFrame, Field } from '@grafana/data';
import type { CubeFieldCustom } from './fieldConfig';

const hasNoValue = (field: Field) => field.values.every((v) => v === null || v === undefined || Number.isNaN(v));
const needsSubscriptions = (field: Field) => (field.config.custom as CubeFieldCustom | undefined)?.needs?.includes('subscriptions');

/**
 * A KPI built on subscriptions (churn, retention, …) has no value for a tenant without any; its
 * field then says so in `noValue`, which every Grafana panel shows in place of "No data".
 * `hasSubscriptions` is asked only when such a field came back empty.
 */
export async function explainMissing(frames: DataFrame[], hasSubscriptions: () => Promise<boolean>): Promise<DataFrame[]> {
  if (!frames.some((frame) => frame.fields.some((f) => needsSubscriptions(f) && hasNoValue(f)))) return frames;
  if (await hasSubscriptions()) return frames;
  const noValue = kpiNeedText.subscriptions.replace(/^./, (c) => c.toUpperCase());
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((f) => (needsSubscriptions(f) && hasNoValue(f) ? { ...f, config: { ...f.config, noValue } } : f)),
  }));
}
