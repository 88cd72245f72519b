/**
 * Stands in for `@grafana/runtime` in live tests, with Grafana's data proxy done for real over
 * HTTP: a request to `/api/datasources/proxy/uid/<uid>/<route>/…` goes to the URL of the
 * matching route in the data source's plugin.json, with the route's headers rendered from the
 * data source's jsonData and secureJsonData, as Grafana's server does. So the live tests cover
 * the routes as written, and the browser-side code never sees the token.
 */
import type { DataSourceInstanceSettings } from '@grafana/data';
import { from } from 'rxjs';
import { z } from 'zod';
import datasourcePlugin from '../../src/datasource/plugin.json';
import type { CubeDataSourceOptions, CubeSecureJsonData } from '../../src/datasource/types';

const routesSchema = z.array(
  z.object({ path: z.string(), url: z.string(), headers: z.array(z.object({ name: z.string(), content: z.string() })).default([]) }),
);
const routes = routesSchema.parse(datasourcePlugin.routes);

interface Stored {
  jsonData: CubeDataSourceOptions;
  secureJsonData: CubeSecureJsonData;
}
const stored = new Map<string, Stored>();

/** A data source as Grafana would hold it after provisioning; returns what the browser gets. */
export function provisionDataSource(
  uid: string,
  jsonData: CubeDataSourceOptions,
  secureJsonData: CubeSecureJsonData,
): DataSourceInstanceSettings<CubeDataSourceOptions> {
  stored.set(uid, { jsonData, secureJsonData });
  return {
    id: stored.size,
    uid,
    type: datasourcePlugin.id,
    name: `Cube (${uid})`,
    url: `/api/datasources/proxy/uid/${uid}`,
    jsonData,
    meta: { id: datasourcePlugin.id },
    access: 'proxy',
    readOnly: false,
  } as DataSourceInstanceSettings<CubeDataSourceOptions>;
}

/** Grafana's route templates: `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}`. */
function render(template: string, ds: Stored): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_m, scope: string, key: string) => {
    const values = (scope === 'JsonData' ? ds.jsonData : ds.secureJsonData) as Record<string, unknown>;
    return String(values[key] ?? '');
  });
}

/** The error shape backendSrv.fetch rejects with for a non-2xx answer. */
class FetchError {
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {}
}

interface FetchOptions {
  url: string;
  method?: string;
  data?: unknown;
}

async function proxy(options: FetchOptions): Promise<{ status: number; data: unknown }> {
  const match = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/.exec(options.url);
  const ds = match && stored.get(match[1]!);
  if (!match || !ds) throw new FetchError(404, { message: `not a provisioned data source: ${options.url}` });
  const rest = match[2]!;
  const route = routes.find((r) => rest === r.path || rest.startsWith(`${r.path}/`));
  if (!route) throw new FetchError(404, { message: `no plugin.json route for ${rest}` });
  const target = `${render(route.url, ds)}${rest.slice(route.path.length)}`;
  const headers = Object.fromEntries(route.headers.map((h) => [h.name, render(h.content, ds)]));
  let response: Response;
  try {
    response = await fetch(target, {
      method: options.method ?? 'GET',
      headers: { ...headers, ...(options.data === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: options.data === undefined ? undefined : JSON.stringify(options.data),
    });
  } catch {
    // Grafana's proxy answers 502 when the route's URL cannot be reached.
    throw new FetchError(502, { message: 'Bad Gateway' });
  }
  const data: unknown = await response.json();
  if (!response.ok) throw new FetchError(response.status, data);
  return { status: response.status, data };
}

export const getBackendSrv = () => ({ fetch: (options: FetchOptions) => from(proxy(options)) });
export const isFetchError = (error: unknown): error is FetchError => error instanceof FetchError;
// No dashboard variables in these tests: Grafana's replace() leaves such text unchanged.
export const getTemplateSrv = () => ({ replace: (text?: string) => text ?? '' });
