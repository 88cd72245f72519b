import type { Knex } from 'knex';

// What each table holds and why some columns are as they are, kept in the catalog so that the
// contract (docs/warehouse.md, written from the catalog) says it beside the column.
const TABLES: Record<string, string> = {
  tenants: 'The businesses whose data this is; every other row names one in tenant_id.',
  customers: 'One row per customer, with the attributes every customer KPI can be broken down by.',
  subscriptions:
    'Paid periods; a customer is active from their first start to their last end. Churn, retention, cohorts and CLV read them.',
  orders: 'Purchases: revenue, order value and purchase frequency.',
  web_sessions: 'Visits to the website or app: bounce, conversion, session length, DAU/MAU and referral traffic.',
  survey_responses: 'Answers to NPS (0–10), CSAT (1–5) and CES (1–7) surveys.',
  support_tickets: 'Support requests: response and resolution times, first-contact resolution.',
  campaign_stats: 'Daily totals per marketing campaign: click-through and conversion.',
  social_posts: "The tenant's own social media posts, with their reactions: engagement rate.",
  date_spine: 'Every day the period KPIs can cover; not loaded from a source.',
};

const COLUMNS: Record<string, string> = {
  'tenants.business_model': 'Decides which churn benchmark applies.',
  'customers.id': "The source's own customer id; facts refer to it in customer_id.",
  'customers.country': 'ISO 3166-1 alpha-2 code.',
  'subscriptions.ended_at': 'NULL while the subscription runs.',
  'subscriptions.mrr': 'Monthly recurring revenue. When missing it is not known: subscription revenue leaves it out.',
  'web_sessions.visitor_id': "Stable across one visitor's sessions: DAU, MAU and returning visitors count it.",
  'web_sessions.customer_id': 'NULL for a visitor who is not (yet) a customer.',
  'web_sessions.converted': 'Required: conversion rate reads it, and a default would make the answer up.',
  'web_sessions.referrer': 'NULL when the visit came without one.',
  'support_tickets.contacts':
    'Customer contacts the ticket took; 1 on a resolved ticket is a first-contact resolution. Required: a default would make that rate up.',
  'support_tickets.tier': 'Support level, 1 to 3.',
  'campaign_stats.impressions': 'For email, delivered messages.',
  'social_posts.followers': "Followers of the account when the post went out: the engagement rate's denominator.",
};

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function up(knex: Knex): Promise<void> {
  for (const [table, note] of Object.entries(TABLES)) await knex.raw(`COMMENT ON TABLE ${table} IS ${literal(note)}`);
  for (const [column, note] of Object.entries(COLUMNS)) await knex.raw(`COMMENT ON COLUMN ${column} IS ${literal(note)}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(TABLES)) await knex.raw(`COMMENT ON TABLE ${table} IS NULL`);
  for (const column of Object.keys(COLUMNS)) await knex.raw(`COMMENT ON COLUMN ${column} IS NULL`);
}
