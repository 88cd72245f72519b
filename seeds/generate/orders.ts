import { HOUR } from '../calendar.js';
import { activeMonths, Customers, type Customer } from '../customer.js';
import { Prng, streams } from '../prng.js';
import { money, type TableSource } from '../table.js';

export interface Order {
  at: number;
  amount: number;
}

// Satisfied customers buy a little more often; exp(0.3·Z) / exp(0.045) keeps the mean rate.
const SATISFACTION_EFFECT = 0.3;
const ORDER_AMOUNT_SPREAD = 0.55;

/** A customer's purchases while active: the first comes with signup (first invoice, first basket), then a Poisson stream. */
export function ordersOf(customer: Customer, rng: Prng): Order[] {
  const { plan, tenant } = customer;
  rng.reseed(streams.orders, tenant.index, customer.index);
  const amount = () => Math.max(1, Math.round(rng.logNormal(plan.orderMedian, ORDER_AMOUNT_SPREAD) * 100) / 100);
  const orders: Order[] = [];
  const first = customer.signupAt + rng.int(60, HOUR);
  if (first < customer.activeUntil) orders.push({ at: first, amount: amount() });
  const rate = plan.ordersPerMonth * Math.exp(SATISFACTION_EFFECT * customer.satisfaction - SATISFACTION_EFFECT ** 2 / 2);
  const count = rng.poisson(rate * activeMonths(customer));
  const later: Order[] = [];
  for (let i = 0; i < count; i++) {
    later.push({ at: tenant.rhythm.during(customer.signupAt, customer.activeUntil, rng), amount: amount() });
  }
  return orders.concat(later.sort((a, b) => a.at - b.at));
}

export const orders: TableSource = {
  table: 'orders',
  columns: ['id', 'tenant_id', 'customer_id', 'ordered_at', 'amount'],
  open(population) {
    const all = new Customers(population);
    const rng = new Prng(population.seed);
    const { calendar } = population;
    return {
      units: population.customers,
      write(unit, sink) {
        const c = all.get(unit);
        for (const order of ordersOf(c, rng)) {
          sink.push(
            `${sink.nextId(c.tenant.profile.id)}\t${c.tenant.profile.id}\t${c.id}\t${calendar.timestamp(order.at)}\t${money(order.amount)}\n`,
          );
        }
      },
    };
  },
};
