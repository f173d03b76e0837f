import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-errors.js';
import { ForbiddenError, UnprocessableError } from '../common/errors.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { EventStatsQuerySchema } from '../events/event-query.schema.js';
import { parseFilters } from '../events/query.service.js';
import { ApiKeyAuth, CurrentKey, ViewerAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { Type, type Static } from '../common/schema.js';
import {
  CheckpointListQuerySchema,
  CheckpointListSchema,
  ConsistencyProofSchema,
  EventVerificationQuerySchema,
  EventVerificationSchema,
  EvidenceSchema,
  ConsistencyQuerySchema,
  InclusionProofSchema,
  NoteQuerySchema,
  ProofQuerySchema,
  SealResultSchema,
  VerifyReportSchema,
  VerifyRequestSchema,
  type CheckpointListQuery,
  type ConsistencyQuery,
  type EventVerificationQuery,
  type NoteQuery,
  type ProofQuery,
  type VerifyRequest,
} from './integrity.schema.js';
import { CheckpointsService } from './checkpoints.service.js';
import { EvidenceService } from './evidence.service.js';
import { checkpointView, ProofService } from './proofs.service.js';
import { SealerService } from './sealer.service.js';

const EvidenceQuerySchema = Type.Object(
  {
    ...(EventStatsQuerySchema as unknown as { properties: Record<string, never> }).properties,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'Events oldest first (selection), or leaves (trail).' })),
    since: Type.Optional(Type.Integer({ minimum: 1, description: 'Also include this older checkpoint and a consistency proof from it.' })),
    from_index: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Trail evidence only (no filters): first leaf of the range; default the first leaf that may still be retained. Page with next_from_index.' }),
    ),
  },
  { additionalProperties: false },
);
type EvidenceQuery = Static<typeof EvidenceQuerySchema>;

/**
 * Checkpoints, proofs and evidence are statements about the tenant's whole Merkle log: tree
 * sizes and leaf positions tell how much every organization of the tenant did, so a key limited
 * to one organization (a customer's SIEM key) is refused them. It can still have its own events
 * checked against the newest checkpoint (GET /v1/events/verification), which shows neither.
 */
function tenantWide(key: ApiKeyPrincipal, what = 'Verifying the whole trail'): void {
  if (key.organizationId !== undefined) {
    throw new ForbiddenError('insufficient_scope', `${what} needs a key that is not limited to one organization.`);
  }
}

@ApiTags('integrity')
@Controller()
export class IntegrityController {
  constructor(
    private readonly checkpoints: CheckpointsService,
    private readonly proofs: ProofService,
    private readonly evidence: EvidenceService,
    private readonly sealer: SealerService,
  ) {}

  @Get('v1/integrity/checkpoints')
  @ApiKeyAuth('events:read')
  @ApiOperation({ summary: 'List signed checkpoints', description: 'Store them: a checkpoint you hold lets you detect any later rewrite or rollback. Tenant-wide keys only (organization keys: 403).' })
  @ApiOkResponse({ schema: openApiSchema(CheckpointListSchema) })
  async listCheckpoints(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(CheckpointListQuerySchema) q: CheckpointListQuery) {
    tenantWide(key, 'Reading checkpoints');
    return this.checkpoints.list(TenantScope.of(key), q);
  }

  @Get('v1/integrity/note')
  @ApiKeyAuth('events:read')
  @ApiOperation({
    summary: 'Checkpoint as a C2SP signed note',
    description:
      'The newest checkpoint (or the one of tree size `size`) as a C2SP `tlog-checkpoint` signed note: origin `<note key name>/<tenant id>`, tree size, base64 root — the same root ' +
      'as the JWS checkpoint of that size — signed with the note key of `/.well-known/veritrail/note-keys`. Any C2SP checkpoint verifier (Go sumdb/note, transparency-dev, Sigstore) can check it. ' +
      'Tenant-wide keys only (organization keys: 403).',
  })
  @ApiOkResponse({ description: 'The signed note (UTF-8 text, ends with a newline).', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors({ 404: '`not_found`: no checkpoint of tree size `size` in your tenant.', 409: '`not_yet_sealed`: nothing is sealed yet (`Retry-After`).' })
  async getNote(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(NoteQuerySchema) q: NoteQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    tenantWide(key, 'Reading checkpoints');
    const note = await this.checkpoints.note(TenantScope.of(key), q.size);
    void reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', q.size === undefined ? 'no-store' : 'private, max-age=300');
    return note;
  }

  @Get('v1/events/verification')
  @ApiKeyAuth('events:read')
  @ViewerAccess()
  @ApiOperation({
    summary: 'Check a few events against the newest signed checkpoint',
    description:
      'For each id: verified (the stored event hashes to its sealed leaf, whose audit path leads to the root of the newest checkpoint, whose signature is valid), ' +
      'unsealed, failed or not_found. What the viewer\'s "verified" badge shows; the offline verifier is the independent check.',
  })
  @ApiOkResponse({ schema: openApiSchema(EventVerificationSchema) })
  @ApiErrors(504)
  verifyEvents(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(EventVerificationQuerySchema) q: EventVerificationQuery) {
    return this.proofs.verifyEvents(TenantScope.of(key), q.ids.split(','));
  }

  @Get('v1/events/:id/proof')
  @ApiKeyAuth('events:read')
  @ViewerAccess()
  @ApiOperation({
    summary: 'Inclusion proof of one event in a signed checkpoint',
    description:
      'Tenant-wide keys only: a proof reveals the size of the whole log (organization keys: 403) — and viewer tokens minted with `proofs: true`, for events in their scope, so the embedded viewer checks proofs in the browser.',
  })
  @ApiOkResponse({ schema: openApiSchema(InclusionProofSchema) })
  @ApiErrors(
    {
      404: '`not_found`: no such event in your scope, or no such checkpoint.',
      409: '`not_yet_sealed`: the event is sealed within one seal interval (`Retry-After`); `not_in_checkpoint`: it was sealed after the checkpoint asked for.',
    },
    504,
  )
  getEventProof(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidQuery(ProofQuerySchema) q: ProofQuery) {
    // A viewer token whose minting key allowed proofs reads them for the events it can see.
    if (!key.viewer?.proofs) tenantWide(key, 'An inclusion proof');
    return this.proofs.inclusion(TenantScope.of(key), id, q.checkpoint);
  }

  @Get('v1/integrity/consistency')
  @ApiKeyAuth('events:read')
  @ApiOperation({ summary: 'Consistency proof between two tree sizes', description: 'Shows that the newer tree extends the older one without changing it (RFC 6962). Tenant-wide keys only (organization keys: 403).' })
  @ApiOkResponse({ schema: openApiSchema(ConsistencyProofSchema) })
  @ApiErrors({ 400: '`validation_failed` (`out_of_range`): the sizes do not satisfy 0 ≤ from ≤ to ≤ the newest checkpoint\'s tree size.' })
  getConsistencyProof(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ConsistencyQuerySchema) q: ConsistencyQuery) {
    tenantWide(key, 'A consistency proof');
    return this.proofs.consistency(TenantScope.of(key), q.from, q.to);
  }

  @Post('v1/integrity/verify')
  @HttpCode(200)
  @ApiKeyAuth('events:read')
  @ApiOperation({
    summary: 'Verify the trail',
    description: 'Checks every checkpoint signature and chain, every event against its sealed hash, every root against the leaves, and events stored behind the log. Removed-by-retention ranges are reported as expired.',
  })
  @ApiOkResponse({ schema: openApiSchema(VerifyReportSchema) })
  @ApiErrors({ 422: '`invalid_range`: from_index is above to_index.' })
  async verifyTrail(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(VerifyRequestSchema) body: VerifyRequest) {
    tenantWide(key);
    if (body.from_index !== undefined && body.to_index !== undefined && body.from_index > body.to_index) {
      throw new UnprocessableError('invalid_range', 'from_index must not exceed to_index.');
    }
    return this.checkpoints.verify(key, body);
  }

  @Post('v1/integrity/seal')
  @HttpCode(200)
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Seal now', description: 'Seals events received since the last checkpoint without waiting for the next interval.' })
  @ApiOkResponse({ schema: openApiSchema(SealResultSchema) })
  @ApiErrors({ 409: '`seal_in_progress`: the trail is being sealed right now (`Retry-After`).' })
  async sealNow(@CurrentKey() key: ApiKeyPrincipal) {
    const out = await this.sealer.sealTenant(TenantScope.forTenant(key.tenant));
    return { checkpoints: out.map((o) => checkpointView(o.checkpoint)), sealed: out.reduce((n, o) => n + o.sealed, 0) };
  }

  @Get('v1/integrity/evidence')
  @ApiKeyAuth('events:read')
  @ApiOperation({
    summary: 'Evidence for offline verification',
    description:
      'Without filters and with a tenant-wide key: the trail itself — a range of the log holding every leaf (events as sealed, or the hashes of expired ones) with the boundary hashes that ' +
      'recompute the signed root, so the offline verifier proves nothing in it was removed, added or reordered (`whole_trail` says whether it reaches the newest checkpoint; page with `from_index`). ' +
      'With filters: the matching events (oldest first) with inclusion proofs — completeness is not claimed. Check it with `npx veritrail verify <file> --jwks jwks.json`. Tenant-wide keys only (organization keys: 403).',
  })
  @ApiOkResponse({ schema: openApiSchema(EvidenceSchema) })
  @ApiErrors({ 404: '`not_found`: no checkpoint `since` in your tenant.', 409: '`not_yet_sealed`: nothing is sealed yet (`Retry-After`).' }, 504)
  getEvidence(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(EvidenceQuerySchema) q: EvidenceQuery) {
    tenantWide(key, 'Evidence for offline verification');
    const { limit, since, from_index, ...filters } = q;
    return this.evidence.evidence(TenantScope.of(key), parseFilters(filters), limit ?? 1000, { since, fromIndex: from_index });
  }
}
