import { DAY, MONTH } from '../calendar.js';
import { NULL } from '../table.js';
import { Prng, streams } from '../prng.js';
import type { TableSource } from '../table.js';
import type { SocialPlatform } from '../tenants.js';

/** Platforms with stories; the others export no story counts (NULL). */
const STORY_PLATFORMS: ReadonlySet<SocialPlatform> = new Set(['instagram', 'facebook', 'tiktok']);
/** Share of followers who open a day's stories (Conviva 2020: about 7% for brand accounts). */
const STORY_REACH = 0.07;
/** Share of viewers who watch a single-story day to its end (Conviva 2020: 87% on average); each extra story loses a few. */
const STORY_COMPLETION = 0.88;
const COMPLETION_LOSS_PER_STORY = 0.02;
/** Spread of the hours to a first reply: a few answered at once, some left for days. */
const RESPONSE_SPREAD = 1.1;

/**
 * One row per social account and day: followers at the end of the day on the same growth curve
 * the posts carry, mentions and inbox messages growing with the audience, the inbox answered at
 * the tenant's rate and pace, and stories with their viewers and completions.
 */
export const socialAccountDays: TableSource = {
  table: 'social_account_days',
  columns: [
    'id',
    'tenant_id',
    'platform',
    'day',
    'followers',
    'mentions',
    'messages_received',
    'messages_answered',
    'response_minutes',
    'stories',
    'story_viewers',
    'story_completions',
  ],
  open(population) {
    const { calendar } = population;
    const rng = new Prng(population.seed);
    const accounts = population.tenants.flatMap((tenant) => tenant.profile.social.map((account, index) => ({ tenant, account, index })));
    return {
      units: accounts.length,
      write(unit, sink) {
        const { tenant, account, index } = accounts[unit]!;
        const { weekdays, socialCare } = tenant.profile;
        const meanWeekday = weekdays.reduce((a, b) => a + b, 0) / weekdays.length;
        const hasStories = STORY_PLATFORMS.has(account.platform);
        rng.reseed(streams.socialAccountDays, tenant.index, index);
        for (let day = 0; day < calendar.days; day++) {
          const dayEnd = calendar.dayStart(day) + DAY;
          const audience = Math.exp((account.monthlyFollowerGrowth * (dayEnd - calendar.start)) / MONTH);
          const followers = Math.round(account.followersAtStart * audience);
          const busy = (weekdays[calendar.weekday(day)]! / meanWeekday) * audience;
          const mentions = rng.poisson(account.mentionsPerDay * busy);
          const received = rng.poisson(account.messagesPerDay * busy);
          let answered = 0;
          let minutes = 0;
          for (let m = 0; m < received; m++) {
            if (!rng.chance(socialCare.answerRate)) continue;
            answered++;
            minutes += Math.max(1, Math.round(60 * rng.logNormal(socialCare.medianResponseHours, RESPONSE_SPREAD)));
          }
          let stories = NULL;
          let viewers = NULL;
          let completions = NULL;
          if (hasStories) {
            const count = rng.poisson(account.storiesPerWeek / 7);
            stories = String(count);
            const seen = count === 0 ? 0 : Math.round(followers * STORY_REACH * rng.noise(0.3));
            const completion = Math.min(1, (STORY_COMPLETION - COMPLETION_LOSS_PER_STORY * Math.max(0, count - 1)) * rng.noise(0.05));
            viewers = String(seen);
            completions = String(Math.round(seen * completion));
          }
          sink.push(
            `${sink.nextId(tenant.profile.id)}\t${tenant.profile.id}\t${account.platform}\t${calendar.date(day)}\t${followers}\t` +
              `${mentions}\t${received}\t${answered}\t${minutes}\t${stories}\t${viewers}\t${completions}\n`,
          );
        }
      },
    };
  },
};
