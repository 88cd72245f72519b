/**
 * What the runtime (src/) and the Grafana plugin (plugin/) agree on; neither imports the other.
 * Browser-safe: the Node-only model reader is the `@engagement/contract/node` entry.
 */
export * from './benchmark.js';
export * from './continue-wait.js';
export * from './cube-load.js';
export * from './cube-meta.js';
export * from './cube-query.js';
export * from './dashboard-queries.js';
export * from './examples-stack.js';
export * from './filter-operators.js';
export * from './funnel-meta.js';
export * from './kpi-needs.js';
export * from './metrics-views.js';
export * from './query-model.js';
export * from './saved-target.js';
export * from './unreplaced-variables.js';
export * from './whole-periods.js';
