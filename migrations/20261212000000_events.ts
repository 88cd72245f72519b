import type { Knex } from 'knex';
import { addNotes, shareWithCubeRoles } from './support/tenant-tables.js';

// The customer journey: one row per thing a person did (viewed a product, added to cart, used a
// feature), as product-analytics tools record it. Funnels, conversion windows and product-usage
// retention read it. A person is a visitor (stable before and after signing in); customer_id
// is set once the visitor is a known customer. Channel and device are kept on each event, as
// analytics exports carry them, so a funnel breaks down by its first step's without joining
// sessions that a source may not have. Tenancy as for the other fact tables.

const NOTES: Record<string, string> = {
  events: 'What people did on the site or in the product, one row per event: funnels, conversion windows and product-usage retention.',
  'events.id': "The source's own event id (an analytics tool's insert id or uuid).",
  'events.visitor_id':
    'The person who did it, stable across sessions and before and after signing in: funnels and usage retention follow it.',
  'events.customer_id': 'The known customer, once the visitor has signed in or bought; NULL for an anonymous visitor.',
  'events.session_id': 'The visit it happened in, as the source names it; NULL when the source has no sessions.',
  'events.name': "What happened, in the source's own words (product_view, add_to_cart, checkout_started, purchase, feature_used, …).",
  'events.product': 'The product or feature the event is about, when it has one.',
  'events.value': "A money amount the event carries (a purchase's amount, in the tenant's currency), when it has one.",
  'events.channel': 'Acquisition channel of the visit (organic, paid_search, email, …); NULL when the source does not say.',
  'events.device': 'desktop, mobile or tablet; NULL when the source does not say.',
  'events.properties': 'Any other properties of the event, as a JSON object.',
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('id').notNullable();
    t.primary(['tenant_id', 'id']);
    t.text('visitor_id').notNullable();
    t.text('customer_id');
    t.text('session_id');
    t.text('name').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.text('product');
    t.decimal('value', 12, 2);
    t.text('channel');
    t.text('device').checkIn(['desktop', 'mobile', 'tablet'], 'events_device_known');
    t.jsonb('properties');
    t.index(['tenant_id', 'occurred_at']);
    t.index(['tenant_id', 'customer_id']);
    // Funnels, conversion windows and usage retention read one tenant's events of one name, person
    // by person in time order: each person's first step (min(occurred_at) GROUP BY visitor_id),
    // the first next step within the window (visitor_id = … AND occurred_at >= … ORDER BY
    // occurred_at LIMIT 1) and the weeks a person used the product. EXPLAIN ANALYZE at 100k
    // customers (6.1M events): the step-1 scan went from a parallel seq scan (1.1 s) to an index-only
    // scan (0.18 s), the next-step lookup from a seq scan per person (over 12 minutes, stopped) to
    // index-only lookups (0.55 s for 98k persons); rollups over every tenant skip-scan it.
    t.index(['tenant_id', 'name', 'visitor_id', 'occurred_at'], 'events_tenant_name_visitor_time_index');
  });
  await knex.raw(`ALTER TABLE events
    ADD CONSTRAINT events_customer_fk FOREIGN KEY (tenant_id, customer_id)
      REFERENCES customers (tenant_id, id) ON DELETE SET NULL (customer_id),
    ADD CONSTRAINT events_id_not_empty CHECK (id <> ''),
    ADD CONSTRAINT events_visitor_id_not_empty CHECK (visitor_id <> ''),
    ADD CONSTRAINT events_name_not_empty CHECK (name <> ''),
    ADD CONSTRAINT events_value_not_negative CHECK (value >= 0),
    ADD CONSTRAINT events_properties_object CHECK (jsonb_typeof(properties) = 'object')`);

  await addNotes(knex, NOTES);
  await shareWithCubeRoles(knex, ['events']);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('events');
}
