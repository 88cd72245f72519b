import { MONTH } from '../calendar.js';
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

/** Posts on each of the tenant's accounts, with followers growing over the history. */
export const socialPosts: TableSource = {
  table: 'social_posts',
  columns: ['id', 'tenant_id', 'platform', 'posted_at', 'followers', 'likes', 'shares', 'comments'],
  open(population) {
    const { calendar } = population;
    const rng = new Prng(population.seed);
    const accounts = population.tenants.flatMap((tenant) => tenant.profile.social.map((account, index) => ({ tenant, account, index })));
    return {
      units: accounts.length,
      write(unit, sink) {
        const { tenant, account, index } = accounts[unit]!;
        const { weekdays } = tenant.profile;
        const meanWeekday = weekdays.reduce((a, b) => a + b, 0) / weekdays.length;
        const [likeShare, shareShare, commentShare] = REACTIONS[account.platform];
        rng.reseed(streams.social, tenant.index, index);
        for (let day = 0; day < calendar.days; day++) {
          const posts = rng.poisson((account.postsPerWeek / 7) * (weekdays[calendar.weekday(day)]! / meanWeekday));
          for (let i = 0; i < posts; i++) {
            const at = tenant.rhythm.atHour(day, rng);
            if (at < calendar.start || at >= calendar.end) continue;
            const followers = Math.round(
              account.followersAtStart * Math.exp((account.monthlyFollowerGrowth * (at - calendar.start)) / MONTH),
            );
            const engagement = followers * ENGAGEMENT_RATES[account.platform] * rng.noise(VIRALITY);
            sink.push(
              `${sink.nextId(tenant.profile.id)}\t${tenant.profile.id}\t${account.platform}\t${calendar.timestamp(at)}\t${followers}\t` +
                `${Math.round(engagement * likeShare)}\t${Math.round(engagement * shareShare)}\t${Math.round(engagement * commentShare)}\n`,
            );
          }
        }
      },
    };
  },
};
