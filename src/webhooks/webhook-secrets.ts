import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PersonalDataService } from '../personal-data/personal-data.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { isLegacySealed, LEGACY_SECRET_KEY, openLegacySecret } from './signing.js';
import { WebhooksRepository, type SealedColumns } from './webhooks.repository.js';

/** What a sealed value of a destination is: its signing secret (current or previous) or its credentials. */
export type SealedField = 'signing_secret' | 'credentials';

const PURPOSE = 'webhooks';
const PAGE = 100;

/**
 * Signing secrets and destination credentials at rest (PEN-11). They are sealed under the
 * privacy master key through PersonalDataService (the master key is never in a database and
 * never read here), bound to the tenant, the destination and the field: a PostgreSQL dump opens
 * none of them, and a value copied to another row or tenant does not open either.
 *
 * Rows written before this (format v1, under `webhook_secret_key` kept in system_settings) are
 * re-wrapped at start-up — one compare-and-set UPDATE per row, so a crash or a concurrent
 * replica loses nothing — and once none is left the old key is deleted from the database. Until
 * then such rows still open with it.
 */
@Injectable()
export class WebhookSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebhookSecrets');
  private legacyKey: Buffer | undefined;
  /** True until a re-wrap pass found nothing left in the old format. */
  private legacyPending = true;

  constructor(
    private readonly personal: PersonalDataService,
    private readonly settings: SystemSettingsService,
    private readonly repo: WebhooksRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rewrapIfPending();
  }

  seal(w: { tenantId: string; id: string }, field: SealedField, plaintext: string): string {
    return this.personal.sealSecret(PURPOSE, context(w, field), plaintext);
  }

  /** The plaintext of a sealed value; throws when it does not open (wrong master key, moved value, tampering). */
  async open(w: { tenantId: string; id: string }, field: SealedField, sealed: string): Promise<string> {
    if (isLegacySealed(sealed)) {
      const key = this.legacyKey ?? (this.legacyKey = await this.settings.existingSecret(LEGACY_SECRET_KEY));
      if (!key) throw new Error(`webhook ${w.id}: a value in the old sealed format, and its key is gone`);
      return openLegacySecret(key, sealed);
    }
    const plain = this.personal.openSecret(PURPOSE, context(w, field), sealed);
    if (plain === undefined) throw new Error(`webhook ${w.id}: the sealed ${field} does not open with the configured master key`);
    return plain;
  }

  /** Re-wraps what is left in the old format (start-up, and retried by the dispatcher until it succeeds). */
  async rewrapIfPending(): Promise<void> {
    if (!this.legacyPending) return;
    try {
      const n = await this.rewrapLegacy();
      if (n > 0) this.logger.log({ webhooks: n }, 're-wrapped webhook secrets under the privacy master key');
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 're-wrapping webhook secrets failed; retrying later');
    }
  }

  /** One pass over every row holding a value in the old format; then the old key is deleted. Returns the rows re-wrapped. */
  async rewrapLegacy(): Promise<number> {
    let done = 0;
    let after = '';
    for (;;) {
      const rows = await this.repo.legacySealed(after, PAGE);
      for (const r of rows) {
        const next: SealedColumns = {
          secret: await this.rewrap(r, 'signing_secret', r.secret),
          previousSecret: r.previousSecret === undefined ? undefined : await this.rewrap(r, 'signing_secret', r.previousSecret),
          credentials: r.credentials === undefined ? undefined : await this.rewrap(r, 'credentials', r.credentials),
        };
        // Changed meanwhile (rotation, PATCH): the new values are in the new format already.
        if (await this.repo.replaceSealed(r.id, r, next)) done++;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    if (await this.repo.anyLegacySealed()) return done; // written by a replica still on the old version: next pass
    await this.settings.removeSecret(LEGACY_SECRET_KEY);
    this.legacyKey = undefined;
    this.legacyPending = false;
    return done;
  }

  private async rewrap(w: { tenantId: string; id: string }, field: SealedField, sealed: string): Promise<string> {
    return isLegacySealed(sealed) ? this.seal(w, field, await this.open(w, field, sealed)) : sealed;
  }
}

function context(w: { tenantId: string; id: string }, field: SealedField): string {
  return `${w.tenantId}\n${w.id}\n${field}`;
}
