import { z } from 'zod';
import { importResultSchema } from './import.js';
import { lifetimesResultSchema } from './lifetimes.js';
import { loadResultSchema } from './load.js';
import { boardResultSchema } from './boards.js';
import { predictResultSchema } from './predict.js';
import { seedRecordSchema } from './warehouse.js';
import { timingSchema } from './stats.js';

export const kpiResultSchema = z.object({
  kpi: z.string(),
  measure: z.string(),
  handSql: timingSchema,
  cubeCold: timingSchema,
  cubeWarm: timingSchema,
  rollup: timingSchema,
  /** Rollup tables Cube read for (d); empty means it fell back to the raw tables. */
  rollupTables: z.array(z.string()),
  /** Cube's answer equals the hand-written SQL's, period by period. */
  sameAnswer: z.boolean(),
  coldVsSql: z.number().nullable(),
  rollupVsSql: z.number().nullable(),
  /** (e) the `metrics` function an analyst calls for the KPI and range; null: the KPI has no series (CLV). */
  metricsFunction: timingSchema.nullable(),
  metricsVsSql: z.number().nullable(),
  /** The function's answer equals the hand-written SQL's; null when there is no function. */
  metricsSameAnswer: z.boolean().nullable(),
});
export type KpiResult = z.infer<typeof kpiResultSchema>;

export const sizeResultSchema = z.object({
  customers: z.number().int().positive(),
  rows: z.record(z.string(), z.number().int().nonnegative()),
  seeding: seedRecordSchema.extend({ fresh: z.boolean() }).nullable(),
  tenant: z.string(),
  tenantCustomers: z.number().int().nonnegative(),
  /** Empty, and `board` and `load` null, when only the provisioned boards were timed (--only boards). */
  kpis: z.array(kpiResultSchema),
  board: z
    .object({
      queries: z.number().int().positive(),
      /** The first open after the rollups were dropped: Cube builds every partition it needs. */
      firstOpenMs: z.number().nonnegative(),
      cold: timingSchema,
      rollup: timingSchema,
      warm: timingSchema,
    })
    .nullable(),
  boards: z.array(boardResultSchema),
  load: loadResultSchema.nullable(),
});
export type SizeResult = z.infer<typeof sizeResultSchema>;

export const benchResultSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  machine: z.object({
    cores: z.number().int().positive(),
    cpu: z.string(),
    memoryGiB: z.number().positive(),
    platform: z.string(),
    node: z.string(),
    postgres: z.string(),
    cube: z.string(),
  }),
  options: z.object({
    sizes: z.array(z.number()),
    runs: z.number(),
    seed: z.number(),
    until: z.string(),
    importRows: z.number(),
    predictCustomers: z.number().optional(),
    viewers: z.array(z.number()).optional(),
    loadSeconds: z.number().optional(),
  }),
  sizes: z.array(sizeResultSchema),
  /** Absent when the bench ran another part only (--only). */
  import: importResultSchema.optional(),
  predict: predictResultSchema.optional(),
  lifetimes: lifetimesResultSchema.optional(),
});
export type BenchResult = z.infer<typeof benchResultSchema>;
