/**
 * The benchmark schema and band logic are the contract's (shared with the Cube runtime), so meta
 * that Cube accepts is exactly meta the plugin understands; the plugin adds the band colours.
 */
export {
  bandLabels,
  bandOf,
  benchmarkSchema,
  hasBands,
  kpiMetaSchema,
  type Band,
  type BandedBenchmark,
  type BandLabel,
  type Benchmark,
} from '@engagement/contract';

import type { BandLabel } from '@engagement/contract';

/** Grafana named colours per band; the band label is always written next to the colour too. */
export const bandColors: Record<BandLabel, string> = {
  poor: 'red',
  fair: 'orange',
  good: 'green',
  excellent: 'dark-green',
};
