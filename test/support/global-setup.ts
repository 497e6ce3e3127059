import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { type AppConfig } from '../../src/config/load-config';
import { createDataSource } from '../../src/database/data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres';
import { migrateDatabase } from '../../src/database/migrate';
import { testConfig } from './config';
import { databaseUrl, TEST_ADMIN_URL_VAR, TEST_TEMPLATE_VAR } from './test-database-env';

const EMBEDDED_TEST_PORT = 54339;
const EMBEDDED_TEST_DIR = 'var/test-pgdata';

declare global {
  var __EMECANO_EMBEDDED_PG__: EmbeddedDatabase | undefined;
}

/**
 * Once per `jest` run: a PostgreSQL (TEST_DATABASE_URL, or an embedded one), and a template database
 * with every migration applied. Each test file then clones the template (test/support/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  // Both database projects declare this setup; the first one to run does the work.
  if (process.env[TEST_TEMPLATE_VAR]) return;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    await rm(EMBEDDED_TEST_DIR, { recursive: true, force: true });
    globalThis.__EMECANO_EMBEDDED_PG__ = await startEmbeddedPostgres({
      dataDir: EMBEDDED_TEST_DIR,
      port: EMBEDDED_TEST_PORT,
    });
    adminUrl = globalThis.__EMECANO_EMBEDDED_PG__.url;
  }
  const template = `emecano_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await dropStaleTestDatabases(admin);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }

  const config: AppConfig = testConfig();
  const dataSource = createDataSource(config, databaseUrl(adminUrl, template));
  await dataSource.initialize();
  try {
    await migrateDatabase(dataSource, { log: () => undefined, error: (m: unknown) => console.error(m) });
  } finally {
    await dataSource.destroy();
  }
  // The delivery queue's own schema, so that no test file pays for creating it.
  const boss = new PgBoss({
    connectionString: databaseUrl(adminUrl, template),
    schedule: false,
    supervise: false,
  });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  process.env[TEST_ADMIN_URL_VAR] = adminUrl;
  process.env[TEST_TEMPLATE_VAR] = template;
}

/** Databases left by an interrupted run (their creator's process is gone). */
async function dropStaleTestDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'emecano\\_template\\_%' OR datname LIKE 'emecano\\_t\\_%'",
  );
  for (const { datname } of rows) {
    const creator = Number(/^emecano_(?:template|t)_(\d+)/.exec(datname)?.[1]);
    if (creator && isAlive(creator)) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
