import { Customers } from '../customer.js';
import { money, NULL, type TableSource } from '../table.js';

/** One subscription per customer, from signup until the customer leaves (open if still active). */
export const subscriptions: TableSource = {
  table: 'subscriptions',
  columns: ['id', 'tenant_id', 'customer_id', 'plan', 'started_at', 'ended_at', 'mrr'],
  open(population) {
    const all = new Customers(population);
    const { calendar } = population;
    return {
      units: population.customers,
      write(unit, sink) {
        const c = all.get(unit);
        const endedAt = c.endedAt === null ? NULL : calendar.timestamp(c.endedAt);
        sink.push(
          `${sink.nextId(c.tenant.profile.id)}\t${c.tenant.profile.id}\t${c.id}\t${c.plan.name}\t${calendar.timestamp(c.signupAt)}\t${endedAt}\t${money(c.mrr)}\n`,
        );
      },
    };
  },
};
