import { named$, StringEnum, Type } from '../common/schema.js';

export const HomeSchema = named$(
  'Home',
  Type.Object({
    name: Type.Literal('Veritrail'),
    version: Type.String({ examples: ['0.1.0'] }),
    links: Type.Object({
      docs: Type.String(),
      openapi: Type.String(),
      healthz: Type.String(),
      readyz: Type.String(),
      metrics: Type.String(),
      demo: Type.Optional(Type.String({ description: 'With VIEWER_DEMO=true.' })),
    }),
  }),
);

export const HealthSchema = named$('Health', Type.Object({ status: Type.Literal('ok') }));

export const ReadinessSchema = named$(
  'Readiness',
  Type.Object({
    status: StringEnum(['ready', 'unavailable'] as const),
    checks: Type.Object({ postgres: StringEnum(['up', 'down'] as const), clickhouse: StringEnum(['up', 'down'] as const) }),
    ingest_queue: Type.Integer({ minimum: 0, description: 'Events waiting for the next group commit.' }),
  }),
);
