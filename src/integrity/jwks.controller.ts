import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyRingService } from './key-ring.service.js';

@ApiTags('integrity')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeyRingService) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that sign checkpoints (current and retired)', description: 'Pin them in your verifier; never trust keys shipped with evidence.' })
  @ApiOkResponse({ description: 'JWKS: {"keys": [{"kty":"OKP","crv":"Ed25519","x","kid","alg":"EdDSA","use":"sig"}]}' })
  getJwks() {
    return this.keys.jwks;
  }
}
