import { describe, expect, it } from 'vitest';
import { adHocToCube } from './adHocFilters';

describe('adHocToCube', () => {
  it('maps operators and applies only to cubes or views the query uses', () => {
    const filters = adHocToCube(
      [
        { key: 'web_engagement.channel', operator: '=', value: 'email' },
        { key: 'web_engagement.device', operator: '!=', value: 'mobile' },
        { key: 'web_engagement.sessions', operator: '>', value: '10' },
        { key: 'web_engagement.sessions', operator: '<=', value: '99' },
        { key: 'web_engagement.landing_page', operator: '=~', value: 'pricing' },
        { key: 'web_engagement.plan', operator: '=|', value: '', values: ['pro', 'team'] },
        { key: 'web_engagement.segment', operator: '!=|', value: '', values: ['smb'] },
        { key: 'marketing.channel', operator: '=', value: 'email' },
      ],
      ['web_engagement.bounce_rate'],
    );
    expect(filters).toEqual([
      { member: 'web_engagement.channel', operator: 'equals', values: ['email'] },
      { member: 'web_engagement.device', operator: 'notEquals', values: ['mobile'] },
      { member: 'web_engagement.sessions', operator: 'gt', values: ['10'] },
      { member: 'web_engagement.sessions', operator: 'lte', values: ['99'] },
      { member: 'web_engagement.landing_page', operator: 'contains', values: ['pricing'] },
      { member: 'web_engagement.plan', operator: 'equals', values: ['pro', 'team'] },
      { member: 'web_engagement.segment', operator: 'notEquals', values: ['smb'] },
    ]);
  });

  it('drops a filter on Grafana’s "All", single or multi-value', () => {
    const members = ['web_engagement.sessions'];
    expect(adHocToCube([{ key: 'web_engagement.plan', operator: '=|', value: '$__all', values: ['$__all'] }], members)).toEqual([]);
    expect(adHocToCube([{ key: 'web_engagement.plan', operator: '=', value: '$__all' }], members)).toEqual([]);
  });

  it('refuses an operator Cube has no counterpart for, naming the filter', () => {
    expect(() => adHocToCube([{ key: 'web_engagement.plan', operator: '<>', value: 'x' }], ['web_engagement.sessions'])).toThrow(
      'Ad-hoc filter "web_engagement.plan <> x": Cube has no operator for "<>"',
    );
  });
});
