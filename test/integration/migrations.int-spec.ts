import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { migrateDatabase } from '../../src/database/migrate';
import { testConfig } from '../support/config';
import { createEmptyDatabase } from '../support/database';

const config = testConfig();
const silent = { log: () => undefined, error: () => undefined };

async function extensions(dataSource: DataSource): Promise<string[]> {
  const rows: { extname: string }[] = await dataSource.query(
    "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
  );
  return rows.map((row) => row.extname);
}

describe('migrations', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;

  beforeEach(async () => {
    db = await createEmptyDatabase();
  });

  afterEach(async () => {
    await db.drop();
  });

  it('run up, down and up again on an empty database', async () => {
    const dataSource = new DataSource(dataSourceOptions(config, db.url));
    await dataSource.initialize();
    try {
      const applied = await migrateDatabase(dataSource, silent);
      expect(applied.length).toBe(dataSource.migrations.length);
      expect(await extensions(dataSource)).toEqual(['btree_gist', 'cube', 'earthdistance', 'pgcrypto']);

      for (let i = 0; i < dataSource.migrations.length; i++)
        await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await extensions(dataSource)).toEqual([]);
      expect(await dataSource.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: 0 }]);

      expect(await migrateDatabase(dataSource, silent)).toEqual(applied);
      expect(await migrateDatabase(dataSource, silent)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('apply each migration once when several instances start together', async () => {
    const instances = Array.from({ length: 4 }, () => new DataSource(dataSourceOptions(config, db.url)));
    await Promise.all(instances.map((instance) => instance.initialize()));
    try {
      const results = await Promise.all(instances.map((instance) => migrateDatabase(instance, silent)));
      const total = results.reduce((sum, names) => sum + names.length, 0);
      expect(total).toBe(instances[0].migrations.length);
      const rows: { name: string; n: number }[] = await instances[0].query(
        'SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name',
      );
      expect(rows.every((row) => row.n === 1)).toBe(true);
    } finally {
      await Promise.all(instances.map((instance) => instance.destroy()));
    }
  });

  it('H-013: a failing migration is logged as migration_failed, rolled back and rethrown, never swallowed', async () => {
    class Broken1999999999999 implements MigrationInterface {
      name = 'Broken1999999999999';
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('CREATE TABLE half_done (id int)');
        await queryRunner.query('SELECT * FROM table_that_does_not_exist');
      }
      async down(): Promise<void> {}
    }
    const dataSource = new DataSource({
      ...dataSourceOptions(config, db.url),
      migrations: [Broken1999999999999],
    });
    await dataSource.initialize();
    const logged: unknown[] = [];
    try {
      await expect(
        migrateDatabase(dataSource, { log: () => undefined, error: (entry) => logged.push(entry) }),
      ).rejects.toThrow(/table_that_does_not_exist/);
      expect(logged).toEqual([expect.objectContaining({ event: 'migration_failed' })]);
      expect(await dataSource.query("SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);
      // The advisory lock was released, so the next instance is not blocked behind a dead start.
      expect(
        await dataSource.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'"),
      ).toEqual([{ n: 0 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
