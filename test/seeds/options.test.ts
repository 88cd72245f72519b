import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seedWarehouse, type SeedOptions } from '../../seeds/index.js';

// Options are checked before connecting: this URL is never dialled.
const url = 'postgres://nobody@127.0.0.1:1/none';
const good: SeedOptions = { customers: 100, seed: 1, until: new Date('2026-11-01T00:00:00Z') };

describe('seed options', () => {
  it.each([
    ['customers', { customers: 0 }],
    ['customers', { customers: 2.5 }],
    ['customers', { customers: '100' }],
    ['seed', { seed: Number.NaN }],
    ['seed', { seed: 1.5 }],
    ['until', { until: new Date('not a date') }],
    ['until', { until: '2026-11-01' }],
    ['months', { months: 0 }],
    ['months', { months: 241 }],
    ['reset', { reset: 'yes' }],
    ['onProgress', { onProgress: 42 }],
  ])('reject a bad %s with a zod error naming it', async (field, patch) => {
    const error = await seedWarehouse(url, { ...good, ...patch } as unknown as SeedOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(z.ZodError);
    const issues = (error as z.ZodError).issues;
    expect(issues.map((issue) => issue.path.join('.'))).toEqual([field]);
    expect(issues[0]!.message).toMatch(new RegExp(`^${field}: `));
  });
});
