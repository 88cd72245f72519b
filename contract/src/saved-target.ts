import { z } from 'zod';
import { cubeQuerySchema, type CubeQuery } from './cube-query.js';
import { cubeQueryOfModel, queryModelSchema, type QueryModel } from './query-model.js';
import { dropUnreplacedVariables } from './unreplaced-variables.js';
import { withDashboardRange, type TimeRange } from './whole-periods.js';

// A panel's target as Grafana stores it, version 2: Cube's own REST query plus how to shape and
// judge it. Grafana sends it unchanged to the backend (alerts and externally shared boards do too),
// so it is one declaration for the editor, the frontend, the bench and, by the shared vectors in
// contract/vectors/, the Go backend.

export const SAVED_TARGET_VERSION = 2;

/** auto: a time series when some time dimension has a granularity, else a table. */
export const targetFormats = ['auto', 'time_series', 'table'] as const;
export type TargetFormat = (typeof targetFormats)[number];

/**
 * complete: the dashboard range ends with the last period of the granularity that has ended, so a
 * tile never judges two days of a month against monthly bands. to_date: the current period so far.
 */
export const periodModes = ['complete', 'to_date'] as const;
export type PeriodMode = (typeof periodModes)[number];

const savedTargetShape = {
  version: z.literal(SAVED_TARGET_VERSION, { error: `expected ${SAVED_TARGET_VERSION} (or no version for a version 1 query)` }),
  format: z.enum(targetFormats, { error: `expected one of ${targetFormats.join(', ')}` }).default('auto'),
  periods: z.enum(periodModes, { error: `expected one of ${periodModes.join(', ')}` }).default('complete'),
};

/** A version 2 target whose Cube query is concrete (variables replaced): what runs. */
export const savedTargetSchema = z.object({ ...savedTargetShape, cubeQuery: cubeQuerySchema });
export type SavedTarget = z.infer<typeof savedTargetSchema>;

/**
 * A version 2 target as the editor holds it: the Cube query may still name template variables
 * ("$segment"), which only the frontend can replace, so it is checked as a JSON object here and
 * against cubeQuerySchema once the variables are replaced.
 */
export const editableTargetSchema = z.object({
  ...savedTargetShape,
  cubeQuery: z.record(z.string(), z.unknown(), { error: 'expected a Cube query object { "measures": […], … }' }),
});
export type EditableTarget = Omit<z.infer<typeof editableTargetSchema>, 'cubeQuery'> & { cubeQuery: CubeQuery };

/** Version 1 → 2: Cube's query is what the version 1 editor state built, without a range. */
export function migrateV1(model: QueryModel): EditableTarget {
  return { version: SAVED_TARGET_VERSION, cubeQuery: cubeQueryOfModel(model), format: model.format, periods: 'complete' };
}

const isV1 = (raw: unknown) => typeof raw === 'object' && raw !== null && !('version' in raw) && !('cubeQuery' in raw);

function fail(error: z.ZodError): never {
  const issue = error.issues[0]!;
  throw new Error(`Invalid Cube query: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * A stored target of either version as the editor edits it: a version 1 target is migrated, a
 * version 2 one checked for its shape. Grafana's own keys (refId, datasource, hide) are kept.
 */
export function upgradeTarget<T extends object>(raw: T): Omit<T, keyof QueryModel> & EditableTarget {
  if (isV1(raw)) {
    const model = queryModelSchema.safeParse(raw);
    if (!model.success) fail(model.error);
    const own = Object.fromEntries(Object.entries(raw).filter(([key]) => !(key in queryModelSchema.shape)));
    return { ...(own as Omit<T, keyof QueryModel>), ...migrateV1(model.data) };
  }
  const parsed = editableTargetSchema.safeParse(raw);
  if (!parsed.success) fail(parsed.error);
  return { ...raw, ...(parsed.data as EditableTarget) };
}

/** A stored target of either version, variables replaced, checked against Cube's query schema. */
export function parseSavedTarget(raw: unknown): SavedTarget {
  const upgraded = isV1(raw) ? upgradeTarget(raw as object) : raw;
  const parsed = savedTargetSchema.safeParse(upgraded);
  if (!parsed.success) fail(parsed.error);
  return parsed.data;
}

/** The format a target's frames take: auto resolves on the query's granularity. */
export function frameFormat(target: Pick<SavedTarget, 'format' | 'cubeQuery'>): Exclude<TargetFormat, 'auto'> {
  if (target.format !== 'auto') return target.format;
  return target.cubeQuery.timeDimensions?.some((td) => td.granularity) ? 'time_series' : 'table';
}

/**
 * Exactly what the backend sends to Cube for a stored target over a dashboard range (the spec
 * the Go backend follows, checked against it by contract/vectors/): the time zone defaults to UTC,
 * and every time dimension without a range of its own gets the dashboard's, in whole periods, cut
 * to the last complete period unless the target asks for the current period to date. A filter on a
 * template variable nobody replaced (a shared dashboard's "$segment") is dropped, as "All" is.
 */
export function queryToRun(raw: unknown, range: TimeRange | undefined, now: Date = new Date()): CubeQuery {
  const target = parseSavedTarget(raw);
  const concrete = dropUnreplacedVariables(target.cubeQuery).query;
  const query: CubeQuery = { ...concrete, timezone: concrete.timezone ?? 'UTC' };
  return range ? withDashboardRange(query, range, { periods: target.periods, now }) : query;
}
