import type { Calendar } from '../calendar.js';
import { Prng, streams } from '../prng.js';
import type { TableSource } from '../table.js';
import type { CampaignChannel, CampaignSchedule } from '../tenants.js';

/**
 * Typical click-through rates by channel: email clicks per delivered message ~2.6% (Mailchimp,
 * Campaign Monitor), search ads ~6% (WordStream/LocaliQ), display ~0.5% (Google Display Network),
 * paid social ~1.2% (WordStream, Meta traffic campaigns).
 */
export const CTR_TARGETS: Record<CampaignChannel, number> = { email: 0.026, search: 0.06, display: 0.005, social: 0.012 };
const CONVERSIONS_PER_CLICK: Record<CampaignChannel, number> = { email: 0.03, search: 0.05, display: 0.008, social: 0.015 };

function runsOn(schedule: CampaignSchedule, calendar: Calendar, day: number): boolean {
  switch (schedule.every) {
    case 'day':
      return true;
    case 'week':
      return calendar.weekday(day) === schedule.weekday;
    case 'month':
      return Number(calendar.date(day).slice(8, 10)) === schedule.dayOfMonth;
    case 'year': {
      const at = calendar.monthOfYear(day) * 100 + Number(calendar.date(day).slice(8, 10));
      const from = schedule.from[0] * 100 + schedule.from[1];
      const to = schedule.to[0] * 100 + schedule.to[1];
      // A season may wrap around New Year.
      return from <= to ? at >= from && at <= to : at >= from || at <= to;
    }
  }
}

/** One row per campaign per day it ran; reach follows the tenant's size and season. */
export const campaignStats: TableSource = {
  table: 'campaign_stats',
  columns: ['id', 'tenant_id', 'campaign', 'channel', 'day', 'impressions', 'clicks', 'conversions'],
  open(population) {
    const { calendar } = population;
    const rng = new Prng(population.seed);
    const campaigns = population.tenants.flatMap((tenant) =>
      tenant.profile.campaigns.map((campaign, index) => ({ tenant, campaign, index })),
    );
    return {
      units: campaigns.length,
      write(unit, sink) {
        const { tenant, campaign, index } = campaigns[unit]!;
        rng.reseed(streams.campaigns, tenant.index, index);
        const perDay = (campaign.reachPer1000 * tenant.customers) / 1000;
        for (let day = 0; day < calendar.days; day++) {
          if (!runsOn(campaign.schedule, calendar, day)) continue;
          const season = tenant.profile.seasonality[calendar.monthOfYear(day)]!;
          const impressions = Math.round(perDay * tenant.rhythm.sizeAt(day) * season * rng.noise(0.25));
          const ctr = CTR_TARGETS[campaign.channel] * campaign.ctrFactor * rng.noise(0.2);
          const clicks = Math.min(impressions, Math.round(impressions * ctr));
          const conversions = Math.min(clicks, Math.round(clicks * CONVERSIONS_PER_CLICK[campaign.channel] * rng.noise(0.3)));
          sink.push(
            `${sink.nextId(tenant.profile.id)}\t${tenant.profile.id}\t${campaign.name}\t${campaign.channel}\t${calendar.date(day)}\t${impressions}\t${clicks}\t${conversions}\n`,
          );
        }
      },
    };
  },
};
