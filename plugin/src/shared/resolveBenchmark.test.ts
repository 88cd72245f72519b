import { FieldType, type Field } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import {
  benchmarkFromCutoffs,
  benchmarkFromThresholds,
  defaultBenchmarkOptions,
  knownBenchmark,
  normalizeName,
  resolveBenchmark,
} from './resolveBenchmark';

const field = (config: Field['config'] = {}, name = 'value'): Field => ({ name, type: FieldType.number, values: [1], config });
const labels = (b: { bands: Array<{ label: string }> } | undefined) => b?.bands.map((x) => x.label);

describe('resolveBenchmark', () => {
  it('uses the benchmark our data source puts in the field', () => {
    const benchmark = {
      direction: 'lower_is_better',
      unit: 'percent',
      bands: [
        { label: 'good', from: null, to: 5 },
        { label: 'poor', from: 5, to: null },
      ],
      source: 'a published source',
    };
    const resolved = resolveBenchmark(field({ custom: { benchmark } }), ['x'], defaultBenchmarkOptions);
    expect(resolved.origin).toBe('meta');
    expect(resolved.benchmark?.direction).toBe('lower_is_better');
  });

  it('falls back to a measure recognised by name, as from PostgreSQL or Grafana’s Cube data source', () => {
    const fromPg = resolveBenchmark(field({}, 'nps'), ['nps'], defaultBenchmarkOptions);
    expect(fromPg.origin).toBe('name');
    expect(fromPg.benchmark?.source).toContain('recognised "nps" as Net Promoter Score');
    expect(
      resolveBenchmark(field({}, 'web_engagement.bounce_rate'), ['web_engagement.bounce_rate'], defaultBenchmarkOptions).benchmark
        ?.direction,
    ).toBe('lower_is_better');
    expect(resolveBenchmark(field({}, 'Net Promoter Score'), ['Net Promoter Score'], defaultBenchmarkOptions).origin).toBe('name');
  });

  it('ignores Grafana’s default thresholds but uses thresholds someone set', () => {
    const defaults = {
      mode: 'absolute',
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    } as never;
    expect(resolveBenchmark(field({ thresholds: defaults }, 'nps'), ['nps'], defaultBenchmarkOptions).origin).toBe('name');
    const set = {
      mode: 'absolute',
      steps: [
        { value: -Infinity, color: 'red' },
        { value: 10, color: 'yellow' },
        { value: 20, color: 'blue' },
      ],
    } as never;
    const resolved = resolveBenchmark(field({ thresholds: set }, 'revenue'), ['revenue'], defaultBenchmarkOptions);
    expect(resolved.origin).toBe('thresholds');
    expect(labels(resolved.benchmark)).toEqual(['poor', 'good', 'excellent']);
  });

  it('uses panel cut-offs last, or only them when asked, and keeps the model’s "no benchmark" reason', () => {
    expect(resolveBenchmark(field({}, 'revenue'), ['revenue'], { ...defaultBenchmarkOptions, cutoffs: '10, 20, 30' }).origin).toBe('panel');
    expect(resolveBenchmark(field({}, 'nps'), ['nps'], { ...defaultBenchmarkOptions, bandsFrom: 'panel', cutoffs: '1, 2, 3' }).origin).toBe(
      'panel',
    );
    expect(resolveBenchmark(field({}, 'revenue'), ['revenue'], defaultBenchmarkOptions)).toEqual({});
    expect(resolveBenchmark(field({}, 'clv'), ['clv'], defaultBenchmarkOptions).noBenchmark).toContain('acquisition cost');
    expect(
      resolveBenchmark(field({}, 'avg_resolution_hours'), ['avg_resolution_hours'], {
        ...defaultBenchmarkOptions,
        cutoffs: '8, 24, 48',
        direction: 'lower_is_better',
      }).origin,
    ).toBe('panel');
  });
});

describe('benchmarkFromCutoffs', () => {
  it('makes 2–4 bands in the direction, sorted', () => {
    expect(benchmarkFromCutoffs('50, 0, 20', 'higher_is_better')?.bands).toEqual([
      { label: 'poor', from: null, to: 0 },
      { label: 'fair', from: 0, to: 20 },
      { label: 'good', from: 20, to: 50 },
      { label: 'excellent', from: 50, to: null },
    ]);
    expect(labels(benchmarkFromCutoffs('3, 4, 7', 'lower_is_better'))).toEqual(['excellent', 'good', 'fair', 'poor']);
    expect(benchmarkFromCutoffs('', 'higher_is_better')).toBeUndefined();
    expect(benchmarkFromCutoffs('a, 1', 'higher_is_better')).toBeUndefined();
    expect(benchmarkFromCutoffs('1,2,3,4', 'higher_is_better')).toBeUndefined();
  });
});

describe('benchmarkFromThresholds', () => {
  it('reads our band colours back into labels and direction', () => {
    const b = benchmarkFromThresholds(
      [
        { value: -Infinity, color: 'dark-green' },
        { value: 40, color: 'green' },
        { value: 55, color: 'orange' },
        { value: 70, color: 'red' },
      ],
      'higher_is_better',
    );
    expect(b?.direction).toBe('lower_is_better');
    expect(labels(b)).toEqual(['excellent', 'good', 'fair', 'poor']);
  });
});

describe('names', () => {
  it('normalises member names, titles and column names', () => {
    expect(normalizeName('executive_overview.Bounce Rate')).toBe('bounce_rate');
    expect(knownBenchmark(['Customer satisfaction (CSAT)'])?.entry.title).toBe('Customer satisfaction (CSAT)');
    expect(knownBenchmark(['sessions'])).toBeUndefined();
  });
});
