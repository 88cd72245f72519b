import { loadConfig } from '../../config.js';
import { mintToken } from '../../cube/tokens.js';
import { resolveApiSecret } from '../../runtime/secret.js';
import { UsageError } from '../run.js';

export interface TokenFlags {
  tenant?: string;
  admin?: boolean;
  expires: string;
}

/** Prints a Cube token: per tenant for a Grafana data source, or admin for all tenants. */
export async function tokenCommand(flags: TokenFlags): Promise<void> {
  if (!flags.tenant && !flags.admin) throw new UsageError('Say whose token it is: --tenant <id>, or --admin for every tenant.');
  if (flags.tenant && flags.admin) throw new UsageError('Use either --tenant or --admin, not both.');
  const secret = await resolveApiSecret(loadConfig());
  const claims = flags.admin ? { admin: true } : { tenant: flags.tenant };
  console.log(mintToken(secret, claims, flags.expires === 'never' ? {} : { expiresIn: flags.expires }));
}
