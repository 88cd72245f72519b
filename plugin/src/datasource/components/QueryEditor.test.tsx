import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { testIds } from '../../shared/testIds';
import meta from '../__fixtures__/meta.json';
import type { CubeDataSource } from '../datasource';
import { buildCatalog } from '../meta';
import type { CubeDataQuery } from '../types';
import { QueryEditor } from './QueryEditor';

function setup(initial: CubeDataQuery) {
  const datasource = {
    getCatalog: vi.fn(async () => buildCatalog(meta)),
    getSql: vi.fn(async () => 'SELECT 1\n\n-- parameters: $1 = "example_web"'),
  } as unknown as CubeDataSource;
  const onChange = vi.fn();
  const onRunQuery = vi.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={onRunQuery}
        onChange={(next) => {
          setQuery(next);
          onChange(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { datasource, onChange, onRunQuery, last: () => onChange.mock.calls.at(-1)![0] as CubeDataQuery };
}

describe('QueryEditor', () => {
  it('shows chosen members by title, not by technical name', async () => {
    setup({ refId: 'A', measures: ['web_engagement.bounce_rate'], dimensions: ['web_engagement.channel'] });
    const measures = screen.getByTestId(testIds.queryEditor.measures);
    await waitFor(() => expect(within(measures.closest('div')!.parentElement!).getByText('Bounce rate')).toBeInTheDocument());
    expect(screen.getByText('Channel')).toBeInTheDocument();
  });

  it('finds a measure by searching its title and adds it', async () => {
    const { last, onRunQuery } = setup({ refId: 'A', measures: [] });
    const input = screen.getByRole('combobox', { name: 'Measures' });
    await waitFor(() => expect(input).not.toBeDisabled());
    await userEvent.click(input);
    await userEvent.type(input, 'Net Promoter');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(last().measures).toEqual(['customer_health.nps']));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('adds a filter row and offers measure operators for a measure', async () => {
    const { last } = setup({
      refId: 'A',
      measures: ['marketing.ctr'],
      filters: [{ member: 'marketing.impressions', operator: 'gt', values: ['1000'] }],
    });
    await userEvent.click(screen.getByTestId(testIds.queryEditor.addFilter));
    expect(last().filters).toHaveLength(2);
    expect(screen.getAllByTestId(testIds.queryEditor.filterRow)).toHaveLength(2);
    expect(screen.getByText('1000')).toBeInTheDocument();
    // The measure-only operator is offered for a measure; choosing it drops the values.
    const operator = screen.getByRole('combobox', { name: 'Filter 1 operator' });
    await userEvent.click(operator);
    await userEvent.clear(operator);
    await userEvent.type(operator, "measure's own");
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(last().filters?.[0]).toEqual({ member: 'marketing.impressions', operator: 'measureFilter', values: [] }));
  });

  it('sets a time dimension with month granularity by default', async () => {
    const { last } = setup({ refId: 'A', measures: ['web_engagement.sessions'] });
    const input = screen.getByRole('combobox', { name: 'Time dimension' });
    await waitFor(() => expect(input).not.toBeDisabled());
    await userEvent.click(input);
    await userEvent.type(input, 'Session start');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(last().timeDimension).toEqual({ granularity: 'month', dimension: 'web_engagement.started_at' }));
  });

  it('shows the Cube query as JSON and the SQL Cube generates', async () => {
    const { datasource } = setup({ refId: 'A', measures: ['web_engagement.bounce_rate'], limit: 5 });
    await userEvent.click(screen.getByText('Cube query (JSON) and SQL'));
    expect(screen.getByTestId(testIds.queryEditor.json)).toHaveTextContent('"limit": 5');
    await userEvent.click(screen.getByTestId(testIds.queryEditor.showSql));
    expect(await screen.findByTestId(testIds.queryEditor.sql)).toHaveTextContent('SELECT 1');
    expect(datasource.getSql).toHaveBeenCalled();
  });
});
