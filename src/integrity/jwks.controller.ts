import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { openApiSchema } from '../common/schema.js';
import { JwksSchema } from './integrity.schema.js';
import { KeyRingService } from './key-ring.service.js';
import { NoteKeyService } from './note-keys.service.js';

@ApiTags('integrity')
@Controller('.well-known')
export class JwksController {
  constructor(
    private readonly keys: KeyRingService,
    private readonly notes: NoteKeyService,
  ) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that sign checkpoints (current and retired)', description: 'Pin them in your verifier; never trust keys shipped with evidence.', security: [] })
  @ApiOkResponse({ schema: openApiSchema(JwksSchema) })
  getJwks() {
    return this.keys.jwks;
  }

  @Get('veritrail/note-keys')
  @ApiOperation({
    summary: 'Verifier keys of the checkpoint notes (current and retired)',
    description:
      'One C2SP signed-note verifier key per line, `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`, the newest active key first. Pin them in your C2SP verifier ' +
      '(e.g. Go `note.NewVerifier`); they are not the JWS keys of `/.well-known/jwks.json`.',
    security: [],
  })
  @ApiOkResponse({ description: 'Verifier keys, one per line.', content: { 'text/plain': { schema: { type: 'string' } } } })
  getNoteKeys(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=300');
    return `${this.notes.verifierKeys().join('\n')}\n`;
  }
}
