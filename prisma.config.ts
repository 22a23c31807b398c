// Prisma CLI configuration. `engine: 'js'` keeps the CLI on the bundled WASM schema engine:
// Prisma would otherwise download a native engine, which this project never does. The CLI is used
// only to generate the clients and to write migration SQL (`npm run db:migration`); the app applies
// migrations itself at start (libs/database/src/migrator.ts).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const databaseUrl = process.env.DATABASE_URL ?? 'file::memory:';
const provider = databaseUrl.startsWith('file:') ? 'sqlite' : 'postgres';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', provider),
  migrations: { path: path.join('prisma', provider, 'migrations') },
  adapter: async () =>
    provider === 'sqlite' ? new PrismaBetterSQLite3({ url: databaseUrl }) : new PrismaPg({ connectionString: databaseUrl }),
});
