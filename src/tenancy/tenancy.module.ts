import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { SettingsController } from './settings.controller.js';
import { TenantsController } from './tenants.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [AuthModule],
  controllers: [TenantsController, ApiKeysController, SettingsController],
  providers: [TenantsRepository, ApiKeysRepository, ApiKeysService, TenantsService],
  exports: [TenantsService],
})
export class TenancyModule {}
