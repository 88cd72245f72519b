import type { Field, Threshold } from '@grafana/data';
import { bandColors, benchmarkSchema, hasBands, type Band, type BandLabel, type BandedBenchmark } from './benchmark';
import known from './knownBenchmarks.json';

export type Direction = 'higher_is_better' | 'lower_is_better';

/** The panel options that say where a value's bands come from (the KPI panel's, shared by the cohort panel). */
export interface BenchmarkOptions {
  /** meta: the field's benchmark, else its thresholds, else a recognised measure, else the cut-offs below. panel: the cut-offs below only. */
  bandsFrom: 'meta' | 'panel';
  /** Band edges, ascending, comma-separated, e.g. "0, 20, 50" for four bands. */
  cutoffs: string;
  /** For the cut-offs, and for thresholds that carry no direction. */
  direction: Direction;
}

export const defaultBenchmarkOptions: BenchmarkOptions = { bandsFrom: 'meta', cutoffs: '', direction: 'higher_is_better' };

export type BenchmarkOrigin = 'meta' | 'thresholds' | 'name' | 'panel';

export interface Resolved {
  benchmark?: BandedBenchmark;
  origin?: BenchmarkOrigin;
  /** Why there are no bands, when the model says so ("no solid public benchmark…"). */
  noBenchmark?: string;
}

const labelsByCount: Record<number, BandLabel[]> = {
  2: ['poor', 'good'],
  3: ['poor', 'good', 'excellent'],
  4: ['poor', 'fair', 'good', 'excellent'],
};

/** Labels of n bands listed from low values to high, in the given direction. */
function labelsFor(count: number, direction: Direction): BandLabel[] | undefined {
  const labels = labelsByCount[count];
  return labels && (direction === 'higher_is_better' ? labels : [...labels].reverse());
}

function bandsFromEdges(edges: number[], labels: BandLabel[]): Band[] {
  return labels.map((label, i) => ({ label, from: i === 0 ? null : edges[i - 1]!, to: i === labels.length - 1 ? null : edges[i]! }));
}

/** Panel cut-offs "0, 20, 50" → bands; undefined when they do not make 2–4 bands. */
export function benchmarkFromCutoffs(cutoffs: string, direction: Direction): BandedBenchmark | undefined {
  const edges = cutoffs
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
  if (edges.some((e) => !Number.isFinite(e))) return undefined;
  const sorted = [...new Set(edges)].sort((a, b) => a - b);
  const labels = labelsFor(sorted.length + 1, direction);
  if (!labels) return undefined;
  return { direction, unit: 'count', bands: bandsFromEdges(sorted, labels), source: 'panel options' };
}

/** Grafana's default thresholds (green, red at 80) say nothing about the metric. */
function isGrafanaDefault(steps: Threshold[]): boolean {
  return steps.length === 2 && steps[0]!.color === 'green' && steps[1]!.value === 80 && steps[1]!.color === 'red';
}

const labelByColor = new Map(Object.entries(bandColors).map(([label, color]) => [color, label as BandLabel]));

/**
 * Thresholds → bands. Steps in our band colours (as our data source writes them) keep their
 * labels and so their direction; other steps are labelled by position in the given direction.
 */
export function benchmarkFromThresholds(steps: Threshold[] | undefined, direction: Direction): BandedBenchmark | undefined {
  if (!steps || steps.length < 2 || isGrafanaDefault(steps)) return undefined;
  const sorted = [...steps].sort((a, b) => (a.value ?? -Infinity) - (b.value ?? -Infinity));
  const edges = sorted.slice(1).map((s) => s.value);
  const byColor = sorted.map((s) => labelByColor.get(s.color));
  const colorLabels = byColor.every(Boolean) && new Set(byColor).size === byColor.length ? (byColor as BandLabel[]) : undefined;
  const labels = colorLabels ?? labelsFor(sorted.length, direction);
  if (!labels) return undefined;
  const ranks = labels.map((l) => (labelsByCount[4] ?? []).indexOf(l));
  const inferred: Direction = colorLabels ? (ranks[0]! < ranks.at(-1)! ? 'higher_is_better' : 'lower_is_better') : direction;
  return { direction: inferred, unit: 'count', bands: bandsFromEdges(edges, labels), source: 'the field’s thresholds' };
}

/** "web_engagement.Bounce Rate" → "bounce_rate": how names are compared with the model's. */
export function normalizeName(name: string): string {
  const last = name.split('.').at(-1) ?? name;
  return last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

type KnownEntry = (typeof known.measures)[keyof typeof known.measures];
const knownByName = new Map<string, KnownEntry>();
for (const [name, entry] of Object.entries(known.measures)) {
  knownByName.set(name, entry);
  knownByName.set(normalizeName(entry.title), entry);
}

/** The model's benchmark for a measure recognised by name or title, e.g. a PostgreSQL column `nps`. */
export function knownBenchmark(names: string[]): { name: string; entry: KnownEntry } | undefined {
  for (const name of names) {
    const entry = knownByName.get(normalizeName(name));
    if (entry) return { name, entry };
  }
  return undefined;
}

/** Where a field's bands come from, in the panel's order of trust. */
export function resolveBenchmark(field: Field, names: string[], options: BenchmarkOptions): Resolved {
  const panel = benchmarkFromCutoffs(options.cutoffs, options.direction);
  const fromPanel: Resolved = panel ? { benchmark: panel, origin: 'panel' } : {};
  if (options.bandsFrom === 'panel') return fromPanel;

  let noBenchmark: string | undefined;
  const meta = benchmarkSchema.safeParse((field.config.custom as { benchmark?: unknown } | undefined)?.benchmark);
  if (meta.success) {
    if (hasBands(meta.data)) return { benchmark: meta.data, origin: 'meta' };
    noBenchmark = meta.data.reason;
  }
  const thresholds = benchmarkFromThresholds(field.config.thresholds?.steps, options.direction);
  if (thresholds && !noBenchmark) return { benchmark: thresholds, origin: 'thresholds' };

  const recognised = knownBenchmark(names);
  if (recognised && !noBenchmark) {
    const benchmark = benchmarkSchema.parse(recognised.entry.benchmark);
    if (hasBands(benchmark))
      return {
        benchmark: { ...benchmark, source: `${benchmark.source} (recognised "${recognised.name}" as ${recognised.entry.title})` },
        origin: 'name',
      };
    noBenchmark = benchmark.reason;
  }
  return panel ? fromPanel : noBenchmark ? { noBenchmark } : {};
}
