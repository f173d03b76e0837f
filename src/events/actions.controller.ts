import { Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { BadRequestError } from '../common/errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { ActionCatalogService } from './action-catalog.service.js';
import { ActionDisplaysService } from './action-displays.service.js';
import { ActionSchemasService } from './action-schemas.service.js';
import { ACTION_PATTERN } from './event.schema.js';
import {
  ActionCatalogQuerySchema,
  ActionCatalogResponseSchema,
  ActionDisplayPutSchema,
  ActionDisplaySchema,
  type ActionDisplayPut,
  ActionSchemaCreatedSchema,
  ActionSchemaPutSchema,
  ActionSchemaQuerySchema,
  ActionSchemaSchema,
  type ActionCatalogQuery,
  type ActionCatalogResponse,
  type ActionSchemaPut,
  type ActionSchemaQuery,
} from './action-catalog.schema.js';

const ACTION = new RegExp(ACTION_PATTERN);
const ACTION_PARAM = { name: 'action', description: 'An action of your events (user.role.updated); not veritrail.*.', schema: { type: 'string', pattern: ACTION_PATTERN, maxLength: 128 } } as const;

function checkedAction(action: string): string {
  if (action.length > 128 || !ACTION.test(action) || action.startsWith('veritrail.')) {
    throw new BadRequestError('invalid_action', 'The path must name one action of your events (lower-case, dotted, not veritrail.*).');
  }
  return action;
}

@ApiTags('events')
@Controller('v1/actions')
export class ActionsController {
  constructor(
    private readonly catalog: ActionCatalogService,
    private readonly schemas: ActionSchemasService,
    private readonly displays: ActionDisplaysService,
  ) {}

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

  @Put(':action/schema')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Register a metadata schema for an action',
    description:
      'Adds a new immutable version (1, 2, …) of the JSON Schema (draft 2020-12) that events of this action must (enforce) or should (warn) carry in `metadata`. Events may name `schema_version`; otherwise the latest version applies. Other replicas use a new version within 5 seconds.',
  })
  @ApiParam(ACTION_PARAM)
  @ApiBody({ schema: openApiSchema(ActionSchemaPutSchema) })
  @ApiOkResponse({ schema: openApiSchema(ActionSchemaCreatedSchema) })
  @ApiErrors({ 400: '`validation_failed`: the body or the schema is not acceptable (`details[].code`: `invalid_schema`, `schema_too_large`, `schema_too_deep`, `remote_ref_not_allowed`, `unsupported_schema_version`). `invalid_action`: the path does not name an action.', 422: '`schema_version_limit`: the action already has 100 versions.' })
  putActionSchema(@CurrentKey() key: ApiKeyPrincipal, @Param('action') action: string, @ValidBody(ActionSchemaPutSchema) body: ActionSchemaPut, @Meta() meta: RequestMetaValue) {
    return this.schemas.register(key, checkedAction(action), body, meta);
  }

  @Get(':action/schema')
  @ApiKeyAuth('events:read')
  @ApiOperation({ summary: 'Get an action\'s metadata schema', description: 'The latest version, or the one named by `version`.' })
  @ApiParam(ACTION_PARAM)
  @ApiOkResponse({ schema: openApiSchema(ActionSchemaSchema) })
  @ApiErrors({ 400: '`invalid_action`: the path does not name an action.', 404: '`not_found`: no such schema (version).' })
  getActionSchema(@CurrentKey() key: ApiKeyPrincipal, @Param('action') action: string, @ValidQuery(ActionSchemaQuerySchema) q: ActionSchemaQuery) {
    return this.schemas.get(key, checkedAction(action), q.version);
  }

  @Put(':action/display')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Set the display template of an action',
    description:
      'A plain-text sentence for events of this action, with placeholders naming paths into the event ({actor.name} shared {targets[0].name}), optionally per locale. Replaces the previous template. Events are then returned with display.message; CEF msg and OCSF message use it. Other replicas use it within 5 seconds.',
  })
  @ApiParam(ACTION_PARAM)
  @ApiBody({ schema: openApiSchema(ActionDisplayPutSchema) })
  @ApiOkResponse({ schema: openApiSchema(ActionDisplaySchema) })
  @ApiErrors({
    400: '`validation_failed`: the body or a template is not acceptable (`details[].code`: `unknown_path`, `template_too_large`, `too_many_placeholders`, `unbalanced_brace`, `nested_brace`, `empty_template`, `invalid_locale`, `duplicate_locale`, `too_many_locales`). `invalid_action`: the path does not name an action.',
    422: '`display_template_limit`: 1000 actions already have a template.',
  })
  putActionDisplay(@CurrentKey() key: ApiKeyPrincipal, @Param('action') action: string, @ValidBody(ActionDisplayPutSchema) body: ActionDisplayPut, @Meta() meta: RequestMetaValue) {
    return this.displays.put(key, checkedAction(action), body, meta);
  }

  @Get(':action/display')
  @ApiKeyAuth('events:read')
  @ApiOperation({ summary: 'Get the display template of an action' })
  @ApiParam(ACTION_PARAM)
  @ApiOkResponse({ schema: openApiSchema(ActionDisplaySchema) })
  @ApiErrors({ 400: '`invalid_action`: the path does not name an action.', 404: '`not_found`: the action has no display template.' })
  getActionDisplay(@CurrentKey() key: ApiKeyPrincipal, @Param('action') action: string) {
    return this.displays.get(key, checkedAction(action));
  }
}
