/** The warehouse schema Cube builds its rollup tables in (there is no Cube Store here). */
export const PRE_AGGREGATIONS_SCHEMA = 'cube_pre_aggregations';
