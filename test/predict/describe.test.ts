import { describe, expect, it } from 'vitest';
import { describePrediction } from '../../src/cli/commands/predict.js';

describe("predict's printout", () => {
  it('prints a fit without a likelihood (churn risk) as rounded key-value pairs', () => {
    const text = describePrediction({
      tenant: 'acme',
      asOf: new Date('2026-12-01T00:00:00Z'),
      seconds: 1.94,
      results: [
        {
          name: 'churn-risk',
          parameters: { intercept: -2.70512, tenure: -0.184531 },
          diagnostics: { auc: 0.728428396389709, baselineAuc: 0.544009137151494, nTrain: 29984, cutoff: '2026-06-01T00:00:00.000Z' },
          rowsWritten: 5000,
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      'acme (history through 2026-11-30, 1.9 s):',
      '  churn-risk   intercept=-2.705 tenure=-0.1845',
      '               auc 0.7284, baselineAuc 0.5440, nTrain 29984, cutoff 2026-06-01T00:00:00.000Z; 5,000 rows written',
    ]);
  });
});
