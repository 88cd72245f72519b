import { css } from '@emotion/css';
import { colorManipulator, formattedValueToString, getDisplayProcessor, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { bandColors, bandOf } from '../../shared/benchmark';
import { testIds } from '../../shared/testIds';
import { defaultBenchmarkOptions, resolveBenchmark } from '../../shared/resolveBenchmark';
import { cohortMatrix } from './cohortMatrix';
import type { CohortOptions } from './types';

/** Cohort retention as a triangle heatmap: one row per cohort, one column per period since. */
export function CohortPanel({ data, options }: PanelProps<CohortOptions>) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const matrix = cohortMatrix(data.series, options);
  if (!matrix) {
    return (
      <div className={styles.empty} data-testid={testIds.cohort.noData}>
        No cohort data: the query needs a cohort (time or text), a period number and a value.
      </div>
    );
  }
  const display = getDisplayProcessor({ field: matrix.valueField, theme });
  const { benchmark } = resolveBenchmark(matrix.valueField, [matrix.valueField.name], defaultBenchmarkOptions);
  const base = theme.visualization.getColorByName('green');
  const colorOf = (value: number): { color: string; band?: string } => {
    if (options.colorMode === 'benchmark' && benchmark) {
      const band = bandOf(benchmark, value);
      if (band) return { color: theme.visualization.getColorByName(bandColors[band.label]), band: band.label };
    }
    const t = matrix.max === matrix.min ? 1 : (value - matrix.min) / (matrix.max - matrix.min);
    return { color: colorManipulator.alpha(base, 0.12 + 0.88 * t) };
  };

  return (
    <div className={styles.wrap}>
      <table className={styles.table} data-testid={testIds.cohort.grid}>
        <thead>
          <tr>
            <th className={styles.head}>Cohort</th>
            {matrix.periods.map((p) => (
              <th key={p} className={styles.head}>
                {p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.cohorts.map((cohort, r) => (
            <tr key={cohort}>
              <th className={styles.rowHead}>{cohort}</th>
              {matrix.values[r]!.map((value, c) => {
                if (value === null) return <td key={c} className={styles.cell} />;
                const text = formattedValueToString(display(value));
                const { color, band } = colorOf(value);
                return (
                  <td
                    key={c}
                    className={styles.cell}
                    data-testid={testIds.cohort.cell}
                    data-band={band}
                    style={{ background: color }}
                    title={`${cohort}, period ${matrix.periods[c]}: ${text}${band ? ` (${band})` : ''}`}
                  >
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ height: '100%', overflow: 'auto' }),
  empty: css({ color: theme.colors.text.secondary, padding: theme.spacing(1) }),
  table: css({
    borderCollapse: 'separate',
    borderSpacing: 2,
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
  }),
  head: css({
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    padding: theme.spacing(0.5),
    textAlign: 'center',
  }),
  rowHead: css({
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    padding: theme.spacing(0.5, 1),
    textAlign: 'left',
    whiteSpace: 'nowrap',
  }),
  cell: css({ minWidth: 52, padding: theme.spacing(0.5), textAlign: 'center', color: theme.colors.text.primary, borderRadius: 2 }),
});
