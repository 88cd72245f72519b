/**
 * Evaluates the comparisons the generated alert rules use in Grafana math expressions
 * (`$A >= 5`, `$A < 0`, joined by `&&`), so tests can check a rule's verdict on a value
 * against the benchmark's band for it. Anything else is refused, not guessed.
 */
export function evaluateComparison(expression: string, values: Record<string, number>): boolean {
  return expression.split('&&').every((clause) => {
    const match = /^\s*\$(\w+)\s*(>=|<=|>|<|==|!=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(clause);
    if (!match) throw new Error(`not a comparison this helper knows: ${clause}`);
    const [, ref, operator, literal] = match;
    const value = values[ref!];
    if (value === undefined) throw new Error(`no value for $${ref}`);
    const n = Number(literal);
    switch (operator) {
      case '>=':
        return value >= n;
      case '<=':
        return value <= n;
      case '>':
        return value > n;
      case '<':
        return value < n;
      case '==':
        return value === n;
      default:
        return value !== n;
    }
  });
}
