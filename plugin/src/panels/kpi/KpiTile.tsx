import { formattedValueToString, getDisplayProcessor, type DataFrame, type Field } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { bandColors, bandOf } from '../../shared/benchmark';
import { testIds } from '../../shared/testIds';
import { BandBar } from './BandBar';
import { getStyles } from './KpiPanel.styles';
import type { Resolved } from '../../shared/resolveBenchmark';
import { Sparkline } from './Sparkline';
import { periodLabel } from './periodLabel';
import { summarize } from './summarize';
import type { KpiOptions } from './types';

interface Props {
  frame: DataFrame;
  field: Field;
  name: string;
  resolved: Resolved;
  options: KpiOptions;
}

export function KpiTile({ frame, field, name, resolved, options }: Props) {
  const theme = useTheme2();
  const large = options.layout === 'large';
  const styles = useStyles2(getStyles, large);
  const { benchmark } = resolved;
  const direction = benchmark?.direction ?? options.direction;
  const summary = summarize(frame, field, direction);
  const display = getDisplayProcessor({ field, theme });
  // noValue: the data source's reason for an empty KPI ("Needs subscriptions"), or the panel's own text.
  const formatted = summary.value === undefined ? (field.config.noValue ?? 'No value') : formattedValueToString(display(summary.value));
  const band = benchmark && summary.value !== undefined ? bandOf(benchmark, summary.value) : undefined;
  const period = periodLabel(frame);
  const bandColor = band ? theme.visualization.getColorByName(bandColors[band.label]) : theme.colors.text.secondary;

  return (
    <div className={styles.tile} data-testid={testIds.kpi.tile} data-band={band?.label ?? 'none'}>
      <div className={styles.name} title={name}>
        {name}
        {period && (
          <span className={styles.muted} data-testid={testIds.kpi.period}>
            {' · '}
            {period}
          </span>
        )}
      </div>
      <div className={styles.valueRow}>
        <span className={styles.value} data-testid={testIds.kpi.value} style={{ color: band ? bandColor : undefined }}>
          {formatted}
        </span>
        {band ? (
          <span className={styles.band} data-testid={testIds.kpi.band} style={{ background: bandColor }}>
            {band.label}
          </span>
        ) : (
          <span className={styles.muted} data-testid={testIds.kpi.band}>
            {resolved.noBenchmark ? 'no benchmark' : benchmark ? 'no band' : 'no bands set'}
          </span>
        )}
      </div>
      {options.showChange && <Change summary={summary} display={display} unit={field.config.unit} decimals={field.config.decimals} />}
      {options.showSparkline && <Sparkline points={summary.points} color={bandColor} className={styles.sparkline} />}
      {benchmark && <BandBar benchmark={benchmark} value={summary.value} formattedValue={formatted} large={large} />}
      {resolved.noBenchmark && <div className={styles.muted}>{resolved.noBenchmark}</div>}
    </div>
  );
}

interface ChangeProps {
  summary: ReturnType<typeof summarize>;
  display: ReturnType<typeof getDisplayProcessor>;
  unit?: string;
  decimals?: number | null;
}

/** Change vs the previous period; a percent KPI changes by points, not by percent. */
function Change({ summary, display, unit, decimals }: ChangeProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles, false);
  if (summary.change === undefined) {
    return (
      <div className={styles.muted} data-testid={testIds.kpi.change}>
        {summary.value === undefined ? '' : 'No previous period'}
      </div>
    );
  }
  const { change, improved, relativeChange } = summary;
  const arrow = change > 0 ? '▲' : change < 0 ? '▼' : '■';
  const magnitude =
    unit === 'percent' ? `${Math.abs(change).toFixed(decimals ?? 1)} pts` : formattedValueToString(display(Math.abs(change)));
  const relative = relativeChange === undefined || unit === 'percent' ? '' : ` (${(Math.abs(relativeChange) * 100).toFixed(1)}%)`;
  const verdict = improved === undefined ? 'unchanged' : improved ? 'better' : 'worse';
  const color = improved === undefined ? theme.colors.text.secondary : improved ? theme.colors.success.text : theme.colors.error.text;
  return (
    <div className={styles.change} data-testid={testIds.kpi.change} style={{ color }}>
      {arrow} {magnitude}
      {relative} vs previous · {verdict}
    </div>
  );
}
