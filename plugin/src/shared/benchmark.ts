/**
 * The one place the plugin reaches into the model's code: the benchmark schema is shared with
 * the Cube runtime, so meta that Cube accepts is exactly meta the plugin understands.
 */
export {
  bandLabels,
  bandOf,
  benchmarkSchema,
  hasBands,
  kpiMetaSchema,
  type Band,
  type BandedBenchmark,
  type Benchmark,
} from '../../../src/model/benchmark';

import type { bandLabels } from '../../../src/model/benchmark';

export type BandLabel = (typeof bandLabels)[number];

/** Grafana named colours per band; the band label is always written next to the colour too. */
export const bandColors: Record<BandLabel, string> = {
  poor: 'red',
  fair: 'orange',
  good: 'green',
  excellent: 'dark-green',
};
