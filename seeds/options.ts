import { z } from 'zod';

export interface SeedProgress {
  table: string;
  /** Rows loaded into `table` so far. */
  rows: number;
  /** Rows loaded into all tables so far. */
  totalRows: number;
  /** Rows the whole load will write: tables not yet loaded are estimated from a sample; exact at the end. */
  estimatedTotal: number;
}

/** The slow steps after COPY, which move no rows and so show no progress of their own. */
export type SeedPhase = 'rebuilding indexes and foreign keys' | 'analyzing tables';

// Each message names its field: zod's path is not shown by every caller that prints the error.
export const seedOptionsSchema = z.object({
  customers: z
    .number({ error: 'customers: expected a number of customers' })
    .int('customers: expected a whole number')
    .min(1, 'customers: expected at least 1 customer')
    .max(10_000_000, 'customers: expected at most 10,000,000 customers'),
  seed: z.number({ error: 'seed: expected a number' }).int('seed: expected a whole number (a safe integer)'),
  until: z.date({ error: 'until: expected a valid Date (the exclusive end of the history)' }),
  months: z
    .number({ error: 'months: expected a number of months' })
    .int('months: expected a whole number')
    .min(1, 'months: expected at least 1 month')
    .max(240, 'months: expected at most 240 months')
    .default(24),
  reset: z.boolean({ error: 'reset: expected true or false' }).default(false),
  onProgress: z
    .custom<(progress: SeedProgress) => void>((value) => typeof value === 'function', 'onProgress: expected a function')
    .optional(),
  onPhase: z.custom<(phase: SeedPhase) => void>((value) => typeof value === 'function', 'onPhase: expected a function').optional(),
});
