import { createTheme, FieldType, getDisplayProcessor, type DataFrame, type Field } from '@grafana/data';
import { frameFormat, parseSavedTarget, queryToRun } from '@engagement/contract';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { collectKnownBenchmarks } from '../../scripts/known-benchmarks';
import { callCube, type CubeSend } from '../cubeApi';
import { toDataFrames } from '../../src/datasource/toDataFrames';
import type { CubeDataQuery } from '../../src/datasource/types';
import { bandColors, bandOf, hasBands, type BandedBenchmark } from '../../src/shared/benchmark';
import { directSend, tokenFor } from './cube';

const { workedExamples: ex } = inject('stack');

/**
 * What the Go backend does for a stored target, in the TypeScript it is checked against: the
 * contract's queryToRun (the shared vectors pin the Go port to it), Cube's /v1/load with
 * "Continue wait" polling, and toDataFrames + fieldConfig, whose outputs the Go frame vectors
 * capture. So these numbers hold for what a panel, an alert and a shared board receive.
 */
async function framesFor(
  tenant: string,
  target: CubeDataQuery,
  from: string,
  to: string,
  now?: string,
  send?: CubeSend,
): Promise<DataFrame[]> {
  const query = queryToRun(target, { from: new Date(from), to: new Date(to) }, now ? new Date(now) : undefined);
  const response = await callCube(send ?? directSend(tokenFor(tenant)), 'load', query);
  return toDataFrames(response, query, { refId: target.refId, format: frameFormat(parseSavedTarget(target)) });
}

const theme = createTheme();
// Benchmarks read from schema/ YAML, independently of Cube's /v1/meta, which the frames come from.
const known = collectKnownBenchmarks().measures;
const banded = (measure: string): BandedBenchmark => {
  const benchmark = known[measure]?.benchmark;
  if (!benchmark || !hasBands(benchmark)) throw new Error(`${measure} has no banded benchmark in the model`);
  return benchmark;
};

const monthly = (measure: string, dimension: string, extra: Partial<CubeDataQuery> = {}): CubeDataQuery => ({
  refId: 'A',
  version: 2,
  cubeQuery: { measures: [measure], timeDimensions: [{ dimension, granularity: 'month' }] },
  format: 'time_series',
  periods: 'complete',
  ...extra,
});
const table = (refId: string, cubeQuery: CubeDataQuery['cubeQuery']): CubeDataQuery => ({
  refId,
  version: 2,
  cubeQuery,
  format: 'table',
  periods: 'complete',
});

const field = (frame: DataFrame | undefined, name: string): Field => {
  const found = frame?.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name} in ${JSON.stringify(frame?.fields.map((f) => f.name))}`);
  return found;
};

/** The thresholds a benchmark should become: the lowest band from -Infinity, then each band's start. */
const expectedSteps = (benchmark: BandedBenchmark) =>
  benchmark.bands.map((band, i) => ({ value: i === 0 ? -Infinity : band.from, color: bandColors[band.label] }));

/** How Grafana itself would show the value: text, unit suffix and threshold colour. */
const shown = (f: Field, value: number) => getDisplayProcessor({ field: f, theme })(value);

describe('stored targets through the backend’s rule and frame conversion, against a live Cube server (worked-example tenants)', () => {
  it('NPS: frames carry 40 for March 2025, a time field, and the benchmark as thresholds', async () => {
    const [frame, ...others] = await framesFor(
      ex.surveys,
      monthly('survey_responses.nps', 'survey_responses.responded_at'),
      '2025-01-01T00:00:00Z',
      '2025-12-31T23:59:59Z',
    );
    expect(others).toEqual([]);
    const time = field(frame, 'survey_responses.responded_at');
    const nps = field(frame, 'survey_responses.nps');
    expect(time.type).toBe(FieldType.time);
    expect(time.values).toEqual([Date.parse('2025-03-01T00:00:00Z')]);
    expect(nps.type).toBe(FieldType.number);
    expect(nps.values).toEqual([40]);
    expect(nps.config.unit).toBe('short');
    expect(nps.config.thresholds?.steps).toEqual(expectedSteps(banded('nps')));
    expect(nps.config.color).toEqual({ mode: 'thresholds' });
    expect(nps.config.custom).toMatchObject({ member: 'survey_responses.nps', benchmark: banded('nps') });
    expect(shown(nps, 40).color).toBe(theme.visualization.getColorByName(bandColors[bandOf(banded('nps'), 40)!.label]));
  });

  it('CSAT: 58.33, shown as 58.3 % with one decimal on 0–100 and coloured by its band', async () => {
    const [frame] = await framesFor(
      ex.surveys,
      // A version 1 target, as a dashboard saved before version 2 holds it: migrated, it runs the same.
      { refId: 'A', measures: ['survey_responses.csat'], format: 'table' },
      '2025-01-01T00:00:00Z',
      '2025-12-31T23:59:59Z',
    );
    const csat = field(frame, 'survey_responses.csat');
    expect(csat.values[0]).toBeCloseTo((7 / 12) * 100, 9);
    expect(csat.config).toMatchObject({ unit: 'percent', decimals: 1, min: 0, max: 100 });
    expect(csat.config.thresholds?.steps).toEqual(expectedSteps(banded('csat')));
    const display = shown(csat, csat.values[0]);
    expect(`${display.text}${display.suffix ?? ''}`).toBe('58.3%');
    expect(display.color).toBe(theme.visualization.getColorByName(bandColors[bandOf(banded('csat'), csat.values[0])!.label]));
  });

  it('churn: 10 % in January 2025 under the dashboard range, lower-is-better thresholds', async () => {
    const [frame] = await framesFor(
      ex.churn,
      monthly('customer_lifecycle.churn_rate', 'customer_lifecycle.date'),
      '2025-01-01T00:00:00Z',
      '2025-01-31T23:59:59.999Z',
    );
    const churn = field(frame, 'customer_lifecycle.churn_rate');
    expect(field(frame, 'customer_lifecycle.date').values).toEqual([Date.parse('2025-01-01T00:00:00Z')]);
    expect(churn.values).toEqual([10]);
    expect(churn.config).toMatchObject({ unit: 'percent', decimals: 1 });
    expect(banded('churn_rate').direction).toBe('lower_is_better');
    expect(churn.config.thresholds?.steps).toEqual(expectedSteps(banded('churn_rate')));
    expect(shown(churn, 10).color).toBe(theme.visualization.getColorByName(bandColors[bandOf(banded('churn_rate'), 10)!.label]));
  });

  it('a tenant sees only its own rows: the churn tenant has no survey answers', async () => {
    const [frame] = await framesFor(
      ex.churn,
      table('A', { measures: ['survey_responses.nps_responses'] }),
      '2025-01-01T00:00:00Z',
      '2025-12-31T23:59:59Z',
    );
    expect(field(frame, 'survey_responses.nps_responses').values).toEqual([0]);
    const [mine] = await framesFor(
      ex.surveys,
      table('A', { measures: ['survey_responses.nps_responses'] }),
      '2025-01-01T00:00:00Z',
      '2025-12-31T23:59:59Z',
    );
    expect(field(mine, 'survey_responses.nps_responses').values).toEqual([500]);
  });

  it('a table with a dimension: bounce and sessions per channel in June 2025', async () => {
    const target = table('T', {
      measures: ['web_sessions.sessions', 'web_sessions.bounce_rate'],
      dimensions: ['web_sessions.channel'],
      timeDimensions: [{ dimension: 'web_sessions.started_at' }],
      order: [['web_sessions.channel', 'asc']],
    });
    const [frame] = await framesFor(ex.web, target, '2025-06-01T00:00:00Z', '2025-06-30T23:59:59Z');
    expect(field(frame, 'web_sessions.channel')).toMatchObject({ type: FieldType.string, values: ['organic', 'referral'] });
    expect(field(frame, 'web_sessions.sessions').values).toEqual([24, 6]);
    // The first 12 of 30 sessions bounced; every fifth came by referral (i = 0, 5, …, 25), three of them among the 12.
    expect(field(frame, 'web_sessions.bounce_rate').values).toEqual([(9 / 24) * 100, (3 / 6) * 100]);
  });

  it('an OR filter group: sessions that came by referral or bounced, June 2025', async () => {
    const target = table('T', {
      measures: ['web_sessions.sessions'],
      timeDimensions: [{ dimension: 'web_sessions.started_at', dateRange: ['2025-06-01', '2025-06-30'] }],
      filters: [
        {
          or: [
            { member: 'web_sessions.channel', operator: 'equals', values: ['referral'] },
            { member: 'web_sessions.bounced', operator: 'equals', values: ['true'] },
          ],
        },
      ],
    });
    const [frame] = await framesFor(ex.web, target, '2025-01-01T00:00:00Z', '2025-12-31T23:59:59Z');
    // 6 referral sessions and 12 bounced, 3 of them both: 6 + 12 − 3.
    expect(field(frame, 'web_sessions.sessions').values).toEqual([15]);
  });

  it('periods "complete": on 2 February the monthly churn tile judges January (10 %), not two days of February', async () => {
    const target = monthly('customer_lifecycle.churn_rate', 'customer_lifecycle.date');
    const complete = await framesFor(ex.churn, target, '2025-01-01T00:00:00Z', '2025-02-02T09:00:00Z', '2025-02-02T09:00:00Z');
    expect(field(complete[0], 'customer_lifecycle.date').values).toEqual([Date.parse('2025-01-01T00:00:00Z')]);
    expect(field(complete[0], 'customer_lifecycle.churn_rate').values).toEqual([10]);
    const toDate = await framesFor(
      ex.churn,
      { ...target, periods: 'to_date' },
      '2025-01-01T00:00:00Z',
      '2025-02-02T09:00:00Z',
      '2025-02-02T09:00:00Z',
    );
    expect(field(toDate[0], 'customer_lifecycle.date').values.at(-1)).toBe(Date.parse('2025-02-01T00:00:00Z'));
  });
});

describe('"Continue wait" from the live Cube server', () => {
  it('is polled until the result arrives (the contract’s polling, which the Go backend ports)', async () => {
    // Cube answers "Continue wait" when a query runs longer than its continueWaitTimeout (5 s).
    // A lock on the table makes the real query wait in PostgreSQL; releasing it lets it finish.
    const locker = new pg.Client({ connectionString: inject('stack').warehouseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE survey_responses IN ACCESS EXCLUSIVE MODE');
      const answers: unknown[] = [];
      const send = directSend(tokenFor(ex.surveys));
      const recording: CubeSend = async (endpoint, query) => {
        const response = await send(endpoint, query);
        answers.push(response.data);
        return response;
      };
      // A limit no other test uses, so Cube's result cache cannot answer it.
      const pending = framesFor(
        ex.surveys,
        table('A', { measures: ['survey_responses.ces'], limit: 4321 }),
        '2025-01-01T00:00:00Z',
        '2025-12-31T23:59:59Z',
        undefined,
        recording,
      );
      const continueWait = () => answers.some((a) => (a as { error?: unknown }).error === 'Continue wait');
      const deadline = Date.now() + 30_000;
      while (!continueWait() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(continueWait()).toBe(true);
      await locker.query('COMMIT');
      const [frame] = await pending;
      expect(field(frame, 'survey_responses.ces').values).toEqual([6]);
      expect(answers.at(-1)).toMatchObject({ data: [{ 'survey_responses.ces': expect.anything() }] });
    } finally {
      await locker.end();
    }
  });
});
