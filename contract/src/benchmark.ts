import { z } from 'zod';
import type { CubeMember } from './cube-meta.js';

export const bandLabels = ['poor', 'fair', 'good', 'excellent'] as const;
export type BandLabel = (typeof bandLabels)[number];

const band = z.object({
  label: z.enum(bandLabels),
  /** Inclusive lower edge; null means unbounded below. */
  from: z.number().nullable(),
  /** Exclusive upper edge; null means unbounded above. */
  to: z.number().nullable(),
});

const bandedBenchmark = z
  .object({
    direction: z.enum(['higher_is_better', 'lower_is_better']),
    unit: z.enum(['percent', 'score', 'seconds', 'hours', 'currency', 'count']),
    context: z.string().min(1).optional(),
    bands: z.array(band).min(2),
    source: z.string().min(10, 'expected the source the bands come from'),
  })
  .superRefine((benchmark, ctx) => {
    // Bands are listed from low values to high and must tile the whole number line.
    const { bands, direction } = benchmark;
    if (bands[0]?.from !== null) ctx.addIssue({ code: 'custom', path: ['bands'], message: 'the first band must start at null (unbounded)' });
    if (bands.at(-1)?.to !== null) ctx.addIssue({ code: 'custom', path: ['bands'], message: 'the last band must end at null (unbounded)' });
    bands.forEach((b, i) => {
      const next = bands[i + 1];
      if (next && b.to !== next.from) {
        ctx.addIssue({ code: 'custom', path: ['bands'], message: `band ${b.label} ends at ${b.to} but ${next.label} starts at ${next.from}` });
      }
    });
    const ranks = bands.map((b) => bandLabels.indexOf(b.label));
    const ordered = direction === 'higher_is_better' ? ranks : [...ranks].reverse();
    if (ordered.some((rank, i) => i > 0 && rank <= ordered[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['bands'], message: `bands must run from poor to excellent in the ${direction} direction` });
    }
  });

const noBenchmark = z.object({
  none: z.literal(true),
  reason: z.string().min(10, 'expected why no benchmark applies'),
});

export const benchmarkSchema = z.union([bandedBenchmark, noBenchmark]);

/** `meta` of a KPI measure: every KPI states its benchmark, or says that none exists. */
export const kpiMetaSchema = z.object({
  kpi: z.literal(true),
  benchmark: benchmarkSchema,
});

export type Band = z.infer<typeof band>;
export type Benchmark = z.infer<typeof benchmarkSchema>;
export type BandedBenchmark = z.infer<typeof bandedBenchmark>;
export type KpiMeta = z.infer<typeof kpiMetaSchema>;

export function hasBands(benchmark: Benchmark): benchmark is BandedBenchmark {
  return !('none' in benchmark);
}

/** The band a value falls in; bands are [from, to). */
export function bandOf(benchmark: BandedBenchmark, value: number): Band | undefined {
  if (!Number.isFinite(value)) return undefined;
  return benchmark.bands.find((b) => (b.from === null || value >= b.from) && (b.to === null || value < b.to));
}

/** What the KPI check needs of a measure: in /v1/meta, the compiler's meta config or the YAML. */
export type MeasureMeta = Pick<CubeMember, 'name' | 'meta'>;

/**
 * Checks every measure whose meta says `kpi: true`, or carries a benchmark, against the
 * schema; returns one message per bad measure, naming it and the offending field.
 */
export function validateKpiMeta(measures: MeasureMeta[]): string[] {
  return measures.flatMap((measure) => {
    const meta = measure.meta as Record<string, unknown> | undefined;
    if (!meta || (meta.kpi === undefined && meta.benchmark === undefined)) return [];
    const parsed = kpiMetaSchema.safeParse(meta);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => `${measure.name}: meta.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  });
}
