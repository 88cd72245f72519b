import type { Knex } from 'knex';
import { addNotes, shareWithCubeRoles } from './support/tenant-tables.js';

// What `npm run predict` writes (src/predict/): per-customer purchase predictions (BG/NBD +
// Gamma-Gamma), per-cohort retention forecasts (sBG), and each tenant's fitted parameters with
// their diagnostics. Each is a tenant table like the others: Cube's roles read it, and row-level
// security limits a tenant's role to its rows (20261201000000_warehouse_roles). Predict replaces a
// tenant's rows in one transaction, so a reader sees one fit or the other, never a mix.
// No foreign keys: the rows are derived and replaced whole by the next predict, and the seeder
// truncates and reloads tenants and customers under them (npm start predicts right after).

const TABLES = ['customer_predictions', 'cohort_retention_forecast', 'prediction_fits'];

const NOTES: Record<string, string> = {
  customer_predictions:
    'Per customer with a purchase: BG/NBD expected purchases and probability alive, Gamma-Gamma spend, discounted CLV. Written by npm run predict.',
  cohort_retention_forecast:
    'Per subscription cohort (month of first start) and month of age: sBG projected survival beside the actual. Written by npm run predict.',
  prediction_fits: 'Per tenant and model: the fitted parameters and the fit diagnostics. Written by npm run predict.',
  'customer_predictions.as_of': 'The history the fit saw ends here (exclusive).',
  'customer_predictions.repeat_purchases': 'Purchase days after the first, up to as_of (x of BG/NBD).',
  'customer_predictions.expected_average_spend': 'Gamma-Gamma expected value of a purchase; NULL when the spend model could not be fitted.',
  'customer_predictions.clv_12m': 'Expected purchases × expected spend over the next 12 months, discounted monthly.',
  'customer_predictions.clv_3y': 'The same over the next 36 months.',
  'cohort_retention_forecast.cohort_month': "Midnight UTC of the first day of the month of the customers' first subscription start.",
  'cohort_retention_forecast.months_since_start': 'Age N: still active N months after the cohort month.',
  'cohort_retention_forecast.projected_survival':
    'sBG survival S(N) up to the last observed age; after it, the last actual share × S(N)/S(last).',
  'cohort_retention_forecast.actual_survival': 'Observed share still active; NULL beyond the observation end.',
  'cohort_retention_forecast.expected_remaining_months':
    'sBG expected further months of a customer active at this age, discounted monthly.',
  'prediction_fits.parameters': 'The fitted parameters by name, e.g. {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}.',
  'prediction_fits.converged': 'Whether the optimiser stopped on its step tolerance rather than its iteration limit or a failure.',
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_predictions', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.timestamp('fitted_at', { useTz: true }).notNullable();
    t.text('model').notNullable();
    t.integer('repeat_purchases').notNullable();
    t.double('expected_purchases_12m').notNullable();
    t.double('probability_alive').notNullable();
    t.double('expected_average_spend');
    t.double('clv_12m');
    t.double('clv_3y');
    t.primary(['tenant_id', 'customer_id']);
  });
  await knex.raw(
    `ALTER TABLE customer_predictions ADD CONSTRAINT customer_predictions_probability CHECK (probability_alive BETWEEN 0 AND 1)`,
  );
  await knex.schema.createTable('cohort_retention_forecast', (t) => {
    t.text('tenant_id').notNullable();
    t.timestamp('cohort_month', { useTz: true }).notNullable();
    t.integer('months_since_start').notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.timestamp('fitted_at', { useTz: true }).notNullable();
    t.integer('cohort_size').notNullable();
    t.double('projected_survival').notNullable();
    t.double('actual_survival');
    t.double('expected_remaining_months');
    t.primary(['tenant_id', 'cohort_month', 'months_since_start']);
  });
  await knex.raw(`ALTER TABLE cohort_retention_forecast ADD CONSTRAINT cohort_retention_forecast_age CHECK (months_since_start >= 0)`);
  await knex.schema.createTable('prediction_fits', (t) => {
    t.text('tenant_id').notNullable();
    t.text('model').notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.timestamp('fitted_at', { useTz: true }).notNullable();
    t.jsonb('parameters').notNullable();
    t.double('log_likelihood').notNullable();
    t.integer('n').notNullable();
    t.integer('iterations').notNullable();
    t.boolean('converged').notNullable();
    t.double('seconds').notNullable();
    t.primary(['tenant_id', 'model']);
  });
  await addNotes(knex, NOTES);
  await shareWithCubeRoles(knex, TABLES);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await knex.schema.dropTable(table);
}
