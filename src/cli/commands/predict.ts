import type { Knex } from 'knex';
import { colour as pc } from '../colour.js';
import { loadConfig } from '../../config.js';
import { runPredict, UnknownTenant, type TenantPrediction } from '../../predict/run.js';
import type { PredictResult } from '../../predict/step.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { progressBar } from '../progress.js';
import { CommandFailed, UsageError } from '../run.js';

export interface PredictFlags {
  tenant?: string;
  /** History through this UTC day (inclusive), as `--as-of` and `import --through` take it. */
  asOf?: Date;
}

const DAY_MS = 86_400_000;

const number = (value: number) => (Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(4));

function describeResult(r: PredictResult): string[] {
  if (r.skipped) return [`  ${r.name.padEnd(12)} skipped: ${r.skipped}`];
  const params = Object.entries(r.parameters)
    .map(([k, v]) => `${k}=${number(v)}`)
    .join(' ');
  const d = r.diagnostics;
  const fit =
    typeof d.logLikelihood === 'number'
      ? `log-likelihood ${d.logLikelihood.toFixed(2)} over ${d.n}, ${d.iterations} iterations, ` +
        `${d.converged ? 'converged' : pc.yellow(`not converged (${d.message})`)}, ${Number(d.seconds).toFixed(2)} s`
      : Object.entries(d)
          .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? number(v) : v}`)
          .join(', ');
  return [
    `  ${r.name.padEnd(12)} ${params}`,
    `  ${''.padEnd(12)} ${fit}; ${r.rowsWritten.toLocaleString('en-US')} rows written`,
    ...(r.notes ?? []).map((note) => `  ${''.padEnd(12)} ${note}`),
  ];
}

export function describePrediction(p: TenantPrediction): string {
  if (!p.asOf) return `${p.tenant}: no data yet, nothing predicted.`;
  if (p.error) return pc.red(`${p.tenant}: prediction failed, previous predictions kept: ${p.error}`);
  return [
    `${p.tenant} (history through ${new Date(p.asOf.getTime() - DAY_MS).toISOString().slice(0, 10)}, ${p.seconds.toFixed(1)} s):`,
    ...p.results.flatMap(describeResult),
  ].join('\n');
}

/** Fits and scores with a progress bar, printing each tenant's fits; for predict, start and import. */
export async function predictWithProgress(db: Knex, flags: PredictFlags): Promise<TenantPrediction[]> {
  const config = loadConfig();
  const bar = progressBar('Predicting', 'items');
  try {
    const predictions = await runPredict(db, {
      ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
      ...(flags.asOf ? { asOf: new Date(flags.asOf.getTime() + DAY_MS) } : {}),
      monthlyDiscountRate: config.PREDICT_MONTHLY_DISCOUNT_RATE,
      onProgress: (tenant, done, total, label) => bar.update(done, total, `${tenant}: ${label}`),
    });
    bar.stop();
    for (const p of predictions) console.log(describePrediction(p));
    return predictions;
  } catch (error) {
    bar.stop();
    if (error instanceof UnknownTenant) throw new UsageError(error.message);
    throw error;
  }
}

export async function predictCommand(flags: PredictFlags): Promise<void> {
  const config = loadConfig();
  // A running `npm start`'s warehouse when there is one.
  const session = await openMigratedWarehouse(config, { joinRunning: true });
  try {
    const began = performance.now();
    const predictions = await predictWithProgress(session.db, flags);
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    const failed = predictions.filter((p) => p.error).map((p) => p.tenant);
    if (failed.length > 0)
      throw new CommandFailed(
        `Prediction failed for ${failed.join(', ')} (see above); ${predictions.length - failed.length} tenant(s) predicted in ${seconds} s.`,
      );
    console.log(pc.green(`Predicted ${predictions.length} tenant(s) in ${seconds} s.`));
  } finally {
    await session.close();
  }
}
