/**
 * Runs the churn-risk step for one tenant now, without `npm run predict` (which wires it in):
 *   DATABASE_URL=postgres://… node --import tsx test/predict/churn-risk/run-now.ts --tenant acme --as-of 2026-11-01
 * Prints the fitted coefficients, the out-of-time diagnostics and the rows written.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runChurnRisk } from '../../../src/predict/churn-risk/index.js';
import { connect } from '../../../src/warehouse/connection.js';

const program = new Command('run-now')
  .description("Fit and validate one tenant's churn-risk model and replace its scores")
  .requiredOption('--tenant <id>', 'the tenant')
  .requiredOption('--as-of <YYYY-MM-DD>', 'score the customers active at the start of this UTC day', (value) => {
    const date = new Date(`${value}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) {
      throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, got "${value}"`);
    }
    return date;
  })
  .parse();

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL: expected the warehouse URL (postgres://…)');
  process.exit(2);
}
const { tenant, asOf } = program.opts<{ tenant: string; asOf: Date }>();
const db = connect(url);
try {
  const result = await runChurnRisk({ db, tenantId: tenant, asOf, progress: (done, total) => console.error(`step ${done}/${total}`) });
  console.log(JSON.stringify(result, null, 2));
} finally {
  await db.destroy();
}
