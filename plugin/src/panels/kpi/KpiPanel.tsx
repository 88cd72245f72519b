import { FieldType, getFieldDisplayName, type PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import { getStyles } from './KpiPanel.styles';
import { KpiTile } from './KpiTile';
import { resolveBenchmark } from '../../shared/resolveBenchmark';
import type { KpiOptions } from './types';

/** One tile per numeric field of every frame: value, band, change, trend and the band bar. */
export function KpiPanel({ data, options }: PanelProps<KpiOptions>) {
  const styles = useStyles2(getStyles, options.layout === 'large');
  const tiles = data.series.flatMap((frame) =>
    frame.fields
      .filter((field) => field.type === FieldType.number)
      .map((field) => {
        const name = getFieldDisplayName(field, frame, data.series);
        const custom = field.config.custom as { member?: string } | undefined;
        const names = [custom?.member, field.name, name, frame.name].filter((n): n is string => Boolean(n));
        return { frame, field, name, resolved: resolveBenchmark(field, names, options) };
      }),
  );
  if (!tiles.length) {
    return (
      <div className={styles.grid} data-testid={testIds.kpi.noData}>
        No data
      </div>
    );
  }
  return (
    <div className={styles.grid}>
      {tiles.map((tile, i) => (
        <KpiTile key={`${tile.name}-${i}`} {...tile} options={options} />
      ))}
    </div>
  );
}
