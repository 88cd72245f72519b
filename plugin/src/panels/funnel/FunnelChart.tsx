import { colorManipulator, formattedValueToString, getDisplayProcessor, type Field } from '@grafana/data';
import { Icon, Tooltip, useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import { getStyles } from './FunnelPanel.styles';
import type { Funnel, FunnelValue } from './funnelSteps';
import type { FunnelOptions } from './types';

interface Props {
  funnel: Funnel;
  colors: string[];
  options: FunnelOptions;
}

/** Text of a value through its field's display (unit, decimals); a dash where the model gave none. */
function useFormat(field: Field | undefined): (value: number | null) => string {
  const theme = useTheme2();
  const display = field ? getDisplayProcessor({ field, theme }) : undefined;
  return (value) => (value === null || !display ? '–' : formattedValueToString(display(value)));
}

export function FunnelChart({ funnel, colors, options }: Props) {
  const styles = useStyles2(getStyles);
  const format = {
    persons: useFormat(funnel.fields.persons),
    step: useFormat(funnel.fields.stepConversion),
    overall: useFormat(funnel.fields.overallConversion),
    dropOff: useFormat(funnel.fields.dropOff),
  };
  const single = funnel.series.length === 1;
  const height = (persons: number) => (funnel.max > 0 ? (100 * persons) / funnel.max : 0);

  const columns = funnel.steps.map(() => 'minmax(0, 1fr)').join(' auto ');
  const bars = (s: number) =>
    funnel.series.map((series, i) => {
      const value = series.values[s]!;
      // The bar reaches up to the previous step's persons: its lighter part is the drop-off.
      const reach = s > 0 && options.showDropOff ? Math.max(series.values[s - 1]!.persons, value.persons) : value.persons;
      const name = `${single ? '' : `${series.name} · `}${funnel.steps[s]!.name}`;
      return (
        <div key={series.name} className={styles.slot}>
          <div className={styles.count} data-testid={testIds.funnel.count}>
            {format.persons(value.persons)}
          </div>
          <Tooltip content={<BarTooltip name={name} value={value} format={format} />}>
            <div
              className={styles.stack}
              data-testid={testIds.funnel.bar}
              data-persons={value.persons}
              style={{ height: `${height(reach)}%` }}
            >
              <div style={{ flex: reach - value.persons, background: colorManipulator.alpha(colors[i]!, 0.2) }} />
              <div style={{ flex: value.persons, background: colors[i] }} />
            </div>
          </Tooltip>
        </div>
      );
    });

  return (
    <div className={styles.chart} style={{ gridTemplateColumns: columns }}>
      {funnel.steps.map((step, s) => (
        <React.Fragment key={step.number}>
          {s > 0 && (
            <div className={styles.connector} style={{ gridRow: 1, gridColumn: 2 * s }} data-testid={testIds.funnel.connector}>
              <Icon name="arrow-right" />
              {funnel.series.map((series, i) => {
                const value = series.values[s]!;
                return (
                  <div key={series.name}>
                    <div className={styles.conversion} data-testid={testIds.funnel.conversion}>
                      {!single && <span className={styles.dot} style={{ background: colors[i] }} />}
                      {format.step(value.stepConversion)}
                    </div>
                    {options.showDropOff && value.dropOff !== null && (
                      <div className={styles.dropOff} data-testid={testIds.funnel.dropOff}>
                        −{format.dropOff(value.dropOff)}
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          )}
          <div className={styles.plot} style={{ gridRow: 1, gridColumn: 2 * s + 1 }} data-testid={testIds.funnel.step}>
            {bars(s)}
          </div>
          <div className={styles.label} style={{ gridRow: 2, gridColumn: 2 * s + 1 }}>
            <div data-testid={testIds.funnel.stepName}>
              {step.number}. {step.name}
            </div>
            {single && (
              <div className={styles.overall} data-testid={testIds.funnel.overall}>
                {s === 0 ? 'entered' : `${format.overall(funnel.series[0]!.values[s]!.overallConversion)} of entrants`}
              </div>
            )}
          </div>
        </React.Fragment>
      ))}
    </div>
  );
}

interface TooltipProps {
  name: string;
  value: FunnelValue;
  format: Record<'persons' | 'step' | 'overall' | 'dropOff', (value: number | null) => string>;
}

function BarTooltip({ name, value, format }: TooltipProps) {
  const styles = useStyles2(getStyles);
  return (
    <div>
      <strong>{name}</strong>
      <div className={styles.tooltip}>
        <span>Persons</span>
        <span>{format.persons(value.persons)}</span>
        <span>Of the previous step</span>
        <span>{format.step(value.stepConversion)}</span>
        <span>Of entrants</span>
        <span>{format.overall(value.overallConversion)}</span>
        <span>Dropped off</span>
        <span>{format.dropOff(value.dropOff)}</span>
      </div>
    </div>
  );
}
