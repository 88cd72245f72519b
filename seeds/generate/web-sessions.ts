import { DAY } from '../calendar.js';
import { channels, devices, SIGNED_IN_BOUNCE, type Channel, type Device } from '../channels.js';
import { activeMonths, Customers } from '../customer.js';
import type { TenantShare } from '../population.js';
import { Prng, streams } from '../prng.js';
import { NULL, type TableSink, type TableSource } from '../table.js';
import { Weighted } from '../weighted.js';

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
 * signed-in use while active), followed by visitors who never sign up. Bounce and conversion
 * depend on channel and device (channels.ts); timing on the tenant's week and day.
 */
export const webSessions: TableSource = {
  table: 'web_sessions',
  columns: [
    'id',
    'tenant_id',
    'visitor_id',
    'customer_id',
    'started_at',
    'duration_seconds',
    'pageviews',
    'landing_page',
    'channel',
    'referrer',
    'device',
    'converted',
  ],
  open(population) {
    const all = new Customers(population);
    const rng = new Prng(population.seed);
    const picks = population.tenants.map(picksOf);
    const { calendar } = population;

    function visit(
      sink: TableSink,
      tenant: TenantShare,
      visitorId: string,
      customerId: string | null,
      at: number,
      channel: Channel,
      device: Device,
      signedIn: boolean,
      signup: boolean,
    ): void {
      const how = channels[channel];
      const on = devices[device];
      const p = picks[tenant.index]!;
      const converted = signup || rng.chance(tenant.profile.web.conversion * how.conversion * on.conversion);
      const bounced = !converted && rng.chance(how.bounce * on.bounce * (signedIn ? SIGNED_IN_BOUNCE : 1));
      const pageviews = bounced ? 1 : 2 + Math.floor(rng.exponential(on.pagesPerVisit - 2));
      const duration = Math.round(bounced ? rng.exponential(SECONDS_ON_BOUNCE) : pageviews * rng.logNormal(SECONDS_PER_PAGE, 0.6));
      const landing = (signedIn ? p.appPages : p.landingPages).pick(rng);
      const referrer = channel === 'referral' ? p.referralSites.pick(rng) : (how.referrers?.pick(rng) ?? NULL);
      sink.push(
        `${sink.nextId(tenant.profile.id)}\t${tenant.profile.id}\t${visitorId}\t${customerId ?? NULL}\t${calendar.timestamp(at)}\t${duration}\t${pageviews}\t${landing}\t${channel}\t${referrer}\t${device}\t${converted ? 't' : 'f'}\n`,
      );
    }

    function customerVisits(unit: number, sink: TableSink): void {
      const c = all.get(unit);
      const { tenant } = c;
      const p = picks[tenant.index]!;
      rng.reseed(streams.sessions, tenant.index, c.index);

      const signupVisit = Math.max(calendar.start, c.signupAt - rng.int(2 * 60, 20 * 60));
      const researchFrom = Math.max(calendar.start, c.signupAt - RESEARCH_WINDOW);
      const research = researchFrom < signupVisit ? rng.int(0, 3) : 0;
      const before = Array.from({ length: research }, () => tenant.rhythm.during(researchFrom, signupVisit, rng)).sort((a, b) => a - b);
      for (const at of before)
        visit(sink, tenant, c.id, null, at, rng.chance(0.6) ? c.channel : p.arriving.pick(rng), c.device, false, false);
      visit(sink, tenant, c.id, c.id, signupVisit, c.channel, c.device, false, true);

      const engagement = Math.exp(SATISFACTION_EFFECT * c.satisfaction - SATISFACTION_EFFECT ** 2 / 2);
      const count = rng.poisson(tenant.profile.web.sessionsPerActiveMonth * engagement * activeMonths(c));
      const times = Array.from({ length: count }, () => tenant.rhythm.during(c.signupAt, c.activeUntil, rng)).sort((a, b) => a - b);
      for (const at of times) {
        const device = rng.chance(USUAL_DEVICE) ? c.device : p.devices.pick(rng);
        visit(sink, tenant, c.id, c.id, at, p.returning.pick(rng), device, true, false);
      }
    }

    function anonymousVisits(index: number, sink: TableSink): void {
      const tenant = population.tenantOf(index, true);
      const local = index - tenant.firstAnonymous;
      const p = picks[tenant.index]!;
      rng.reseed(streams.visitors, tenant.index, local);
      // Customers browse under their customer id as visitor id; visitors who never sign up are, …
      const visitorId = `A-${local + 1}`;
      const first = tenant.rhythm.arrival((local + rng.next()) / tenant.anonymousVisitors, rng);
      const channel = p.arriving.pick(rng);
      const device = p.devices.pick(rng);
      visit(sink, tenant, visitorId, null, first, channel, device, false, false);

      const returns = rng.chance(tenant.profile.web.anonymousReturn) ? 1 + Math.floor(rng.exponential(1)) : 0;
      const until = Math.min(calendar.end, first + RETURN_WINDOW);
      if (first + 1 >= until) return;
      const times = Array.from({ length: returns }, () => tenant.rhythm.during(first + 1, until, rng)).sort((a, b) => a - b);
      for (const at of times) visit(sink, tenant, visitorId, null, at, rng.chance(0.5) ? channel : 'direct', device, false, false);
    }

    return {
      units: population.customers + population.anonymousVisitors,
      write(unit, sink) {
        if (unit < population.customers) customerVisits(unit, sink);
        else anonymousVisits(unit - population.customers, sink);
      },
    };
  },
};
