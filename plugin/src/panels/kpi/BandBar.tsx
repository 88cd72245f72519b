import { useStyles2, useTheme2, Tooltip } from '@grafana/ui';
import React from 'react';
import { bandColors, type BandedBenchmark } from '../../shared/benchmark';
import { testIds } from '../../shared/testIds';
import { markerPosition } from './bandBar';
import { getStyles } from './KpiPanel.styles';

interface Props {
  benchmark: BandedBenchmark;
  value?: number;
  formattedValue: string;
  large: boolean;
}

/** The bands as a bar, low values left, with the value's position; the source on hover. */
export function BandBar({ benchmark, value, formattedValue, large }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles, large);
  const position = value === undefined ? undefined : markerPosition(benchmark, value);
  const better = benchmark.direction === 'higher_is_better' ? 'Higher is better' : 'Lower is better';
  const tooltip = (
    <div data-testid={testIds.kpi.source}>
      <div>Benchmark: {benchmark.source}</div>
      {benchmark.context && <div>Context: {benchmark.context}</div>}
      <div>{better}</div>
    </div>
  );
  return (
    <Tooltip content={tooltip} placement="bottom">
      <div className={styles.bar} data-testid={testIds.kpi.bandBar} tabIndex={0} aria-label={`Benchmark bands. ${better}.`}>
        {benchmark.bands.map((band) => (
          <div
            key={band.label}
            className={styles.segment}
            data-testid={testIds.kpi.bandSegment}
            data-band={band.label}
            style={{ background: theme.visualization.getColorByName(bandColors[band.label]) }}
          >
            {large ? band.label : band.label[0]!.toUpperCase()}
          </div>
        ))}
        {position !== undefined && (
          <div
            className={styles.marker}
            data-testid={testIds.kpi.marker}
            style={{ left: `${position}%` }}
            aria-label={`${formattedValue} on the bar`}
          />
        )}
      </div>
    </Tooltip>
  );
}
