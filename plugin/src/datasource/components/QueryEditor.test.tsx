import { dateTime } from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { testIds } from '../../shared/testIds';
import meta from '../__fixtures__/meta.json';
import { CubeDataSource } from '../datasource';
import { buildCatalog } from '../meta';
import type { CubeDataQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// No dashboard variables: Grafana's replace() leaves the text as it is.
setTemplateSrv({ replace: (text = '') => text, getVariables: () => [] } as unknown as TemplateSrv);

const range = { from: dateTime('2025-01-01T00:00:00Z'), to: dateTime('2025-06-30T23:59:59.999Z'), raw: { from: 'now-6M', to: 'now' } };

function setup(initial: CubeDataQuery) {
  const datasource = new CubeDataSource({
    id: 1,
    uid: 'cube',
    type: 'engagement-cube-datasource',
    name: 'Cube',
    jsonData: {},
    meta: {},
  } as never);
  vi.spyOn(datasource, 'getCatalog').mockResolvedValue(buildCatalog(meta));
  const getSql = vi.spyOn(datasource, 'getSql').mockResolvedValue('SELECT 1\n\n-- parameters: $1 = "example_web"');
  const onChange = vi.fn();
  const onRunQuery = vi.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        range={range}
        onRunQuery={onRunQuery}
        onChange={(next) => {
          setQuery(next);
          onChange(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { getSql, onChange, onRunQuery, last: () => onChange.mock.calls.at(-1)![0] as CubeDataQuery };
}

const v2 = (cubeQuery: CubeDataQuery['cubeQuery'], extra: Partial<CubeDataQuery> = {}): CubeDataQuery => ({
  refId: 'A',
  version: 2,
  cubeQuery,
  format: 'auto',
  periods: 'complete',
  ...extra,
});

describe('QueryEditor', () => {
  it('shows chosen members by title, not by technical name', async () => {
    setup(v2({ measures: ['web_engagement.bounce_rate'], dimensions: ['web_engagement.channel'] }));
    const measures = screen.getByTestId(testIds.queryEditor.measures);
    await waitFor(() => expect(within(measures.closest('div')!.parentElement!).getByText('Bounce rate')).toBeInTheDocument());
    expect(screen.getByText('Channel')).toBeInTheDocument();
  });

  it('stores a version 1 query (a dashboard saved before version 2) back as version 2 on load', async () => {
    const { last } = setup({
      refId: 'A',
      measures: ['web_engagement.sessions'],
      timeDimension: { dimension: 'web_engagement.started_at', granularity: 'week' },
    });
    await waitFor(() =>
      expect(last()).toEqual({
        refId: 'A',
        version: 2,
        cubeQuery: {
          timezone: 'UTC',
          measures: ['web_engagement.sessions'],
          timeDimensions: [{ dimension: 'web_engagement.started_at', granularity: 'week' }],
        },
        format: 'auto',
        periods: 'complete',
      }),
    );
  });

  it('finds a measure by searching its title and adds it', async () => {
    const { last, onRunQuery } = setup(v2({}));
    const input = screen.getByRole('combobox', { name: 'Measures' });
    await waitFor(() => expect(input).not.toBeDisabled());
    await userEvent.click(input);
    await userEvent.type(input, 'Net Promoter');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(last().cubeQuery?.measures).toEqual(['customer_health.nps']));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('adds a filter row and offers measure operators for a measure', async () => {
    const { last } = setup(
      v2({ measures: ['marketing.ctr'], filters: [{ member: 'marketing.impressions', operator: 'gt', values: ['1000'] }] }),
    );
    await userEvent.click(screen.getByTestId(testIds.queryEditor.addFilter));
    expect(last().cubeQuery?.filters).toHaveLength(2);
    expect(screen.getAllByTestId(testIds.queryEditor.filterRow)).toHaveLength(2);
    expect(screen.getByText('1000')).toBeInTheDocument();
    // The measure-only operator is offered for a measure; choosing it drops the values.
    const operator = screen.getByRole('combobox', { name: 'Filter 1 operator' });
    await userEvent.click(operator);
    await userEvent.clear(operator);
    await userEvent.type(operator, "measure's own");
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(last().cubeQuery?.filters?.[0]).toEqual({ member: 'marketing.impressions', operator: 'measureFilter' }));
  });

  it('builds OR groups inside the top-level AND, and turns the top level into "any of"', async () => {
    const { last } = setup(
      v2({ measures: ['web_engagement.sessions'], filters: [{ member: 'web_engagement.channel', operator: 'equals', values: ['email'] }] }),
    );
    await userEvent.click(screen.getAllByTestId(testIds.queryEditor.addGroup)[0]!);
    expect(last().cubeQuery?.filters).toEqual([
      { member: 'web_engagement.channel', operator: 'equals', values: ['email'] },
      { or: [{ member: '', operator: 'equals', values: [] }] },
    ]);
    expect(screen.getByRole('combobox', { name: 'Filter 2.1 member' })).toBeInTheDocument();
    const top = screen.getAllByTestId(testIds.queryEditor.groupConnective)[0]!;
    await userEvent.click(within(top).getByText('Any of (OR)'));
    expect(last().cubeQuery?.filters).toEqual([
      {
        or: [
          { member: 'web_engagement.channel', operator: 'equals', values: ['email'] },
          { or: [{ member: '', operator: 'equals', values: [] }] },
        ],
      },
    ]);
  });

  it('sets a time dimension with month granularity by default, and a second one', async () => {
    const { last } = setup(v2({ measures: ['web_engagement.sessions'] }));
    const input = screen.getByRole('combobox', { name: 'Time dimension' });
    await waitFor(() => expect(input).not.toBeDisabled());
    await userEvent.click(input);
    await userEvent.type(input, 'Session start');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(last().cubeQuery?.timeDimensions).toEqual([{ granularity: 'month', dimension: 'web_engagement.started_at' }]),
    );
    await userEvent.click(screen.getByTestId(testIds.queryEditor.addTimeDimension));
    expect(screen.getAllByTestId(testIds.queryEditor.timeRow)).toHaveLength(2);
  });

  it('edits Cube’s query as JSON: a wrong field is named and not applied, a valid query is', async () => {
    const { last, onChange } = setup(v2({ measures: ['web_engagement.sessions'] }));
    await userEvent.click(within(screen.getByTestId(testIds.queryEditor.mode)).getByText('JSON'));
    const input = screen.getByTestId(testIds.queryEditor.jsonInput);
    const calls = onChange.mock.calls.length;
    fireEvent.change(input, {
      target: {
        value:
          '{"measures": ["web_engagement.sessions"], "filters": [{"or": [{"member": "nope", "operator": "equals", "values": ["x"]}]}]}',
      },
    });
    fireEvent.blur(input);
    expect(await screen.findByTestId(testIds.queryEditor.jsonError)).toHaveTextContent(
      'Invalid Cube query: filters.0.or.0.member: expected a member name such as "customers.count"',
    );
    expect(onChange.mock.calls.length).toBe(calls);
    const valid = {
      measures: ['web_engagement.sessions'],
      ungrouped: true,
      offset: 20,
      timeDimensions: [{ dimension: 'web_engagement.started_at', compareDateRange: ['this year', 'last year'] }],
    };
    fireEvent.change(input, { target: { value: JSON.stringify(valid) } });
    fireEvent.blur(input);
    await waitFor(() => expect(last().cubeQuery).toEqual(valid));
    expect(screen.queryByTestId(testIds.queryEditor.jsonError)).not.toBeInTheDocument();
  });

  it('chooses "current period to date" for the panel', async () => {
    const { last } = setup(v2({ measures: ['customer_health.churn_rate'] }));
    await userEvent.click(within(screen.getByTestId(testIds.queryEditor.periods)).getByText('Current to date'));
    expect(last().periods).toBe('to_date');
  });

  it('shows the Cube query the backend sends for the range, and the SQL of the same target', async () => {
    const { getSql } = setup(
      v2(
        {
          measures: ['web_engagement.bounce_rate'],
          timeDimensions: [{ dimension: 'web_engagement.started_at', granularity: 'month' }],
          limit: 5,
        },
        { periods: 'to_date' },
      ),
    );
    await userEvent.click(screen.getByText('Cube query (JSON) and SQL'));
    const json = screen.getByTestId(testIds.queryEditor.json);
    expect(json).toHaveTextContent('"limit": 5');
    expect(json).toHaveTextContent('"2025-01-01T00:00:00.000", "2025-06-30T23:59:59.999"');
    await userEvent.click(screen.getByTestId(testIds.queryEditor.showSql));
    expect(await screen.findByTestId(testIds.queryEditor.sql)).toHaveTextContent('SELECT 1');
    expect(getSql.mock.calls[0]![0]).toMatchObject({ periods: 'to_date', cubeQuery: { limit: 5 } });
  });
});
