import { createRequire } from 'node:module';
import { ApiGateway, CubejsHandlerError, type SQLServer } from '@cubejs-backend/api-gateway';
import type { CompilerApi } from '@cubejs-backend/server-core';

export type NativeStatus = { available: true } | { available: false; reason: string };

interface NativeModule {
  loadNative(): unknown;
  NativeInstance: new () => { newJinjaEngine(options: { debugInfo: boolean; filters: object; workers: number }): unknown };
}

/**
 * Whether `@cubejs-backend/native` (Cube's Rust module) works here. It is loaded the way the API
 * gateway loads it (resolved from the gateway's package, so it is the same copy) and used the way
 * a YAML compile uses it, because a package that installs without its binary only fails on use.
 */
function probeNative(): NativeStatus {
  try {
    const requireFromGateway = createRequire(createRequire(import.meta.url).resolve('@cubejs-backend/api-gateway'));
    const native = requireFromGateway('@cubejs-backend/native') as NativeModule;
    native.loadNative();
    new native.NativeInstance().newJinjaEngine({ debugInfo: false, filters: {}, workers: 1 });
    return { available: true };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

let probed: NativeStatus | undefined;

/** probeNative's answer, found once: whether the binary loads cannot change while the process runs. */
export function nativeStatus(): NativeStatus {
  probed ??= probeNative();
  return probed;
}

const SQL_API_OFF = 'The SQL API is off: @cubejs-backend/native does not load on this machine.';

/**
 * Stands in for Cube's SQLServer. The gateway's constructor always creates one, and the real one's
 * constructor calls into the native module, so without native no gateway (and no REST API) starts.
 * CubejsServer calls init() only when a SQL port is set; with nothing to start it is a no-op.
 */
class SqlServerOff {
  async init(): Promise<void> {}
  async execSql(): Promise<void> {
    throw new CubejsHandlerError(501, 'Not Implemented', SQL_API_OFF);
  }
  getNativeGatewayPort(): number {
    throw new Error(SQL_API_OFF);
  }
  async close(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base constructor must take any[] (TS2545).
type GatewayClass = new (...args: any[]) => ApiGateway;

/** The given gateway class without the SQL API (override 1 of 2 from DESIGN.md). */
export function withoutSqlApi<Base extends GatewayClass>(Gateway: Base): Base {
  return class extends Gateway {
    protected override createSQLServerInstance(): SQLServer {
      return new SqlServerOff() as unknown as SQLServer;
    }

    // Cube's /v1/cubesql handler sets `Transfer-Encoding: chunked` before asking the SQL server,
    // so an error it then sends as JSON is a malformed HTTP response. Answer before it runs.
    override initApp(app: Parameters<ApiGateway['initApp']>[0]): void {
      app.post(`${this.basePath}/v1/cubesql`, (_req: unknown, res: { status(code: number): { json(body: unknown): void } }) => {
        res.status(501).json({ error: SQL_API_OFF });
      });
      super.initApp(app);
    }
  };
}

/**
 * Override 2 of 2: every YAML compile asks the native module for a Jinja engine up front, even
 * for files without Jinja. This one is created without native and fails only when a template is
 * actually loaded or rendered, so plain YAML and JS models compile.
 */
export function disableJinja(compilerApi: CompilerApi, reason: string): void {
  const unavailable = () => new Error(`Jinja templates in the model need @cubejs-backend/native, which does not load here (${reason}).`);
  compilerApi.nativeInstance.newJinjaEngine = () => ({
    loadTemplate: () => {
      throw unavailable();
    },
    renderTemplate: () => Promise.reject(unavailable()),
  });
}
