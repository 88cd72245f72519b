/** Which tenants exist, from the warehouse's `tenants` table, cached briefly. */
export interface TenantDirectory {
  /** true when the tenant exists; reads the table again on a miss, at most once per `missRefreshMs`. */
  has(tenant: string): Promise<boolean>;
  /** Every tenant id, sorted. */
  list(): Promise<string[]>;
  close(): Promise<void>;
}

export interface TenantDirectoryOptions {
  /** Reads every tenant id. */
  read: () => Promise<string[]>;
  /** How long a read answers hits; default 60 s. */
  ttlMs?: number;
  /** A miss reads again only if the last read is older than this (a flood of unknown tenants costs one query per interval); default 1 s. */
  missRefreshMs?: number;
  close?: () => Promise<void>;
  now?: () => number;
}

export class TenantDirectoryUnavailable extends Error {
  override name = 'TenantDirectoryUnavailable';
  constructor(readonly reason: string) {
    super(`Cannot read the tenants table: ${reason}`);
  }
}

export function createTenantDirectory(options: TenantDirectoryOptions): TenantDirectory {
  const ttlMs = options.ttlMs ?? 60_000;
  const missRefreshMs = options.missRefreshMs ?? 1_000;
  const now = options.now ?? Date.now;
  let known: Set<string> | undefined;
  let readAt = -Infinity;
  let triedAt = -Infinity;
  let reading: Promise<Set<string>> | undefined;

  const load = async (): Promise<Set<string>> => {
    triedAt = now();
    try {
      known = new Set(await options.read());
      readAt = now();
      return known;
    } catch (error) {
      // Stale ids are better than refusing every token while the warehouse is away.
      if (known) return known;
      throw new TenantDirectoryUnavailable(error instanceof Error ? error.message : String(error));
    }
  };
  // Concurrent misses share one read.
  const read = (): Promise<Set<string>> => {
    reading ??= load().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const recentlyTried = () => now() - triedAt < missRefreshMs;
  const current = async (): Promise<Set<string>> => (known && (now() - readAt < ttlMs || recentlyTried()) ? known : read());

  return {
    async has(tenant) {
      if ((await current()).has(tenant)) return true;
      if (recentlyTried()) return false;
      return (await read()).has(tenant);
    },
    async list() {
      return [...(await current())].sort();
    },
    close: options.close ?? (async () => {}),
  };
}
