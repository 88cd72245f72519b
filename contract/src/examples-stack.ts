import { z } from 'zod';

/** The worked-example tenants of DESIGN.md, by the example each one holds. */
export const workedExampleNames = ['surveys', 'churn', 'retention', 'clv', 'cohort', 'web', 'support', 'marketing'] as const;
export type WorkedExampleName = (typeof workedExampleNames)[number];

/**
 * The one JSON line `npm run examples-stack` prints on stdout once its warehouse (worked-example
 * tenants only, `metrics` views published) and Cube server are up. The plugin's live tests and
 * fixture capture start the root's stack as a separate process and read only this: an HTTP and
 * process boundary, no import of the runtime.
 */
export const examplesStackSchema = z.object({
  /** Cube's base URL (no /cubejs-api), as a data source's cubeUrl holds it. */
  cubeUrl: z.url(),
  /** A second Cube over the same warehouse serving the model without its rollups: the model's own SQL, for fixtures. */
  rawCubeUrl: z.url(),
  /** The warehouse Cube reads, for tests that hold locks or query the `metrics` views. */
  warehouseUrl: z.string().startsWith('postgres'),
  /** Tenant id of each worked example (an enum-keyed record: zod requires every key). */
  workedExamples: z.record(z.enum(workedExampleNames), z.string().min(1)),
  /** A tenant token per worked-example tenant id. */
  tokens: z.record(z.string(), z.string().min(1)),
  /** A well-formed token for the surveys tenant signed with another secret: Cube must refuse it. */
  forgedToken: z.string().min(1),
});

export type ExamplesStack = z.infer<typeof examplesStackSchema>;

/** The stack's line among whatever else the process printed; undefined until it appears. */
export function parseExamplesStackLine(line: string): ExamplesStack | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = examplesStackSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
