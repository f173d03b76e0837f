import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.js';
import { openApiSchema, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { ActionCatalogService } from './action-catalog.service.js';
import { ActionCatalogQuerySchema, ActionCatalogResponseSchema, type ActionCatalogQuery, type ActionCatalogResponse } from './action-catalog.schema.js';

@ApiTags('events')
@Controller('v1/actions')
export class ActionsController {
  constructor(private readonly catalog: ActionCatalogService) {}

  @Get()
  @ApiKeyAuth('events:read')
  @ApiOperation({
    summary: 'List the actions in use',
    description:
      'Every action the tenant has used (an organization-scoped key: its organization), with the number of events received and when it was first and last seen. Read from an aggregate kept on ingest, not by scanning events. Keyset pages in action order.',
  })
  @ApiOkResponse({ schema: openApiSchema(ActionCatalogResponseSchema) })
  @ApiErrors(504)
  listActions(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ActionCatalogQuerySchema) q: ActionCatalogQuery): Promise<ActionCatalogResponse> {
    return this.catalog.list(key, q);
  }
}
