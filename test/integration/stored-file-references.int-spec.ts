import { DiscoveryService } from '@nestjs/core';
import { Client } from 'pg';
import { markedProviders } from '../../src/common/discovery/marked-providers';
import { ReferencesStoredFiles, type StoredFileReferences } from '../../src/storage/stored-file-references';
import { useTestApp } from '../support/test-app-context';

interface UrlColumn {
  table: string;
  column: string;
  type: string;
}

/** Every `*_url` / `*_urls` column of the schema: by convention, where stored-file URLs are kept. */
async function urlColumns(client: Client): Promise<UrlColumn[]> {
  const { rows } = await client.query<UrlColumn>(`
    SELECT c.table_name AS table, c.column_name AS column, c.data_type AS type
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name ~ '_urls?$'
     ORDER BY 1, 2`);
  return rows;
}

/**
 * Writes `url` into `table.column` on a row of its own, whatever the table's other rules: this
 * file's database is a throwaway clone, so the probe drops the table's CHECKs and NOT NULLs and
 * skips foreign keys and triggers (session_replication_role) to need no fixture per table.
 */
async function plant(client: Client, { table, column, type }: UrlColumn, url: string): Promise<void> {
  const { rows: checks } = await client.query<{ name: string }>(
    `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`,
    [table],
  );
  for (const { name } of checks) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
  const { rows: required } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
        AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary
                                                   AND a.attnum = ANY (i.indkey))`,
    [table],
  );
  for (const { name } of required)
    await client.query(`ALTER TABLE ${table} ALTER COLUMN ${name} DROP NOT NULL`);
  const value =
    type === 'json' || type === 'jsonb'
      ? `json_build_array($1::text)::${type}`
      : type === 'ARRAY'
        ? 'ARRAY[$1]'
        : '$1';
  await client.query(`INSERT INTO ${table} (${column}) VALUES (${value})`, [url]);
}

describe('stored-file references (§7.11)', () => {
  const ctx = useTestApp();

  it('JOB-23: every column holding stored URLs is answered for by a @ReferencesStoredFiles() provider, so the sweep never deletes a file in use', async () => {
    const client = new Client({ connectionString: ctx.db.url });
    await client.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      const columns = await urlColumns(client);
      expect(columns.map(({ table, column }) => `${table}.${column}`)).toEqual(
        expect.arrayContaining(['users.photo_url', 'mechanic_profiles.cv_url', 'diplomas.document_url']),
      );
      const sentinels = new Map<string, string>();
      for (const column of columns) {
        const url = `https://files.emecano.test/probe/${column.table}/${column.column}.pdf`;
        await plant(client, column, url);
        sentinels.set(url, `${column.table}.${column.column}`);
      }

      const providers = markedProviders<StoredFileReferences, void>(
        ctx.testApp.app.get(DiscoveryService),
        ReferencesStoredFiles,
      ).map(({ instance }) => instance);
      const answers = await Promise.all(
        providers.map((provider) => provider.referencedAmong([...sentinels.keys()])),
      );
      const unanswered = [...sentinels]
        .filter(([url]) => !answers.some((referenced) => referenced.has(url)))
        .map(([, column]) => column);

      expect(unanswered).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
