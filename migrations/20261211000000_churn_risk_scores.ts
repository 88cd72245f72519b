import type { Knex } from 'knex';
import { addNotes, shareWithCubeRoles } from './support/tenant-tables.js';

// What the churn-risk model (src/predict/churn-risk/) writes: one score per subscription customer
// active on the as-of day, and one row of fit diagnostics per tenant. Each predict run replaces a
// tenant's rows. Tenancy as for the fact tables: tenant_id, foreign keys that cascade, SELECT for
// the Cube roles and row-level security scoping the tenant roles to their tenant.
const TABLES = ['churn_risk_scores', 'churn_risk_models'];

const NOTES: Record<string, string> = {
  churn_risk_scores:
    'Churn risk per subscription customer active on as_of: written by npm run predict, replaced on each run. Not loaded from a source.',
  churn_risk_models: "The tenant's fitted churn-risk model: coefficients and out-of-time validation. Written by npm run predict.",
  'churn_risk_scores.risk': 'Probability that the customer churns (their last subscription ends) within a month after as_of.',
  'churn_risk_scores.at_risk':
    "risk at least twice the tenant's average monthly churn in the model's history (churn_risk_models.base_rate).",
  'churn_risk_scores.reason_1':
    'The feature that raised the risk most (coefficient × standardised value), in words; NULL when none raised it.',
  'churn_risk_scores.mrr': 'MRR of the subscriptions open on as_of.',
  'churn_risk_scores.last_activity_at': 'Latest web session or order before as_of; NULL when there was none.',
  'churn_risk_models.auc': 'Area under the ROC curve on the months after cutoff, of a model fitted on the months before it (out of time).',
  'churn_risk_models.sample_every':
    'The months before as_of were read for one subscription customer in this many (1: all), to bound a large tenant.',
  'churn_risk_models.baseline_auc': 'The same AUC for a model of days since last activity alone.',
  'churn_risk_models.calibration': 'Deciles of predicted risk on the months after cutoff: [{ predicted, observed, n }].',
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('churn_risk_scores', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.primary(['tenant_id', 'customer_id']);
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.double('risk').notNullable();
    t.boolean('at_risk').notNullable();
    t.text('reason_1');
    t.text('reason_2');
    t.text('reason_3');
    t.decimal('mrr', 12, 2);
    t.timestamp('last_activity_at', { useTz: true });
    t.text('model_version').notNullable();
    t.timestamp('fitted_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE churn_risk_scores ADD CONSTRAINT churn_risk_scores_risk_probability CHECK (risk >= 0 AND risk <= 1)`);

  await knex.schema.createTable('churn_risk_models', (t) => {
    t.text('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.text('model_version').notNullable();
    t.timestamp('fitted_at', { useTz: true }).notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.timestamp('cutoff', { useTz: true }).notNullable();
    t.integer('n_train').notNullable();
    t.integer('n_validation').notNullable();
    t.integer('sample_every').notNullable();
    t.integer('churn_events').notNullable();
    t.double('base_rate').notNullable();
    t.double('auc');
    t.double('baseline_auc');
    t.jsonb('calibration').notNullable();
    t.jsonb('coefficients').notNullable();
  });

  await addNotes(knex, NOTES);
  await shareWithCubeRoles(knex, TABLES);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await knex.schema.dropTable(table);
}
