/**
 * The Cube query each panel of the provisioned dashboards sends, built by the data source's own
 * code with every variable on "All": what Grafana asks for when a board opens. The
 * pre-aggregation test and the benchmark both read the boards through this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCubeQuery } from '../src/datasource/buildCubeQuery';
import { ALL_VALUE, interpolateModel } from '../src/datasource/interpolate';
import { parseQueryModel, type CubeApiQuery } from '../src/datasource/types';
import type { TimeRange } from '../src/datasource/wholePeriods';

const dashboardsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/dashboards');
const CUBE_DS_TYPE = 'engagement-cube-datasource';

export interface PanelQuery {
  /** The dashboard's file name, e.g. executive-overview.json. */
  dashboard: string;
  panel: string;
  query: CubeApiQuery;
}

interface DashboardJson {
  panels: Array<{ title?: string; type: string; targets?: Array<{ datasource?: { type?: string } } & Record<string, unknown>> }>;
}

export const dashboardFiles = (): string[] => fs.readdirSync(dashboardsDir).filter((file) => file.endsWith('.json')).sort();

/** Every Cube query of one dashboard (or all of them) for the given time range. */
export function dashboardQueries(range: TimeRange, files: string[] = dashboardFiles()): PanelQuery[] {
  const allVariables = (text: string) => [text.replace(/\$\{?\w+\}?/g, ALL_VALUE)];
  return files.flatMap((file) => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) as DashboardJson;
    return dashboard.panels.flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.datasource?.type === CUBE_DS_TYPE)
        .map((target) => ({
          dashboard: file,
          panel: panel.title ?? panel.type,
          query: buildCubeQuery(interpolateModel(parseQueryModel(target), allVariables), { range }),
        })),
    );
  });
}
