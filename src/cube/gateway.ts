import { ApiGateway } from '@cubejs-backend/api-gateway';
import { toClientError, withoutStack } from './errors.js';
import { validateQuery } from './query-validation.js';

type HandleErrorOptions = Parameters<ApiGateway['handleError']>[0];

// The parts of Express's request and response the error handler uses (no @types/express here).
interface FailedRequest {
  context?: unknown;
  requestStarted?: Date;
}
interface FailedResponse {
  headersSent: boolean;
}

// Cube's (private) builder of one /load result, and the field of its input that names rollups.
type GetResultInternal = (...args: unknown[]) => Record<string, unknown>;
interface DriverResponse {
  usedPreAggregations?: Record<string, unknown>;
}
const RESPONSE_ARG = 5;

/** Cube's REST gateway with errors that carry the right status and a message about the input. */
export class EngagementApiGateway extends ApiGateway {
  constructor(...args: ConstructorParameters<typeof ApiGateway>) {
    super(...args);
    // Cube's version answers the request and then also passes the error on to Express, whose
    // final handler prints it to stderr and, the response being sent, destroys the socket.
    this.handleErrorMiddleware = (error: unknown, req: FailedRequest, res: FailedResponse, next: (error: unknown) => void) => {
      if (res.headersSent) {
        next(error);
        return;
      }
      this.handleError({
        e: error,
        context: req.context,
        res: this.resToResultFn(res),
        requestStarted: req.requestStarted ?? new Date(),
      });
    };
    // Cube reports which rollup tables answered a query only in dev mode. Table names are no
    // secret, and they let a client, our tests and the benchmark see whether a query was served
    // from pre-aggregations or from the raw tables.
    const self = this as unknown as { getResultInternal: GetResultInternal };
    const getResult = self.getResultInternal.bind(this);
    self.getResultInternal = (...args) => {
      const result = getResult(...args);
      const response = args[RESPONSE_ARG] as DriverResponse | undefined;
      return { ...result, usedPreAggregations: result.usedPreAggregations ?? response?.usedPreAggregations ?? {} };
    };
  }

  override handleError(options: HandleErrorOptions): void {
    super.handleError({ ...options, e: toClientError(options.e), res: withoutStack(options.res) });
  }

  // Every data endpoint (load, sql, dry-run, subscribe) reads its query through here first.
  protected override parseQueryParam(query: unknown): ReturnType<ApiGateway['parseQueryParam']> {
    const parsed = super.parseQueryParam(query);
    validateQuery(parsed);
    return parsed;
  }
}
