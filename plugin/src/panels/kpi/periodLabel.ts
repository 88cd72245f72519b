import type { DataFrame } from '@grafana/data';
import { z } from 'zod';

// The backend says in the frame which period a time series ends with (spec of issue 12):
// meta.custom = { periods: 'complete' | 'to_date', granularity }.
const periodMetaSchema = z.object({ periods: z.enum(['complete', 'to_date']), granularity: z.string().min(1) });

/** What the tile says about its period: "month to date", or "last complete month"; none without a granularity. */
export function periodLabel(frame: DataFrame): string | undefined {
  const parsed = periodMetaSchema.safeParse(frame.meta?.custom);
  if (!parsed.success) return undefined;
  const { periods, granularity } = parsed.data;
  return periods === 'to_date' ? `${granularity} to date` : `last complete ${granularity}`;
}
