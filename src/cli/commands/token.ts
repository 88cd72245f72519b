import { lifetimeSeconds, loadConfig, type Config } from '../../config.js';
import { mintToken } from '../../cube/tokens.js';
import { resolveApiSecret } from '../../runtime/secret.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { listTenants } from '../../warehouse/tenant-list.js';
import { UsageError } from '../run.js';

export interface TokenFlags {
  tenant?: string;
  admin?: boolean;
  expires: string;
}

/** The warehouse's tenant ids: DATABASE_URL's, a running `npm start`'s or the embedded warehouse's. */
async function knownTenants(config: Config): Promise<string[]> {
  const session = await openMigratedWarehouse(config, { joinRunning: true });
  try {
    return (await listTenants(session.db)).sort();
  } finally {
    await session.close();
  }
}

/** Prints a Cube token: per tenant for a Grafana data source, or admin for all tenants. */
export async function tokenCommand(flags: TokenFlags): Promise<void> {
  if (!flags.tenant && !flags.admin) throw new UsageError('Say whose token it is: --tenant <id>, or --admin for every tenant.');
  if (flags.tenant && flags.admin) throw new UsageError('Use either --tenant or --admin, not both.');
  const config = loadConfig();
  const max = config.TOKEN_MAX_LIFETIME;
  if (lifetimeSeconds(flags.expires) > max.seconds) {
    throw new UsageError(
      `--expires ${flags.expires} is longer than TOKEN_MAX_LIFETIME (${max.span}), so Cube would refuse the token: ask for ${max.span} or less.`,
    );
  }
  const secret = await resolveApiSecret(config);
  if (flags.tenant !== undefined) {
    const tenants = await knownTenants(config);
    if (!tenants.includes(flags.tenant)) {
      const known = tenants.length
        ? `Known tenants: ${tenants.join(', ')}.`
        : 'The warehouse has no tenants yet: run `npm run seed` first.';
      throw new UsageError(`No tenant ${JSON.stringify(flags.tenant)} in the warehouse, so Cube would refuse the token. ${known}`);
    }
  }
  const claims = flags.admin ? { admin: true } : { tenant: flags.tenant };
  console.log(mintToken(secret, claims, { expiresIn: flags.expires }));
}
