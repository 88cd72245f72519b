import { PanelPlugin } from '@grafana/data';
import { KpiPanel } from './KpiPanel';
import { defaultKpiOptions, type KpiOptions } from './types';

export const plugin = new PanelPlugin<KpiOptions>(KpiPanel).useFieldConfig().setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'bandsFrom',
      name: 'Bands from',
      description:
        'Meta: the field’s benchmark, else its thresholds, else a measure recognised by name, else the cut-offs below. Panel: the cut-offs below only.',
      defaultValue: defaultKpiOptions.bandsFrom,
      settings: {
        options: [
          { value: 'meta', label: 'Benchmark meta' },
          { value: 'panel', label: 'Panel cut-offs' },
        ],
      },
    })
    .addTextInput({
      path: 'cutoffs',
      name: 'Cut-offs',
      description:
        'Band edges, ascending, e.g. "0, 20, 50": three edges make poor, fair, good and excellent; two make poor, good, excellent.',
      defaultValue: defaultKpiOptions.cutoffs,
    })
    .addRadio({
      path: 'direction',
      name: 'Direction',
      description: 'For the cut-offs and for thresholds without a benchmark.',
      defaultValue: defaultKpiOptions.direction,
      settings: {
        options: [
          { value: 'higher_is_better', label: 'Higher is better' },
          { value: 'lower_is_better', label: 'Lower is better' },
        ],
      },
    })
    .addRadio({
      path: 'layout',
      name: 'Layout',
      defaultValue: defaultKpiOptions.layout,
      settings: {
        options: [
          { value: 'large', label: 'Large' },
          { value: 'compact', label: 'Compact' },
        ],
      },
    })
    .addBooleanSwitch({ path: 'showSparkline', name: 'Trend sparkline', defaultValue: defaultKpiOptions.showSparkline })
    .addBooleanSwitch({ path: 'showChange', name: 'Change vs previous period', defaultValue: defaultKpiOptions.showChange }),
);
