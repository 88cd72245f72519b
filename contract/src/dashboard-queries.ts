import { z } from 'zod';
import { cubeQuerySchema } from './cube-query.js';
import { periodModes } from './saved-target.js';

/**
 * The Cube query each panel of the plugin's provisioned dashboards sends with every variable on
 * "All", before the dashboard's time range is applied (withDashboardRange does that). The plugin
 * writes them to contract/dashboard-queries.json from the stored targets; the runtime, its bench
 * and rollup tests read that file (contract/node's dashboardQueries), so neither imports the
 * other's code.
 */
export const panelQuerySchema = z.object({
  /** The dashboard's file name, e.g. executive-overview.json. */
  dashboard: z.string().min(1),
  panel: z.string(),
  /** The target's periods: with "complete" the backend cuts the range at the last complete period (withDashboardRange's options). */
  periods: z.enum(periodModes).default('complete'),
  query: cubeQuerySchema,
});

export const dashboardQueriesFileSchema = z.object({ panels: z.array(panelQuerySchema) });

export type PanelQuery = z.infer<typeof panelQuerySchema>;
export type DashboardQueriesFile = z.infer<typeof dashboardQueriesFileSchema>;
