import { LRUCache } from 'lru-cache';

/**
 * A short-lived cache of whole /load answers, in front of Cube's own result cache. Even a
 * cached answer costs Cube a few milliseconds of CPU (normalising the query, planning its
 * rollup partitions, hashing cache keys), and a board many people watch asks the same handful
 * of queries many times a second. For a few seconds the first answer is sent again as it was:
 * at most that much staler than Cube's own, which already serves an answer until its next
 * refresh-key check.
 *
 * The key is the caller's security context (so one tenant never sees another's answer), the
 * query exactly as sent, and how it was asked. Only answers are kept; an error, "Continue wait"
 * and a query that asks for fresh data (`renewQuery`) pass through to Cube.
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, object>;

  constructor(seconds: number, maxEntries = 2_000) {
    this.answers = new LRUCache({ max: maxEntries, ttl: seconds * 1000, ttlAutopurge: false });
  }

  /** The key of a request, or null when it must not be served from here. */
  static keyOf(request: { query: unknown; context: { securityContext?: unknown }; apiType?: string; queryType?: unknown }): string | null {
    const query = typeof request.query === 'string' ? request.query : JSON.stringify(request.query);
    if (query === undefined || /"renewQuery"\s*:\s*true/.test(query)) return null;
    return JSON.stringify([request.context.securityContext ?? null, request.apiType ?? 'rest', request.queryType ?? null, query]);
  }

  get(key: string): object | undefined {
    return this.answers.get(key);
  }

  set(key: string, answer: object): void {
    this.answers.set(key, answer);
  }
}
