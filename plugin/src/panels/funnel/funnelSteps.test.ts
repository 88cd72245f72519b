import { FieldType, type DataFrame } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { byDeviceFrames, emptyFrames, purchaseFrames, purchaseFunnelMeta } from './funnelAnswers';
import { funnelFromFrames, NO_DATA, windowText, type Funnel } from './funnelSteps';

const funnelOf = (frames: DataFrame[], meta = purchaseFunnelMeta): Funnel => {
  const result = funnelFromFrames(frames, meta);
  if (!('funnel' in result)) throw new Error(JSON.stringify(result));
  return result.funnel;
};

describe('funnelFromFrames', () => {
  it('orders the steps by number, whatever order Cube answered in, with the model’s numbers', () => {
    const funnel = funnelOf(purchaseFrames());
    expect(funnel.cube).toBe('purchase_funnel');
    expect(funnel.steps.map((s) => `${s.number} ${s.name}`)).toEqual([
      '1 Product view',
      '2 Add to cart',
      '3 Checkout',
      '4 Shipping cost shown',
      '5 Purchase',
    ]);
    expect(funnel.breakdown).toBeUndefined();
    expect(funnel.series).toHaveLength(1);
    const [all] = funnel.series;
    expect(all!.name).toBe('All');
    expect(all!.values.map((v) => v.persons)).toEqual([1000, 400, 300, 240, 120]);
    // 400 of 1,000; 300 of 400; 240 of 300; 120 of 240.
    expect(all!.values.map((v) => v.stepConversion)).toEqual([100, 40, 75, 80, 50]);
    expect(all!.values.map((v) => v.overallConversion)).toEqual([100, 40, 30, 24, 12]);
    expect(all!.values.map((v) => v.dropOff)).toEqual([0, 600, 100, 60, 120]);
    expect(funnel.max).toBe(1000);
    expect(funnel.fields.stepConversion?.config.unit).toBe('percent');
  });

  it('makes one series per breakdown value, named by it and sorted, the breakdown titled by its field', () => {
    const funnel = funnelOf(byDeviceFrames());
    expect(funnel.breakdown).toBe('Device');
    expect(funnel.series.map((s) => s.name)).toEqual(['desktop', 'mobile']);
    expect(funnel.series[1]!.values.map((v) => v.persons)).toEqual([400, 100, 60, 40, 10]);
    // 10 of mobile's 40 who saw the shipping cost bought: 25%.
    expect(funnel.series[1]!.values[4]).toEqual({ persons: 10, stepConversion: 25, overallConversion: 2.5, dropOff: 30 });
    expect(funnel.max).toBe(600);
  });

  it('shows a step nobody reached with 0 persons, named from the model’s meta', () => {
    const [frame] = purchaseFrames();
    const firstThree = frame!.fields.map((f) => ({ ...f, values: f.values.slice(2) }));
    const funnel = funnelOf([{ ...frame!, fields: firstThree, length: 3 }]);
    expect(funnel.steps.map((s) => s.name)).toEqual(['Product view', 'Add to cart', 'Checkout', 'Shipping cost shown', 'Purchase']);
    expect(funnel.series[0]!.values.map((v) => v.persons)).toEqual([1000, 400, 300, 0, 0]);
    expect(funnel.series[0]!.values[4]!.stepConversion).toBeNull();
    const noMeta = funnelFromFrames([{ ...frame!, fields: firstThree, length: 3 }]);
    expect('funnel' in noMeta && noMeta.funnel.steps.map((s) => s.number)).toEqual([1, 2, 3]);
  });

  it('says there is no data when the range has no rows, or there is no frame', () => {
    expect(funnelFromFrames(emptyFrames(), purchaseFunnelMeta)).toEqual({ empty: NO_DATA });
    expect(funnelFromFrames([])).toEqual({ empty: NO_DATA });
  });

  it('names what a frame lacks, and the fields it has', () => {
    const [frame] = purchaseFrames();
    const noPersons = { ...frame!, fields: frame!.fields.filter((f) => f.name !== 'purchase_funnel.persons') };
    expect(funnelFromFrames([noPersons])).toEqual({
      problem:
        "The funnel needs one row per step with persons (a number field named …persons); the query's fields are: purchase_funnel.step_number, purchase_funnel.step, purchase_funnel.step_conversion_rate, purchase_funnel.overall_conversion_rate, purchase_funnel.drop_off.",
    });
    // A field of the right name but as text (an answer without Cube's annotation) is named with its type.
    const asText = { ...frame!, fields: frame!.fields.map((f) => (f.name.endsWith('.persons') ? { ...f, type: FieldType.string } : f)) };
    expect(funnelFromFrames([asText])).toEqual({
      problem: expect.stringMatching(
        /^The funnel needs one row per step with persons as numbers \(purchase_funnel\.persons is string\); /,
      ) as unknown,
    });
    const other: DataFrame = { length: 1, fields: [{ name: 'carts.carts', type: FieldType.number, values: [3], config: {} }] };
    expect(funnelFromFrames([other])).toEqual({
      problem:
        "The funnel needs one row per step with a step number (a number field named …step_number) and persons (a number field named …persons); the query's fields are: carts.carts.",
    });
  });

  it('reads columns of the same names from another data source (no cube, no field config)', () => {
    const frame: DataFrame = {
      length: 2,
      fields: [
        { name: 'step_number', type: FieldType.number, values: [2, 1], config: {} },
        { name: 'persons', type: FieldType.number, values: [5, 8], config: {} },
      ],
    };
    const funnel = funnelOf([frame]);
    expect(funnel.cube).toBeUndefined();
    expect(funnel.steps.map((s) => s.name)).toEqual(['Product view', 'Add to cart', 'Checkout', 'Shipping cost shown', 'Purchase']);
    const withoutMeta = funnelFromFrames([frame]);
    expect('funnel' in withoutMeta && withoutMeta.funnel.steps.map((s) => s.name)).toEqual(['Step 1', 'Step 2']);
    expect(funnel.series[0]!.values.map((v) => [v.persons, v.stepConversion])).toEqual([
      [8, null],
      [5, null],
      [0, null],
      [0, null],
      [0, null],
    ]);
  });
});

describe('windowText', () => {
  it('states the window from the first step', () => {
    expect(windowText(purchaseFunnelMeta)).toBe('Converted within 7 days of Product view');
    expect(windowText({ ...purchaseFunnelMeta, window: { days: 1 } })).toBe('Converted within 1 day of Product view');
  });
});
