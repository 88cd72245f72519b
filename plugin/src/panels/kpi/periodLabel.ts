import type { DataFrame } from '@grafana/data';
import { framePeriods } from '../../shared/framePeriods';

/**
 * What the tile adds about its period: "last complete month" by default. A series of the period
 * to date already says so in its name, which the data source sets for every panel type.
 */
export function periodLabel(frame: DataFrame): string | undefined {
  const periods = framePeriods(frame);
  return periods?.periods === 'complete' ? `last complete ${periods.granularity}` : undefined;
}
