import { Global, Module } from '@nestjs/common';
import { TenantRetentionRegistry } from '../tenant-retention.js';
import { ApiKeyAuthService } from '../api-key-auth.service.js';
import { ApiKeysRepository } from '../api-keys.repository.js';
import { TenantDirectory } from '../tenant-directory.service.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TenantRateLimiter } from './tenant-rate-limiter.js';
import { StreamsPolicyRegistry } from '../streams-policy.js';
import { TokenVerifierRegistry } from './token-verifiers.js';
import { ApiKeyGuard, OperatorGuard } from './guards.js';

/** Authentication and tenant lookups for every feature (global: guards resolve in any module). */
@Global()
@Module({
  providers: [TenantRetentionRegistry, ApiKeysRepository, ApiKeyAuthService, ApiKeyGuard, OperatorGuard, TenantDirectory, AuthFailureLimiter, TenantRateLimiter, TokenVerifierRegistry, StreamsPolicyRegistry],
  exports: [TenantRetentionRegistry, ApiKeyAuthService, ApiKeyGuard, OperatorGuard, TenantDirectory, AuthFailureLimiter, TenantRateLimiter, TokenVerifierRegistry, StreamsPolicyRegistry],
})
export class AuthModule {}
