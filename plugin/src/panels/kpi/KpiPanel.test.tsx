import { createTheme, FieldType, LoadingState, getDefaultTimeRange, type DataFrame, type PanelProps } from '@grafana/data';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { testIds } from '../../shared/testIds';
import { fieldConfigOf } from '../../datasource/fieldConfig';
import { buildCatalog } from '../../datasource/meta';
import meta from '../../datasource/__fixtures__/meta.json';
import { KpiPanel } from './KpiPanel';
import { defaultKpiOptions, type KpiOptions } from './types';

const theme = createTheme();
const color = (name: string) => theme.visualization.getColorByName(name);
const months = [0, 1, 2].map((m) => Date.UTC(2025, m, 1));

function renderPanel(series: DataFrame[], options: Partial<KpiOptions> = {}) {
  const props = {
    data: { series, state: LoadingState.Done, timeRange: getDefaultTimeRange() },
    options: { ...defaultKpiOptions, ...options },
    width: 600,
    height: 300,
    id: 1,
    timeRange: getDefaultTimeRange(),
    timeZone: 'utc',
    title: 'KPI',
    transparent: false,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    replaceVariables: (s: string) => s,
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    onChangeTimeRange: () => {},
    eventBus: {} as never,
  } as unknown as PanelProps<KpiOptions>;
  return render(<KpiPanel {...props} />);
}

/** A frame as our data source makes it: field config from the model's meta. */
function cubeFrame(member: string, values: number[]): DataFrame {
  const info = buildCatalog(meta).get(member)!;
  return {
    length: values.length,
    fields: [
      { name: `${member.split('.')[0]}.time`, type: FieldType.time, values: months.slice(0, values.length), config: {} },
      { name: member, type: FieldType.number, values, config: fieldConfigOf(info) },
    ],
  };
}

describe('KpiPanel', () => {
  it('shows value, band label in its colour, change vs previous and the band bar from the data source’s meta', async () => {
    renderPanel([cubeFrame('customer_health.nps', [18, 30, 42])]);
    expect(screen.getByTestId(testIds.kpi.value)).toHaveTextContent('42');
    const band = screen.getByTestId(testIds.kpi.band);
    expect(band).toHaveTextContent('good');
    expect(band).toHaveStyle({ background: color('green') });
    expect(screen.getByTestId(testIds.kpi.change)).toHaveTextContent('▲ 12');
    expect(screen.getByTestId(testIds.kpi.change)).toHaveTextContent('better');
    expect(screen.getAllByTestId(testIds.kpi.bandSegment).map((s) => s.textContent)).toEqual(['poor', 'fair', 'good', 'excellent']);
    // 42 is 22/30 of the way through the third of four segments.
    expect(Number.parseFloat(screen.getByTestId(testIds.kpi.marker).style.left)).toBeCloseTo(68.33, 1);
    expect(screen.getByTestId(testIds.kpi.sparkline)).toBeInTheDocument();
    await userEvent.hover(screen.getByTestId(testIds.kpi.bandBar));
    expect(await screen.findByTestId(testIds.kpi.source)).toHaveTextContent('Benchmark: Bain');
  });

  it('reads direction: a falling bounce rate is better, in percentage points', () => {
    renderPanel([cubeFrame('web_engagement.bounce_rate', [48, 38.5])]);
    expect(screen.getByTestId(testIds.kpi.value)).toHaveTextContent('38.5%');
    expect(screen.getByTestId(testIds.kpi.band)).toHaveTextContent('excellent');
    expect(screen.getByTestId(testIds.kpi.change)).toHaveTextContent('▼ 9.5 pts vs previous · better');
  });

  it('recognises a PostgreSQL column by name', () => {
    const frame: DataFrame = { length: 1, fields: [{ name: 'churn_rate', type: FieldType.number, values: [6.2], config: {} }] };
    renderPanel([frame]);
    expect(screen.getByTestId(testIds.kpi.band)).toHaveTextContent('poor');
    expect(screen.getByTestId(testIds.kpi.change)).toHaveTextContent('No previous period');
    expect(screen.queryByTestId(testIds.kpi.sparkline)).not.toBeInTheDocument();
  });

  it('uses panel cut-offs when asked, and says when no bands are set', () => {
    const frame: DataFrame = { length: 2, fields: [{ name: 'revenue', type: FieldType.number, values: [10, 25], config: {} }] };
    const { unmount } = renderPanel([frame]);
    expect(screen.getByTestId(testIds.kpi.band)).toHaveTextContent('no bands set');
    unmount();
    renderPanel([frame], { cutoffs: '10, 20, 30' });
    expect(screen.getByTestId(testIds.kpi.band)).toHaveTextContent('good');
  });

  it('handles no data, NaN and a measure without a benchmark', () => {
    const { unmount } = renderPanel([]);
    expect(screen.getByTestId(testIds.kpi.noData)).toHaveTextContent('No data');
    unmount();
    renderPanel([cubeFrame('customer_health.nps', [NaN]), cubeFrame('customer_health.clv', [1200])]);
    const [nan, clv] = screen.getAllByTestId(testIds.kpi.tile);
    expect(within(nan!).getByTestId(testIds.kpi.value)).toHaveTextContent('No value');
    expect(within(nan!).queryByTestId(testIds.kpi.marker)).not.toBeInTheDocument();
    expect(within(clv!).getByTestId(testIds.kpi.value)).toHaveTextContent('$1.20K');
    expect(within(clv!).getByTestId(testIds.kpi.band)).toHaveTextContent('no benchmark');
  });

  it("shows the data source's reason for an empty KPI", () => {
    const frame = cubeFrame('customer_health.churn_rate', [NaN]);
    frame.fields[1]!.config.noValue = 'Needs subscriptions';
    renderPanel([frame]);
    expect(screen.getByTestId(testIds.kpi.value)).toHaveTextContent('Needs subscriptions');
  });

  it('names the last complete period it judges; a series to date carries "month to date" in its name instead', () => {
    const complete = { ...cubeFrame('customer_health.nps', [30, 40]), meta: { custom: { periods: 'complete', granularity: 'month' } } };
    const toDate = cubeFrame('customer_health.churn_rate', [4, 5]);
    toDate.meta = { custom: { periods: 'to_date', granularity: 'month' } };
    toDate.fields[1]!.config.displayNameFromDS = 'Churn rate (month to date)';
    renderPanel([complete, toDate]);
    const [nps, churn] = screen.getAllByTestId(testIds.kpi.tile);
    expect(within(nps!).getByTestId(testIds.kpi.period)).toHaveTextContent('last complete month');
    expect(churn).toHaveTextContent('Churn rate (month to date)');
    expect(within(churn!).queryByTestId(testIds.kpi.period)).not.toBeInTheDocument();
  });
});
