// Used by the Prisma CLI (generate; migrate deploy/status where the schema engine is available).
// The application applies prisma/migrations itself (src/storage/postgres/migrator.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: './prisma/schema.prisma',
  migrations: { path: './prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/veritrail' },
});
