import { describe, expect, inject, it } from 'vitest';
import { workedExamples } from '../../../seeds/worked-examples';
import { mintToken } from '../../../src/cube/tokens';
import { metaResponseSchema } from '../../src/datasource/meta';
import { dashboardFiles, loadDashboard, references } from '../dashboardRefs';

describe('dashboards against the live /v1/meta', () => {
  it('name only members the live Cube serves', async () => {
    const token = mintToken(inject('cubeApiSecret'), { tenant: workedExamples.surveys });
    const response = await fetch(`${inject('cubeUrl')}/cubejs-api/v1/meta`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const meta = metaResponseSchema.parse(await response.json());
    const served = new Set(meta.cubes.flatMap((c) => [...c.measures, ...c.dimensions, ...c.segments].map((m) => m.name)));
    const refs = dashboardFiles.flatMap((f) => references(loadDashboard(f)));
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => !served.has(r.member)).map((r) => `${r.where}: ${r.member}`)).toEqual([]);
  });
});
