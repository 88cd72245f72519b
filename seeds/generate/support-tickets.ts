import { DAY, HOUR } from '../calendar.js';
import { activeMonths, Customers, type Customer } from '../customer.js';
import { Prng, streams } from '../prng.js';
import type { Population } from '../population.js';
import { NULL, type TableSource } from '../table.js';
import type { PlanProfile, SupportChannel } from '../tenants.js';
import { Weighted } from '../weighted.js';

export interface Ticket {
  openedAt: number;
  /** Null when the reply (or the resolution) would fall after the history: still waiting. */
  firstResponseAt: number | null;
  resolvedAt: number | null;
  channel: SupportChannel;
  tier: 1 | 2 | 3;
  contacts: number;
}

/** Median delay of a first reply by channel, in seconds; email comes from the tenant's profile. */
const FIRST_REPLY: Record<Exclude<SupportChannel, 'email'>, number> = { chat: 4 * 60, phone: 90, social: 2 * HOUR };
/** Median time from first reply to resolution by tier: escalated tickets take days. */
const RESOLUTION_BY_TIER = [4 * HOUR, 20 * HOUR, 60 * HOUR] as const;
/** Chance that a ticket is resolved in one contact, by tier. */
const FIRST_CONTACT_RESOLUTION = [0.78, 0.6, 0.35] as const;
/** Share of tickets asked during onboarding, the customer's first 30 days. */
const ONBOARDING_SHARE = 0.25;
// Unhappy customers write more: exp(−0.3·Z) / exp(0.045) keeps the profile's mean rate.
const SATISFACTION_EFFECT = -0.3;

/**
 * Customers' tickets: load rises with active customers, and a little with unhappy ones.
 * Surveys derive them again to ask for CSAT and CES after a resolution.
 */
export class Tickets {
  private readonly rng: Prng;
  private readonly channels: Weighted<SupportChannel>[];
  private readonly tiers: Map<PlanProfile, Weighted<1 | 2 | 3>>;

  constructor(private readonly population: Population) {
    this.rng = new Prng(population.seed);
    this.channels = population.tenants.map((t) => Weighted.of(t.profile.support.channels));
    this.tiers = new Map(
      population.tenants
        .flatMap((t) => t.profile.plans)
        .map((plan) => {
          const [one, two, three] = plan.ticketTiers;
          return [
            plan,
            new Weighted([
              [1, one],
              [2, two],
              [3, three],
            ] as const),
          ];
        }),
    );
  }

  of(customer: Customer): Ticket[] {
    const { rng } = this;
    const { tenant } = customer;
    const { support } = tenant.profile;
    const end = this.population.calendar.end;
    rng.reseed(streams.tickets, tenant.index, customer.index);
    const rate = support.ticketsPerActiveMonth * Math.exp(SATISFACTION_EFFECT * customer.satisfaction - SATISFACTION_EFFECT ** 2 / 2);
    const count = rng.poisson(rate * activeMonths(customer));
    const tickets: Ticket[] = [];
    for (let i = 0; i < count; i++) {
      const until = rng.chance(ONBOARDING_SHARE) ? Math.min(customer.activeUntil, customer.signupAt + 30 * DAY) : customer.activeUntil;
      const openedAt = tenant.rhythm.during(customer.signupAt, until, rng);
      const channel = this.channels[tenant.index]!.pick(rng);
      const tier = this.tiers.get(customer.plan)!.pick(rng);
      const contacts = rng.chance(FIRST_CONTACT_RESOLUTION[tier - 1]!) ? 1 : 2 + Math.floor(rng.exponential(1.2));
      const replyMedian = channel === 'email' ? support.emailResponseHours * HOUR : FIRST_REPLY[channel];
      const reply = openedAt + Math.round(rng.logNormal(replyMedian, 0.9));
      // Each extra contact is another round trip.
      const resolved = reply + Math.round(rng.logNormal(RESOLUTION_BY_TIER[tier - 1]!, 0.9) * Math.sqrt(contacts));
      tickets.push({
        openedAt,
        firstResponseAt: reply < end ? reply : null,
        resolvedAt: resolved < end ? resolved : null,
        channel,
        tier,
        contacts,
      });
    }
    return tickets.sort((a, b) => a.openedAt - b.openedAt);
  }
}

export const supportTickets: TableSource = {
  table: 'support_tickets',
  columns: ['id', 'tenant_id', 'customer_id', 'opened_at', 'first_response_at', 'resolved_at', 'channel', 'tier', 'contacts'],
  open(population) {
    const all = new Customers(population);
    const tickets = new Tickets(population);
    const { calendar } = population;
    const time = (t: number | null) => (t === null ? NULL : calendar.timestamp(t));
    return {
      units: population.customers,
      write(unit, sink) {
        const c = all.get(unit);
        for (const t of tickets.of(c)) {
          sink.push(
            `${sink.nextId(c.tenant.profile.id)}\t${c.tenant.profile.id}\t${c.id}\t${time(t.openedAt)}\t${time(t.firstResponseAt)}\t${time(t.resolvedAt)}\t${t.channel}\t${t.tier}\t${t.contacts}\n`,
          );
        }
      },
    };
  },
};
