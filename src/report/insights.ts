import type { CubeQuery } from '@engagement/contract';
import type { CubeClient } from '../cube/client.js';
import { monthRange } from './spec.js';

/** What the report shows beside the KPIs: RFM segments and health for its month, and the latest predictions. */
export interface Insights {
  /** Customers per RFM segment in the month, largest first. */
  segments: { segment: string; customers: number }[];
  health: { average: number | null; bands: { band: string; customers: number }[] };
  predictions: { averageClv12m: number | null; averageClv3y: number | null; likelyAliveShare: number | null };
  churnRisk: { customersAtRisk: number | null; revenueAtRisk: number | null; averageRisk: number | null };
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** Reads the report month's segments and health and the tenant's predictions from Cube, one query at a time. */
export async function loadInsights(client: CubeClient, month: string): Promise<Insights> {
  const inMonth = (dimension: string): CubeQuery['timeDimensions'] => [{ dimension, dateRange: monthRange(month) }];
  const segments = await client.load({
    measures: ['customer_segments.customers'],
    dimensions: ['customer_segments.segment'],
    timeDimensions: inMonth('customer_segments.month'),
    order: { 'customer_segments.customers': 'desc' },
  });
  const bands = await client.load({
    measures: ['customer_health_scores.customers'],
    dimensions: ['customer_health_scores.health_band'],
    timeDimensions: inMonth('customer_health_scores.month'),
    order: { 'customer_health_scores.customers': 'desc' },
  });
  const [health] = await client.load({
    measures: ['customer_health_scores.average_health_score'],
    timeDimensions: inMonth('customer_health_scores.month'),
  });
  const [predictions] = await client.load({
    measures: ['customer_predictions.average_clv_12m', 'customer_predictions.average_clv_3y', 'customer_predictions.likely_alive_share'],
  });
  const [risk] = await client.load({ measures: ['churn_risk.customers_at_risk', 'churn_risk.revenue_at_risk', 'churn_risk.average_risk'] });
  return {
    segments: segments.map((r) => ({
      segment: String(r['customer_segments.segment']),
      customers: Number(r['customer_segments.customers']),
    })),
    health: {
      average: num(health?.['customer_health_scores.average_health_score']),
      bands: bands.map((r) => ({
        band: String(r['customer_health_scores.health_band']),
        customers: Number(r['customer_health_scores.customers']),
      })),
    },
    predictions: {
      averageClv12m: num(predictions?.['customer_predictions.average_clv_12m']),
      averageClv3y: num(predictions?.['customer_predictions.average_clv_3y']),
      likelyAliveShare: num(predictions?.['customer_predictions.likely_alive_share']),
    },
    churnRisk: {
      customersAtRisk: num(risk?.['churn_risk.customers_at_risk']),
      revenueAtRisk: num(risk?.['churn_risk.revenue_at_risk']),
      averageRisk: num(risk?.['churn_risk.average_risk']),
    },
  };
}
