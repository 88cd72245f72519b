import fs from 'node:fs';
import path from 'node:path';
import { dashboardQueriesFileSchema, withDashboardRange, type PanelQuery, type TimeRange } from '@engagement/contract';

/**
 * The Cube queries the provisioned dashboards send, as the plugin writes them
 * (plugin/dashboard-queries.json, from the stored targets; a plugin test keeps it current),
 * with the dashboard's range applied the way the data source's backend applies it: cut at the
 * last complete period for a target whose periods are "complete".
 */
const queriesFile = path.resolve(import.meta.dirname, '../plugin/dashboard-queries.json');

/**
 * Every Cube query of one dashboard (or all of them) for the given time range, as the board
 * opened at the range's end sends them (a board's default range ends "now").
 */
export function dashboardQueries(range: TimeRange, dashboards?: string[]): PanelQuery[] {
  const { panels } = dashboardQueriesFileSchema.parse(JSON.parse(fs.readFileSync(queriesFile, 'utf8')));
  return panels
    .filter((panel) => !dashboards || dashboards.includes(panel.dashboard))
    .map((panel) => ({ ...panel, query: withDashboardRange(panel.query, range, { periods: panel.periods, now: range.to }) }));
}
