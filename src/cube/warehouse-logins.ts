import pg from 'pg';
import { assertTenantTablesProtected, WarehouseRoles, type WarehouseLogin } from '../warehouse/roles.js';
import { connectTimeoutMs } from './driver.js';
import { ignoreErrorsOfEndingClients } from './pool-errors.js';
import type { WarehouseScope } from './warehouse-access.js';

export interface WarehouseLogins {
  /** Checks row-level security and makes every role; retried by login() while it fails. */
  provision(): Promise<void>;
  login(scope: WarehouseScope): Promise<WarehouseLogin>;
  end(): Promise<void>;
}

/**
 * Cube's logins, made through the owner's connection (DATABASE_URL's user, or the embedded
 * superuser), which does nothing else. Every tenant's role is made before any query, so that a
 * Cube without the owner's password (docker-compose's) finds them; a tenant added later gets
 * its role when first served. The warehouse may be down when Cube starts: a failed provisioning
 * is tried again at the next login.
 */
export function warehouseLogins(ownerUrl: string, apiSecret: string, statementTimeoutSeconds: number): WarehouseLogins {
  const owner = new pg.Pool({ connectionString: ownerUrl, connectionTimeoutMillis: connectTimeoutMs, max: 2 });
  // A connection the warehouse drops (a restart) must not crash the process.
  owner.on('error', () => {});
  ignoreErrorsOfEndingClients(owner);
  const roles = new WarehouseRoles(owner, apiSecret, statementTimeoutSeconds * 1000);
  let provisioning: Promise<void> | undefined;
  const provision = () => {
    provisioning ??= (async () => {
      await assertTenantTablesProtected(owner);
      await roles.all();
    })().catch((error: unknown) => {
      provisioning = undefined;
      throw error;
    });
    return provisioning;
  };
  return {
    provision,
    login: async (scope) => {
      await provision();
      return scope.admin ? roles.admin() : roles.tenant(scope.tenant);
    },
    end: () => owner.end(),
  };
}
