import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ForbiddenError } from '../common/errors.js';
import { constantTimeEqual, hmacSha256 } from '../common/secrets.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { Clock } from '../common/clock.js';

/** How long a signed download link works. */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60_000;

export interface SignedLink {
  /** Path and query, relative to the API's base URL. */
  path: string;
  expiresAt: Date;
}

/**
 * Signed download links: `GET /v1/exports/{id}/download?tenant=&expires=&signature=` works
 * without an API key until `expires`. The signature is HMAC-SHA256 under an install-wide key
 * (kept in PostgreSQL, shared by replicas) over the export id, the tenant id and the expiry,
 * so a link opens exactly one export of exactly one tenant and cannot be extended. Signatures
 * are compared in constant time; an expired link is refused even when its signature is good.
 * (The shape follows the pre-signed URLs of object stores: the credential is the URL.)
 */
@Injectable()
export class DownloadLinks implements OnModuleInit {
  private key: Buffer | undefined;

  constructor(
    private readonly settings: SystemSettingsService,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = await this.settings.secret('download_link_key', 32);
  }

  sign(tenantId: string, exportId: string, now = this.clock.now()): SignedLink {
    const expires = Math.floor((now + DOWNLOAD_LINK_TTL_MS) / 1000);
    const q = new URLSearchParams({ tenant: tenantId, expires: String(expires), signature: this.signature(tenantId, exportId, expires) });
    return { path: `/v1/exports/${encodeURIComponent(exportId)}/download?${q.toString()}`, expiresAt: new Date(expires * 1000) };
  }

  /** Checks a presented link; returns the tenant it opens. Throws 403 invalid_link / link_expired. */
  verify(exportId: string, link: { tenant?: string; expires?: string; signature?: string }, now = this.clock.now()): string {
    const { tenant, expires, signature } = link;
    if (!tenant || !expires || !signature || !/^[0-9]{1,12}$/.test(expires)) {
      throw new ForbiddenError('invalid_link', 'The download link is invalid.');
    }
    const expected = this.signature(tenant, exportId, Number(expires));
    if (!constantTimeEqual(signature, expected)) throw new ForbiddenError('invalid_link', 'The download link is invalid.');
    if (Number(expires) * 1000 <= now) throw new ForbiddenError('link_expired', 'The download link has expired; fetch the export again for a fresh one.');
    return tenant;
  }

  private signature(tenantId: string, exportId: string, expires: number): string {
    if (!this.key) throw new Error('DownloadLinks not initialised');
    return hmacSha256(this.key, `veritrail-download-v1\n${tenantId}\n${exportId}\n${expires}`).toString('base64url');
  }
}
