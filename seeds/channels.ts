import { Weighted } from './weighted.js';

/** How a visit (or a customer) arrived: the web_sessions.channel and customers.acquisition_channel vocabulary. */
export type Channel = 'organic' | 'paid_search' | 'social' | 'referral' | 'email' | 'direct';
export type Device = 'desktop' | 'mobile' | 'tablet';

interface ChannelBehaviour {
  /** Chance that an anonymous desktop-ish visit views a single page. */
  bounce: number;
  /** Multiplies the tenant's per-session conversion rate. */
  conversion: number;
  /** Multiplies the churn hazard of customers acquired this way: referred customers stay, ad clicks leave. */
  churn: number;
  /** Referring sites, or none when the visit carries no referrer (typed URL, email client). */
  referrers?: Weighted<string>;
}

// Bounce rates follow the usual ordering of published channel benchmarks (e.g. Contentsquare,
// Semrush): social and paid traffic bounce most, email and direct visits least.
export const channels: Record<Channel, ChannelBehaviour> = {
  email: { bounce: 0.3, conversion: 1.6, churn: 1.0 },
  direct: { bounce: 0.33, conversion: 1.3, churn: 0.95 },
  // Referring sites of referral visits are the tenant's own partners and review sites.
  referral: { bounce: 0.37, conversion: 1.4, churn: 0.75 },
  organic: {
    bounce: 0.43,
    conversion: 1.0,
    churn: 0.9,
    referrers: Weighted.of({ 'google.com': 88, 'bing.com': 6, 'duckduckgo.com': 4, 'yahoo.com': 2 }),
  },
  paid_search: {
    bounce: 0.5,
    conversion: 0.9,
    churn: 1.2,
    referrers: Weighted.of({ 'google.com': 90, 'bing.com': 10 }),
  },
  social: {
    bounce: 0.6,
    conversion: 0.5,
    churn: 1.4,
    referrers: Weighted.of({ 'facebook.com': 30, 'instagram.com': 25, 'linkedin.com': 15, 't.co': 10, 'tiktok.com': 15, 'reddit.com': 5 }),
  },
};

export const devices: Record<Device, { bounce: number; conversion: number; pagesPerVisit: number }> = {
  desktop: { bounce: 0.9, conversion: 1.2, pagesPerVisit: 4 },
  tablet: { bounce: 1.0, conversion: 1.0, pagesPerVisit: 3.5 },
  mobile: { bounce: 1.15, conversion: 0.7, pagesPerVisit: 3 },
};

/** Signed-in customers know their way around: fewer single-page visits. */
export const SIGNED_IN_BOUNCE = 0.75;
