/**
 * Writes dashboard-queries.json: the Cube query each panel of the provisioned dashboards sends,
 * built by the data source's own code with every variable on "All" (what Grafana asks for when a
 * board opens), before the dashboard's range is applied. The root's rollup test and bench read
 * the file; a test fails when it is out of date.
 *   npx tsx scripts/dashboard-queries.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DashboardQueriesFile, PanelQuery } from '@engagement/contract';
import { buildCubeQuery } from '../src/datasource/buildCubeQuery';
import { ALL_VALUE, interpolateModel } from '../src/datasource/interpolate';
import { parseQueryModel } from '../src/datasource/types';

const here = path.dirname(fileURLToPath(import.meta.url));
const dashboardsDir = path.resolve(here, '../src/dashboards');
export const dashboardQueriesFile = path.resolve(here, '../dashboard-queries.json');
const CUBE_DS_TYPE = 'engagement-cube-datasource';

interface DashboardJson {
  panels: Array<{ title?: string; type: string; targets?: Array<{ datasource?: { type?: string } } & Record<string, unknown>> }>;
}

export const dashboardFiles = (): string[] =>
  fs
    .readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .sort();

/** Every Cube query of the provisioned dashboards, without the dashboard's range. */
export function dashboardQueries(): PanelQuery[] {
  const allVariables = (text: string) => [text.replace(/\$\{?\w+\}?/g, ALL_VALUE)];
  return dashboardFiles().flatMap((file) => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) as DashboardJson;
    return dashboard.panels.flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.datasource?.type === CUBE_DS_TYPE)
        .map((target) => ({
          dashboard: file,
          panel: panel.title ?? panel.type,
          query: buildCubeQuery(interpolateModel(parseQueryModel(target), allVariables)),
        })),
    );
  });
}

export function renderDashboardQueries(): string {
  const file: DashboardQueriesFile = { panels: dashboardQueries() };
  return `${JSON.stringify(file, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(dashboardQueriesFile, renderDashboardQueries());
  console.log(`wrote ${path.relative(process.cwd(), dashboardQueriesFile)}`);
}
