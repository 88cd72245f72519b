import type { Knex } from 'knex';
import * as tenantsAndCustomers from './20260101000000_tenants_and_customers.js';
import * as commerceAndWeb from './20260101000100_commerce_and_web.js';
import * as feedbackAndSupport from './20260101000200_feedback_and_support.js';
import * as marketingAndSocial from './20260101000300_marketing_and_social.js';
import * as dateSpine from './20260101000400_date_spine.js';
import * as preAggregationsSchema from './20261123000000_pre_aggregations_schema.js';
import * as warehouseRoles from './20261201000000_warehouse_roles.js';
import * as sourceIdsAndOptionalColumns from './20261201100000_source_ids_and_optional_columns.js';
import * as columnNotes from './20261201110000_column_notes.js';
import * as observationEnd from './20261202000000_observation_end.js';
import * as dataChanges from './20261203000000_data_changes.js';
import * as tenantCurrency from './20261204000000_tenant_currency.js';
import * as predictions from './20261210000000_predictions.js';
import * as churnRiskScores from './20261211000000_churn_risk_scores.js';
import * as events from './20261212000000_events.js';
import * as socialAndReviews from './20261213000000_social_and_reviews.js';

type Migration = Knex.Migration & { name: string };

// Listed, not globbed: the same list works under tsx, vitest and a bundler.
const migrations: Migration[] = [
  { name: '20260101000000_tenants_and_customers', ...tenantsAndCustomers },
  { name: '20260101000100_commerce_and_web', ...commerceAndWeb },
  { name: '20260101000200_feedback_and_support', ...feedbackAndSupport },
  { name: '20260101000300_marketing_and_social', ...marketingAndSocial },
  { name: '20260101000400_date_spine', ...dateSpine },
  { name: '20261123000000_pre_aggregations_schema', ...preAggregationsSchema },
  { name: '20261201000000_warehouse_roles', ...warehouseRoles },
  { name: '20261201100000_source_ids_and_optional_columns', ...sourceIdsAndOptionalColumns },
  { name: '20261201110000_column_notes', ...columnNotes },
  { name: '20261202000000_observation_end', ...observationEnd },
  { name: '20261203000000_data_changes', ...dataChanges },
  { name: '20261204000000_tenant_currency', ...tenantCurrency },
  { name: '20261210000000_predictions', ...predictions },
  { name: '20261211000000_churn_risk_scores', ...churnRiskScores },
  { name: '20261212000000_events', ...events },
  { name: '20261213000000_social_and_reviews', ...socialAndReviews },
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};
