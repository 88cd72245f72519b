import { z } from 'zod';
import { kpiNeedSchema } from './kpi-needs.js';
import type { CubeMember, MetaCube } from './cube-meta.js';

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
    if (bands[0]?.from !== null)
      ctx.addIssue({ code: 'custom', path: ['bands'], message: 'the first band must start at null (unbounded)' });
    if (bands.at(-1)?.to !== null) ctx.addIssue({ code: 'custom', path: ['bands'], message: 'the last band must end at null (unbounded)' });
    bands.forEach((b, i) => {
      const next = bands[i + 1];
      if (next && b.to !== next.from) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands'],
          message: `band ${b.label} ends at ${b.to} but ${next.label} starts at ${next.from}`,
        });
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

/** Grains a KPI can be judged on; `lifetime` is the whole history, with no time dimension. */
const windowGrains = ['month', 'quarter', 'year', 'lifetime'] as const;

const ownMember = z.string().regex(/^[a-z_][a-z0-9_]*$/, "expected a member of the KPI's own cube, without the cube's name");

const windowFilter = z.strictObject({ dimension: ownMember, equals: z.array(z.string().min(1)).min(1) });

/**
 * The period a KPI is judged on, like MetricFlow's `agg_time_dimension` plus a saved query's
 * grain and `where`: one period of `grain` on `time_dimension`, with the `filters` its bands
 * assume. A cohort KPI (`cohort_age`) is judged on the cohort that is `periods` grains old, at
 * that age. Readers: the report (src/report/spec.ts), the dashboards and the alert rules.
 */
export const kpiWindowSchema = z
  .strictObject(
    {
      grain: z.enum(windowGrains),
      time_dimension: ownMember.optional(),
      cohort_age: z.strictObject({ dimension: ownMember, periods: z.number().int().positive() }).optional(),
      filters: z.array(windowFilter).min(1).optional(),
      /** What the filters keep, in words ("Instagram"), shown with the period. */
      scope: z.string().min(1).optional(),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'expected the window the KPI is judged on, e.g. { grain: month, time_dimension: started_at }'
          : undefined,
    },
  )
  .superRefine((window, ctx) => {
    const periodic = window.grain !== 'lifetime';
    if (periodic && !window.time_dimension)
      ctx.addIssue({ code: 'custom', path: ['time_dimension'], message: `a ${window.grain} window needs the time dimension it runs on` });
    if (!periodic && (window.time_dimension || window.cohort_age))
      ctx.addIssue({ code: 'custom', path: ['grain'], message: 'a lifetime window has no time dimension or cohort age' });
    if (Boolean(window.filters) !== Boolean(window.scope))
      ctx.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'filters and scope go together: scope says in words what the filters keep',
      });
  });

/** A KPI's benchmark: its bands (or why there are none) and the window they are judged on. */
export const kpiBenchmarkSchema = z.intersection(benchmarkSchema, z.object({ window: kpiWindowSchema }));

/** `meta` of a KPI measure: every KPI states its benchmark, or says that none exists, and its window. */
export const kpiMetaSchema = z.object({
  kpi: z.literal(true),
  benchmark: kpiBenchmarkSchema,
  /** Data the KPI is built on that a tenant may lack (kpi-needs.ts). */
  needs: z.array(kpiNeedSchema).min(1).optional(),
});

export type Band = z.infer<typeof band>;
export type Benchmark = z.infer<typeof benchmarkSchema>;
export type BandedBenchmark = z.infer<typeof bandedBenchmark>;
export type KpiMeta = z.infer<typeof kpiMetaSchema>;
export type KpiWindow = z.infer<typeof kpiWindowSchema>;

/** A window's fixed filter or cohort age as the Cube filter a query of the KPI carries. */
export interface WindowFilter {
  member: string;
  operator: 'equals';
  values: string[];
}

/**
 * The window's fixed filters and its cohort age as Cube filters, for the report's and the
 * dashboards' queries alike; `member` names a dimension of the KPI's cube as the query does
 * (`cube.dimension`, or the view's name for it).
 */
export function windowFilters(window: KpiWindow, member: (own: string) => string): WindowFilter[] {
  return [
    ...(window.filters ?? []).map((f): WindowFilter => ({ member: member(f.dimension), operator: 'equals', values: f.equals })),
    ...(window.cohort_age
      ? [{ member: member(window.cohort_age.dimension), operator: 'equals' as const, values: [String(window.cohort_age.periods)] }]
      : []),
  ];
}

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
    // A missing benchmark fails both halves of kpiBenchmarkSchema's intersection: say so once.
    const field = (issue: z.core.$ZodIssue) => issue.path.join('.') || '(root)';
    const issues = parsed.error.issues.filter(
      (issue, i, all) => issue.code !== 'invalid_type' || all.findIndex((other) => field(other) === field(issue)) === i,
    );
    return issues.map((issue) => `${measure.name}: meta.${field(issue)}: ${issue.message}`);
  });
}

/**
 * Checks that each KPI's window names members of its own cube: a time dimension to run on,
 * dimensions to filter and to read the cohort age from. Views are skipped: they rename members
 * and inherit the cube's meta. KPIs whose meta is malformed are validateKpiMeta's to report.
 */
export function validateKpiWindows(cubes: readonly MetaCube[]): string[] {
  return cubes
    .filter((cube) => (cube.type ?? 'cube') === 'cube')
    .flatMap((cube) => {
      const types = new Map(cube.dimensions.map((d) => [d.name.replace(`${cube.name}.`, ''), d.type]));
      return cube.measures.flatMap((measure) => {
        const parsed = kpiMetaSchema.safeParse(measure.meta);
        if (!parsed.success) return [];
        const { window } = parsed.data.benchmark;
        const wrong = (field: string, member: string, expected?: string) => {
          const type = types.get(member);
          if (type !== undefined && (expected === undefined || type === expected)) return [];
          return [
            `${measure.name}: meta.benchmark.window.${field}: ${cube.name} has no ${expected ? `${expected} ` : ''}dimension ${member}`,
          ];
        };
        return [
          ...(window.time_dimension ? wrong('time_dimension', window.time_dimension, 'time') : []),
          ...(window.cohort_age ? wrong('cohort_age.dimension', window.cohort_age.dimension) : []),
          ...(window.filters ?? []).flatMap((filter, i) => wrong(`filters.${i}.dimension`, filter.dimension)),
        ];
      });
    });
}
