import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { parseStreamsPolicy, type StreamsPolicy } from '../tenancy/streams-policy.js';

/** The tenant's self-service streams policy (streams_policies; no row: every organization may). */
@Injectable()
export class StreamsPolicyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async get(tenantId: string): Promise<StreamsPolicy> {
    const r = await this.prisma.streamsPolicy.findUnique({ where: { tenantId }, select: { policy: true } });
    return parseStreamsPolicy(r?.policy);
  }

  async set(tenantId: string, policy: StreamsPolicy): Promise<StreamsPolicy> {
    const r = await this.prisma.streamsPolicy.upsert({
      where: { tenantId },
      create: { tenantId, policy },
      update: { policy },
      select: { policy: true },
    });
    return parseStreamsPolicy(r.policy);
  }
}
