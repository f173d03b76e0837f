import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { KeyRing, loadOrCreateKeyFile, type PublicJwk } from './signing-keys.js';

/** The checkpoint signing keys of this process, loaded once at start. */
@Injectable()
export class KeyRingService implements OnModuleInit {
  private readonly logger = new Logger('SigningKeys');
  private keyRing: KeyRing | undefined;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const { file, created } = await loadOrCreateKeyFile(this.config.integrity.signingKeysFile);
    this.keyRing = await KeyRing.from(file);
    if (created) this.logger.log({ path: this.config.integrity.signingKeysFile, kid: this.keyRing.kid }, 'generated a checkpoint signing key');
  }

  get ring(): KeyRing {
    if (!this.keyRing) throw new Error('signing keys not loaded');
    return this.keyRing;
  }

  get jwks(): { keys: PublicJwk[] } {
    return this.ring.jwks;
  }
}
