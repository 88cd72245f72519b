/** The warehouse schema Cube builds its rollup tables in: the migration that creates it names it. */
export { PRE_AGGREGATIONS_SCHEMA } from '../../migrations/20261123000000_pre_aggregations_schema.js';
