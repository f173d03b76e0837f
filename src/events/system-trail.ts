import { TenantScope } from '../tenancy/tenant-scope.js';

/**
 * The install-wide "system trail": a reserved tenant id no API key can belong to, for entries
 * about the installation rather than one tenant (clock skew, breach records). Stored, hashed and
 * sealed like any trail (the sealer signs its checkpoints); kept for 100 years.
 */
export const SYSTEM_TRAIL_TENANT_ID = '_veritrail_system';
export const systemTrailScope = (): TenantScope => TenantScope.forTenant({ id: SYSTEM_TRAIL_TENANT_ID, retentionDays: 36_500 });
