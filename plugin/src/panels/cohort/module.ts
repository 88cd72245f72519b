import { PanelPlugin } from '@grafana/data';
import { CohortPanel } from './CohortPanel';
import { defaultCohortOptions, type CohortOptions } from './types';

export const plugin = new PanelPlugin<CohortOptions>(CohortPanel).useFieldConfig().setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'colorMode',
      name: 'Colour',
      description: 'Shade by value, or colour by the value’s benchmark bands (the model’s cohort bands are for month 1).',
      defaultValue: defaultCohortOptions.colorMode,
      settings: {
        options: [
          { value: 'scale', label: 'Shade by value' },
          { value: 'benchmark', label: 'Benchmark bands' },
        ],
      },
    })
    .addTextInput({ path: 'cohortField', name: 'Cohort field', description: 'Empty: the first time or text field.', defaultValue: '' })
    .addTextInput({
      path: 'periodField',
      name: 'Period field',
      description: 'Empty: the first number field named like a period (months since signup).',
      defaultValue: '',
    })
    .addTextInput({ path: 'valueField', name: 'Value field', description: 'Empty: the next number field.', defaultValue: '' }),
);
