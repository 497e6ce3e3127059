import { Client } from 'pg';
import { TEST_ADMIN_URL_VAR, TEST_TEMPLATE_VAR } from './test-database-env';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[TEST_ADMIN_URL_VAR];
  const template = process.env[TEST_TEMPLATE_VAR];
  if (!adminUrl || !template) return;
  delete process.env[TEST_TEMPLATE_VAR];
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await admin.end();
  await globalThis.__EMECANO_EMBEDDED_PG__?.stop();
  globalThis.__EMECANO_EMBEDDED_PG__ = undefined;
}
