import { AppPlugin } from '@grafana/data';

/**
 * The app only bundles: its data source and panels are nested plugins (each folder's own
 * module.ts) and its dashboards are listed in plugin.json `includes`.
 */
export const plugin = new AppPlugin<Record<string, never>>();
