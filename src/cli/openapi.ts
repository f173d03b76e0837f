import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument, sortedJson } from '../app.factory.js';
import { AppModule } from '../app.module.js';
import { isMainModule, PROJECT_ROOT } from '../common/paths.js';
import { loadConfig } from '../config/config.js';

/**
 * Writes openapi/openapi.json from the code. Preview mode builds the module graph without
 * instantiating providers, so no store is opened.
 */
export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ DATA_DIR: '/nonexistent' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const doc = await buildOpenApiDocument(app);
  await app.close();
  return sortedJson(doc);
}

if (isMainModule(import.meta.url)) {
  const out = join(PROJECT_ROOT, 'openapi/openapi.json');
  writeFileSync(out, await generateOpenApi());
  process.stdout.write(`wrote ${out}\n`);
}
