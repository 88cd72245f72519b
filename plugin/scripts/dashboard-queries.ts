/**
 * Writes the contract's dashboard-queries.json: the Cube query each panel of the provisioned
 * dashboards sends, with every variable on "All" (what Grafana asks for when a board opens),
 * before the backend applies the dashboard's range. The runtime (rollup warm-up), its rollup test
 * and the bench read the file; a test fails when it is out of date.
 *   npx tsx scripts/dashboard-queries.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upgradeTarget, type DashboardQueriesFile, type PanelQuery } from '@engagement/contract';
import { ALL_VALUE, interpolateQuery } from '../src/datasource/interpolate';

const here = path.dirname(fileURLToPath(import.meta.url));
const dashboardsDir = path.resolve(here, '../src/dashboards');
export const dashboardQueriesFile = path.resolve(here, '../../contract/dashboard-queries.json');
const CUBE_DS_TYPE = 'engagement-cube-datasource';

interface DashboardJson {
  panels: Array<{ title?: string; type: string; targets?: Array<{ datasource?: { type?: string } } & Record<string, unknown>> }>;
}

export const dashboardFiles = (): string[] =>
  fs
    .readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .sort();

/** Every variable on "All": filters on them drop, as the data source's applyTemplateVariables does. */
export const allVariables = (text: string) => [text.replace(/\$\{?\w+\}?/g, ALL_VALUE)];

/** Every Cube query of the provisioned dashboards, without the dashboard's range. */
export function dashboardQueries(): PanelQuery[] {
  return dashboardFiles().flatMap((file) => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) as DashboardJson;
    return dashboard.panels.flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.datasource?.type === CUBE_DS_TYPE)
        .map((target) => {
          const { cubeQuery, periods } = upgradeTarget(target);
          return { dashboard: file, panel: panel.title ?? panel.type, periods, query: interpolateQuery(cubeQuery, allVariables) };
        }),
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
