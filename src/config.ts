import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int('expected a whole number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' });

/** Every environment variable the runtime reads, with its default. */
export const configSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  PG_PORT: port.default(54329),
  DATA_DIR: z.string().min(1, 'expected a directory path').default('.data'),
  SEED: z.coerce.number({ error: 'expected an integer' }).int('expected a whole number').default(42),
  SEED_CUSTOMERS: z.coerce
    .number({ error: 'expected a number of customers' })
    .int('expected a whole number')
    .min(100, 'expected at least 100 customers')
    .max(10_000_000, 'expected at most 10,000,000 customers')
    .default(20_000),
  CUBE_PORT: port.default(4000),
  CUBE_API_SECRET: z.string().min(16, 'expected a secret of at least 16 characters').optional(),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Reads the configuration from an environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${key}: got ${describe(input[key])}, ${issue.message}`;
      }),
    );
  }
  return { ...parsed.data, dataDir: path.resolve(cwd, parsed.data.DATA_DIR) };
}
