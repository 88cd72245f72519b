import { readFile } from 'node:fs/promises';
import { IANAZone } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const sourceColumn = z.string().min(1, 'expected the name of a column of the file');

const timezone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), 'expected an IANA time zone such as Europe/Berlin or America/New_York');

/** How one contract column is made from the source file's columns. */
const columnSpec = z
  .strictObject({
    from: sourceColumn.optional(),
    constant: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** A date some months before another: a start date from a snapshot date and a tenure in months. */
    months_before: z.strictObject({ date: sourceColumn, months: sourceColumn }).optional(),
    /** Source value → contract value; a value not listed is an error. */
    values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
    /** How dates are written in the source, in Luxon's tokens, e.g. dd/MM/yyyy or M/d/yy H:mm. */
    format: z.string().min(1).optional(),
    /** Zone of the source's dates and times that carry no offset; default UTC. */
    timezone: timezone.optional(),
    /** Keep the value only on rows where another column has one of these values; empty elsewhere. */
    when: z.strictObject({ column: sourceColumn, equals: z.array(z.string()).min(1) }).optional(),
  })
  .refine((spec) => [spec.from, spec.constant, spec.months_before].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of from, constant or months_before',
  });

export type ColumnSpec = z.output<typeof columnSpec>;

export const mappingSchema = z.strictObject({
  /** Contract column → how to fill it. A string is short for { from: <string> }. */
  columns: z.record(z.string(), z.union([sourceColumn.transform((from): ColumnSpec => ({ from })), columnSpec])).default({}),
  /** Source columns the import leaves out. */
  ignore: z.array(sourceColumn).default([]),
});

export type Mapping = z.infer<typeof mappingSchema>;

export class MappingError extends Error {
  override name = 'MappingError';
}

/** Reads and checks a mapping file; a bad one is refused naming the file and the field. */
export async function loadMapping(file: string): Promise<Mapping> {
  let document: unknown;
  try {
    document = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MappingError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = mappingSchema.safeParse(document ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new MappingError(lines.join('\n'));
  }
  return result.data;
}
