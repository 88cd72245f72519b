import betaFactory from '@stdlib/random-base-beta';
import gammaFactory from '@stdlib/random-base-gamma';
import mt19937 from '@stdlib/random-base-mt19937';
import type { Knex } from 'knex';
import { z } from 'zod';
import { readPurchases } from '../src/predict/purchases.js';
import { runPredict } from '../src/predict/run.js';
import { insertColumns } from '../src/predict/write.js';
import { connect } from '../src/warehouse/connection.js';
import { createDatabaseIfMissing, withDatabase } from '../src/warehouse/databases.js';
import type { EmbeddedWarehouse } from '../src/warehouse/embedded.js';
import { migrateLatest } from '../src/warehouse/migrate.js';

export const predictResultSchema = z.object({
  customers: z.number().int().positive(),
  orders: z.number().int().positive(),
  /** Reading the purchase summaries out of orders (part of the total). */
  readSeconds: z.number().nonnegative(),
  bgnbdFitSeconds: z.number().nonnegative(),
  gammaGammaFitSeconds: z.number().nonnegative(),
  /** runPredict for the tenant: read, fit, score, write, commit. */
  totalSeconds: z.number().positive(),
  distinctHistories: z.number().int().positive(),
  /** totalSeconds scaled linearly to 1,000,000 customers. */
  extrapolatedMillionSeconds: z.number().positive(),
});
export type PredictBenchResult = z.infer<typeof predictResultSchema>;

const DATABASE = 'bench_predict';
const TENANT = 'bench_predict';
const DAY_MS = 86_400_000;
// The truth the orders are drawn from (BG/NBD in weeks, Gamma-Gamma in dollars).
const TRUTH = { r: 0.5, alpha: 8, a: 0.8, b: 2.5, p: 6, q: 4, gamma: 15 };

/** One tenant of `customers` shoppers acquired over two years, buying as BG/NBD and Gamma-Gamma say. */
async function loadShop(db: Knex, customers: number, until: Date, seed: number): Promise<number> {
  const uint32 = mt19937.factory({ seed });
  const uniform = () => uint32() / 2 ** 32;
  const gamma = gammaFactory.factory({ seed: seed + 1 });
  const beta = betaFactory.factory({ seed: seed + 2 });
  await db('tenants').insert({
    id: TENANT,
    name: 'Predict bench',
    business_model: 'b2c',
    data_through: new Date(until.getTime() - DAY_MS),
  });
  const ids = Array.from({ length: customers }, (_, i) => `C-${i}`);
  await insertColumns(db, 'customers', [
    { name: 'tenant_id', type: 'text', values: new Array<string>(customers).fill(TENANT) },
    { name: 'id', type: 'text', values: ids },
    {
      name: 'signup_at',
      type: 'timestamptz',
      values: new Array<string>(customers).fill(new Date(until.getTime() - 800 * DAY_MS).toISOString()),
    },
  ]);
  const order = { customer: [] as string[], at: [] as string[], amount: [] as number[] };
  for (let i = 0; i < customers; i++) {
    const lambda = gamma(TRUTH.r, TRUTH.alpha);
    const p = beta(TRUTH.a, TRUTH.b);
    const nu = gamma(TRUTH.q, TRUTH.gamma);
    const T = 730 * uniform();
    const first = until.getTime() - T * DAY_MS;
    const buy = (day: number) => {
      order.customer.push(ids[i]!);
      order.at.push(new Date(first + day * DAY_MS).toISOString());
      order.amount.push(Math.round(gamma(TRUTH.p, nu) * 100) / 100);
    };
    // The first purchase, then Poisson repeat purchases while alive; a drop-out coin after each.
    let t = 0;
    buy(t);
    for (;;) {
      t += (-Math.log(1 - uniform()) / lambda) * 7;
      if (t >= T) break;
      buy(t);
      if (uniform() < p) break;
    }
  }
  const n = order.customer.length;
  await insertColumns(db, 'orders', [
    { name: 'tenant_id', type: 'text', values: new Array<string>(n).fill(TENANT) },
    { name: 'id', type: 'text', values: Array.from({ length: n }, (_, k) => String(k)) },
    { name: 'customer_id', type: 'text', values: order.customer },
    { name: 'ordered_at', type: 'timestamptz', values: order.at },
    { name: 'amount', type: 'numeric', values: order.amount },
  ]);
  await db.raw('ANALYZE orders');
  return n;
}

/** Times `npm run predict`'s work for one shop of `customers` customers, in a database made for it. */
export async function measurePredict(server: EmbeddedWarehouse, customers: number, until: Date, seed: number): Promise<PredictBenchResult> {
  const admin = connect(server.adminUrl, { min: 0, max: 1 });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
  await createDatabaseIfMissing(server.adminUrl, DATABASE);
  const db = connect(withDatabase(server.adminUrl, DATABASE));
  try {
    await migrateLatest(db);
    const orders = await loadShop(db, customers, until, seed);
    let began = performance.now();
    await readPurchases(db, TENANT, until);
    const readSeconds = (performance.now() - began) / 1000;
    began = performance.now();
    const [tenant] = await runPredict(db, { tenant: TENANT, monthlyDiscountRate: 0.01 });
    const totalSeconds = (performance.now() - began) / 1000;
    const fit = (name: string) => tenant!.results.find((r) => r.name === name);
    return predictResultSchema.parse({
      customers,
      orders,
      readSeconds,
      bgnbdFitSeconds: Number(fit('bgnbd')?.diagnostics.seconds ?? 0),
      gammaGammaFitSeconds: Number(fit('gamma_gamma')?.diagnostics.seconds ?? 0),
      totalSeconds,
      distinctHistories: Number(fit('bgnbd')?.diagnostics.distinctHistories ?? 0),
      extrapolatedMillionSeconds: (totalSeconds * 1_000_000) / customers,
    });
  } finally {
    await db.destroy();
  }
}
