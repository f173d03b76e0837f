import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-errors.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { openApiSchema, ValidQuery } from '../common/schema.js';
import { JwksSchema, RootCheckpointQuerySchema, type RootCheckpointQuery } from './integrity.schema.js';
import { KeyRingService } from './key-ring.service.js';
import { NoteKeyService } from './note-keys.service.js';
import { RootLogService } from './root-log.service.js';

@ApiTags('integrity')
@Controller('.well-known')
export class JwksController {
  constructor(
    private readonly keys: KeyRingService,
    private readonly notes: NoteKeyService,
    private readonly rootLog: RootLogService,
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

  @Get('veritrail/root-checkpoint')
  @ApiOperation({
    summary: 'The witnessed root checkpoint of the deployment',
    description:
      'Every tenant checkpoint note is a leaf of one deployment-wide Merkle log (origin `<note key name>/root`). Its newest final checkpoint (signed at most once per ' +
      '`ROOT_CHECKPOINT_INTERVAL`, final once `WITNESS_THRESHOLD` witnesses cosigned it) as a C2SP signed note: the log signature (a key of `/.well-known/veritrail/note-keys`) ' +
      'followed by the witnesses\' cosignatures (c2sp.org/tlog-cosignature). `?size=N`: the root checkpoint of that size, final or not. Evidence carries each tenant checkpoint\'s ' +
      'inclusion in it (tlog-proof files).',
    security: [],
  })
  @ApiOkResponse({ description: 'The signed note with cosignatures (UTF-8 text, ends with a newline).', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors({ 404: '`not_found`: no root checkpoint of tree size `size`.', 409: '`not_yet_signed`: no final root checkpoint yet (`Retry-After`).' })
  async getRootCheckpoint(@ValidQuery(RootCheckpointQuerySchema) q: RootCheckpointQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const r = await this.rootLog.checkpointWithCosignatures(q.size);
    if (!r) {
      if (q.size !== undefined) throw new NotFoundError('root checkpoint of that tree size');
      throw new ConflictError('not_yet_signed', 'No final root checkpoint yet.', { 'retry-after': '60' });
    }
    void reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store');
    return r.note;
  }

  @Get('veritrail/root-checkpoint/timestamp')
  @ApiOperation({
    summary: 'RFC 3161 timestamp of a root checkpoint',
    description:
      'The RFC 3161 time-stamp token (DER CMS SignedData over a TSTInfo) that `TSA_URL` issued over the text of the newest final root checkpoint (or of `size`): origin, tree size ' +
      'and root lines, SHA-256. Check it with `openssl ts -verify -data <checkpoint text> -in <token> -token_in -CAfile <TSA CA>`, or the offline verifier (`--tsa-certs`).',
    security: [],
  })
  @ApiOkResponse({ description: 'The token (DER).', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors({ 404: '`not_found`: no such root checkpoint, or it has no timestamp (no TSA configured, or the TSA has not answered yet).' })
  async getRootTimestamp(@ValidQuery(RootCheckpointQuerySchema) q: RootCheckpointQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const r = await this.rootLog.checkpointWithCosignatures(q.size);
    if (!r?.checkpoint.timestampToken) throw new NotFoundError('timestamp of that root checkpoint');
    void reply.header('content-type', 'application/octet-stream').header('cache-control', 'public, max-age=300');
    return Buffer.from(r.checkpoint.timestampToken);
  }
}
