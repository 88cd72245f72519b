import { DAY, MONTH } from './calendar.js';
import { channels, type Channel, type Device } from './channels.js';
import type { Population, TenantShare } from './population.js';
import { Prng, streams } from './prng.js';
import type { PlanProfile } from './tenants.js';
import { Weighted } from './weighted.js';

export interface Customer {
  tenant: TenantShare;
  /** Index within the tenant, part of the customer's random-stream keys. */
  index: number;
  /** The customer's id within the tenant, as a source would export it: "C-1", "C-2", … */
  id: string;
  signupAt: number;
  /** When the subscription ended, or null if it is still active at the end of the history. */
  endedAt: number | null;
  /** The end of the customer's activity in the history: `endedAt` or the history's end. */
  activeUntil: number;
  plan: PlanProfile;
  mrr: number;
  segment: string;
  country: string;
  channel: Channel;
  /** The device the customer mostly uses. */
  device: Device;
  /**
   * Latent satisfaction, standard normal. It lowers the churn hazard and raises survey scores,
   * so customers who leave have answered lower before: the correlation analysts look for.
   */
  satisfaction: number;
}

interface TenantChoices {
  plans: Weighted<PlanProfile>;
  segments: Map<PlanProfile, Weighted<string>>;
  countries: Weighted<string>;
  acquisition: Weighted<Channel>;
  devices: Weighted<Device>;
}

function choicesOf({ profile }: TenantShare): TenantChoices {
  return {
    plans: new Weighted(profile.plans.map((plan) => [plan, plan.weight] as const)),
    segments: new Map(profile.plans.map((plan) => [plan, Weighted.of(plan.segments)])),
    countries: Weighted.of(profile.countries),
    acquisition: Weighted.of(profile.acquisition),
    devices: Weighted.of(profile.devices),
  };
}

// E[exp(−s·Z)] = exp(s²/2): dividing by it keeps each plan's average churn at its profile value.
const SATISFACTION_EFFECT = 0.5;
const SATISFACTION_MEAN_FACTOR = Math.exp((SATISFACTION_EFFECT * SATISFACTION_EFFECT) / 2);

/**
 * The population's customers, derived again in every table's pass from each customer's own
 * random stream instead of being kept in memory: a customer is the same in every table.
 */
export class Customers {
  private readonly rng: Prng;
  private readonly choices: TenantChoices[];

  constructor(private readonly population: Population) {
    this.rng = new Prng(population.seed);
    this.choices = population.tenants.map(choicesOf);
  }

  /** Customer `index` (0-based over the whole population, tenant after tenant). */
  get(index: number): Customer {
    const { population, rng } = this;
    const tenant = population.tenantOf(index);
    const local = index - tenant.firstCustomer;
    const choices = this.choices[tenant.index]!;
    rng.reseed(streams.customer, tenant.index, local);

    const signupAt = tenant.rhythm.arrival((local + rng.next()) / tenant.customers, rng);
    const plan = choices.plans.pick(rng);
    const channel = choices.acquisition.pick(rng);
    const satisfaction = rng.normal();
    const risk = (channels[channel].churn * Math.exp(-SATISFACTION_EFFECT * satisfaction)) / SATISFACTION_MEAN_FACTOR;
    const lifetime = rng.chance(tenant.profile.earlyChurn * risk)
      ? rng.int(7 * DAY, 60 * DAY)
      : Math.floor(rng.exponential(MONTH / (plan.monthlyChurn * risk)));
    const endsAt = signupAt + Math.max(lifetime, DAY);
    const endedAt = endsAt < population.calendar.end ? endsAt : null;

    return {
      tenant,
      index: local,
      id: `C-${local + 1}`,
      signupAt,
      endedAt,
      activeUntil: endedAt ?? population.calendar.end,
      plan,
      mrr: Math.round(plan.mrr * Math.exp(plan.mrrSpread * rng.normal()) * 100) / 100,
      segment: choices.segments.get(plan)!.pick(rng),
      country: choices.countries.pick(rng),
      channel,
      device: choices.devices.pick(rng),
      satisfaction,
    };
  }
}

/** Months of the history the customer was active, the exposure for per-month rates. */
export function activeMonths(customer: Customer): number {
  return (customer.activeUntil - customer.signupAt) / MONTH;
}
