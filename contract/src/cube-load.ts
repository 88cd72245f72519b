import { z } from 'zod';
import { cubeMemberSchema } from './cube-meta.js';

/** What /v1/load's annotation says of each member of the answer: a member, keyed by its name. */
export const annotationMemberSchema = cubeMemberSchema.omit({ name: true, isVisible: true });

const annotationGroup = z.record(z.string(), annotationMemberSchema).default({});

/** Cube's /v1/load answer: the rows, their members' annotation and the rollups read. */
export const loadResponseSchema = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  annotation: z
    .object({ measures: annotationGroup, dimensions: annotationGroup, timeDimensions: annotationGroup })
    .default({ measures: {}, dimensions: {}, timeDimensions: {} }),
  /** The rollup tables Cube read the rows from; empty: the raw tables. */
  usedPreAggregations: z.record(z.string(), z.unknown()).default({}),
});

/** Cube's /v1/sql answer: the SQL with its parameters and the column alias of each member. */
export const sqlResponseSchema = z.object({
  sql: z.object({
    sql: z.tuple([z.string(), z.array(z.unknown())]),
    aliasNameToMember: z.record(z.string(), z.string()),
  }),
});

export type AnnotationMember = z.infer<typeof annotationMemberSchema>;
export type LoadResponse = z.infer<typeof loadResponseSchema>;
export type SqlResponse = z.infer<typeof sqlResponseSchema>;
