import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CursorCodec } from '../common/cursor.js';
import { PrismaService } from './postgres/prisma.service.js';

/**
 * Install-wide secrets and values kept in PostgreSQL (`system_settings`, read and written only
 * here) so every replica shares them without extra configuration: the first replica to start
 * creates each secret, the others read it.
 */
@Injectable()
export class SystemSettingsService implements OnModuleInit {
  private cursorCodec: CursorCodec | undefined;

  constructor(private readonly prisma: PrismaService) {}

  async onModuleInit(): Promise<void> {
    const key = await this.secret('cursor_hmac_key', 32);
    this.cursorCodec = new CursorCodec(key);
  }

  get cursors(): CursorCodec {
    if (!this.cursorCodec) throw new Error('SystemSettingsService not initialised');
    return this.cursorCodec;
  }

  /** Returns the named random secret, creating it once (race-free across replicas). */
  async secret(name: string, bytes: number): Promise<Buffer> {
    await this.prisma.systemSetting.createMany({
      data: [{ key: name, value: randomBytes(bytes).toString('base64') }],
      skipDuplicates: true,
    });
    const row = await this.prisma.systemSetting.findUniqueOrThrow({ where: { key: name } });
    return Buffer.from(row.value, 'base64');
  }

  /** The named secret if it exists (never creates it). */
  async existingSecret(name: string): Promise<Buffer | undefined> {
    const row = await this.prisma.systemSetting.findUnique({ where: { key: name } });
    return row ? Buffer.from(row.value, 'base64') : undefined;
  }

  /** A plain install-wide value (not a secret) other modules keep here, or undefined. */
  async value(name: string): Promise<string | undefined> {
    const row = await this.prisma.systemSetting.findUnique({ where: { key: name } });
    return row?.value;
  }

  async setValue(name: string, value: string): Promise<void> {
    await this.prisma.systemSetting.upsert({ where: { key: name }, create: { key: name, value }, update: { value } });
  }

  /** Deletes a secret that is no longer needed (e.g. a key retired after a re-wrap). */
  async removeSecret(name: string): Promise<void> {
    await this.prisma.systemSetting.deleteMany({ where: { key: name } });
  }
}
