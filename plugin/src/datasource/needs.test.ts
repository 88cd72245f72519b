import { FieldType, type DataFrame } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { fieldConfigOf } from './fieldConfig';
import { buildCatalog } from './meta';
import meta from './__fixtures__/meta.json';
import { explainMissing } from './needs';

const catalog = buildCatalog(meta);

/** One frame of a KPI, with the field config the data source gives it from the model's meta. */
const kpiFrame = (member: string, values: Array<number | null>): DataFrame => ({
  length: values.length,
  fields: [{ name: member, type: FieldType.number, values, config: fieldConfigOf(catalog.get(member)!) }],
});

const noValueOf = (frames: DataFrame[]) => frames.map((f) => f.fields[0]!.config.noValue);

describe('explainMissing', () => {
  it('says "Needs subscriptions" on an empty subscription KPI of a tenant without subscriptions', async () => {
    let asked = 0;
    const lacking = async () => (asked++, false);
    const frames = [
      kpiFrame('customer_health.churn_rate', [null, null]),
      kpiFrame('customer_health.clv', [null]),
      kpiFrame('customer_health.clv_subscription', []),
    ];
    expect(noValueOf(await explainMissing(frames, lacking))).toEqual(['Needs subscriptions', undefined, 'Needs subscriptions']);
    expect(asked).toBe(1);
  });

  it('leaves "no data" alone when the tenant has subscriptions, and never asks when every KPI has a value', async () => {
    const frames = [kpiFrame('customer_health.churn_rate', [null])];
    expect(noValueOf(await explainMissing(frames, async () => true))).toEqual([undefined]);
    const fail = () => Promise.reject(new Error('must not be asked'));
    expect(noValueOf(await explainMissing([kpiFrame('customer_health.churn_rate', [null, 2.5])], fail))).toEqual([undefined]);
    expect(noValueOf(await explainMissing([kpiFrame('customer_health.nps', [null])], fail))).toEqual([undefined]);
  });
});
