import { PanelPlugin } from '@grafana/data';
import { FunnelPanel } from './FunnelPanel';
import { defaultFunnelOptions, type FunnelOptions } from './types';

export const plugin = new PanelPlugin<FunnelOptions>(FunnelPanel).useFieldConfig().setPanelOptions((builder) =>
  builder.addBooleanSwitch({
    path: 'showDropOff',
    name: 'Drop-off',
    description: 'Each bar reaches up to the previous step in a lighter shade, and the persons lost are written between the steps.',
    defaultValue: defaultFunnelOptions.showDropOff,
  }),
);
