import numeric from 'numeric';

/** What a maximum-likelihood fit reports, beside its parameters. */
export interface FitDiagnostics {
  logLikelihood: number;
  /** Customers (or cohort members) the likelihood is summed over. */
  n: number;
  iterations: number;
  converged: boolean;
  /** The optimiser's own words on why it stopped. */
  message: string;
  seconds: number;
}

export interface MaximumLikelihoodFit {
  parameters: number[];
  diagnostics: FitDiagnostics;
}

const MAX_ITERATIONS = 500;
// On the mean log-likelihood per customer, so the tolerance means the same at 100 customers or 1M.
const TOLERANCE = 1e-9;

/**
 * Maximises a log-likelihood over positive parameters with numeric's BFGS (`uncmin`, numerical
 * gradient), searching on their logarithms so every step stays positive. `numeric` is the long-
 * standing numerical library of the npm registry; `fmin` 0.0.4 does not load as an ES module and
 * throws in Nelder–Mead's shrink step, and `optimization-js` has no iteration limit.
 */
export function maximiseLikelihood(logLikelihood: (parameters: number[]) => number, start: number[], n: number): MaximumLikelihoodFit {
  const began = performance.now();
  const scale = Math.max(n, 1);
  const objective = (logs: number[]): number => {
    const value = logLikelihood(logs.map(Math.exp));
    // A non-finite value makes the line search step back instead of failing.
    return Number.isFinite(value) ? -value / scale : Number.NaN;
  };
  const startLogs = start.map(Math.log);
  if (!Number.isFinite(objective(startLogs)))
    throw new Error(`The log-likelihood is not finite at the starting point ${start.join(', ')}.`);
  const result = numeric.uncmin(objective, startLogs, TOLERANCE, undefined, MAX_ITERATIONS);
  return {
    parameters: result.solution.map(Math.exp),
    diagnostics: {
      logLikelihood: -result.f * scale,
      n,
      iterations: result.iterations,
      converged: /smaller than tol/.test(result.message),
      message: result.message,
      seconds: (performance.now() - began) / 1000,
    },
  };
}
