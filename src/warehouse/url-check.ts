import pg from 'pg';
import { WarehouseStartError } from './errors.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** The URL without its password, to show in a message. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** What went wrong, in words, from pg's error (a PostgreSQL SQLSTATE or a socket errno). */
function explain(error: unknown, url: URL): string {
  const { code, message } = error as { code?: string; message?: string };
  const host = `${url.hostname}:${url.port || 5432}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || url.username;
  const user = decodeURIComponent(url.username) || 'the default user';
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${host} (connection refused). Start PostgreSQL there, or fix the host and port.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${url.hostname} is not known (DNS lookup failed). Fix the host name.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the host ${url.hostname} cannot be reached (${code}).`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${host} refused user ${user}: ${message}. Fix the user name or password.`;
    case '3D000':
      return `the database "${database}" does not exist on ${host}. Create it (createdb ${database}) or name an existing one.`;
    case '53300':
      return `PostgreSQL at ${host} has too many connections open. Try again later.`;
    default:
      if (/timeout/i.test(message ?? ''))
        return `no answer from ${host} within ${CONNECT_TIMEOUT_MS / 1000} s. Check the host, port and firewall.`;
      if (
        /Connection terminated|ECONNRESET|Received unexpected|unexpected message|not a valid|The server does not support SSL/i.test(
          `${code} ${message}`,
        )
      ) {
        return `the server at ${host} did not answer as PostgreSQL (${message}). Check the port: PostgreSQL listens on 5432 by default.`;
      }
      return `${message ?? String(error)}.`;
  }
}

/**
 * Connects once to DATABASE_URL before anything else does, so that a wrong URL is reported in
 * one message naming the variable instead of a stack trace from the first pool that tries.
 */
export async function checkDatabaseUrl(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new WarehouseStartError(`DATABASE_URL (${redactUrl(url)}): ${explain(error, new URL(url))}`);
  } finally {
    await client.end().catch(() => {});
  }
}
