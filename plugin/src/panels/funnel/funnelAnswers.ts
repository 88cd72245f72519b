/**
 * Cube answers to the Customer journey board's funnel queries (the purchase funnel, and the same
 * by device), built by hand in the shape /v1/load returns them, and turned into frames by the data
 * source's own converter: what the funnel panel receives. For the unit, component and browser tests.
 */
import type { DataFrame } from '@grafana/data';
import type { FunnelMeta } from '@engagement/contract';
import { toDataFrames } from '../../datasource/toDataFrames';
import type { CubeQuery } from '../../datasource/types';

const cube = 'purchase_funnel';
const m = (member: string) => `${cube}.${member}`;

export const purchaseFunnelMeta: FunnelMeta = {
  window: { days: 7 },
  steps: [
    { number: 1, name: 'Product view', event: 'product_view' },
    { number: 2, name: 'Add to cart', event: 'add_to_cart' },
    { number: 3, name: 'Checkout', event: 'checkout_started' },
    { number: 4, name: 'Shipping cost shown', event: 'shipping_viewed' },
    { number: 5, name: 'Purchase', event: 'purchase' },
  ],
};

const measures = ['persons', 'step_conversion_rate', 'overall_conversion_rate', 'drop_off'].map(m);

const annotation = {
  measures: {
    [m('persons')]: { title: 'Purchase funnel Persons', shortTitle: 'Persons', type: 'number' },
    [m('step_conversion_rate')]: {
      title: 'Purchase funnel Step conversion',
      shortTitle: 'Step conversion',
      type: 'number',
      format: 'percent',
    },
    [m('overall_conversion_rate')]: {
      title: 'Purchase funnel Overall conversion',
      shortTitle: 'Overall conversion',
      type: 'number',
      format: 'percent',
    },
    [m('drop_off')]: { title: 'Purchase funnel Drop-off', shortTitle: 'Drop-off', type: 'number' },
  },
  dimensions: {
    [m('step_number')]: { title: 'Purchase funnel Step number', shortTitle: 'Step number', type: 'number' },
    [m('step')]: { title: 'Purchase funnel Step', shortTitle: 'Step', type: 'string' },
    [m('device')]: { title: 'Purchase funnel Device', shortTitle: 'Device', type: 'string' },
  },
  timeDimensions: {},
};

/** persons per step → the model's rows: step conversion, overall conversion and drop-off worked out here by hand. */
function rows(persons: number[], extra: Record<string, string> = {}) {
  return persons.map((p, i) => ({
    [m('step_number')]: i + 1,
    [m('step')]: purchaseFunnelMeta.steps[i]!.name,
    ...extra,
    // Cube's PostgreSQL driver sends numbers as strings.
    [m('persons')]: String(p),
    [m('step_conversion_rate')]: String(i === 0 ? 100 : Math.round((1000 * p) / persons[i - 1]!) / 10),
    [m('overall_conversion_rate')]: String(Math.round((1000 * p) / persons[0]!) / 10),
    [m('drop_off')]: String(i === 0 ? 0 : persons[i - 1]! - p),
  }));
}

const range = { dimension: m('entered_at'), dateRange: ['2026-01-01', '2026-01-31'] as [string, string] };

/** 1,000 viewed a product; 400 added to cart (40%), 300 checked out (75%), 240 saw shipping (80%), 120 bought (50%). */
export const purchaseFrames = (): DataFrame[] => {
  const query: CubeQuery = { measures, dimensions: [m('step_number'), m('step')], timeDimensions: [range] };
  // Cube orders by the first measure, descending, unless told otherwise: not by step.
  const data = rows([1000, 400, 300, 240, 120]).reverse();
  return toDataFrames({ data, annotation }, query, { refId: 'A', format: 'table' });
};

/** Desktop: 600 → 300 → 240 → 200 → 110; mobile: 400 → 100 → 60 → 40 → 10 (its shipping step loses most). */
export const byDeviceFrames = (): DataFrame[] => {
  const query: CubeQuery = { measures, dimensions: [m('step_number'), m('step'), m('device')], timeDimensions: [range] };
  const data = [
    ...rows([400, 100, 60, 40, 10], { [m('device')]: 'mobile' }),
    ...rows([600, 300, 240, 200, 110], { [m('device')]: 'desktop' }),
  ];
  return toDataFrames({ data, annotation }, query, { refId: 'B', format: 'table' });
};

/** The answer for a range nobody entered: the fields, no rows. */
export const emptyFrames = (): DataFrame[] =>
  toDataFrames(
    { data: [], annotation },
    { measures, dimensions: [m('step_number'), m('step')], timeDimensions: [range] },
    { refId: 'A', format: 'table' },
  );

/** Cube's /v1/meta answer for the funnel cube: the window and steps in the cube's own meta. */
export const funnelMetaAnswer = (funnel: unknown = purchaseFunnelMeta) => ({
  cubes: [{ name: cube, title: 'Purchase funnel', type: 'cube', meta: { funnel }, measures: [], dimensions: [] }],
});
