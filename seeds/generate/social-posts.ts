import { MONTH } from '../calendar.js';
import { NULL } from '../table.js';
import { Prng, streams } from '../prng.js';
import type { TableSource } from '../table.js';
import type { SocialPlatform } from '../tenants.js';

/**
 * Typical engagement per post as a share of followers: Instagram ~0.5%, Facebook ~0.06%,
 * TikTok 3–5% and X ~0.03% (Rival IQ benchmarks); LinkedIn ~1% is an assumption (no comparable study).
 */
export const ENGAGEMENT_RATES: Record<SocialPlatform, number> = {
  instagram: 0.005,
  facebook: 0.0006,
  tiktok: 0.04,
  linkedin: 0.01,
  x: 0.0003,
};
/** How engagement splits into likes, shares and comments on each platform. */
const REACTIONS: Record<SocialPlatform, readonly [likes: number, shares: number, comments: number]> = {
  instagram: [0.92, 0.05, 0.03],
  facebook: [0.7, 0.2, 0.1],
  tiktok: [0.86, 0.09, 0.05],
  linkedin: [0.85, 0.08, 0.07],
  x: [0.6, 0.3, 0.1],
};
/** Most posts do middling, a few go viral: a wide log-normal spread. */
const VIRALITY = 0.8;

/**
 * Impressions per follower, link clicks per impression and saves per impression, assumed from
 * the platforms' public help pages and agency reports (organic reach of a few to a few dozen
 * percent; clicks and saves well under 1% of impressions). LinkedIn exports no saves: NULL.
 */
const REACH: Record<SocialPlatform, { impressions: number; clicks: number; saves: number | null }> = {
  instagram: { impressions: 0.3, clicks: 0.004, saves: 0.006 },
  facebook: { impressions: 0.08, clicks: 0.012, saves: 0.001 },
  tiktok: { impressions: 1.2, clicks: 0.002, saves: 0.008 },
  linkedin: { impressions: 0.25, clicks: 0.015, saves: null },
  x: { impressions: 0.15, clicks: 0.006, saves: 0.002 },
};

/** Posts on each of the tenant's accounts, with followers growing over the history. */
export const socialPosts: TableSource = {
  table: 'social_posts',
  columns: [
    'id',
    'tenant_id',
    'platform',
    'posted_at',
    'followers',
    'likes',
    'shares',
    'comments',
    'impressions',
    'clicks',
    'saves',
    'conversions',
  ],
  open(population) {
    const { calendar } = population;
    const rng = new Prng(population.seed);
    // Reach and clicks draw from their own stream, so the reactions stay as they were before them.
    const detail = new Prng(population.seed);
    const accounts = population.tenants.flatMap((tenant) => tenant.profile.social.map((account, index) => ({ tenant, account, index })));
    return {
      units: accounts.length,
      write(unit, sink) {
        const { tenant, account, index } = accounts[unit]!;
        const { weekdays, socialClickConversion } = tenant.profile;
        const meanWeekday = weekdays.reduce((a, b) => a + b, 0) / weekdays.length;
        const [likeShare, shareShare, commentShare] = REACTIONS[account.platform];
        const reach = REACH[account.platform];
        rng.reseed(streams.social, tenant.index, index);
        detail.reseed(streams.socialPostDetail, tenant.index, index);
        for (let day = 0; day < calendar.days; day++) {
          const posts = rng.poisson((account.postsPerWeek / 7) * (weekdays[calendar.weekday(day)]! / meanWeekday));
          for (let i = 0; i < posts; i++) {
            const at = tenant.rhythm.atHour(day, rng);
            if (at < calendar.start || at >= calendar.end) continue;
            const followers = Math.round(
              account.followersAtStart * Math.exp((account.monthlyFollowerGrowth * (at - calendar.start)) / MONTH),
            );
            const virality = rng.noise(VIRALITY);
            const engagement = followers * ENGAGEMENT_RATES[account.platform] * virality;
            // A post that drew reactions was also shown more: reach follows the same virality.
            const impressions = Math.round(followers * reach.impressions * virality * detail.noise(0.3));
            const clicks = Math.round(impressions * reach.clicks * detail.noise(0.5));
            const saves = reach.saves === null ? NULL : String(Math.round(impressions * reach.saves * detail.noise(0.5)));
            const conversions = Math.min(clicks, Math.round(clicks * socialClickConversion * detail.noise(0.6)));
            sink.push(
              `${sink.nextId(tenant.profile.id)}\t${tenant.profile.id}\t${account.platform}\t${calendar.timestamp(at)}\t${followers}\t` +
                `${Math.round(engagement * likeShare)}\t${Math.round(engagement * shareShare)}\t${Math.round(engagement * commentShare)}\t` +
                `${impressions}\t${clicks}\t${saves}\t${conversions}\n`,
            );
          }
        }
      },
    };
  },
};
