import { FieldColorModeId } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { fieldConfigOf, thresholdsOf, unitOf } from './fieldConfig';
import type { MemberInfo } from './meta';
import type { BandedBenchmark } from '../shared/benchmark';

const bounce: BandedBenchmark = {
  direction: 'lower_is_better',
  unit: 'percent',
  bands: [
    { label: 'excellent', from: null, to: 40 },
    { label: 'good', from: 40, to: 55 },
    { label: 'fair', from: 55, to: 70 },
    { label: 'poor', from: 70, to: null },
  ],
  source: 'product brief; Contentsquare — derived',
};

const member = (patch: Partial<MemberInfo>): MemberInfo => ({
  name: 'v.m',
  kind: 'measure',
  title: 'M',
  type: 'number',
  group: 'V',
  ...patch,
});

describe('unitOf', () => {
  it('maps benchmark units, then Cube formats, then name suffixes', () => {
    expect(unitOf(member({ benchmark: bounce }))).toBe('percent');
    expect(unitOf(member({ benchmark: { ...bounce, unit: 'currency' } }))).toBe('currencyUSD');
    expect(unitOf(member({ benchmark: { ...bounce, unit: 'seconds' } }))).toBe('s');
    expect(unitOf(member({ benchmark: { ...bounce, unit: 'hours' } }))).toBe('h');
    expect(unitOf(member({ benchmark: { ...bounce, unit: 'score' } }))).toBe('short');
    expect(unitOf(member({ format: 'percent' }))).toBe('percent');
    expect(unitOf(member({ format: 'currency' }))).toBe('currencyUSD');
    expect(unitOf(member({ name: 'support.avg_resolution_hours', benchmark: { none: true, reason: 'no public benchmark' } }))).toBe('h');
    expect(unitOf(member({}))).toBe('short');
  });
});

describe('thresholdsOf', () => {
  it('starts at -Infinity and steps at each band start, in band colours', () => {
    expect(thresholdsOf(bounce).steps).toEqual([
      { value: -Infinity, color: 'dark-green' },
      { value: 40, color: 'green' },
      { value: 55, color: 'orange' },
      { value: 70, color: 'red' },
    ]);
  });
});

describe('fieldConfigOf', () => {
  it('gives a benchmarked percent KPI unit, decimals, 0–100, thresholds colouring and its source', () => {
    const config = fieldConfigOf(
      member({
        name: 'web_engagement.bounce_rate',
        title: 'Bounce rate',
        description: 'Single-page sessions.',
        format: 'percent',
        benchmark: bounce,
      }),
    );
    expect(config).toMatchObject({
      displayNameFromDS: 'Bounce rate',
      unit: 'percent',
      decimals: 1,
      min: 0,
      max: 100,
      color: { mode: FieldColorModeId.Thresholds },
      custom: { member: 'web_engagement.bounce_rate', benchmark: bounce },
    });
    expect(config.thresholds?.steps[0]?.value).toBe(-Infinity);
    expect(config.description).toContain('lower is better');
    expect(config.description).toContain('Contentsquare');
  });

  it('leaves plain measures to Grafana’s defaults, and says when a KPI has no benchmark', () => {
    const plain = fieldConfigOf(member({}));
    expect(plain).toMatchObject({ unit: 'short' });
    expect(plain).not.toHaveProperty('decimals');
    expect(plain.thresholds).toBeUndefined();
    const clv = fieldConfigOf(member({ format: 'currency', benchmark: { none: true, reason: 'judged against CAC, which is not held' } }));
    expect(clv).toMatchObject({ unit: 'currencyUSD' });
    expect(clv.thresholds).toBeUndefined();
    expect(clv.description).toContain('No benchmark: judged against CAC');
  });
});
