import fs from 'node:fs';
import path from 'node:path';
import { dashboardQueriesFileSchema, type PanelQuery } from '../dashboard-queries.js';
import { withDashboardRange, type TimeRange } from '../whole-periods.js';

/**
 * The Cube queries the provisioned dashboards send, as the plugin writes them from the stored
 * targets (a plugin test keeps the file current); the runtime warms rollups with them and the
 * bench times them.
 */
export const dashboardQueriesFile = path.resolve(import.meta.dirname, '../../dashboard-queries.json');

/**
 * Every Cube query of one dashboard (or all of them) for the given time range, as the board
 * opened at the range's end sends them (a board's default range ends "now"), with the range
 * applied the way the data source's backend applies it: cut at the last complete period for a
 * target whose periods are "complete".
 */
export function dashboardQueries(range: TimeRange, dashboards?: string[]): PanelQuery[] {
  const { panels } = dashboardQueriesFileSchema.parse(JSON.parse(fs.readFileSync(dashboardQueriesFile, 'utf8')));
  return panels
    .filter((panel) => !dashboards || dashboards.includes(panel.dashboard))
    .map((panel) => ({ ...panel, query: withDashboardRange(panel.query, range, { periods: panel.periods, now: range.to }) }));
}
