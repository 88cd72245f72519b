export * from './model.js';
export * from './dashboard-queries.js';
