import fs from 'node:fs';
import { dashboardQueriesFileSchema, withDashboardRange } from '@engagement/contract';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, dashboardQueriesFile, renderDashboardQueries } from '../scripts/dashboard-queries';
import { buildCubeQuery } from '../src/datasource/buildCubeQuery';
import { ALL_VALUE, interpolateModel } from '../src/datasource/interpolate';
import { parseQueryModel } from '../src/datasource/types';
import { dashboardFiles, loadDashboard } from './dashboardRefs';

describe('dashboard-queries.json (read by the root’s rollup test and bench)', () => {
  it('is what scripts/dashboard-queries.ts writes (run it after changing a dashboard)', () => {
    expect(fs.readFileSync(dashboardQueriesFile, 'utf8')).toBe(renderDashboardQueries());
    expect(dashboardQueriesFileSchema.parse(JSON.parse(fs.readFileSync(dashboardQueriesFile, 'utf8'))).panels.length).toBeGreaterThan(20);
  });

  it('with a dashboard range applied, is exactly what the data source sends for that range', () => {
    const range = { from: new Date('2025-02-19T10:30:00Z'), to: new Date('2026-08-06T08:00:00Z') };
    const all = (text: string) => [text.replace(/\$\{?\w+\}?/g, ALL_VALUE)];
    const sent = [...dashboardFiles]
      .sort()
      .flatMap((file) =>
        loadDashboard(file).panels.flatMap((panel) =>
          (panel.targets ?? []).map((target) => buildCubeQuery(interpolateModel(parseQueryModel(target), all), { range })),
        ),
      );
    expect(dashboardQueries().map((p) => withDashboardRange(p.query, range))).toEqual(sent);
  });
});
