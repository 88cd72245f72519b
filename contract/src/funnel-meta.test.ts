import { describe, expect, it } from 'vitest';
import { funnelMetaOf } from './funnel-meta.js';

const steps = [
  { number: 1, name: 'Sign up', event: 'sign_up' },
  { number: 2, name: 'Onboarding completed', event: 'onboarding_completed' },
];

describe('funnelMetaOf', () => {
  it('reads the window and the steps of a funnel cube’s meta', () => {
    expect(funnelMetaOf('activation_funnel', { funnel: { window: { days: 14 }, steps } })).toEqual({
      funnel: { window: { days: 14 }, steps },
    });
  });

  it('is undefined for a cube without funnel meta', () => {
    expect(funnelMetaOf('carts', undefined)).toBeUndefined();
    expect(funnelMetaOf('carts', { other: 1 })).toBeUndefined();
  });

  it('names the field of meta that does not read', () => {
    expect(funnelMetaOf('f', { funnel: { window: { days: '7' }, steps } })).toEqual({
      issue: expect.stringMatching(/^f: meta\.funnel\.window\.days: .*number/) as unknown,
    });
    expect(funnelMetaOf('f', { funnel: { window: { days: 7 }, steps: [steps[1], steps[0]] } })).toEqual({
      issue: 'f: meta.funnel.steps: steps are numbered 1, 2, 3, … in order',
    });
  });
});
