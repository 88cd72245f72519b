export interface RefusedRoute {
  path: string;
  status: number;
  message: string;
}

/**
 * Routes Cube 0.35.81 mounts that this service does not serve. GraphQL reaches the same query
 * compiler without our validation (a query nested 1,000 deep overflows its stack); the Rollup
 * Designer's can-use answers a 500 to any body; refresh jobs are run by the server itself.
 */
export function refusedRoutes(basePath: string): RefusedRoute[] {
  const graphQl = 'GraphQL is off in this service: send the same query as JSON to /cubejs-api/v1/load.';
  const notServed = (what: string) => `${what} is not served by this API.`;
  const selfRefreshed = (route: string) => `${route} is not served by this API: the server builds its pre-aggregations itself.`;
  return [
    { path: `${basePath}/graphql`, status: 404, message: graphQl },
    { path: `${basePath}/v1/graphql-to-json`, status: 404, message: graphQl },
    {
      path: `${basePath}/v1/pre-aggregations/can-use`,
      status: 404,
      message: notServed("Cube's Rollup Designer (/v1/pre-aggregations/can-use)"),
    },
    { path: `${basePath}/v1/pre-aggregations/jobs`, status: 404, message: selfRefreshed('/v1/pre-aggregations/jobs') },
    { path: `${basePath}/v1/run-scheduled-refresh`, status: 404, message: selfRefreshed('/v1/run-scheduled-refresh') },
  ];
}
