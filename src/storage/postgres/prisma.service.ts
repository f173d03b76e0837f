import { PrismaPg } from '@prisma/adapter-pg';
import type { PoolConfig } from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';

/**
 * The control-plane client. Only repositories use it; they return domain types, never
 * Prisma's. Constructed by StorageModule once PostgreSQL (server or embedded) is reachable.
 */
export class PrismaService extends PrismaClient {
  constructor(poolConfig: PoolConfig) {
    super({ adapter: new PrismaPg(poolConfig) });
  }
}
