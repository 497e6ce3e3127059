import { startTestApp, type TestApp, type TestAppOptions } from './app';
import { testConfig } from './config';
import { createTestDatabase } from './database';

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export interface TestAppContextOptions extends Omit<TestAppOptions, 'config' | 'databaseUrl'> {
  /**
   * Configuration on top of the test defaults (`PRODUCTION_ENV` for a production app). A function
   * when it names a server that a `beforeAll` declared earlier starts: `() => ({ SMTP_URL: smtp.url })`.
   */
  env?: Record<string, string> | (() => Record<string, string>);
}

export interface TestAppContext {
  /** The file's own migrated database. */
  readonly db: TestDatabase;
  /** The real application on it. */
  readonly testApp: TestApp;
}

export interface TestAppsContext {
  /** The file's own migrated database. */
  readonly db: TestDatabase;
  /** Instances of the application on that one database, as several processes would run it. */
  readonly apps: readonly TestApp[];
}

/**
 * The set-up of a test file: its database and the app on it, started by a `beforeAll` and stopped by
 * an `afterAll` registered here. Call it at the top of the `describe`. Jest runs hooks in the order
 * they are declared: a `beforeAll` declared after this call sees the app started, an `afterAll`
 * declared after it runs once the app is closed and the database dropped.
 */
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

/** `useTestApp` with `count` instances of the app, all configured alike, on the one database. */
export function useTestApps(count: number, options: TestAppContextOptions = {}): TestAppsContext {
  const { env, ...appOptions } = options;
  let db: TestDatabase | undefined;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig(typeof env === 'function' ? env() : env);
    // One after the other, so that the afterAll closes the instances started before one that failed.
    for (let i = 0; i < count; i++)
      apps.push(await startTestApp({ ...appOptions, config, databaseUrl: db.url }));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await db?.drop();
  });

  const running = () => {
    if (!db || apps.length < count) throw new Error('useTestApp: used before its beforeAll has run');
    return { db, apps };
  };
  return {
    get db() {
      return running().db;
    },
    get apps() {
      return running().apps;
    },
  };
}
