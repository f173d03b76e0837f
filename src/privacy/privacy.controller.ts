import { Readable } from 'node:stream';
import { Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import type { FastifyReply } from 'fastify';
import { bindingOf } from '../common/cursor.js';
import { ValidationError } from '../common/errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AccessService } from './access.service.js';
import { ErasureService, erasureView } from './erasure.service.js';
import { noticeView } from './notices.service.js';
import {
  ErasureListSchema,
  ErasureRequestSchema,
  ErasureResultSchema,
  NoticeListQuerySchema,
  NoticeListSchema,
  SubjectAccessSchema,
  type ErasureRequest,
  type NoticeListQuery,
} from './privacy-api.schema.js';
import { NoticesRepository } from './notices.repository.js';

/** Subject ids are the tenant's own identifiers (actor.id / target id): same rules as those. */
const SUBJECT_400 = { 400: '`validation_failed` (`invalid_subject`): a subject is 1–256 characters without control characters.' };
const SUBJECT_404 = { 404: '`not_found`: no event of this tenant names the subject.' };

function checkSubject(subject: string): string {
  if (subject.length === 0 || subject.length > 256 || /[\u0000-\u001f\u007f-\u009f]/.test(subject)) {
    throw new ValidationError([{ field: 'subject', code: 'invalid_subject', message: 'A subject is an actor or target id: 1–256 characters, no control characters.' }]);
  }
  return subject;
}

@ApiTags('privacy')
@Controller('v1/privacy')
export class PrivacyController {
  constructor(
    private readonly erasures: ErasureService,
    private readonly access: AccessService,
    private readonly repo: NoticesRepository,
    private readonly settings: SystemSettingsService,
  ) {}

  @Post('subjects/:subject/erasure')
  @HttpCode(200)
  @ApiKeyAuth('privacy')
  @ApiOperation({
    summary: 'Erase a data subject (GDPR Art. 17) by destroying their key',
    description:
      "Destroys the subject's data key: every classified value of theirs reads [erased] in every API, export, feed and webhook; searching by it finds nothing; " +
      'events and hashes stay, so verification still passes. With {"blank_context": true} the context (IP, user agent, session…) of the subject\'s own events reads [erased] too and is no longer searchable. ' +
      'Export files made before the erasure that could hold the subject are deleted (410 export_invalidated). Returns a receipt signed with the checkpoint key (verify with /.well-known/jwks.json) and the recipients notified. ' +
      'While a legal hold covers an organization the subject appears in: 409 legal_hold, and the erasure runs by itself when the hold is lifted. Recorded as veritrail.privacy.subject_erased.',
  })
  @ApiOkResponse({ schema: openApiSchema(ErasureResultSchema) })
  @ApiErrors(SUBJECT_400, SUBJECT_404, { 409: '`legal_hold`: an organization the subject appears in is under legal hold; the erasure is recorded and runs when the hold is lifted.' }, 504)
  eraseSubject(
    @CurrentKey() key: ApiKeyPrincipal,
    @Param('subject') subject: string,
    @ValidBody(ErasureRequestSchema, { description: 'Optional; without a body the context is kept.' }) body: ErasureRequest,
    @Meta() meta: RequestMetaValue,
  ) {
    return this.erasures.erase(key, checkSubject(subject), meta, { blankContext: body.blank_context });
  }

  @Get('subjects/:subject/erasures')
  @ApiKeyAuth('privacy')
  @ApiOperation({ summary: "A subject's erasure requests (pending while a legal hold lasts, then completed)" })
  @ApiOkResponse({ schema: openApiSchema(ErasureListSchema) })
  @ApiErrors(SUBJECT_400)
  async listSubjectErasures(@CurrentKey() key: ApiKeyPrincipal, @Param('subject') subject: string) {
    const rows = await this.erasures.history(key, checkSubject(subject));
    return { data: rows.map((r) => ({ ...erasureView(r), receipt: r.receipt ?? null })) };
  }

  @Post('subjects/:subject/access')
  @HttpCode(200)
  @ApiKeyAuth('privacy')
  @ApiOperation({
    summary: "A data subject's data (GDPR Art. 15 and 20), machine-readable",
    description:
      'Every retained event where the subject is actor or target, decrypted, with the notices about them, their erasures and the recipients their data was sent to; ' +
      "everything of other people in those events reads [masked] (their ids, names, e-mail addresses, metadata, the IP address, user agent and session of events they performed, the values of changes to their data). " +
      'Streamed as one JSON document. Recorded as veritrail.privacy.subject_accessed.',
  })
  @ApiOkResponse({ schema: openApiSchema(SubjectAccessSchema), headers: { 'Content-Disposition': { description: 'attachment; filename="subject-access.json"', schema: { type: 'string' } } } })
  @ApiErrors(SUBJECT_400, SUBJECT_404, 504)
  async accessSubject(@CurrentKey() key: ApiKeyPrincipal, @Param('subject') subject: string, @Meta() meta: RequestMetaValue, @Res() reply: FastifyReply): Promise<void> {
    const doc = await this.access.export(key, checkSubject(subject), meta);
    await reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="subject-access.json"')
      .header('cache-control', 'private, no-store')
      .send(Readable.from(doc));
  }

  @Get('notices')
  @ApiKeyAuth('privacy')
  @ApiOperation({
    summary: 'Data-subject notices (GDPR Art. 19)',
    description:
      "Raised when an event changes a classified field of a subject's data (rectification), when an event's action is listed in the notice rules (deletion, …), and by erasures. " +
      'Each names the subject, the fields (names, never values), when and by whom. Newest first; also delivered to webhooks as privacy.notice.',
  })
  @ApiOkResponse({ schema: openApiSchema(NoticeListSchema) })
  async listPrivacyNotices(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(NoticeListQuerySchema) q: NoticeListQuery) {
    const scope = TenantScope.of(key);
    const limit = q.limit ?? 50;
    const binding = bindingOf({ s: q.subject ?? null, k: q.kind ?? null });
    const before = this.settings.cursors.decodeKeyset(q.cursor, 'privacy_notices', scope.tenantId, binding);
    const rows = await this.repo.listNotices(scope, { subjectId: q.subject, kind: q.kind }, limit + 1, before);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'privacy_notices', scope.tenantId, binding);
    return { data: page.map(noticeView), next_cursor: next };
  }
}
