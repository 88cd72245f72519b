import fs from 'node:fs';
import { dashboardQueriesFileSchema, queryToRun, withDashboardRange } from '@engagement/contract';
import { describe, expect, it, vi } from 'vitest';
import { allVariables, dashboardQueries, dashboardQueriesFile, renderDashboardQueries } from '../scripts/dashboard-queries';
import { CubeDataSource } from '../src/datasource/datasource';
import type { CubeDataQuery } from '../src/datasource/types';
import { dashboardFiles, loadDashboard } from './dashboardRefs';

// Every variable on "All", as Grafana's replace() gives it with the dashboards' allValue.
vi.mock('@grafana/runtime', async (original) => ({
  ...(await original<typeof import('@grafana/runtime')>()),
  getTemplateSrv: () => ({ replace: (text: string) => allVariables(text)[0] }),
}));

const settings = { id: 1, uid: 'cube', type: 'engagement-cube-datasource', name: 'Cube', jsonData: {}, meta: {} } as never;

describe('dashboard-queries.json (read by the root’s rollup test and bench)', () => {
  it('is what scripts/dashboard-queries.ts writes (run it after changing a dashboard)', () => {
    expect(fs.readFileSync(dashboardQueriesFile, 'utf8')).toBe(renderDashboardQueries());
    expect(dashboardQueriesFileSchema.parse(JSON.parse(fs.readFileSync(dashboardQueriesFile, 'utf8'))).panels.length).toBeGreaterThan(20);
  });

  it('with a dashboard range applied, is exactly what the backend sends for the targets the data source hands it', () => {
    const range = { from: new Date('2025-02-19T10:30:00Z'), to: new Date('2026-08-06T08:00:00Z') };
    const now = new Date('2026-08-06T08:00:00Z');
    const ds = new CubeDataSource(settings);
    const sent = [...dashboardFiles]
      .sort()
      .flatMap((file) =>
        loadDashboard(file).panels.flatMap((panel) =>
          (panel.targets ?? []).map((target) => queryToRun(ds.applyTemplateVariables(target as unknown as CubeDataQuery, {}), range, now)),
        ),
      );
    expect(dashboardQueries().map((p) => withDashboardRange(p.query, range, { periods: p.periods, now }))).toEqual(sent);
    // The range is cut at the last complete month (July) for a monthly KPI.
    expect(sent.find((q) => q.measures?.includes('customer_health.churn_rate'))?.timeDimensions?.[0]?.dateRange).toEqual([
      '2025-02-01T00:00:00.000',
      '2026-07-31T23:59:59.999',
    ]);
  });
});
