import { z } from 'zod';
import { cubeQuerySchema } from './cube-query.js';

/**
 * The Cube query each panel of the plugin's provisioned dashboards sends with every variable on
 * "All", before the dashboard's time range is applied (withDashboardRange does that). The plugin
 * writes them to plugin/dashboard-queries.json with its own query builder; the runtime's bench
 * and rollup tests read that file, so neither imports the other's code.
 */
export const panelQuerySchema = z.object({
  /** The dashboard's file name, e.g. executive-overview.json. */
  dashboard: z.string().min(1),
  panel: z.string(),
  query: cubeQuerySchema,
});

export const dashboardQueriesFileSchema = z.object({ panels: z.array(panelQuerySchema) });

export type PanelQuery = z.infer<typeof panelQuerySchema>;
export type DashboardQueriesFile = z.infer<typeof dashboardQueriesFileSchema>;
