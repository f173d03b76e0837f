import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../src/cli/openapi.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('openapi/openapi.json', () => {
  it('is current: regenerate with `npm run openapi` and commit it when this fails', async () => {
    const committed = readFileSync(join(root, 'openapi/openapi.json'), 'utf8');
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

  it('STD-OPENAPI: Redocly\'s linter (recommended rules, examples checked) finds no error and no warning', async () => {
    const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
    const run = await promisify(execFile)(process.execPath, [cli, 'lint', 'openapi/openapi.json', '--format=json'], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number; ignored: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    // The exemptions of .redocly.lint-ignore.yaml, each justified there: the five public probes without a 4xx.
    expect(report.totals.ignored).toBe(6);
  });

  it('STD-OPENAPI: every operation declares its security, API keys are not JWTs, every error uses the Error schema', async () => {
    const doc = JSON.parse(await generateOpenApi());
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes.api_key).toEqual({ type: 'http', scheme: 'bearer', description: expect.any(String) });
    expect(doc.components.securitySchemes.operator.bearerFormat).toBeUndefined();
    expect(doc.components.securitySchemes.viewer_token.bearerFormat).toBe('JWT');
    const publicOps: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.security, `${method} ${path}`).toBeDefined();
        if (op.security.length === 0) publicOps.push(op.operationId);
        expect(Object.keys(op.responses).some((s) => s.startsWith('2')), `${op.operationId} declares a success`).toBe(true);
        for (const [status, r] of Object.entries(op.responses as Record<string, any>)) {
          if (Number(status) < 400 || (op.operationId === 'readyz' && status === '503')) continue;
          expect(r.content, `${op.operationId} ${status}`).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
        }
      }
    }
    expect(publicOps.sort()).toEqual(['getJwks', 'getNoteKeys', 'getRootCheckpoint', 'getRootTimestamp', 'healthz', 'home', 'metricsText', 'readyz', 'receiveStripeWebhook']);
    expect(doc.components.schemas.EventInput.properties.occurred_at.format).toBe('date-time');
  });
});
