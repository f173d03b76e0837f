import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../src/cli/openapi.js';

describe('openapi/openapi.json', () => {
  it('is current: regenerate with `npm run openapi` and commit it when this fails', async () => {
    const committed = readFileSync(fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url)), 'utf8');
    const generated = await generateOpenApi();
    expect(generated).toBe(committed);
  });

  it('names every operation after its handler and documents the error-bearing responses', async () => {
    const doc = JSON.parse(await generateOpenApi());
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p as Record<string, { operationId: string }>));
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['createEvent', 'createEventBatch', 'listEvents', 'getEvent', 'getEventStats', 'createApiKey', 'createTenant']));
    expect(doc.paths['/v1/events'].post.responses['401']).toBeDefined();
    expect(doc.openapi).toBe('3.1.0');
  });
});
