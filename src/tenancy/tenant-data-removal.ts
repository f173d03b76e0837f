import { Injectable } from '@nestjs/common';
import type { TenantScope } from './tenant-scope.js';

/**
 * What tenancy needs to delete a tenant: its events (owned by src/events) go before its
 * rows here. Defined here, implemented by the events module's EventLog and plugged in at start
 * through {@link TenantDataRemovalRegistry}, so tenancy does not import the module above it.
 */
export interface TenantDataRemoval {
  deleteTenant(scope: TenantScope): Promise<void>;
}

/** Where the events module plugs its {@link TenantDataRemoval} in (provided by AuthModule). */
@Injectable()
export class TenantDataRemovalRegistry implements TenantDataRemoval {
  private removal: TenantDataRemoval | undefined;

  use(removal: TenantDataRemoval): void {
    this.removal = removal;
  }

  deleteTenant(scope: TenantScope): Promise<void> {
    // Never skipped: deleting a tenant without its events would leave them stored.
    if (!this.removal) throw new Error('no tenant data removal registered (EventsModule is not loaded)');
    return this.removal.deleteTenant(scope);
  }
}
