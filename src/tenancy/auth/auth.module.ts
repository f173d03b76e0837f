import { Module } from '@nestjs/common';
import { TenantRetentionRegistry } from '../tenant-retention.js';
import { ApiKeyAuthService } from '../api-key-auth.service.js';
import { ApiKeysRepository } from '../api-keys.repository.js';
import { PlanRateLimitsRegistry } from '../rate-limits.js';
import { TenantDataRemovalRegistry } from '../tenant-data-removal.js';
import { TenantDirectory } from '../tenant-directory.service.js';
import { TenantTrailRegistry } from '../tenant-trail.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TenantRateLimiter } from './tenant-rate-limiter.js';
import { StreamsPolicyRegistry } from '../streams-policy.js';
import { TokenVerifierRegistry } from './token-verifiers.js';
import { ApiKeyGuard, OperatorGuard } from './guards.js';

const EXPORTED = [
  TenantRetentionRegistry,
  ApiKeyAuthService,
  ApiKeyGuard,
  OperatorGuard,
  TenantDirectory,
  AuthFailureLimiter,
  TenantRateLimiter,
  TokenVerifierRegistry,
  StreamsPolicyRegistry,
  PlanRateLimitsRegistry,
  TenantTrailRegistry,
  TenantDataRemovalRegistry,
];

/**
 * Authentication and tenant lookups, and the registries where modules above tenancy plug in what
 * it needs from them. Every module whose controllers use the guards, or whose providers inject
 * these, imports it; it imports nothing, so no import of it can close a cycle.
 */
@Module({
  providers: [ApiKeysRepository, ...EXPORTED],
  exports: EXPORTED,
})
export class AuthModule {}
