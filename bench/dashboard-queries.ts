/**
 * The Cube queries the provisioned dashboards send, from the plugin's own code
 * (plugin/scripts/dashboard-queries.ts). The plugin is a separate TypeScript project with
 * bundler-style imports, so it is loaded at run time instead of being type-checked under the
 * root's NodeNext rules; the shapes it returns are declared here.
 */
export interface TimeRange {
  from: Date;
  to: Date;
}

export type CubeQuery = Record<string, unknown> & {
  measures?: string[];
  dimensions?: string[];
  timeDimensions?: Array<{ dimension: string; granularity?: string; dateRange?: string | [string, string] }>;
};

export interface PanelQuery {
  /** The dashboard's file name, e.g. executive-overview.json. */
  dashboard: string;
  panel: string;
  query: CubeQuery;
}

interface DashboardQueriesModule {
  dashboardFiles(): string[];
  dashboardQueries(range: TimeRange, files?: string[]): PanelQuery[];
}

const pluginModule = new URL('../plugin/scripts/dashboard-queries.ts', import.meta.url).href;
const loaded = (await import(pluginModule)) as DashboardQueriesModule;

export const dashboardFiles = loaded.dashboardFiles;
export const dashboardQueries = loaded.dashboardQueries;
