import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { bgnbdLogLikelihood, fitBgnbd, groupHistories, type BgnbdParameters } from '../src/predict/bgnbd.js';
import { fitGammaGamma, gammaGammaLogLikelihood, type GammaGammaParameters } from '../src/predict/gamma-gamma.js';
import { simulateBgnbd, simulateSpend } from '../test/predict/simulate.js';

// The same simulated customers fitted here and by Python's lifetimes (bench/lifetimes_fit.py),
// both sets of parameters scored by the one log-likelihood (ours, checked by hand in the tests).

const comparisonSchema = z.object({
  set: z.string(),
  model: z.enum(['bgnbd', 'gamma_gamma']),
  customers: z.number().int().positive(),
  truth: z.record(z.string(), z.number()),
  ours: z.record(z.string(), z.number()),
  lifetimes: z.record(z.string(), z.number()),
  oursLogLikelihood: z.number(),
  lifetimesLogLikelihood: z.number(),
  oursSeconds: z.number(),
  lifetimesSeconds: z.number(),
});
export const lifetimesResultSchema = z.union([
  z.object({ skipped: z.string() }),
  z.object({ python: z.string(), comparisons: z.array(comparisonSchema) }),
]);
export type LifetimesResult = z.infer<typeof lifetimesResultSchema>;

const BGNBD_SETS: Record<string, BgnbdParameters> = {
  'bgnbd-cdnow-like': { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
  'bgnbd-frequent': { r: 1.5, alpha: 10, a: 1.5, b: 6 },
  'bgnbd-loyal': { r: 0.6, alpha: 2, a: 0.4, b: 1.2 },
};
const SPEND_SETS: Record<string, GammaGammaParameters> = {
  'gamma-gamma-steady': { p: 6, q: 4, gamma: 15 },
  'gamma-gamma-spread': { p: 2, q: 10, gamma: 200 },
};
const CUSTOMERS = 20_000;

export const LIFETIMES_SETUP = 'python3 -m venv .data/lifetimes-venv && .data/lifetimes-venv/bin/pip install lifetimes';

export async function compareWithLifetimes(python: string, workDir: string): Promise<LifetimesResult> {
  try {
    await promisify(execFile)(python, ['-c', 'import lifetimes']);
  } catch {
    return { skipped: `no Python with lifetimes at ${python}; make one with: ${LIFETIMES_SETUP}` };
  }
  await fs.mkdir(workDir, { recursive: true });
  const pending: Omit<z.infer<typeof comparisonSchema>, 'lifetimes' | 'lifetimesLogLikelihood' | 'lifetimesSeconds'>[] = [];
  const scorers = new Map<string, (params: Record<string, number>) => number>();
  const files: string[] = [];
  for (const [set, truth] of Object.entries(BGNBD_SETS)) {
    const histories = simulateBgnbd(truth, CUSTOMERS, 7);
    const groups = groupHistories(histories);
    const fit = fitBgnbd(groups);
    const file = path.join(workDir, `${set}.csv`);
    await fs.writeFile(file, `x,tx,T\n${histories.map((h) => `${h.x},${h.tx},${h.T}`).join('\n')}\n`);
    files.push(file);
    scorers.set(set, (p) => bgnbdLogLikelihood({ r: p.r!, alpha: p.alpha!, a: p.a!, b: p.b! }, groups));
    pending.push({
      set,
      model: 'bgnbd',
      customers: CUSTOMERS,
      truth: { ...truth },
      ours: { ...fit.model },
      oursLogLikelihood: fit.diagnostics.logLikelihood,
      oursSeconds: fit.diagnostics.seconds,
    });
  }
  for (const [set, truth] of Object.entries(SPEND_SETS)) {
    const spend = simulateSpend(truth, CUSTOMERS, 11);
    const fit = fitGammaGamma(spend);
    const file = path.join(workDir, `${set}.csv`);
    await fs.writeFile(file, `x,m\n${spend.map((s) => `${s.x},${s.m}`).join('\n')}\n`);
    files.push(file);
    scorers.set(set, (p) => gammaGammaLogLikelihood({ p: p.p!, q: p.q!, gamma: p.gamma! }, spend));
    pending.push({
      set,
      model: 'gamma_gamma',
      customers: CUSTOMERS,
      truth: { ...truth },
      ours: { ...fit.model },
      oursLogLikelihood: fit.diagnostics.logLikelihood,
      oursSeconds: fit.diagnostics.seconds,
    });
  }
  const { stdout } = await promisify(execFile)(python, [path.resolve('bench/lifetimes_fit.py'), ...files], { maxBuffer: 1 << 24 });
  const theirs = new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { set: string; params: Record<string, number>; seconds: number })
      .map((r) => [r.set, r]),
  );
  return {
    python,
    comparisons: pending.map((p) => {
      const t = theirs.get(p.set)!;
      return { ...p, lifetimes: t.params, lifetimesLogLikelihood: scorers.get(p.set)!(t.params), lifetimesSeconds: t.seconds };
    }),
  };
}

export function renderLifetimes(result: LifetimesResult): string {
  if ('skipped' in result) return `### Compared with Python's lifetimes\n\nSkipped: ${result.skipped}.`;
  const f = (v: number) => v.toPrecision(5);
  const lines = result.comparisons.map((c) => {
    const names = Object.keys(c.truth);
    const row = (params: Record<string, number>) => names.map((n) => `${n}=${f(params[n]!)}`).join(' ');
    return [
      `| ${c.set} (${c.customers.toLocaleString('en-US')}) | ${row(c.truth)} | ${row(c.ours)} | ${row(c.lifetimes)} | ${c.oursLogLikelihood.toFixed(3)} | ${c.lifetimesLogLikelihood.toFixed(3)} | ${c.oursSeconds.toFixed(2)} / ${c.lifetimesSeconds.toFixed(2)} |`,
    ].join('\n');
  });
  return [
    "### Compared with Python's lifetimes",
    '',
    'The same simulated customers; both parameter sets scored by the same log-likelihood (higher is better).',
    '',
    '| data set | truth | ours | lifetimes | log-likelihood, ours | log-likelihood, lifetimes | fit seconds, ours / lifetimes |',
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}
