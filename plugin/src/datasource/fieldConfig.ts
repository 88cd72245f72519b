import { FieldColorModeId, ThresholdsMode, type FieldConfig, type ThresholdsConfig } from '@grafana/data';
import { bandColors, hasBands, type BandedBenchmark, type Benchmark } from '../shared/benchmark';
import type { KpiNeed } from '@engagement/contract';
import type { MemberInfo } from './meta';

/** What the data source puts in `field.config.custom`; the KPI panel reads it back. */
export interface CubeFieldCustom {
  member: string;
  benchmark?: Benchmark;
  needs?: KpiNeed[];
}

const benchmarkUnits: Record<string, string> = {
  percent: 'percent',
  currency: 'currencyUSD',
  seconds: 's',
  hours: 'h',
  score: 'short',
  count: 'short',
};

/**
 * Grafana unit of a measure. Percent measures are on 0–100 throughout the model, hence
 * `percent`, never `percentunit`. The benchmark's unit is the most specific statement; then
 * Cube's format; then the member name, for measures such as `avg_resolution_hours` whose
 * benchmark is "none" and so carries no unit.
 */
export function unitOf(member: Pick<MemberInfo, 'name' | 'format' | 'benchmark'>): string {
  if (member.benchmark && hasBands(member.benchmark)) return benchmarkUnits[member.benchmark.unit] ?? 'short';
  if (member.format === 'percent') return 'percent';
  if (member.format === 'currency') return 'currencyUSD';
  if (/_hours$/.test(member.name)) return 'h';
  if (/_seconds$/.test(member.name)) return 's';
  return 'short';
}

// Counts need no rule: Grafana prints integers without decimals. Cube reports their type as "number" anyway.
function decimalsOf(unit: string): number | undefined {
  switch (unit) {
    case 'percent':
    case 'h':
      return 1;
    // Not currency: Grafana scales it ($1.2K), and 0 decimals would round that to $1K.
    case 's':
      return 0;
    default:
      return undefined;
  }
}

/** Threshold steps from bands: the lowest band from -Infinity, then one step per band start. */
export function thresholdsOf(benchmark: BandedBenchmark): ThresholdsConfig {
  const [first, ...rest] = benchmark.bands;
  return {
    mode: ThresholdsMode.Absolute,
    steps: [
      { value: -Infinity, color: bandColors[first!.label] },
      ...rest.map((band) => ({ value: band.from!, color: bandColors[band.label] })),
    ],
  };
}

/** Field config of a Cube member: unit, decimals, range and, for benchmarked KPIs, thresholds. */
export function fieldConfigOf(member: MemberInfo): FieldConfig<CubeFieldCustom> {
  const unit = unitOf(member);
  const decimals = decimalsOf(unit);
  const config: FieldConfig<CubeFieldCustom> = {
    displayNameFromDS: member.title,
    unit,
    custom: {
      member: member.name,
      ...(member.benchmark ? { benchmark: member.benchmark } : {}),
      ...(member.needs ? { needs: member.needs } : {}),
    },
    ...(decimals === undefined ? {} : { decimals }),
    ...(unit === 'percent' ? { min: 0, max: 100 } : {}),
  };
  const description = describeBenchmark(member);
  if (description) config.description = description;
  if (member.benchmark && hasBands(member.benchmark)) {
    config.thresholds = thresholdsOf(member.benchmark);
    config.color = { mode: FieldColorModeId.Thresholds };
  }
  return config;
}

function describeBenchmark(member: MemberInfo): string | undefined {
  const parts = [member.description];
  const benchmark = member.benchmark;
  if (benchmark && hasBands(benchmark)) {
    const better = benchmark.direction === 'higher_is_better' ? 'higher is better' : 'lower is better';
    parts.push(`Benchmark (${better}${benchmark.context ? `; ${benchmark.context}` : ''}): ${benchmark.source}`);
  } else if (benchmark) {
    parts.push(`No benchmark: ${benchmark.reason}`);
  }
  const text = parts.filter(Boolean).join('\n');
  return text || undefined;
}
