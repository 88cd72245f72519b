import { DAY } from '../calendar.js';
import { activeMonths, Customers } from '../customer.js';
import { Prng, streams } from '../prng.js';
import { NULL, type TableSource } from '../table.js';
import { Weighted } from '../weighted.js';

/** Customers about to leave review lower, as they answer surveys lower (survey-responses.ts). */
const LEAVING_WINDOW = 120 * DAY;
/** Share of reviews with a text; the rest are stars only. */
const WITH_TEXT = 0.55;
/** A few words per star rating, so a text column has believable rows to show. */
const TEXTS: Record<number, readonly string[]> = {
  1: ['Stopped working for me and support never answered.', 'Not worth the money.'],
  2: ['Some good ideas, but too many problems.', 'Slow and confusing.'],
  3: ['Does the job, nothing special.', 'Fine, but the price went up.'],
  4: ['Good value, a few rough edges.', 'Works well, would recommend.'],
  5: ['Excellent, exactly what I needed.', 'Love it, use it every day.'],
};

const clampRound = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/**
 * Reviews on public sites, left by customers at the tenant's rate per active month: the rating
 * follows the customer's latent satisfaction (which also drives churn and surveys), with a wide
 * spread, so ratings pile up at 4–5 with a tail of 1s as review sites show. Only some reviews can
 * be matched to the customer who wrote them.
 */
export const reviews: TableSource = {
  table: 'reviews',
  columns: ['id', 'tenant_id', 'customer_id', 'rating', 'reviewed_at', 'source', 'product', 'body'],
  open(population) {
    const all = new Customers(population);
    const rng = new Prng(population.seed);
    const sources = population.tenants.map((t) => Weighted.of(t.profile.reviews.sources));
    const { calendar } = population;
    return {
      units: population.customers,
      write(unit, sink) {
        const c = all.get(unit);
        const profile = c.tenant.profile.reviews;
        rng.reseed(streams.reviews, c.tenant.index, c.index);
        const count = rng.poisson(profile.perActiveMonth * activeMonths(c));
        for (let i = 0; i < count; i++) {
          const at = rng.int(c.signupAt, c.activeUntil);
          const leaving = c.endedAt !== null && c.endedAt - at < LEAVING_WINDOW ? 1 : 0;
          const rating = clampRound(profile.ratingCentre + 0.9 * c.satisfaction - 1.2 * leaving + 1.1 * rng.normal(), 1, 5);
          const customer = rng.chance(profile.matchedShare) ? c.id : NULL;
          const source = sources[c.tenant.index]!.pick(rng);
          const texts = TEXTS[rating]!;
          const body = rng.chance(WITH_TEXT) ? texts[rng.int(0, texts.length)]! : NULL;
          sink.push(
            `${sink.nextId(c.tenant.profile.id)}\t${c.tenant.profile.id}\t${customer}\t${rating}\t${calendar.timestamp(at)}\t${source}\t${NULL}\t${body}\n`,
          );
        }
      },
    };
  },
};
