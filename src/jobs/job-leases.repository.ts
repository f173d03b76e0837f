import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';

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
}
