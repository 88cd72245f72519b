import type { DataFrame } from '@grafana/data';
import { z } from 'zod';

// The backend says in each frame which period a time series ends with (issue 12's interface):
// meta.custom = { periods: 'complete' | 'to_date', granularity }.
const periodMetaSchema = z.object({ periods: z.enum(['complete', 'to_date']), granularity: z.string().min(1) });

export type FramePeriods = z.infer<typeof periodMetaSchema>;

/** The frame's period meta, or undefined when the frame has none (no granularity, another data source). */
export function framePeriods(frame: DataFrame): FramePeriods | undefined {
  const parsed = periodMetaSchema.safeParse(frame.meta?.custom);
  return parsed.success ? parsed.data : undefined;
}

/** "month to date": how every panel names a series that includes the period in progress. */
export const toDateText = (granularity: string) => `${granularity} to date`;
