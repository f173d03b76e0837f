import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema } from '../common/schema.js';
import { JwksSchema } from './integrity.schema.js';
import { KeyRingService } from './key-ring.service.js';

@ApiTags('integrity')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeyRingService) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that sign checkpoints (current and retired)', description: 'Pin them in your verifier; never trust keys shipped with evidence.', security: [] })
  @ApiOkResponse({ schema: openApiSchema(JwksSchema) })
  getJwks() {
    return this.keys.jwks;
  }
}
