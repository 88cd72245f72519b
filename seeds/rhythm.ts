import { DAY, HOUR, MONTH, type Calendar } from './calendar.js';
import type { Prng } from './prng.js';
import type { TenantProfile } from './tenants.js';
import { Weighted } from './weighted.js';

/**
 * When things happen for one tenant: the growth and seasons of its business over the history,
 * and its week and day (office hours for B2B, evenings and weekends for consumers).
 */
export class Rhythm {
  /** Cumulative share of the history's signups (and new visitors) up to the end of each day. */
  private readonly cumulative: Float64Array;
  private readonly weekdayAcceptance: number[];
  private readonly hours: Weighted<number>;

  constructor(
    readonly calendar: Calendar,
    profile: TenantProfile,
  ) {
    const maxWeekday = Math.max(...profile.weekdays);
    this.weekdayAcceptance = profile.weekdays.map((w) => w / maxWeekday);
    this.hours = new Weighted(profile.hours.map((weight, hour) => [hour, weight] as const));
    this.cumulative = new Float64Array(calendar.days);
    let sum = 0;
    for (let day = 0; day < calendar.days; day++) {
      const months = (day * DAY) / MONTH;
      sum +=
        Math.exp(profile.monthlyGrowth * months) *
        profile.seasonality[calendar.monthOfYear(day)]! *
        profile.weekdays[calendar.weekday(day)]!;
      this.cumulative[day] = sum;
    }
    for (let day = 0; day < calendar.days; day++) this.cumulative[day] = this.cumulative[day]! / sum;
  }

  /**
   * The time below which a share `q` of the history's arrivals fall. Spreading n arrivals at
   * q = (k + u) / n gives exactly n of them, in order, shaped by growth, season and weekday.
   */
  arrival(q: number, rng: Prng): number {
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid]! <= q) low = mid + 1;
      else high = mid;
    }
    return this.clamp(this.atHour(low, rng), this.calendar.start, this.calendar.end);
  }

  /** Business size at a day, as the share of the history's arrivals so far, never below a starting base. */
  sizeAt(day: number): number {
    return 0.2 + 0.8 * this.cumulative[day]!;
  }

  /** A time in [from, to) that follows the tenant's week and day. */
  during(from: number, to: number, rng: Prng): number {
    let time = from + Math.floor(rng.next() * (to - from));
    // Rejection sampling on the weekday; a few tries keep short spans from looping.
    for (let tries = 0; tries < 6; tries++) {
      if (rng.chance(this.weekdayAcceptance[this.calendar.weekday(this.calendar.dayOf(time))]!)) break;
      time = from + Math.floor(rng.next() * (to - from));
    }
    const shaped = this.atHour(this.calendar.dayOf(time), rng);
    return shaped >= from && shaped < to ? shaped : time;
  }

  /** A time on a day, at an hour drawn from the tenant's day. */
  atHour(day: number, rng: Prng): number {
    return this.calendar.dayStart(day) + this.hours.pick(rng) * HOUR + rng.int(0, HOUR);
  }

  private clamp(time: number, from: number, to: number): number {
    return Math.min(Math.max(time, from), to - 1);
  }
}
