import { FieldType, LoadingState, getDefaultTimeRange, type DataFrame, type PanelProps } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { testIds } from '../../shared/testIds';
import { fieldConfigOf } from '../../datasource/fieldConfig';
import { buildCatalog } from '../../datasource/meta';
import meta from '../../datasource/__fixtures__/meta.json';
import { CohortPanel } from './CohortPanel';
import { defaultCohortOptions, type CohortOptions } from './types';

const jan = Date.UTC(2025, 0, 1);
const feb = Date.UTC(2025, 1, 1);
const rate = buildCatalog(meta).get('customer_health.cohort_retention_rate')!;

const frame: DataFrame = {
  length: 3,
  fields: [
    { name: 'customer_health.cohort_month', type: FieldType.time, values: [jan, jan, feb], config: {} },
    { name: 'customer_health.months_since_signup', type: FieldType.number, values: [0, 1, 0], config: {} },
    { name: 'customer_health.cohort_retention_rate', type: FieldType.number, values: [100, 85, 100], config: fieldConfigOf(rate) },
  ],
};

const renderPanel = (series: DataFrame[], options: Partial<CohortOptions> = {}) =>
  render(
    <CohortPanel
      {...({
        data: { series, state: LoadingState.Done, timeRange: getDefaultTimeRange() },
        options: { ...defaultCohortOptions, ...options },
        width: 500,
        height: 300,
      } as unknown as PanelProps<CohortOptions>)}
    />,
  );

describe('CohortPanel', () => {
  it('draws the triangle with formatted values', () => {
    renderPanel([frame]);
    expect(screen.getByText('2025-01')).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.cohort.cell).map((c) => c.textContent)).toEqual(['100.0%', '85.0%', '100.0%']);
  });

  it('colours by benchmark bands when asked, and writes the band in the cell title', () => {
    renderPanel([frame], { colorMode: 'benchmark' });
    expect(screen.getAllByTestId(testIds.cohort.cell).map((c) => c.dataset.band)).toEqual(['excellent', 'good', 'excellent']);
    expect(screen.getAllByTestId(testIds.cohort.cell)[1]).toHaveAttribute('title', '2025-01, period 1: 85.0% (good)');
  });

  it('explains what it needs when the data is not a cohort table', () => {
    renderPanel([]);
    expect(screen.getByTestId(testIds.cohort.noData)).toHaveTextContent('needs a cohort');
  });
});
