import { describe, expect, inject, it } from 'vitest';
import { metaResponseSchema } from '@engagement/contract';
import { dashboardFiles, loadDashboard, references } from '../dashboardRefs';
import { tokenFor } from './cube';

describe('dashboards against the live /v1/meta', () => {
  it('name only members the live Cube serves', async () => {
    const { cubeUrl, workedExamples } = inject('stack');
    const token = tokenFor(workedExamples.surveys);
    const response = await fetch(`${cubeUrl}/cubejs-api/v1/meta`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const meta = metaResponseSchema.parse(await response.json());
    const served = new Set(meta.cubes.flatMap((c) => [...c.measures, ...c.dimensions, ...c.segments].map((m) => m.name)));
    const refs = dashboardFiles.flatMap((f) => references(loadDashboard(f)));
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => !served.has(r.member)).map((r) => `${r.where}: ${r.member}`)).toEqual([]);
  });
});
