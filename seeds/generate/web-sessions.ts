import { Customers } from '../customer.js';
import { NULL, type TableSink, type TableSource } from '../table.js';
import { Visits, type Visit } from '../visits.js';

/** One row per visit (visits.ts): customers' visits first, then those of visitors who never sign up. */
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
    const visits = new Visits(population);
    const { calendar } = population;
    return {
      units: population.customers + population.anonymousVisitors,
      write(unit, sink: TableSink) {
        const row = (v: Visit) =>
          sink.push(
            `${sink.nextId(v.tenant.profile.id)}\t${v.tenant.profile.id}\t${v.visitorId}\t${v.customerId ?? NULL}\t${calendar.timestamp(v.at)}\t${v.durationSeconds}\t${v.pageviews}\t${v.landingPage}\t${v.channel}\t${v.referrer ?? NULL}\t${v.device}\t${v.converted ? 't' : 'f'}\n`,
          );
        if (unit < population.customers) visits.ofCustomer(all.get(unit), row);
        else visits.ofAnonymous(unit - population.customers, row);
      },
    };
  },
};
