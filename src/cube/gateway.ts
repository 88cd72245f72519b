import { ApiGateway } from '@cubejs-backend/api-gateway';
import { AnswerCache } from './answer-cache.js';
import { toClientError, withoutStack } from './errors.js';
import {
  assertSaneStructure,
  assertTimeZones,
  indexModel,
  validateQueries,
  type ModelIndex,
  type ModelMeta,
  type QueryLimits,
} from './query/index.js';
import { resolveRelativeRange } from './query/relative-range.js';
import { refusedRoutes } from './refused-routes.js';

type HandleErrorOptions = Parameters<ApiGateway['handleError']>[0];
type LoadRequest = Parameters<ApiGateway['load']>[0];
type RequestContext = Parameters<ApiGateway['getNormalizedQueries']>[1];

// The parts of Express's request and response the error handler uses (no @types/express here).
interface FailedRequest {
  context?: unknown;
  requestStarted?: Date;
}
interface FailedResponse {
  headersSent: boolean;
}
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

// Cube's (private) builder of one /load result, and the field of its input that names rollups.
type GetResultInternal = (...args: unknown[]) => Record<string, unknown>;
interface DriverResponse {
  usedPreAggregations?: Record<string, unknown>;
}
const RESPONSE_ARG = 5;

/** Cube's REST gateway with errors that carry the right status and a message about the input. */
export class EngagementApiGateway extends ApiGateway {
  /** Set by the server core before the app is built. */
  queryLimits?: QueryLimits;
  /** Set by the server core when answers are cached for a few seconds (answer-cache.ts). */
  answerCache?: AnswerCache;
  private readonly modelIndexes = new WeakMap<object, ModelIndex>();

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

  private get limits(): QueryLimits {
    if (!this.queryLimits) throw new Error('EngagementApiGateway: queryLimits were not set before the first request.');
    return this.queryLimits;
  }

  // Routes registered first answer before Cube's own handlers for the same paths.
  override initApp(app: Parameters<ApiGateway['initApp']>[0]): void {
    const { maxUrlBytes } = this.limits;
    app.use((req: { url: string }, res: JsonResponse, next: () => void) => {
      if (Buffer.byteLength(req.url) <= maxUrlBytes) return next();
      const max = maxUrlBytes.toLocaleString('en-US');
      return res
        .status(414)
        .json({ error: `The request URL is longer than ${max} bytes, the limit (QUERY_MAX_URL_BYTES): send the query as a POST body.` });
    });
    for (const { path, status, message } of refusedRoutes(this.basePath)) {
      app.use(path, (_req: unknown, res: JsonResponse) => res.status(status).json({ error: message }));
    }
    super.initApp(app);
  }

  override async load(request: LoadRequest): Promise<void> {
    const cache = this.answerCache;
    const key = cache ? AnswerCache.keyOf(request) : null;
    if (!cache || key === null) return super.load(request);
    const kept = cache.get(key);
    if (kept) return request.res(kept);
    return super.load({
      ...request,
      // Cube sends an answer without a status; errors and "Continue wait" come with one.
      res: (message, extra) => {
        if (extra === undefined && !('error' in message)) cache.set(key, message);
        request.res(message, extra);
      },
    });
  }

  override handleError(options: HandleErrorOptions): void {
    super.handleError({ ...options, e: toClientError(options.e), res: withoutStack(options.res) });
  }

  // Every data endpoint (load, sql, dry-run, subscribe) reads its query through here first, and
  // /load logs it (JSON.stringify, recursive) before anything else: depth is checked here.
  protected override parseQueryParam(query: unknown): ReturnType<ApiGateway['parseQueryParam']> {
    const parsed = super.parseQueryParam(query);
    assertSaneStructure(parsed, this.limits);
    return parsed;
  }

  private async modelIndex(context: RequestContext): Promise<ModelIndex> {
    const compilerApi = await this.getCompilerApi(context);
    const meta = (await compilerApi.metaConfig({ requestId: context.requestId })) as ModelMeta[];
    let index = this.modelIndexes.get(meta);
    if (!index) {
      index = indexModel(meta);
      this.modelIndexes.set(meta, index);
    }
    return index;
  }

  // Cube 0.35.81 checks a query with a Joi schema that lets any string through as `timezone`
  // and pastes it into `AT TIME ZONE '…'` (SQL injection; fixed upstream later by checking IANA
  // names), and compiles members, operators and values it never checked. Everything is checked
  // here, against the compiled model, before Cube's own normalizer sees the query.
  protected override async getNormalizedQueries(
    inputQuery: Parameters<ApiGateway['getNormalizedQueries']>[0],
    context: RequestContext,
    persistent?: boolean,
    memberExpressions?: boolean,
  ): ReturnType<ApiGateway['getNormalizedQueries']> {
    const parsed = this.parseQueryParam(inputQuery);
    // Only Cube's SQL API (where the native module loads) asks for member expressions: it builds
    // them itself from SQL, outside the REST schema, so only the time zone is checked there.
    if (memberExpressions) assertTimeZones(parsed);
    else validateQueries(parsed, this.limits, await this.modelIndex(context), resolveRelativeRange);
    return super.getNormalizedQueries(parsed, context, persistent, memberExpressions);
  }
}
