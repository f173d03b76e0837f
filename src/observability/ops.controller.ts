import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '../common/openapi-decorators.js';
import { openApiSchema } from '../common/schema.js';
import type { FastifyReply } from 'fastify';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { MetricsService } from './metrics.service.js';
import { HealthSchema, ReadinessSchema } from './ops.schema.js';

const CHECK_TIMEOUT_MS = 2_000;

@ApiTags('ops')
@Controller()
export class OpsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly clickhouse: ClickHouseService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers', security: [] })
  @ApiOkResponse({ schema: openApiSchema(HealthSchema) })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and ClickHouse both answer', security: [] })
  @ApiOkResponse({ description: 'Both stores answered.', schema: openApiSchema(ReadinessSchema) })
  @ApiServiceUnavailableResponse({ description: 'A store did not answer; do not route traffic here.', schema: openApiSchema(ReadinessSchema) })
  async readyz(@Res({ passthrough: true }) reply: FastifyReply) {
    const [postgres, clickhouse] = await Promise.all([
      withTimeout(this.prisma.$queryRaw`SELECT 1`.then(() => true)),
      withTimeout(this.clickhouse.ping()),
    ]);
    const ready = postgres && clickhouse;
    void reply.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'unavailable',
      checks: { postgres: postgres ? 'up' : 'down', clickhouse: clickhouse ? 'up' : 'down' },
      ingest_queue: this.metrics.ingestQueueDepth(),
    };
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics', security: [] })
  @ApiOkResponse({ description: 'The Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } })
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

async function withTimeout(p: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([p.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
