import { Global, Module } from '@nestjs/common';
import { ApiKeyAuthService } from '../api-key-auth.service.js';
import { ApiKeysRepository } from '../api-keys.repository.js';
import { TenantDirectory } from '../tenant-directory.service.js';
import { ApiKeyGuard, OperatorGuard } from './guards.js';

/** Authentication and tenant lookups for every feature (global: guards resolve in any module). */
@Global()
@Module({
  providers: [ApiKeysRepository, ApiKeyAuthService, ApiKeyGuard, OperatorGuard, TenantDirectory],
  exports: [ApiKeysRepository, ApiKeyAuthService, ApiKeyGuard, OperatorGuard, TenantDirectory],
})
export class AuthModule {}
