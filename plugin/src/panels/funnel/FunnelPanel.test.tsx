import { LoadingState, getDefaultTimeRange, type DataFrame, type PanelProps } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import { render, screen, within } from '@testing-library/react';
import React from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../datasource/meta';
import { testIds } from '../../shared/testIds';
import { byDeviceFrames, emptyFrames, funnelMetaAnswer, purchaseFrames } from './funnelAnswers';
import { FunnelPanel } from './FunnelPanel';
import { defaultFunnelOptions, type FunnelOptions } from './types';

/** Grafana's data source service, answering with a data source whose catalog is `answer` (or one without a catalog). */
function useDataSource(answer: unknown | 'no catalog' | Error) {
  const ds =
    answer === 'no catalog' ? {} : { getCatalog: async () => (answer instanceof Error ? Promise.reject(answer) : buildCatalog(answer)) };
  setDataSourceSrv({ get: async () => ds } as unknown as DataSourceSrv);
}

const renderPanel = (series: DataFrame[], options: Partial<FunnelOptions> = {}) =>
  render(
    <FunnelPanel
      {...({
        data: {
          series,
          state: LoadingState.Done,
          timeRange: getDefaultTimeRange(),
          request: { targets: [{ refId: 'A', datasource: { type: 'engagement-cube-datasource', uid: 'cube' } }] },
        },
        options: { ...defaultFunnelOptions, ...options },
        width: 900,
        height: 320,
      } as unknown as PanelProps<FunnelOptions>)}
    />,
  );

const texts = (id: string) => screen.queryAllByTestId(id).map((el) => el.textContent);

describe('FunnelPanel', () => {
  beforeEach(() => useDataSource(funnelMetaAnswer()));

  it('draws one bar per step with persons, conversion and drop-off between steps, and the model’s window', async () => {
    renderPanel(purchaseFrames());
    expect(await screen.findByTestId(testIds.funnel.window)).toHaveTextContent('Converted within 7 days of Product view');
    expect(texts(testIds.funnel.stepName)).toEqual([
      '1. Product view',
      '2. Add to cart',
      '3. Checkout',
      '4. Shipping cost shown',
      '5. Purchase',
    ]);
    expect(texts(testIds.funnel.count)).toEqual(['1 K', '400', '300', '240', '120']);
    expect(texts(testIds.funnel.conversion)).toEqual(['40.0%', '75.0%', '80.0%', '50.0%']);
    expect(texts(testIds.funnel.dropOff)).toEqual(['−600', '−100', '−60', '−120']);
    expect(texts(testIds.funnel.overall)).toEqual([
      'entered',
      '40.0% of entrants',
      '30.0% of entrants',
      '24.0% of entrants',
      '12.0% of entrants',
    ]);
    // Each bar reaches the previous step's persons (of the largest, 1,000): the lighter part is the drop-off.
    expect(screen.getAllByTestId(testIds.funnel.bar).map((b) => b.style.height)).toEqual(['100%', '100%', '40%', '30%', '24%']);
    expect(screen.queryByTestId(testIds.funnel.legend)).not.toBeInTheDocument();
  });

  it('without drop-off, each bar is its own persons and no drop-off is written', async () => {
    renderPanel(purchaseFrames(), { showDropOff: false });
    await screen.findByTestId(testIds.funnel.window);
    expect(screen.getAllByTestId(testIds.funnel.bar).map((b) => b.style.height)).toEqual(['100%', '40%', '30%', '24%', '12%']);
    expect(texts(testIds.funnel.dropOff)).toEqual([]);
  });

  it('shows a breakdown as grouped bars, a conversion per series between steps, and a legend', async () => {
    renderPanel(byDeviceFrames());
    expect(await screen.findByTestId(testIds.funnel.window)).toHaveTextContent('Converted within 7 days of Product view · by Device');
    expect(screen.getAllByTestId(testIds.funnel.bar)).toHaveLength(10);
    expect(screen.getAllByTestId(testIds.funnel.bar).map((b) => b.dataset.persons)).toEqual([
      '600',
      '400',
      '300',
      '100',
      '240',
      '60',
      '200',
      '40',
      '110',
      '10',
    ]);
    // Desktop then mobile between each pair of steps: shipping → purchase is 55% on desktop, 25% on mobile.
    const last = screen.getAllByTestId(testIds.funnel.connector).at(-1)!;
    expect(
      within(last)
        .getAllByTestId(testIds.funnel.conversion)
        .map((c) => c.textContent),
    ).toEqual(['55.0%', '25.0%']);
    expect(screen.getByTestId(testIds.funnel.legend)).toHaveTextContent(/desktop.*mobile/);
    expect(texts(testIds.funnel.overall)).toEqual([]);
  });

  it('says there is no data in the range', () => {
    renderPanel(emptyFrames());
    expect(screen.getByTestId(testIds.funnel.noData)).toHaveTextContent('No data in this range');
    renderPanel([]);
    expect(screen.getAllByTestId(testIds.funnel.noData)).toHaveLength(2);
  });

  it('names the fields a query without a funnel’s shape lacks', () => {
    const [frame] = purchaseFrames();
    renderPanel([{ ...frame!, fields: frame!.fields.filter((f) => !f.name.endsWith('.step_number')) }]);
    expect(screen.getByTestId(testIds.funnel.problem)).toHaveTextContent(
      "The funnel needs one row per step with a step number (a number field named …step_number); the query's fields are: purchase_funnel.step,",
    );
  });

  it('says when the window is not known, and why the model’s funnel meta does not read', async () => {
    useDataSource('no catalog');
    const { unmount } = renderPanel(purchaseFrames());
    expect(await screen.findByTestId(testIds.funnel.windowIssue)).toHaveTextContent('Conversion window not known');
    expect(texts(testIds.funnel.count)).toHaveLength(5);
    unmount();
    useDataSource(funnelMetaAnswer({ window: { days: 0 }, steps: [] }));
    renderPanel(purchaseFrames());
    expect(await screen.findByTestId(testIds.funnel.windowIssue)).toHaveTextContent(/^purchase_funnel: meta\.funnel\.window\.days: /);
  });

  it('says why the window cannot be read when /v1/meta fails, and still draws the funnel', async () => {
    useDataSource(new Error('Cube answered 403: invalid token'));
    renderPanel(purchaseFrames());
    expect(await screen.findByTestId(testIds.funnel.windowIssue)).toHaveTextContent(
      'Cannot read the conversion window: Cube answered 403: invalid token',
    );
    expect(texts(testIds.funnel.count)).toHaveLength(5);
  });
});
