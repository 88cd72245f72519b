import { Customers } from '../customer.js';
import type { TableSource } from '../table.js';

export const customers: TableSource = {
  table: 'customers',
  columns: ['id', 'tenant_id', 'signup_at', 'plan', 'segment', 'country', 'acquisition_channel'],
  open(population) {
    const all = new Customers(population);
    return {
      units: population.customers,
      write(unit, sink) {
        const c = all.get(unit);
        sink.push(
          `${c.id}\t${c.tenant.profile.id}\t${population.calendar.timestamp(c.signupAt)}\t${c.plan.name}\t${c.segment}\t${c.country}\t${c.channel}\n`,
        );
      },
    };
  },
};
