import { DAY } from './calendar.js';
import { channels, devices, SIGNED_IN_BOUNCE, type Channel, type Device } from './channels.js';
import { activeMonths, type Customer } from './customer.js';
import type { Population, TenantShare } from './population.js';
import { Prng, streams } from './prng.js';
import { Weighted } from './weighted.js';

/** How far back a customer's anonymous visits before signing up can go. */
const RESEARCH_WINDOW = 14 * DAY;
/** How long an anonymous visitor keeps coming back. */
const RETURN_WINDOW = 30 * DAY;
/** Share of a customer's visits on their usual device. */
const USUAL_DEVICE = 0.8;
// Satisfied customers visit more: exp(0.4·Z) / exp(0.08) keeps the profile's mean rate.
const SATISFACTION_EFFECT = 0.4;
/** Mean seconds on a page, and on a single-page visit. */
const SECONDS_PER_PAGE = 40;
const SECONDS_ON_BOUNCE = 25;

/** One web session, as web_sessions stores it and as the events of that visit see it. */
export interface Visit {
  tenant: TenantShare;
  visitorId: string;
  /** Set on a customer's signup visit and signed-in visits; null while anonymous. */
  customerId: string | null;
  at: number;
  durationSeconds: number;
  pageviews: number;
  landingPage: string;
  channel: Channel;
  /** A referring site, or null when the visit carries none. */
  referrer: string | null;
  device: Device;
  converted: boolean;
  signedIn: boolean;
  /** The visit in which the customer signed up. */
  signup: boolean;
}

interface TenantPicks {
  returning: Weighted<Channel>;
  arriving: Weighted<Channel>;
  devices: Weighted<Device>;
  landingPages: Weighted<string>;
  appPages: Weighted<string>;
  referralSites: Weighted<string>;
}

function picksOf({ profile }: TenantShare): TenantPicks {
  return {
    returning: Weighted.of(profile.web.returningChannels),
    arriving: Weighted.of(profile.acquisition),
    devices: Weighted.of(profile.devices),
    landingPages: Weighted.of(profile.web.landingPages),
    appPages: Weighted.of(profile.web.appPages),
    referralSites: Weighted.of(profile.web.referralSites),
  };
}

/**
 * Customers' visits (a few anonymous ones before signing up, the converting signup visit, then
 * signed-in use while active), and visitors who never sign up. Bounce and conversion depend on
 * channel and device (channels.ts); timing on the tenant's week and day. Each visitor's visits
 * come from their own random stream, so web_sessions and the events of those sessions, generated
 * in separate passes, see the same visits in the same order.
 */
export class Visits {
  private readonly rng: Prng;
  private readonly picks: TenantPicks[];

  constructor(private readonly population: Population) {
    this.rng = new Prng(population.seed);
    this.picks = population.tenants.map(picksOf);
  }

  /** A customer's visits in time order. */
  ofCustomer(c: Customer, each: (visit: Visit) => void): void {
    const { rng } = this;
    const { tenant } = c;
    const { calendar } = this.population;
    const p = this.picks[tenant.index]!;
    rng.reseed(streams.sessions, tenant.index, c.index);

    const signupVisit = Math.max(calendar.start, c.signupAt - rng.int(2 * 60, 20 * 60));
    const researchFrom = Math.max(calendar.start, c.signupAt - RESEARCH_WINDOW);
    const research = researchFrom < signupVisit ? rng.int(0, 3) : 0;
    const before = Array.from({ length: research }, () => tenant.rhythm.during(researchFrom, signupVisit, rng)).sort((a, b) => a - b);
    for (const at of before)
      each(this.visit(tenant, c.id, null, at, rng.chance(0.6) ? c.channel : p.arriving.pick(rng), c.device, false, false));
    each(this.visit(tenant, c.id, c.id, signupVisit, c.channel, c.device, false, true));

    const engagement = Math.exp(SATISFACTION_EFFECT * c.satisfaction - SATISFACTION_EFFECT ** 2 / 2);
    const count = rng.poisson(tenant.profile.web.sessionsPerActiveMonth * engagement * activeMonths(c));
    const times = Array.from({ length: count }, () => tenant.rhythm.during(c.signupAt, c.activeUntil, rng)).sort((a, b) => a - b);
    for (const at of times) {
      const device = rng.chance(USUAL_DEVICE) ? c.device : p.devices.pick(rng);
      each(this.visit(tenant, c.id, c.id, at, p.returning.pick(rng), device, true, false));
    }
  }

  /** The visits of anonymous visitor `index` (0-based over the population, tenant after tenant), in time order. */
  ofAnonymous(index: number, each: (visit: Visit) => void): void {
    const { rng, population } = this;
    const tenant = population.tenantOf(index, true);
    const local = index - tenant.firstAnonymous;
    const p = this.picks[tenant.index]!;
    rng.reseed(streams.visitors, tenant.index, local);
    // Customers browse under their customer id as visitor id; visitors who never sign up are, …
    const visitorId = `A-${local + 1}`;
    const first = tenant.rhythm.arrival((local + rng.next()) / tenant.anonymousVisitors, rng);
    const channel = p.arriving.pick(rng);
    const device = p.devices.pick(rng);
    each(this.visit(tenant, visitorId, null, first, channel, device, false, false));

    const returns = rng.chance(tenant.profile.web.anonymousReturn) ? 1 + Math.floor(rng.exponential(1)) : 0;
    const until = Math.min(population.calendar.end, first + RETURN_WINDOW);
    if (first + 1 >= until) return;
    const times = Array.from({ length: returns }, () => tenant.rhythm.during(first + 1, until, rng)).sort((a, b) => a - b);
    for (const at of times) each(this.visit(tenant, visitorId, null, at, rng.chance(0.5) ? channel : 'direct', device, false, false));
  }

  private visit(
    tenant: TenantShare,
    visitorId: string,
    customerId: string | null,
    at: number,
    channel: Channel,
    device: Device,
    signedIn: boolean,
    signup: boolean,
  ): Visit {
    const { rng } = this;
    const how = channels[channel];
    const on = devices[device];
    const p = this.picks[tenant.index]!;
    const converted = signup || rng.chance(tenant.profile.web.conversion * how.conversion * on.conversion);
    const bounced = !converted && rng.chance(how.bounce * on.bounce * (signedIn ? SIGNED_IN_BOUNCE : 1));
    const pageviews = bounced ? 1 : 2 + Math.floor(rng.exponential(on.pagesPerVisit - 2));
    const durationSeconds = Math.round(bounced ? rng.exponential(SECONDS_ON_BOUNCE) : pageviews * rng.logNormal(SECONDS_PER_PAGE, 0.6));
    const landingPage = (signedIn ? p.appPages : p.landingPages).pick(rng);
    const referrer = channel === 'referral' ? p.referralSites.pick(rng) : (how.referrers?.pick(rng) ?? null);
    return {
      tenant,
      visitorId,
      customerId,
      at,
      durationSeconds,
      pageviews,
      landingPage,
      channel,
      referrer,
      device,
      converted,
      signedIn,
      signup,
    };
  }
}
