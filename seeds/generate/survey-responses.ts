import { DAY, HOUR } from '../calendar.js';
import { Customers, type Customer } from '../customer.js';
import { Prng, streams } from '../prng.js';
import type { TableSink, TableSource } from '../table.js';
import { Tickets } from './support-tickets.js';

/** NPS is asked a month after signup, then every quarter; not everyone answers. */
const NPS_FIRST_ASK = 30 * DAY;
const NPS_EVERY = 91 * DAY;
const NPS_ANSWER_RATE = 0.3;
/** CSAT a week into onboarding; CSAT and CES after a resolved ticket. */
const ONBOARDING_CSAT_ASK = 7 * DAY;
const ONBOARDING_CSAT_RATE = 0.2;
const SUPPORT_CSAT_RATE = 0.3;
const SUPPORT_CES_RATE = 0.2;
/** Customers who are about to leave answer lower in their last months. */
const LEAVING_WINDOW = 120 * DAY;

const clampRound = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/**
 * Survey answers driven by the customer's latent satisfaction (which also drives churn) and by
 * how their support tickets went, so churned customers' earlier NPS is lower than retained ones'.
 */
export const surveyResponses: TableSource = {
  table: 'survey_responses',
  columns: ['id', 'tenant_id', 'customer_id', 'kind', 'score', 'responded_at', 'touchpoint'],
  open(population) {
    const all = new Customers(population);
    const tickets = new Tickets(population);
    const rng = new Prng(population.seed);
    const { calendar } = population;

    function answer(sink: TableSink, c: Customer, kind: 'nps' | 'csat' | 'ces', score: number, at: number, touchpoint: string) {
      sink.push(
        `${sink.nextId(c.tenant.profile.id)}\t${c.tenant.profile.id}\t${c.id}\t${kind}\t${score}\t${calendar.timestamp(at)}\t${touchpoint}\n`,
      );
    }
    const leaving = (c: Customer, at: number) => (c.endedAt !== null && c.endedAt - at < LEAVING_WINDOW ? 1 : 0);

    return {
      units: population.customers,
      write(unit, sink) {
        const c = all.get(unit);
        const supportTickets = tickets.of(c);
        rng.reseed(streams.surveys, c.tenant.index, c.index);
        const z = c.satisfaction;

        const onboarding = c.signupAt + ONBOARDING_CSAT_ASK + rng.int(0, DAY);
        if (onboarding < c.activeUntil && rng.chance(ONBOARDING_CSAT_RATE)) {
          answer(
            sink,
            c,
            'csat',
            clampRound(4.55 + 0.6 * z - 0.6 * leaving(c, onboarding) + 0.8 * rng.normal(), 1, 5),
            onboarding,
            'onboarding',
          );
        }
        for (let ask = c.signupAt + NPS_FIRST_ASK, first = true; ask < c.activeUntil; ask += NPS_EVERY, first = false) {
          const at = ask + rng.int(0, 3 * DAY);
          if (at >= c.activeUntil || !rng.chance(NPS_ANSWER_RATE)) continue;
          const score = c.tenant.profile.npsCentre + 1.9 * z - 1.8 * leaving(c, at) + 1.2 * rng.normal();
          answer(sink, c, 'nps', clampRound(score, 0, 10), at, first ? 'onboarding' : 'relationship');
        }
        for (const ticket of supportTickets) {
          if (ticket.resolvedAt === null) continue;
          const at = ticket.resolvedAt + rng.int(10 * 60, 2 * DAY);
          if (at >= c.activeUntil) continue;
          const extraContacts = ticket.contacts - 1;
          const slow = ticket.resolvedAt - ticket.openedAt > 48 * HOUR ? 1 : 0;
          if (rng.chance(SUPPORT_CSAT_RATE)) {
            answer(
              sink,
              c,
              'csat',
              clampRound(4.45 + 0.5 * z - 0.5 * extraContacts - 0.5 * slow + 0.8 * rng.normal(), 1, 5),
              at,
              'support',
            );
          }
          if (rng.chance(SUPPORT_CES_RATE)) {
            answer(sink, c, 'ces', clampRound(5.4 + 0.5 * z - 0.8 * extraContacts + rng.normal(), 1, 7), at, 'support');
          }
        }
      },
    };
  },
};
