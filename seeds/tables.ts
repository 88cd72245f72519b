import { campaignStats } from './generate/campaign-stats.js';
import { customers } from './generate/customers.js';
import { events } from './generate/events.js';
import { orders } from './generate/orders.js';
import { reviews } from './generate/reviews.js';
import { socialAccountDays } from './generate/social-account-days.js';
import { socialPosts } from './generate/social-posts.js';
import { subscriptions } from './generate/subscriptions.js';
import { supportTickets } from './generate/support-tickets.js';
import { surveyResponses } from './generate/survey-responses.js';
import { tenants } from './generate/tenants.js';
import { webSessions } from './generate/web-sessions.js';
import type { TableSource } from './table.js';

/** Every data table the seed owns, parents first (not knex_migrations, not date_spine). */
export const tableSources: readonly TableSource[] = [
  tenants,
  customers,
  subscriptions,
  orders,
  webSessions,
  events,
  surveyResponses,
  supportTickets,
  campaignStats,
  socialPosts,
  socialAccountDays,
  reviews,
];
