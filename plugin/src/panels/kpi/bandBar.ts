import type { BandedBenchmark } from '../../shared/benchmark';

/**
 * Where a value sits on a bar of equal-width band segments, as a percentage of the bar. Inside
 * a bounded band the position is linear; an unbounded end band is given the width of its
 * neighbour, so a value far past the last edge pins to the bar's end instead of vanishing.
 */
export function markerPosition(benchmark: BandedBenchmark, value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const { bands } = benchmark;
  const index = bands.findIndex((b) => (b.from === null || value >= b.from) && (b.to === null || value < b.to));
  if (index < 0) return undefined;
  const band = bands[index]!;
  const span = fallbackSpan(benchmark);
  let fraction: number;
  if (band.from !== null && band.to !== null) fraction = (value - band.from) / (band.to - band.from);
  else if (band.to !== null) fraction = 1 - (band.to - value) / span;
  else fraction = (value - band.from!) / span;
  const clamped = Math.min(Math.max(fraction, 0), 1);
  return Math.min(Math.max(((index + clamped) / bands.length) * 100, 1), 99);
}

function fallbackSpan(benchmark: BandedBenchmark): number {
  const widths = benchmark.bands.flatMap((b) => (b.from !== null && b.to !== null ? [b.to - b.from] : []));
  if (widths.length) return Math.min(...widths);
  const edge = benchmark.bands.find((b) => b.to !== null)?.to ?? 1;
  return Math.max(Math.abs(edge), 1);
}
