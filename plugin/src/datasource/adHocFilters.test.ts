import { describe, expect, it } from 'vitest';
import { adHocToCube } from './adHocFilters';

describe('adHocToCube', () => {
  it('maps operators and applies only to cubes or views the query uses', () => {
    const filters = adHocToCube(
      [
        { key: 'web_engagement.channel', operator: '=', value: 'email' },
        { key: 'web_engagement.device', operator: '!=', value: 'mobile' },
        { key: 'web_engagement.sessions', operator: '>', value: '10' },
        { key: 'web_engagement.landing_page', operator: '=~', value: 'pricing' },
        { key: 'web_engagement.plan', operator: '=|', value: '', values: ['pro', 'team'] },
        { key: 'marketing.channel', operator: '=', value: 'email' },
      ],
      ['web_engagement.bounce_rate'],
    );
    expect(filters).toEqual([
      { member: 'web_engagement.channel', operator: 'equals', values: ['email'] },
      { member: 'web_engagement.device', operator: 'notEquals', values: ['mobile'] },
      { member: 'web_engagement.sessions', operator: 'gt', values: ['10'] },
      { member: 'web_engagement.landing_page', operator: 'contains', values: ['pricing'] },
      { member: 'web_engagement.plan', operator: 'equals', values: ['pro', 'team'] },
    ]);
  });
});
