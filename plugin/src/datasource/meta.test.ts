import { describe, expect, it } from 'vitest';
import meta from './__fixtures__/meta.json';
import { buildCatalog } from './meta';

describe('buildCatalog', () => {
  const catalog = buildCatalog(meta);

  it('reads members with short titles, groups and benchmarks from /v1/meta', () => {
    expect(catalog.get('web_engagement.bounce_rate')).toMatchObject({
      kind: 'measure',
      title: 'Bounce rate',
      group: 'Web engagement',
      format: 'percent',
      benchmark: { direction: 'lower_is_better' },
    });
    expect(catalog.get('customer_health.clv')?.benchmark).toMatchObject({ none: true });
    expect(catalog.get('web_engagement.started_at')?.kind).toBe('timeDimension');
    expect(catalog.get('web_engagement.channel')?.kind).toBe('dimension');
  });

  it('lists views before cubes', () => {
    const withCube = buildCatalog({
      cubes: [{ name: 'c', type: 'cube', measures: [{ name: 'c.x', type: 'count' }], dimensions: [] }, ...meta.cubes],
    });
    expect(withCube.list('measure')[0]!.name.startsWith('c.')).toBe(false);
  });

  it('keeps a measure whose benchmark is malformed, without the benchmark, and says why', () => {
    const bad = buildCatalog({
      cubes: [
        {
          name: 'v',
          measures: [{ name: 'v.k', type: 'number', meta: { kpi: true, benchmark: { direction: 'up', bands: [] } } }],
          dimensions: [],
        },
      ],
    });
    expect(bad.get('v.k')?.benchmark).toBeUndefined();
    expect(bad.get('v.k')?.benchmarkIssue).toMatch(/^v\.k: meta\.benchmark/);
  });

  it('keeps each cube’s own meta, where a funnel states its window', () => {
    const funnel = { window: { days: 7 }, steps: [] };
    const withMeta = buildCatalog({ cubes: [{ name: 'f', type: 'cube', meta: { funnel }, measures: [], dimensions: [] }, ...meta.cubes] });
    expect(withMeta.cubeMeta('f')).toEqual({ funnel });
    expect(withMeta.cubeMeta('web_engagement')).toBeUndefined();
    expect(withMeta.cubeMeta('nowhere')).toBeUndefined();
  });

  it('hides members Cube marks invisible and names a malformed answer', () => {
    const hidden = buildCatalog({ cubes: [{ name: 'v', measures: [{ name: 'v.h', type: 'sum', isVisible: false }], dimensions: [] }] });
    expect(hidden.get('v.h')).toBeUndefined();
    expect(() => buildCatalog({ cubes: [{ measures: [] }] })).toThrow(/cubes\.0\.name/);
  });
});
