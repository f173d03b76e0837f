import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';

/** Keys of once-per-period markers (claimOnce): they share the table with leases but are not leases. */
export const ONCE_MARKER_PREFIX = 'once:';

/**
 * Leases in PostgreSQL: a row per leased unit of work (`seal:<tenant>`, …). Acquiring is one
 * statement that succeeds only if the lease is free, expired, or already ours, so any number of
 * replicas can race for it. Times use the database clock.
 */
@Injectable()
export class JobLeasesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async tryAcquire(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ key: string }[]>`
      INSERT INTO job_leases (key, holder, lease_until, updated_at)
      VALUES (${key}, ${holder}, now() + make_interval(secs => ${ttlMs / 1000}), now())
      ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, updated_at = now()
        WHERE job_leases.lease_until < now() OR job_leases.holder = EXCLUDED.holder
      RETURNING key`;
    return rows.length === 1;
  }

  /**
   * Sets a once-per-period marker unless one is still live, whoever set it (the same process
   * included): it is never released, it just expires.
   */
  async claimMarker(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ key: string }[]>`
      INSERT INTO job_leases (key, holder, lease_until, updated_at)
      VALUES (${ONCE_MARKER_PREFIX + key}, ${holder}, now() + make_interval(secs => ${ttlMs / 1000}), now())
      ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, updated_at = now()
        WHERE job_leases.lease_until < now()
      RETURNING key`;
    return rows.length === 1;
  }

  /** Extends a lease we hold; false if it was lost (expired and taken). */
  async renew(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      UPDATE job_leases SET lease_until = now() + make_interval(secs => ${ttlMs / 1000}), updated_at = now()
      WHERE key = ${key} AND holder = ${holder} AND lease_until >= now()`;
    return n === 1;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE job_leases SET lease_until = now(), updated_at = now() WHERE key = ${key} AND holder = ${holder}`;
  }

  /**
   * Ends every live lease, whoever holds it; once-per-period markers stay. Only for a process
   * that alone uses the database (embedded PostgreSQL): there every holder found is a process
   * that died. Returns the keys released.
   */
  async releaseAllLeases(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ key: string }[]>`
      UPDATE job_leases SET lease_until = now(), updated_at = now()
      WHERE lease_until > now() AND key NOT LIKE ${ONCE_MARKER_PREFIX + '%'}
      RETURNING key`;
    return rows.map((r) => r.key);
  }
}
