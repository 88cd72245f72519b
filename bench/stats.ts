import { z } from 'zod';

/** Summary of repeated timings, in milliseconds. */
export const timingSchema = z.object({
  runs: z.number().int().positive(),
  medianMs: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
  minMs: z.number().nonnegative(),
  maxMs: z.number().nonnegative(),
});
export type Timing = z.infer<typeof timingSchema>;

/** The q-quantile (0..1) by the nearest-rank method: always one of the measured values. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samplesMs: number[]): Timing {
  return {
    runs: samplesMs.length,
    medianMs: quantile(samplesMs, 0.5),
    p95Ms: quantile(samplesMs, 0.95),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
  };
}

/** Runs `fn` once unmeasured (the warm-up), then `runs` times measured; keeps the last result. */
export async function timeRuns<T>(runs: number, fn: () => Promise<T>): Promise<{ timing: Timing; last: T }> {
  let last = await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await fn();
    samples.push(performance.now() - started);
  }
  return { timing: summarize(samples), last };
}

/** a ÷ b, or null when either is missing. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : a / b;
}
