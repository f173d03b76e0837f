import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '../common/errors.js';
import { PROJECT_ROOT } from '../common/paths.js';

/** Where scripts/build.mjs puts the standalone verifier (src/integrity/verifier-module.ts). */
export const VERIFIER_FILE = join(PROJECT_ROOT, 'dist', 'public', 'verifier', 'veritrail-verify.mjs');

/**
 * The offline verifier as one ES module, for auditors: `curl -O …/verifier/veritrail-verify.mjs`
 * then `node veritrail-verify.mjs verify …`, or `import()` it in a browser (served to any origin).
 * Its sha256 is published in docs/security.md and served beside it, so a copy can be checked
 * against the documentation rather than against this server.
 */
@ApiExcludeController()
@Controller('verifier')
export class VerifierAssetController {
  private file: { body: Buffer; sha256: string } | undefined;

  private load(): { body: Buffer; sha256: string } {
    if (!this.file) {
      let body: Buffer;
      try {
        body = readFileSync(VERIFIER_FILE);
      } catch {
        throw new NotFoundError('verifier module (not built on this server: npm run build)');
      }
      this.file = { body, sha256: createHash('sha256').update(body).digest('hex') };
    }
    return this.file;
  }

  @Get('veritrail-verify.mjs')
  module(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const f = this.load();
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=300')
      .header('etag', `"${f.sha256}"`);
    return f.body;
  }

  @Get('veritrail-verify.mjs.sha256')
  checksum(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-type', 'text/plain; charset=utf-8').header('access-control-allow-origin', '*');
    return `${this.load().sha256}  veritrail-verify.mjs\n`;
  }
}
