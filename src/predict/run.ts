import type { Knex } from 'knex';
import { observationEnds } from './as-of.js';
import type { PredictResult } from './step.js';
import { PREDICT_STEPS } from './steps.js';

export interface PredictOptions {
  /** One tenant; default every tenant. */
  tenant?: string;
  /** Default: each tenant's observation end (tenants.data_through or its latest event). */
  asOf?: Date;
  monthlyDiscountRate: number;
  onProgress?: (tenant: string, done: number, total: number, label: string) => void;
}

export interface TenantPrediction {
  tenant: string;
  asOf: Date | null;
  results: PredictResult[];
  seconds: number;
  /** A step failed: the tenant's transaction was rolled back, so its previous predictions stay. */
  error?: string;
}

export class UnknownTenant extends Error {
  override name = 'UnknownTenant';
}

/** Fits and scores every step for each tenant, one transaction per tenant (its old rows replaced). */
export async function runPredict(db: Knex, options: PredictOptions): Promise<TenantPrediction[]> {
  const ends = await observationEnds(db);
  if (options.tenant !== undefined && !ends.has(options.tenant)) {
    throw new UnknownTenant(`--tenant: unknown tenant "${options.tenant}". Known tenants: ${[...ends.keys()].join(', ') || 'none'}.`);
  }
  const tenants = options.tenant !== undefined ? [options.tenant] : [...ends.keys()];
  const out: TenantPrediction[] = [];
  for (const tenant of tenants) {
    const began = performance.now();
    const asOf = options.asOf ?? ends.get(tenant) ?? null;
    if (!asOf) {
      out.push({ tenant, asOf, results: [], seconds: 0 });
      continue;
    }
    let results: PredictResult[];
    try {
      results = await db.transaction(async (trx) => {
        const all: PredictResult[] = [];
        for (const step of PREDICT_STEPS) {
          const ctx = {
            db: trx,
            tenantId: tenant,
            asOf,
            monthlyDiscountRate: options.monthlyDiscountRate,
            onProgress: (done: number, total: number, label: string) => options.onProgress?.(tenant, done, total, label),
          };
          all.push(...(await step.run(ctx)));
        }
        return all;
      });
    } catch (error) {
      // One tenant's odd data must not stop the others (nor npm start).
      out.push({
        tenant,
        asOf,
        results: [],
        seconds: (performance.now() - began) / 1000,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    out.push({ tenant, asOf, results, seconds: (performance.now() - began) / 1000 });
  }
  return out;
}
