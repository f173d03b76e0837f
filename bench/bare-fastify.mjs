// Reference for the single-event benchmark: a bare Fastify route on the same machine that
// parses the JSON body and answers 201 with an id — no auth, no validation, no storage.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
app.get('/readyz', async () => ({ status: 'ready' }));
app.post('/v1/events', async (req, reply) => {
  reply.code(201);
  return { id: randomUUID(), received_at: new Date().toISOString() };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
