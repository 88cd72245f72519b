import type { Channel, Device } from './channels.js';

export type SupportChannel = 'email' | 'chat' | 'phone' | 'social';
export type CampaignChannel = 'email' | 'search' | 'display' | 'social';
export type SocialPlatform = 'instagram' | 'facebook' | 'tiktok' | 'linkedin' | 'x';
type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

export interface PlanProfile {
  name: string;
  /** Relative weight among signups. */
  weight: number;
  mrr: number;
  /** Spread of negotiated prices around `mrr` (log scale); 0 for list prices. */
  mrrSpread: number;
  /** Chance per month that an average customer on this plan leaves. */
  monthlyChurn: number;
  segments: Weights<string>;
  ordersPerMonth: number;
  orderMedian: number;
  /** Relative weights of support tiers 1–3 for this plan's tickets. */
  ticketTiers: readonly [number, number, number];
}

export type CampaignSchedule =
  | { every: 'day' }
  | { every: 'week'; weekday: number }
  | { every: 'month'; dayOfMonth: number }
  /** A yearly season, months 0-based: Black Friday, New Year's resolutions. */
  | { every: 'year'; from: [month: number, day: number]; to: [month: number, day: number] };

export interface CampaignProfile {
  name: string;
  channel: CampaignChannel;
  schedule: CampaignSchedule;
  /** Impressions (delivered messages for email) on an active day, per 1,000 customers of the tenant. */
  reachPer1000: number;
  /** How this campaign's click-through compares with its channel's typical rate. */
  ctrFactor: number;
}

export interface SocialAccountProfile {
  platform: SocialPlatform;
  followersAtStart: number;
  monthlyFollowerGrowth: number;
  postsPerWeek: number;
  /** Stories a week, on platforms that have them (Instagram, Facebook, TikTok). */
  storiesPerWeek: number;
  /** Posts by others naming the brand, per day at the start of the history; grows with the audience. */
  mentionsPerDay: number;
  /** Messages and comments asking for a reply, per day at the start of the history; grows with the audience. */
  messagesPerDay: number;
}

export interface ReviewProfile {
  /** Reviews per customer per active month. */
  perActiveMonth: number;
  sources: Weights<string>;
  /** Share of reviews the source can match to a customer. */
  matchedShare: number;
  /** Typical star rating of an average customer, before satisfaction and noise. */
  ratingCentre: number;
}

/**
 * A shop's journeys in the events table: a visit of more than one page may view a product, and a
 * product view goes on to the cart, the checkout and the page where shipping costs appear, each
 * step with its own chance, or stops there. Such visits never buy: every purchase is an order, and
 * an order's own journey runs through every step just before it.
 */
export interface ShopJourneyProfile {
  /** Products viewed and added to carts. */
  products: Weights<string>;
  /** Chance that a visit of more than one page views a product. */
  browse: number;
  /** Chance that a product view adds to the cart, times the visit's channel effect on conversion (channels.ts). */
  toCart: number;
  /** Chance that a cart goes on to checkout, times the device's effect. */
  toCheckout: number;
  /** Chance that a started checkout reaches the shipping costs, times the device's effect. */
  toShipping: number;
  /** How each device carries a cart through checkout: phones' small forms lose more carts. */
  devices: Readonly<Record<Device, number>>;
  /** Median value of a cart that is not bought (the shop's orders have their own amounts). */
  cartMedian: number;
  /** Shipping charged below the free-shipping threshold. */
  shippingCost: number;
  freeShippingOver: number;
  /** Chance that a customer who browses on a phone places an order on a computer. */
  phoneBuyersOnDesktop: number;
}

/**
 * A software product's usage in the events table: sign_up at signup, onboarding_completed and a
 * first feature_used in the signup visit for some, then feature_used in signed-in visits with a
 * chance that decays from `usage.first` towards `usage.floor` as the novelty wears off.
 */
export interface ProductUsageProfile {
  /** Features used, as feature_used's product. */
  features: Weights<string>;
  /** Chance that a new customer completes onboarding, times the device's effect. */
  onboarding: number;
  devices: Readonly<Record<Device, number>>;
  /** Chance that an onboarded customer uses a feature in the signup visit. */
  activation: number;
  usage: {
    /** Chance that a signed-in visit in the first days uses a feature. */
    first: number;
    /** The chance it decays towards, for customers who stay. */
    floor: number;
    /** Days for the chance to come halfway down to the floor. */
    halfLifeDays: number;
    /** Multiplies the chance for customers who skipped onboarding. */
    notOnboarded: number;
  };
}

export interface TenantProfile {
  id: string;
  name: string;
  businessModel: 'b2b' | 'b2c';
  /** Share of the requested customers that belong to this tenant. */
  customerShare: number;
  /** Month-on-month growth of signups (and of anonymous traffic). */
  monthlyGrowth: number;
  /** Signup and traffic level by month of year, January first. */
  seasonality: readonly number[];
  /** Activity (signups, sessions, tickets, posts) by weekday, Sunday first. */
  weekdays: readonly number[];
  /** Activity by hour of day, UTC. */
  hours: readonly number[];
  plans: readonly PlanProfile[];
  countries: Weights<string>;
  acquisition: Weights<Channel>;
  /** Chance that a new customer leaves within the first two months (trial not converted, buyer's remorse). */
  earlyChurn: number;
  devices: Weights<Device>;
  web: {
    sessionsPerActiveMonth: number;
    /** Channels of signed-in customers' visits. */
    returningChannels: Weights<Channel>;
    /** Anonymous visitors who never sign up, per customer. */
    anonymousVisitorsPerCustomer: number;
    /** Chance that an anonymous visitor comes back at least once. */
    anonymousReturn: number;
    /** Per-session chance of completing the goal (purchase, upgrade, lead) before channel and device effects. */
    conversion: number;
    landingPages: Weights<string>;
    appPages: Weights<string>;
    referralSites: Weights<string>;
  };
  support: {
    ticketsPerActiveMonth: number;
    channels: Weights<SupportChannel>;
    /** Median hours to a first reply by email. */
    emailResponseHours: number;
  };
  /** Typical NPS answer of an average customer, before satisfaction and noise. */
  npsCentre: number;
  campaigns: readonly CampaignProfile[];
  social: readonly SocialAccountProfile[];
  /** What people do in their visits and in the product (the events table); every order is a purchase event whatever is set here. */
  journey: { shop?: ShopJourneyProfile; product?: ProductUsageProfile };
  /** How the social inbox is looked after: share of messages answered, median hours to the first reply. */
  socialCare: { answerRate: number; medianResponseHours: number };
  /** Share of social post link clicks that end in a conversion (a purchase, trial or lead). */
  socialClickConversion: number;
  reviews: ReviewProfile;
}

const officeHours = [1, 1, 1, 1, 1, 2, 4, 7, 10, 11, 11, 10, 8, 10, 11, 10, 9, 7, 5, 4, 3, 2, 1, 1];
const eveningHours = [3, 2, 1, 1, 1, 2, 4, 6, 6, 5, 5, 6, 7, 6, 5, 5, 6, 7, 9, 11, 12, 11, 8, 5];
const shoppingHours = [2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 10, 9, 8, 8, 8, 9, 10, 11, 11, 9, 6, 4];

/** A B2B SaaS product: three plans, low churn, desktop users on weekdays. */
const acme: TenantProfile = {
  id: 'acme',
  name: 'Acme Analytics',
  businessModel: 'b2b',
  customerShare: 0.25,
  monthlyGrowth: 0.035,
  // Budgets open in January and after summer; August and late December are quiet.
  seasonality: [1.15, 1.1, 1.1, 1.05, 1.0, 0.95, 0.85, 0.75, 1.05, 1.1, 1.05, 0.8],
  weekdays: [0.2, 1.0, 1.0, 1.0, 0.95, 0.8, 0.2],
  hours: officeHours,
  plans: [
    {
      name: 'starter',
      weight: 55,
      mrr: 49,
      mrrSpread: 0,
      monthlyChurn: 0.028,
      segments: { smb: 90, mid_market: 10 },
      ordersPerMonth: 0.12,
      orderMedian: 150,
      ticketTiers: [75, 22, 3],
    },
    {
      name: 'growth',
      weight: 35,
      mrr: 199,
      mrrSpread: 0,
      monthlyChurn: 0.014,
      segments: { smb: 35, mid_market: 60, enterprise: 5 },
      ordersPerMonth: 0.18,
      orderMedian: 600,
      ticketTiers: [65, 28, 7],
    },
    {
      name: 'enterprise',
      weight: 10,
      mrr: 1800,
      mrrSpread: 0.45,
      monthlyChurn: 0.006,
      segments: { mid_market: 25, enterprise: 75 },
      ordersPerMonth: 0.25,
      orderMedian: 4500,
      ticketTiers: [45, 38, 17],
    },
  ],
  countries: { US: 40, GB: 12, DE: 10, CA: 6, FR: 6, NL: 5, AU: 5, SE: 4, IN: 6, BR: 3, JP: 3 },
  acquisition: { organic: 30, paid_search: 20, referral: 15, direct: 15, email: 10, social: 10 },
  earlyChurn: 0.06,
  devices: { desktop: 78, mobile: 17, tablet: 5 },
  web: {
    sessionsPerActiveMonth: 3.4,
    returningChannels: { direct: 55, email: 20, organic: 15, referral: 4, social: 3, paid_search: 3 },
    anonymousVisitorsPerCustomer: 3,
    anonymousReturn: 0.3,
    conversion: 0.004,
    landingPages: {
      '/': 35,
      '/pricing': 15,
      '/features': 12,
      '/blog/cohort-analysis': 10,
      '/blog/churn-benchmarks': 8,
      '/docs': 10,
      '/customers': 5,
      '/signup': 5,
    },
    appPages: { '/app/dashboard': 50, '/app/reports': 20, '/app/settings': 8, '/app/billing': 4, '/docs': 10, '/login': 8 },
    referralSites: { 'g2.com': 35, 'capterra.com': 25, 'producthunt.com': 15, 'news.ycombinator.com': 10, 'partner.example.com': 15 },
  },
  support: { ticketsPerActiveMonth: 0.28, channels: { email: 45, chat: 35, phone: 15, social: 5 }, emailResponseHours: 5 },
  npsCentre: 8.4,
  campaigns: [
    { name: 'product-newsletter', channel: 'email', schedule: { every: 'month', dayOfMonth: 10 }, reachPer1000: 1400, ctrFactor: 1.05 },
    { name: 'trial-nurture', channel: 'email', schedule: { every: 'day' }, reachPer1000: 40, ctrFactor: 1.2 },
    { name: 'brand-search', channel: 'search', schedule: { every: 'day' }, reachPer1000: 90, ctrFactor: 1.25 },
    { name: 'competitor-search', channel: 'search', schedule: { every: 'day' }, reachPer1000: 140, ctrFactor: 0.8 },
    { name: 'retargeting', channel: 'display', schedule: { every: 'day' }, reachPer1000: 2200, ctrFactor: 1.1 },
    {
      name: 'linkedin-leadgen',
      channel: 'social',
      schedule: { every: 'year', from: [8, 1], to: [10, 30] },
      reachPer1000: 900,
      ctrFactor: 0.8,
    },
  ],
  social: [
    {
      platform: 'linkedin',
      followersAtStart: 12_000,
      monthlyFollowerGrowth: 0.03,
      postsPerWeek: 4,
      storiesPerWeek: 0,
      mentionsPerDay: 3,
      messagesPerDay: 2,
    },
    {
      platform: 'x',
      followersAtStart: 8_500,
      monthlyFollowerGrowth: 0.008,
      postsPerWeek: 5,
      storiesPerWeek: 0,
      mentionsPerDay: 6,
      messagesPerDay: 4,
    },
    {
      platform: 'facebook',
      followersAtStart: 3_000,
      monthlyFollowerGrowth: 0.004,
      postsPerWeek: 1,
      storiesPerWeek: 0.5,
      mentionsPerDay: 0.5,
      messagesPerDay: 0.5,
    },
  ],
  journey: {
    product: {
      features: { dashboards: 35, reports: 25, cohort_analysis: 12, alerts: 10, exports: 10, sql_editor: 8 },
      onboarding: 0.72,
      devices: { desktop: 1.05, tablet: 0.9, mobile: 0.75 },
      activation: 0.8,
      // Teams settle into a weekly habit: the decay is slow and the floor high.
      usage: { first: 0.85, floor: 0.5, halfLifeDays: 45, notOnboarded: 0.5 },
    },
  },
  // A small team answers in office hours; B2B buyers review on software directories.
  socialCare: { answerRate: 0.8, medianResponseHours: 3 },
  socialClickConversion: 0.015,
  reviews: { perActiveMonth: 0.01, sources: { g2: 60, capterra: 30, trustpilot: 10 }, matchedShare: 0.6, ratingCentre: 4.3 },
};

/** A B2C subscription app: monthly, annual and family plans, high churn, mostly on phones, busy evenings and weekends. */
const lumen: TenantProfile = {
  id: 'lumen',
  name: 'Lumen Mindfulness',
  businessModel: 'b2c',
  customerShare: 0.45,
  monthlyGrowth: 0.025,
  // New Year's resolutions fill January; summer is slow.
  seasonality: [1.7, 1.25, 1.05, 0.95, 0.9, 0.8, 0.75, 0.8, 0.95, 1.0, 1.0, 0.9],
  weekdays: [1.2, 0.95, 0.9, 0.9, 0.9, 0.95, 1.15],
  hours: eveningHours,
  plans: [
    {
      name: 'monthly',
      weight: 60,
      mrr: 12.99,
      mrrSpread: 0,
      monthlyChurn: 0.085,
      segments: { individual: 82, student: 18 },
      ordersPerMonth: 0.3,
      orderMedian: 6,
      ticketTiers: [85, 14, 1],
    },
    {
      name: 'annual',
      weight: 30,
      mrr: 8.33,
      mrrSpread: 0,
      monthlyChurn: 0.03,
      segments: { individual: 90, student: 10 },
      ordersPerMonth: 0.25,
      orderMedian: 8,
      ticketTiers: [85, 14, 1],
    },
    {
      name: 'family',
      weight: 10,
      mrr: 19.99,
      mrrSpread: 0,
      monthlyChurn: 0.045,
      segments: { family: 100 },
      ordersPerMonth: 0.35,
      orderMedian: 12,
      ticketTiers: [80, 18, 2],
    },
  ],
  countries: { US: 30, GB: 10, DE: 8, FR: 7, ES: 6, IT: 6, BR: 8, MX: 6, CA: 5, AU: 5, IN: 9 },
  acquisition: { social: 30, paid_search: 20, organic: 20, referral: 10, direct: 10, email: 10 },
  earlyChurn: 0.22,
  devices: { mobile: 72, desktop: 20, tablet: 8 },
  web: {
    sessionsPerActiveMonth: 3.8,
    returningChannels: { direct: 50, email: 20, social: 15, organic: 10, referral: 3, paid_search: 2 },
    anonymousVisitorsPerCustomer: 2,
    anonymousReturn: 0.25,
    conversion: 0.005,
    landingPages: { '/': 40, '/pricing': 15, '/sleep-stories': 15, '/blog/breathing-exercises': 12, '/download': 13, '/gift': 5 },
    appPages: { '/app/today': 55, '/app/library': 20, '/app/sleep': 15, '/app/account': 5, '/login': 5 },
    referralSites: { 'apps.apple.com': 35, 'play.google.com': 30, 'healthline.com': 15, 'reddit.com': 10, 'podcast.example.org': 10 },
  },
  support: { ticketsPerActiveMonth: 0.06, channels: { email: 55, chat: 30, social: 15 }, emailResponseHours: 10 },
  npsCentre: 7.9,
  campaigns: [
    { name: 'weekly-digest', channel: 'email', schedule: { every: 'week', weekday: 0 }, reachPer1000: 1600, ctrFactor: 0.9 },
    { name: 'winback', channel: 'email', schedule: { every: 'month', dayOfMonth: 20 }, reachPer1000: 800, ctrFactor: 0.85 },
    { name: 'app-install-search', channel: 'search', schedule: { every: 'day' }, reachPer1000: 160, ctrFactor: 1.0 },
    { name: 'video-display', channel: 'display', schedule: { every: 'day' }, reachPer1000: 2500, ctrFactor: 0.9 },
    { name: 'instagram-ads', channel: 'social', schedule: { every: 'day' }, reachPer1000: 1800, ctrFactor: 1.1 },
    {
      name: 'new-year-push',
      channel: 'social',
      schedule: { every: 'year', from: [11, 26], to: [0, 31] },
      reachPer1000: 6000,
      ctrFactor: 1.3,
    },
  ],
  social: [
    {
      platform: 'instagram',
      followersAtStart: 85_000,
      monthlyFollowerGrowth: 0.02,
      postsPerWeek: 6,
      storiesPerWeek: 5,
      mentionsPerDay: 15,
      messagesPerDay: 12,
    },
    {
      platform: 'tiktok',
      followersAtStart: 40_000,
      monthlyFollowerGrowth: 0.06,
      postsPerWeek: 5,
      storiesPerWeek: 2,
      mentionsPerDay: 20,
      messagesPerDay: 8,
    },
    {
      platform: 'facebook',
      followersAtStart: 60_000,
      monthlyFollowerGrowth: 0.002,
      postsPerWeek: 3,
      storiesPerWeek: 1,
      mentionsPerDay: 4,
      messagesPerDay: 6,
    },
  ],
  journey: {
    product: {
      features: { guided_meditation: 40, sleep_story: 25, breathing: 15, mood_journal: 12, soundscapes: 8 },
      onboarding: 0.6,
      devices: { mobile: 1.05, tablet: 1.0, desktop: 0.85 },
      activation: 0.75,
      // Consumer apps lose the habit fast: a steep early drop, a low floor.
      usage: { first: 0.8, floor: 0.3, halfLifeDays: 14, notOnboarded: 0.4 },
    },
  },
  // Many messages for a small team, answered in the evening; app-store reviews are rarely matched to an account.
  socialCare: { answerRate: 0.55, medianResponseHours: 9 },
  socialClickConversion: 0.03,
  reviews: { perActiveMonth: 0.02, sources: { app_store: 55, google_play: 40, trustpilot: 5 }, matchedShare: 0.2, ratingCentre: 4.4 },
};

/** An e-commerce shop: many orders, a paid membership, Black Friday and December peaks. */
const northwind: TenantProfile = {
  id: 'northwind',
  name: 'Northwind Goods',
  businessModel: 'b2c',
  customerShare: 0.3,
  monthlyGrowth: 0.03,
  seasonality: [0.85, 0.8, 0.9, 0.95, 1.0, 0.95, 1.0, 0.95, 0.95, 1.05, 1.6, 1.7],
  weekdays: [1.15, 1.0, 0.95, 0.95, 0.95, 1.0, 1.1],
  hours: shoppingHours,
  plans: [
    {
      name: 'standard',
      weight: 80,
      mrr: 0,
      mrrSpread: 0,
      monthlyChurn: 0.05,
      segments: { retail: 92, trade: 8 },
      ordersPerMonth: 0.45,
      orderMedian: 65,
      ticketTiers: [88, 11, 1],
    },
    {
      name: 'plus',
      weight: 20,
      mrr: 9.99,
      mrrSpread: 0,
      monthlyChurn: 0.02,
      segments: { retail: 80, trade: 20 },
      ordersPerMonth: 0.9,
      orderMedian: 80,
      ticketTiers: [85, 13, 2],
    },
  ],
  countries: { US: 55, CA: 15, GB: 10, AU: 8, DE: 5, IE: 4, NZ: 3 },
  acquisition: { paid_search: 30, organic: 25, social: 15, email: 12, referral: 8, direct: 10 },
  earlyChurn: 0.12,
  devices: { mobile: 58, desktop: 34, tablet: 8 },
  web: {
    sessionsPerActiveMonth: 2.5,
    returningChannels: { direct: 35, email: 30, organic: 15, paid_search: 10, social: 7, referral: 3 },
    anonymousVisitorsPerCustomer: 4,
    anonymousReturn: 0.35,
    conversion: 0.01,
    landingPages: {
      '/': 30,
      '/sale': 15,
      '/c/kitchen': 12,
      '/c/outdoor': 10,
      '/c/home': 10,
      '/p/cast-iron-skillet': 8,
      '/p/rain-jacket': 7,
      '/gift-cards': 8,
    },
    appPages: { '/': 30, '/account/orders': 20, '/sale': 15, '/c/kitchen': 10, '/c/outdoor': 10, '/cart': 15 },
    referralSites: { 'pinterest.com': 35, 'wirecutter.com': 20, 'slickdeals.net': 20, 'reddit.com': 15, 'blog.example.net': 10 },
  },
  support: { ticketsPerActiveMonth: 0.1, channels: { email: 50, chat: 30, phone: 10, social: 10 }, emailResponseHours: 8 },
  npsCentre: 8.6,
  campaigns: [
    { name: 'weekly-deals', channel: 'email', schedule: { every: 'week', weekday: 4 }, reachPer1000: 1800, ctrFactor: 1.0 },
    { name: 'abandoned-cart', channel: 'email', schedule: { every: 'day' }, reachPer1000: 25, ctrFactor: 1.8 },
    { name: 'shopping-search', channel: 'search', schedule: { every: 'day' }, reachPer1000: 400, ctrFactor: 0.9 },
    { name: 'brand-search', channel: 'search', schedule: { every: 'day' }, reachPer1000: 120, ctrFactor: 1.3 },
    { name: 'retargeting', channel: 'display', schedule: { every: 'day' }, reachPer1000: 3000, ctrFactor: 1.2 },
    {
      name: 'black-friday',
      channel: 'social',
      schedule: { every: 'year', from: [10, 15], to: [11, 1] },
      reachPer1000: 9000,
      ctrFactor: 1.2,
    },
    { name: 'summer-sale', channel: 'social', schedule: { every: 'year', from: [6, 1], to: [6, 21] }, reachPer1000: 5000, ctrFactor: 1.0 },
  ],
  social: [
    {
      platform: 'instagram',
      followersAtStart: 120_000,
      monthlyFollowerGrowth: 0.015,
      postsPerWeek: 7,
      storiesPerWeek: 10,
      mentionsPerDay: 25,
      messagesPerDay: 30,
    },
    {
      platform: 'facebook',
      followersAtStart: 200_000,
      monthlyFollowerGrowth: 0.003,
      postsPerWeek: 5,
      storiesPerWeek: 3,
      mentionsPerDay: 12,
      messagesPerDay: 25,
    },
    {
      platform: 'tiktok',
      followersAtStart: 25_000,
      monthlyFollowerGrowth: 0.07,
      postsPerWeek: 4,
      storiesPerWeek: 2,
      mentionsPerDay: 10,
      messagesPerDay: 5,
    },
    {
      platform: 'x',
      followersAtStart: 30_000,
      monthlyFollowerGrowth: 0.005,
      postsPerWeek: 3,
      storiesPerWeek: 0,
      mentionsPerDay: 8,
      messagesPerDay: 10,
    },
  ],
  journey: {
    shop: {
      products: {
        'cast-iron-skillet': 14,
        'rain-jacket': 12,
        'chef-knife': 10,
        'linen-sheets': 10,
        'hiking-boots': 9,
        'coffee-grinder': 9,
        'throw-blanket': 8,
        'camp-stove': 7,
        'wool-socks': 11,
        'gift-card': 10,
      },
      browse: 0.85,
      toCart: 0.6,
      toCheckout: 0.8,
      toShipping: 0.92,
      devices: { desktop: 1.0, tablet: 0.95, mobile: 0.75 },
      cartMedian: 55,
      shippingCost: 7.95,
      freeShippingOver: 75,
      phoneBuyersOnDesktop: 0.3,
    },
  },
  // Order questions keep a customer-care team on the inbox; shoppers review the shop on Google and Trustpilot.
  socialCare: { answerRate: 0.7, medianResponseHours: 5 },
  socialClickConversion: 0.022,
  reviews: { perActiveMonth: 0.03, sources: { google: 45, trustpilot: 40, facebook: 15 }, matchedShare: 0.7, ratingCentre: 4.1 },
};

/** In id order: reports default to the first, the B2B tenant. */
export const tenantProfiles: readonly TenantProfile[] = [acme, lumen, northwind];
