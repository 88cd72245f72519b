import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { z } from 'zod';
import type { CubeQuery } from '@engagement/contract';
import { quantile } from './stats.js';

/**
 * The load test: N viewers each open the board over and over (its queries one after another,
 * closed loop, no think time) against a Cube that already holds every answer in its result
 * cache, as a busy shared board is served. autocannon drives the HTTP connections: a well-kept
 * load generator with HDR-histogram percentiles, rather than a hand-written loop.
 */

export const loadLevelSchema = z.object({
  viewers: z.number().int().positive(),
  seconds: z.number().positive(),
  requests: z.number().int().nonnegative(),
  requestsPerSecond: z.number().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  /** Connection errors, timeouts and non-2xx answers, and 2xx answers that carried no data. */
  errors: z.number().int().nonnegative(),
  /** The serving process's resident memory at the end of the level, and its peak so far. */
  serverRssMiB: z.number().nonnegative().nullable(),
  serverPeakRssMiB: z.number().nonnegative().nullable(),
});
export type LoadLevel = z.infer<typeof loadLevelSchema>;

export const loadResultSchema = z.object({
  tenant: z.string(),
  queriesPerOpen: z.number().int().positive(),
  levels: z.array(loadLevelSchema),
});
export type LoadResult = z.infer<typeof loadResultSchema>;

export interface LoadOptions {
  apiUrl: string;
  token: string;
  queries: CubeQuery[];
  viewers: readonly number[];
  seconds: number;
  /** Reads the serving process's memory, when it runs apart from the load (VmRSS, VmHWM). */
  serverMemory?: () => Promise<{ rssMiB: number; peakRssMiB: number } | null>;
  onLevel?: (viewers: number) => void;
}

/** The board's queries as GET /load requests, the way the Grafana backend sends them. */
function boardRequests(apiUrl: string, queries: CubeQuery[]): autocannon.Request[] {
  const base = new URL(apiUrl);
  return queries.map((query) => ({
    method: 'GET',
    path: `${base.pathname.replace(/\/$/, '')}/load?query=${encodeURIComponent(JSON.stringify(query))}`,
  }));
}

/** A 200 that says "Continue wait" or carries an error is not an answer: the cache was not warm. */
const isAnswer = (body: string) => body.includes('"data"') && !body.includes('"error"');

async function runLevel(options: LoadOptions, viewers: number): Promise<LoadLevel> {
  let unanswered = 0;
  const latencies: number[] = [];
  const settings = {
    url: new URL(options.apiUrl).origin,
    connections: viewers,
    duration: options.seconds,
    headers: { authorization: options.token },
    requests: boardRequests(options.apiUrl, options.queries).map((request) => ({
      ...request,
      onResponse: (status: number, body: string) => {
        if (status >= 200 && status < 300 && !isAnswer(body)) unanswered += 1;
      },
    })),
    // A slow answer is a slow answer, not a lost one: count it, do not cut it off.
    timeout: 30,
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(settings, (error, done) => (error ? reject(error) : resolve(done)));
    // Every response's own time, for exact percentiles (autocannon's summary has no p95).
    run.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  });
  const memory = (await options.serverMemory?.()) ?? null;
  const at = (q: number) => (latencies.length ? quantile(latencies, q) : 0);
  return {
    viewers,
    seconds: result.duration,
    requests: latencies.length,
    requestsPerSecond: latencies.length / Math.max(result.duration, 1e-9),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    errors: result.errors + result.timeouts + result.non2xx + unanswered,
    serverRssMiB: memory?.rssMiB ?? null,
    serverPeakRssMiB: memory?.peakRssMiB ?? null,
  };
}

/** One level per viewer count, one after another, each on a cache warmed by the one before. */
export async function runLoad(options: LoadOptions & { tenant: string }): Promise<LoadResult> {
  const levels: LoadLevel[] = [];
  for (const viewers of options.viewers) {
    options.onLevel?.(viewers);
    levels.push(await runLevel(options, viewers));
  }
  return { tenant: options.tenant, queriesPerOpen: options.queries.length, levels };
}

export interface LoadServer {
  apiUrl: string;
  /** Resident and peak resident memory of the serving process, from /proc; null where there is none. */
  memory: () => Promise<{ rssMiB: number; peakRssMiB: number } | null>;
  stop: () => Promise<void>;
}

async function processMemory(pid: number): Promise<{ rssMiB: number; peakRssMiB: number } | null> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status ?? '')?.[1] ?? NaN);
  const rss = kib('VmRSS');
  const peak = kib('VmHWM');
  return Number.isFinite(rss) && Number.isFinite(peak) ? { rssMiB: rss / 1024, peakRssMiB: peak / 1024 } : null;
}

/** Starts bench/load-server.ts on the warehouse and waits for the API URL it prints. */
export async function startLoadServer(databaseUrl: string, apiSecret: string): Promise<LoadServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load-server.ts')], {
    env: { ...process.env, LOAD_DATABASE_URL: databaseUrl, LOAD_API_SECRET: apiSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => reject(new Error(`The load test's Cube exited before it was ready:\n${stderr}`)));
  });
  return {
    apiUrl,
    memory: () => processMemory(child.pid!),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
