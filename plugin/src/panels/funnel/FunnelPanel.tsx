import type { PanelProps } from '@grafana/data';
import { Icon, useStyles2, useTheme2, VizLegend, LegendDisplayMode } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import { FunnelChart } from './FunnelChart';
import { getStyles } from './FunnelPanel.styles';
import { funnelFromFrames, windowText } from './funnelSteps';
import { seriesColors } from './seriesColors';
import type { FunnelOptions } from './types';
import { useFunnelMeta, type FunnelMetaState } from './useFunnelMeta';

/** A funnel: the steps as bars of persons, conversion and drop-off between them, the window the model counts conversions in. */
export function FunnelPanel({ data, options }: PanelProps<FunnelOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  // The cube comes from the frames alone (no meta needed): a first pass only to name it.
  const first = funnelFromFrames(data.series);
  const cube = 'funnel' in first ? first.funnel.cube : undefined;
  const meta = useFunnelMeta(data.request?.targets[0]?.datasource?.uid, cube);
  const funnelMeta = meta && 'funnel' in meta ? meta.funnel : undefined;
  const result = funnelMeta ? funnelFromFrames(data.series, funnelMeta) : first;

  if ('empty' in result) {
    return (
      <div className={styles.message} data-testid={testIds.funnel.noData}>
        {result.empty}
      </div>
    );
  }
  if ('problem' in result) {
    return (
      <div className={styles.message} data-testid={testIds.funnel.problem}>
        {result.problem}
      </div>
    );
  }
  const { funnel } = result;
  const colors = seriesColors(theme, funnel.series.length);
  return (
    <div className={styles.root}>
      <WindowLine meta={meta} breakdown={funnel.breakdown} />
      <FunnelChart funnel={funnel} colors={colors} options={options} />
      {funnel.breakdown && (
        <div data-testid={testIds.funnel.legend}>
          <VizLegend
            placement="bottom"
            displayMode={LegendDisplayMode.List}
            readonly
            items={funnel.series.map((s, i) => ({ label: s.name, color: colors[i], yAxis: 1 }))}
          />
        </div>
      )}
    </div>
  );
}

function WindowLine({ meta, breakdown }: { meta: FunnelMetaState; breakdown?: string }) {
  const styles = useStyles2(getStyles);
  const by = breakdown ? ` · by ${breakdown}` : '';
  if (meta && 'funnel' in meta) {
    return (
      <div className={styles.header} data-testid={testIds.funnel.window}>
        <Icon name="clock-nine" size="sm" />
        {windowText(meta.funnel)}
        {by}
      </div>
    );
  }
  if (meta && 'issue' in meta) {
    return (
      <div className={`${styles.header} ${styles.issue}`} data-testid={testIds.funnel.windowIssue}>
        <Icon name="exclamation-triangle" size="sm" />
        {meta.issue}
      </div>
    );
  }
  if (meta && 'loading' in meta) return <div className={styles.header}>{by.slice(3)}</div>;
  return (
    <div className={styles.header} data-testid={testIds.funnel.windowIssue}>
      Conversion window not known: the data source gave no funnel meta for this query{by}
    </div>
  );
}
