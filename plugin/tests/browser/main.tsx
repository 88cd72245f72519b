import { createTheme, FieldType, getDefaultTimeRange, LoadingState, ThemeContext, type DataFrame, type PanelProps } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import { GlobalStyles, PortalContainer } from '@grafana/ui';
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryEditor } from '../../src/datasource/components/QueryEditor';
import type { CubeDataSource } from '../../src/datasource/datasource';
import { fieldConfigOf } from '../../src/datasource/fieldConfig';
import { buildCatalog } from '../../src/datasource/meta';
import type { CubeDataQuery } from '../../src/datasource/types';
import meta from '../../src/datasource/__fixtures__/meta.json';
import { CohortPanel } from '../../src/panels/cohort/CohortPanel';
import { defaultCohortOptions, type CohortOptions } from '../../src/panels/cohort/types';
import { byDeviceFrames, emptyFrames, funnelMetaAnswer, purchaseFrames } from '../../src/panels/funnel/funnelAnswers';
import { FunnelPanel } from '../../src/panels/funnel/FunnelPanel';
import { defaultFunnelOptions, type FunnelOptions } from '../../src/panels/funnel/types';
import { KpiPanel } from '../../src/panels/kpi/KpiPanel';
import { defaultKpiOptions, type KpiOptions } from '../../src/panels/kpi/types';

const theme = createTheme({ colors: { mode: 'dark' } });
const catalog = buildCatalog(meta);
const months = Array.from({ length: 6 }, (_, m) => Date.UTC(2025, m, 1));

/** Frames as our data source makes them: field config from the model's benchmark meta. */
function cubeFrame(member: string, values: number[]): DataFrame {
  return {
    length: values.length,
    fields: [
      { name: 'time', type: FieldType.time, values: months.slice(-values.length), config: {} },
      { name: member, type: FieldType.number, values, config: fieldConfigOf(catalog.get(member)!) },
    ],
  };
}

const kpiSeries: DataFrame[] = [
  // The backend says which period the last point is (issue 12's frame meta): a complete month here.
  { ...cubeFrame('customer_health.nps', [21, 25, 30, 28, 35, 42]), meta: { custom: { periods: 'complete', granularity: 'month' } } },
  cubeFrame('web_engagement.bounce_rate', [52, 49, 47, 44, 41, 38.5]),
  // As Grafana's PostgreSQL data source returns a column of the metrics views: no meta, recognised by name.
  { length: 2, fields: [{ name: 'churn_rate', type: FieldType.number, values: [5.4, 6.2], config: { unit: 'percent', decimals: 1 } }] },
  cubeFrame('customer_health.clv', [1180, 1200]),
];

const cohortFrame: DataFrame = (() => {
  const rows: Array<[number, number, number]> = [];
  [100, 86, 81, 77, 74].forEach((_, c) =>
    [100, 86, 81, 77, 74].slice(0, 5 - c).forEach((v, p) => rows.push([Date.UTC(2025, c, 1), p, p === 0 ? 100 : v - c * 2])),
  );
  const rate = catalog.get('customer_health.cohort_retention_rate')!;
  return {
    length: rows.length,
    fields: [
      { name: 'customer_health.cohort_month', type: FieldType.time, values: rows.map((r) => r[0]), config: {} },
      { name: 'customer_health.months_since_signup', type: FieldType.number, values: rows.map((r) => r[1]), config: {} },
      { name: 'customer_health.cohort_retention_rate', type: FieldType.number, values: rows.map((r) => r[2]), config: fieldConfigOf(rate) },
    ],
  };
})();

// Usage retention by week (usage_retention_weekly): four Monday cohorts of March 2026, as the backend
// marks the frame (granularity week), so the cohort panel keeps the weeks apart.
const weeklyCohortFrame: DataFrame = (() => {
  const mondays = [2, 9, 16, 23].map((day) => Date.UTC(2026, 2, day));
  const rows = mondays.flatMap((monday, c) => [100, 42, 31, 27].slice(0, 4 - c).map((v, p) => [monday, p, p === 0 ? 100 : v - c] as const));
  return {
    length: rows.length,
    meta: { custom: { periods: 'complete', granularity: 'week' } },
    fields: [
      { name: 'usage_retention_weekly.cohort_start', type: FieldType.time, values: rows.map((r) => r[0]), config: {} },
      { name: 'usage_retention_weekly.periods_since_start', type: FieldType.number, values: rows.map((r) => r[1]), config: {} },
      {
        name: 'usage_retention_weekly.retention_rate',
        type: FieldType.number,
        values: rows.map((r) => r[2]),
        config: { unit: 'percent', decimals: 1, min: 0, max: 100 },
      },
    ],
  };
})();

// The Cube data source's catalog as Grafana's data source service hands it to the funnel panel: the funnel cube's meta.
const funnelDatasource = { getCatalog: async () => buildCatalog(funnelMetaAnswer()) };
setDataSourceSrv({ get: async () => funnelDatasource } as unknown as DataSourceSrv);

function panelProps<T>(series: DataFrame[], options: T, width: number, height: number): PanelProps<T> {
  const timeRange = getDefaultTimeRange();
  return {
    data: {
      series,
      state: LoadingState.Done,
      timeRange,
      request: { targets: [{ refId: 'A', datasource: { type: 'engagement-cube-datasource', uid: 'cube' } }] },
    },
    options,
    width,
    height,
    id: 1,
    timeRange,
    timeZone: 'utc',
    title: '',
    transparent: false,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    replaceVariables: (s: string) => s,
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    onChangeTimeRange: () => {},
    eventBus: {},
  } as unknown as PanelProps<T>;
}

const datasource = {
  getCatalog: async () => catalog,
  getSql: async () => 'SELECT 100.0 * count(...) "web_engagement__bounce_rate" FROM web_sessions ...',
  checkCubeQuery: () => undefined,
} as unknown as CubeDataSource;

// A version 1 target, as a dashboard saved before version 2 holds it: the editor migrates it on load.
function Editor() {
  const [query, setQuery] = useState<CubeDataQuery>({
    refId: 'A',
    measures: ['web_engagement.bounce_rate', 'web_engagement.conversion_rate'],
    dimensions: ['web_engagement.channel'],
    timeDimension: { dimension: 'web_engagement.started_at', granularity: 'month' },
    filters: [
      { member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] },
      { member: 'web_engagement.sessions', operator: 'gt', values: ['100'] },
    ],
    order: [{ member: 'web_engagement.bounce_rate', direction: 'asc' }],
    limit: 100,
  });
  return <QueryEditor datasource={datasource} query={query} onChange={setQuery} onRunQuery={() => {}} />;
}

const section = {
  background: theme.colors.background.primary,
  border: `1px solid ${theme.colors.border.weak}`,
  padding: 8,
  marginBottom: 16,
};

function Page() {
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div style={{ padding: 16, background: theme.colors.background.canvas, minHeight: '100vh' }}>
        <section id="kpi-large" style={{ ...section, width: 1200, height: 300 }}>
          <KpiPanel {...panelProps<KpiOptions>(kpiSeries, defaultKpiOptions, 1200, 300)} />
        </section>
        <section id="kpi-compact" style={{ ...section, width: 820, height: 230 }}>
          <KpiPanel {...panelProps<KpiOptions>(kpiSeries, { ...defaultKpiOptions, layout: 'compact' }, 820, 230)} />
        </section>
        <section id="cohort" style={{ ...section, width: 520, height: 220 }}>
          <CohortPanel {...panelProps<CohortOptions>([cohortFrame], defaultCohortOptions, 520, 220)} />
        </section>
        <section id="cohort-weekly" style={{ ...section, width: 520, height: 200 }}>
          <CohortPanel {...panelProps<CohortOptions>([weeklyCohortFrame], defaultCohortOptions, 520, 200)} />
        </section>
        <section id="funnel" style={{ ...section, width: 760, height: 320 }}>
          <FunnelPanel {...panelProps<FunnelOptions>(purchaseFrames(), defaultFunnelOptions, 760, 320)} />
        </section>
        <section id="funnel-device" style={{ ...section, width: 760, height: 360 }}>
          <FunnelPanel {...panelProps<FunnelOptions>(byDeviceFrames(), defaultFunnelOptions, 760, 360)} />
        </section>
        <section id="funnel-empty" style={{ ...section, width: 760, height: 60 }}>
          <FunnelPanel {...panelProps<FunnelOptions>(emptyFrames(), defaultFunnelOptions, 760, 60)} />
        </section>
        <section id="funnel-problem" style={{ ...section, width: 760, height: 80 }}>
          <FunnelPanel
            {...panelProps<FunnelOptions>(
              [{ ...purchaseFrames()[0]!, fields: purchaseFrames()[0]!.fields.slice(1) }],
              defaultFunnelOptions,
              760,
              80,
            )}
          />
        </section>
        <section id="query-editor" style={{ ...section, width: 1200 }}>
          <Editor />
        </section>
      </div>
      <PortalContainer />
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
(window as unknown as { theme: typeof theme }).theme = theme;
