import { type DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import { startTestApp, type TestApp, type TestAppOptions } from './app';
import { testConfig } from './config';
import { createTestDatabase } from './database';

/*
 * The set-up of a test file: its own migrated database and what runs on it, started by a `beforeAll`
 * and stopped by an `afterAll` that these helpers register. Call one at the top of the `describe`.
 * Jest runs hooks in the order they are declared: a `beforeAll` declared after the call sees
 * everything started, an `afterAll` declared after it runs once the apps are closed and the database
 * dropped; a server the app must reach is started by a `beforeAll` declared before the call.
 */

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export interface TestDatabaseContext {
  readonly db: TestDatabase;
  /**
   * `startTestApp` on the file's database. The afterAll closes the app, before dropping the database,
   * unless the test has closed it already.
   */
  startApp(options: Omit<TestAppOptions, 'databaseUrl'>): Promise<TestApp>;
}

/** The database alone, for a file that starts its apps itself (several configurations, restarts). */
export function useTestDatabase(): TestDatabaseContext {
  let db: TestDatabase | undefined;
  const open = new Set<TestApp>();

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all([...open].map((app) => app.close()));
    await db?.drop();
  });

  const created = () => {
    if (!db) throw new Error('useTestDatabase: used before its beforeAll has run');
    return db;
  };
  return {
    get db() {
      return created();
    },
    startApp: async (options) => {
      const app = await startTestApp({ ...options, databaseUrl: created().url });
      const started: TestApp = {
        ...app,
        close: () => {
          open.delete(started);
          return app.close();
        },
      };
      open.add(started);
      return started;
    },
  };
}

export interface TestAppContextOptions extends Omit<TestAppOptions, 'config' | 'databaseUrl'> {
  /**
   * Configuration on top of the test defaults (`PRODUCTION_ENV` for a production app). A function
   * when it names a server that a `beforeAll` declared earlier starts: `() => ({ SMTP_URL: smtp.url })`.
   */
  env?: Record<string, string> | (() => Record<string, string>);
}

export interface TestAppContext {
  readonly db: TestDatabase;
  /** The real application on it. */
  readonly testApp: TestApp;
}

/** The database and the app on it: the set-up of most files. */
export function useTestApp(options: TestAppContextOptions = {}): TestAppContext {
  const context = useTestApps(1, options);
  return {
    get db() {
      return context.db;
    },
    get testApp() {
      return context.apps[0];
    },
  };
}

export interface TestAppsContext {
  readonly db: TestDatabase;
  /** Instances of the application on that one database, as several processes would run it. */
  readonly apps: readonly TestApp[];
}

/** `useTestApp` with `count` instances of the app, all configured alike. */
export function useTestApps(count: number, options: TestAppContextOptions = {}): TestAppsContext {
  const { env, ...appOptions } = options;
  const database = useTestDatabase();
  const apps: TestApp[] = [];

  beforeAll(async () => {
    const config = testConfig(typeof env === 'function' ? env() : env);
    for (let i = 0; i < count; i++) apps.push(await database.startApp({ ...appOptions, config }));
  });

  const started = () => {
    if (apps.length < count) throw new Error('useTestApp: used before its beforeAll has run');
    return apps;
  };
  return {
    get db() {
      return database.db;
    },
    get apps() {
      return started();
    },
  };
}

export interface TestDataSourceContext {
  readonly db: TestDatabase;
  /** A connection to it, without the app. */
  readonly dataSource: DataSource;
}

/** The database and a connection to it, for a file that needs no app: the schema's rules, seeding SQL. */
export function useTestDataSource(): TestDataSourceContext {
  let db: TestDatabase | undefined;
  let dataSource: DataSource | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await createDataSource(testConfig(), db.url).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const connected = () => {
    if (!db || !dataSource) throw new Error('useTestDataSource: used before its beforeAll has run');
    return { db, dataSource };
  };
  return {
    get db() {
      return connected().db;
    },
    get dataSource() {
      return connected().dataSource;
    },
  };
}
