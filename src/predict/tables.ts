/**
 * The tables `npm run predict` writes (one transaction per tenant, replacing its rows): its
 * output, so `npm run import` does not load them and the warehouse contract lists them apart.
 */
export const PREDICTION_TABLES: readonly string[] = [
  'customer_predictions',
  'cohort_retention_forecast',
  'prediction_fits',
  'churn_risk_scores',
  'churn_risk_models',
];
