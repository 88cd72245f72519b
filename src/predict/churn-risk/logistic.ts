import { CholeskyDecomposition, Matrix } from 'ml-matrix';

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on the coefficients (not the intercept): keeps them finite when a feature separates the classes. */
  ridge?: number;
  maxIterations?: number;
  /** Converged when no parameter moves by more than this in a Newton step. */
  tolerance?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function predictLogistic(fit: LogisticFit, row: readonly number[]): number {
  let eta = fit.intercept;
  for (let j = 0; j < row.length; j += 1) eta += fit.coefficients[j]! * row[j]!;
  return sigmoid(eta);
}

/**
 * Penalised maximum-likelihood logistic regression by Newton's method (iteratively reweighted
 * least squares), each step's linear system solved by ml-matrix's Cholesky decomposition. Rows
 * are the (standardised) feature vectors, without the intercept's column.
 *
 * Not ml-logistic-regression: its 2.0.0 is fixed-step gradient ascent on the summed (not mean)
 * gradient, without an intercept or a convergence test, so at 10^5 rows its default step diverges
 * and a safe one needs tens of thousands of passes; Newton converges in about ten.
 */
export function fitLogistic(rows: readonly (readonly number[])[], labels: readonly boolean[], options: LogisticOptions = {}): LogisticFit {
  const { ridge = 1, maxIterations = 50, tolerance = 1e-8 } = options;
  if (rows.length !== labels.length) throw new RangeError(`fitLogistic: ${rows.length} rows but ${labels.length} labels`);
  const p = (rows[0]?.length ?? 0) + 1;
  const beta = new Array<number>(p).fill(0);
  const x = new Float64Array(p);
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const hessian = new Float64Array(p * p);
    const gradient = new Array<number>(p).fill(0);
    for (let i = 0; i < rows.length; i += 1) {
      x[0] = 1;
      for (let j = 1; j < p; j += 1) x[j] = rows[i]![j - 1]!;
      let eta = 0;
      for (let j = 0; j < p; j += 1) eta += beta[j]! * x[j]!;
      const mu = sigmoid(eta);
      const weight = mu * (1 - mu);
      const residual = (labels[i] ? 1 : 0) - mu;
      for (let j = 0; j < p; j += 1) {
        gradient[j]! += residual * x[j]!;
        for (let k = 0; k <= j; k += 1) hessian[j * p + k]! += weight * x[j]! * x[k]!;
      }
    }
    for (let j = 0; j < p; j += 1) {
      for (let k = 0; k < j; k += 1) hessian[k * p + j] = hessian[j * p + k]!;
      if (j > 0) {
        gradient[j]! -= ridge * beta[j]!;
        hessian[j * p + j]! += ridge;
      }
    }
    const square = Matrix.from1DArray(p, p, hessian);
    const step = new CholeskyDecomposition(square).solve(Matrix.columnVector(gradient)).getColumn(0);
    let largest = 0;
    for (let j = 0; j < p; j += 1) {
      beta[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < tolerance) return { intercept: beta[0]!, coefficients: beta.slice(1), iterations: iteration };
  }
  throw new Error(`fitLogistic: no convergence in ${maxIterations} Newton steps`);
}
