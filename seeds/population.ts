import { Calendar } from './calendar.js';
import { Rhythm } from './rhythm.js';
import { tenantProfiles, type TenantProfile } from './tenants.js';

export interface TenantShare {
  /** Position in `tenantProfiles`, part of every random-stream key. */
  index: number;
  profile: TenantProfile;
  rhythm: Rhythm;
  customers: number;
  /** Global index of the tenant's first customer: customers are generated tenant after tenant. */
  firstCustomer: number;
  /** Visitors who never become customers. */
  anonymousVisitors: number;
  firstAnonymous: number;
}

/** Who exists in the generated warehouse: how many customers and visitors each tenant has, over which history. */
export class Population {
  readonly calendar: Calendar;
  readonly tenants: TenantShare[] = [];
  readonly anonymousVisitors: number;

  constructor(
    readonly seed: number,
    readonly customers: number,
    until: Date,
    months: number,
  ) {
    this.calendar = new Calendar(until, months);
    let firstCustomer = 0;
    let firstAnonymous = 0;
    tenantProfiles.forEach((profile, index) => {
      const last = index === tenantProfiles.length - 1;
      const count = last ? customers - firstCustomer : Math.round(customers * profile.customerShare);
      const anonymousVisitors = Math.round(count * profile.web.anonymousVisitorsPerCustomer);
      this.tenants.push({
        index,
        profile,
        rhythm: new Rhythm(this.calendar, profile),
        customers: count,
        firstCustomer,
        anonymousVisitors,
        firstAnonymous,
      });
      firstCustomer += count;
      firstAnonymous += anonymousVisitors;
    });
    this.anonymousVisitors = firstAnonymous;
  }

  /** The tenant holding a global customer index (or, with `anonymous`, a global anonymous-visitor index). */
  tenantOf(index: number, anonymous = false): TenantShare {
    for (const tenant of this.tenants) {
      const first = anonymous ? tenant.firstAnonymous : tenant.firstCustomer;
      const count = anonymous ? tenant.anonymousVisitors : tenant.customers;
      if (index < first + count) return tenant;
    }
    throw new RangeError(`No tenant holds ${anonymous ? 'visitor' : 'customer'} ${index}.`);
  }
}
