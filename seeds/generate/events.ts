import { DAY, HOUR } from '../calendar.js';
import { channels, type Channel, type Device } from '../channels.js';
import { Customers, type Customer } from '../customer.js';
import type { TenantShare } from '../population.js';
import { Prng, streams } from '../prng.js';
import { money, NULL, type TableSink, type TableSource } from '../table.js';
import type { ProductUsageProfile, ShopJourneyProfile } from '../tenants.js';
import { Visits, type Visit } from '../visits.js';
import { Weighted } from '../weighted.js';
import { ordersOf, type Order } from './orders.js';

/** Where an event happened: who, in which visit, arriving how, on what. */
interface Where {
  visitorId: string;
  customerId: string | null;
  /** The web session's id, or null for a purchase made outside any generated visit. */
  sessionId: string | null;
  channel: Channel;
  device: Device;
}

const whereOf = (visit: Visit, sessionId: string): Where => ({
  visitorId: visit.visitorId,
  customerId: visit.customerId,
  sessionId,
  channel: visit.channel,
  device: visit.device,
});

/** Spread of a cart's value around the profile's median (log scale). */
const CART_SPREAD = 0.5;
/** Chance that a visit that uses a feature uses a second one. */
const SECOND_FEATURE = 0.2;

interface TenantPicks {
  /** Channels of purchases outside the signup visit: signed-in visitors' channels, weighted by how well each converts. */
  purchaseChannels: Weighted<Channel>;
  shop?: { profile: ShopJourneyProfile; products: Weighted<string> };
  product?: { profile: ProductUsageProfile; features: Weighted<string> };
}

function picksOf({ profile }: TenantShare): TenantPicks {
  const { shop, product } = profile.journey;
  const returning = Object.entries(profile.web.returningChannels) as [Channel, number][];
  return {
    purchaseChannels: new Weighted(returning.map(([channel, weight]) => [channel, weight * channels[channel].conversion] as const)),
    ...(shop && { shop: { profile: shop, products: Weighted.of(shop.products) } }),
    ...(product && { product: { profile: product, features: Weighted.of(product.features) } }),
  };
}

/** A JSON object's text as COPY's text format takes it: keys and values here hold no tab, newline or backslash. */
const json = (value: Record<string, string | number>): string => JSON.stringify(value);

/** Each text made once: a page_view's properties are one of a few pages', not worth a JSON.stringify per event. */
function memo(make: (key: string) => string): (key: string) => string {
  const made = new Map<string, string>();
  return (key) => {
    let text = made.get(key);
    if (text === undefined) made.set(key, (text = make(key)));
    return text;
  };
}

/**
 * The customer journey, one row per thing a person did: a page_view for every web session (its
 * landing page), a shop's product views, carts and checkouts in visits (visits.ts: the same ids,
 * channels and devices as web_sessions), a purchase for every order (orders.ts: same customer,
 * time and amount, properties.order_id its id) after that order's own walk through the shop, and
 * a software product's sign_up, onboarding and feature use. The person is the visitor: customers
 * browse under their customer id, before and after signing up.
 */
export const events: TableSource = {
  table: 'events',
  columns: [
    'id',
    'tenant_id',
    'visitor_id',
    'customer_id',
    'session_id',
    'name',
    'occurred_at',
    'product',
    'value',
    'channel',
    'device',
    'properties',
  ],
  open(population) {
    const all = new Customers(population);
    const visits = new Visits(population);
    const rng = new Prng(population.seed);
    const orderRng = new Prng(population.seed);
    const picks = population.tenants.map(picksOf);
    const { calendar } = population;
    const pageProperties = memo((page) => json({ page }));

    /** Writes one event, unless it falls after the history's end (it has not happened yet). */
    function emit(
      sink: TableSink,
      tenant: TenantShare,
      where: Where,
      name: string,
      at: number,
      product: string | null = null,
      value: string | null = null,
      properties: string | null = null,
    ): void {
      if (at >= calendar.end) return;
      const tenantId = tenant.profile.id;
      sink.push(
        `${sink.nextId(tenantId)}\t${tenantId}\t${where.visitorId}\t${where.customerId ?? NULL}\t${where.sessionId ?? NULL}\t${name}\t${calendar.timestamp(Math.max(at, calendar.start))}\t${product ?? NULL}\t${value ?? NULL}\t${where.channel}\t${where.device}\t${properties ?? NULL}\n`,
      );
    }

    const shippingOf = (shop: ShopJourneyProfile, value: number) =>
      json({ shipping_cost: value >= shop.freeShippingOver ? 0 : shop.shippingCost });

    /** A shop visit's walk towards checkout, which stops at some step: visits never buy, orders do. */
    function browse(sink: TableSink, tenant: TenantShare, where: Where, visit: Visit): void {
      const { profile, products } = picks[tenant.index]!.shop!;
      const gap = () => rng.int(5, Math.max(6, visit.durationSeconds / 3));
      const product = products.pick(rng);
      let at = visit.at + gap();
      emit(sink, tenant, where, 'product_view', at, product);
      // Half the channel's effect on a visit's conversion (on a log scale): email shoppers add more.
      if (!rng.chance(Math.min(0.95, profile.toCart * Math.sqrt(channels[where.channel].conversion)))) return;
      const value = Math.max(1, Math.round(rng.logNormal(profile.cartMedian, CART_SPREAD) * 100) / 100);
      emit(sink, tenant, where, 'add_to_cart', (at += gap()), product, money(value));
      const device = profile.devices[where.device];
      if (!rng.chance(profile.toCheckout * device)) return;
      emit(sink, tenant, where, 'checkout_started', (at += gap()), null, money(value));
      if (!rng.chance(profile.toShipping * device)) return;
      emit(sink, tenant, where, 'shipping_viewed', at + gap(), null, null, shippingOf(profile, value));
    }

    /** An order's purchase event, after its walk through the shop in the minutes before when the tenant is a shop. */
    function purchase(sink: TableSink, tenant: TenantShare, where: Where, order: Order, orderId: string): void {
      const amount = money(order.amount);
      const shop = picks[tenant.index]!.shop;
      let product: string | null = null;
      if (shop) {
        product = shop.products.pick(rng);
        const shipping = order.at - rng.int(30, 300);
        const checkout = shipping - rng.int(20, 180);
        const cart = checkout - rng.int(30, 900);
        const view = cart - rng.int(20, 600);
        emit(sink, tenant, where, 'product_view', view, product);
        emit(sink, tenant, where, 'add_to_cart', cart, product, amount);
        emit(sink, tenant, where, 'checkout_started', checkout, null, amount);
        emit(sink, tenant, where, 'shipping_viewed', shipping, null, null, shippingOf(shop.profile, order.amount));
      }
      emit(sink, tenant, where, 'purchase', order.at, product, amount, json({ order_id: orderId }));
    }

    /** Chance that a signed-in visit at `age` seconds after signup uses a feature. */
    function usageChance(usage: ProductUsageProfile['usage'], age: number, onboarded: boolean): number {
      const chance = usage.floor + (usage.first - usage.floor) * 0.5 ** (age / DAY / usage.halfLifeDays);
      return onboarded ? chance : chance * usage.notOnboarded;
    }

    function visitEvents(sink: TableSink, visit: Visit, where: Where): void {
      emit(sink, visit.tenant, where, 'page_view', visit.at, null, null, pageProperties(visit.landingPage));
      if (visit.pageviews > 1 && picks[visit.tenant.index]!.shop && rng.chance(picks[visit.tenant.index]!.shop!.profile.browse)) {
        browse(sink, visit.tenant, where, visit);
      }
    }

    function customerEvents(c: Customer, sink: TableSink): void {
      const { tenant } = c;
      const tenantId = tenant.profile.id;
      const product = picks[tenant.index]!.product;
      rng.reseed(streams.events, tenant.index, c.index);
      let signupWhere: Where | null = null;
      let onboarded = false;
      visits.ofCustomer(c, (visit) => {
        const where = whereOf(visit, sink.nextId(tenantId, 'web_sessions'));
        visitEvents(sink, visit, where);
        if (!product) return;
        const { profile, features } = product;
        if (visit.signup) {
          signupWhere = where;
          emit(sink, tenant, where, 'sign_up', c.signupAt);
          onboarded = rng.chance(profile.onboarding * profile.devices[visit.device]);
          if (!onboarded) return;
          const at = c.signupAt + Math.round(rng.logNormal(600, 0.6));
          emit(sink, tenant, where, 'onboarding_completed', at);
          if (rng.chance(profile.activation))
            emit(sink, tenant, where, 'feature_used', at + Math.round(rng.logNormal(240, 0.7)), features.pick(rng));
        } else if (visit.signedIn && rng.chance(usageChance(profile.usage, visit.at - c.signupAt, onboarded))) {
          const at = visit.at + rng.int(5, Math.max(6, visit.durationSeconds));
          emit(sink, tenant, where, 'feature_used', at, features.pick(rng));
          if (rng.chance(SECOND_FEATURE)) emit(sink, tenant, where, 'feature_used', at + rng.int(30, 600), features.pick(rng));
        }
      });

      const shop = picks[tenant.index]!.shop?.profile;
      ordersOf(c, orderRng).forEach((order, i) => {
        const orderId = sink.nextId(tenantId, 'orders');
        // The first order, placed right after signing up, is bought in the signup visit.
        const inSignupVisit = i === 0 && order.at < c.signupAt + HOUR ? signupWhere : null;
        const onDesktop = c.device === 'mobile' && shop !== undefined && rng.chance(shop.phoneBuyersOnDesktop);
        const where: Where = inSignupVisit ?? {
          visitorId: c.id,
          customerId: c.id,
          sessionId: null,
          channel: picks[tenant.index]!.purchaseChannels.pick(rng),
          device: onDesktop ? 'desktop' : c.device,
        };
        purchase(sink, tenant, where, order, orderId);
      });
    }

    function anonymousEvents(index: number, sink: TableSink): void {
      const tenant = population.tenantOf(index, true);
      rng.reseed(streams.visitorEvents, tenant.index, index - tenant.firstAnonymous);
      visits.ofAnonymous(index, (visit) => visitEvents(sink, visit, whereOf(visit, sink.nextId(tenant.profile.id, 'web_sessions'))));
    }

    return {
      units: population.customers + population.anonymousVisitors,
      write(unit, sink) {
        if (unit < population.customers) customerEvents(all.get(unit), sink);
        else anonymousEvents(unit - population.customers, sink);
      },
    };
  },
};
