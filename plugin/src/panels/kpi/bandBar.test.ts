import { describe, expect, it } from 'vitest';
import type { BandedBenchmark } from '../../shared/benchmark';
import { markerPosition } from './bandBar';

const nps: BandedBenchmark = {
  direction: 'higher_is_better',
  unit: 'score',
  bands: [
    { label: 'poor', from: null, to: 0 },
    { label: 'fair', from: 0, to: 20 },
    { label: 'good', from: 20, to: 50 },
    { label: 'excellent', from: 50, to: null },
  ],
  source: 'derived, for tests',
};

describe('markerPosition', () => {
  it('places a value linearly inside its band segment', () => {
    expect(markerPosition(nps, 0)).toBe(25);
    expect(markerPosition(nps, 10)).toBe(37.5);
    expect(markerPosition(nps, 35)).toBe(62.5);
  });

  it('gives unbounded end bands the width of the narrowest band and pins far values to the ends', () => {
    expect(markerPosition(nps, 60)).toBe(87.5);
    expect(markerPosition(nps, 1000)).toBe(99);
    expect(markerPosition(nps, -100)).toBe(1);
  });

  it('has no position for NaN', () => {
    expect(markerPosition(nps, NaN)).toBeUndefined();
  });
});
