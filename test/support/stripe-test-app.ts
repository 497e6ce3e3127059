import { startTestApp, type TestApp, type TestAppOptions } from './app';
import { testConfig } from './config';
import { createTestDatabase } from './database';
import { FakeStripe, type FakeStripeOptions } from './fake-stripe/fake-stripe';
import { moneyConsistency } from './money-consistency';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export interface StripeTestContext {
  /** The file's own migrated database. */
  readonly db: TestDatabase;
  readonly fake: FakeStripe;
  /** The real application, configured to call the fake. */
  readonly testApp: TestApp;
  /** money-consistency.ts for this app's database and this fake. */
  assertMoneyConsistent(bookingId: string): Promise<void>;
}

export interface StripeTestAppOptions extends Omit<TestAppOptions, 'config' | 'databaseUrl'> {
  /** Configuration on top of the test defaults and the fake's address. */
  env?: Record<string, string>;
  stripe?: FakeStripeOptions;
}

/**
 * The set-up of every test file that moves money: its database, a fake Stripe and the app wired to
 * both, started by a `beforeAll` and stopped by an `afterAll` registered here. Call it at the top
 * of the `describe`; a file's own `beforeAll` declared after it sees everything started.
 */
export function useStripeTestApp(options: StripeTestAppOptions = {}): StripeTestContext {
  const { env, stripe, ...appOptions } = options;
  let db: TestDatabase | undefined;
  let fake: FakeStripe | undefined;
  let testApp: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await new FakeStripe(stripe).start();
    const config = testConfig({ ...fake.env(), ...env });
    testApp = await startTestApp({ ...appOptions, config, databaseUrl: db.url });
  });

  afterAll(async () => {
    await testApp?.close();
    await fake?.stop();
    await db?.drop();
  });

  const running = () => {
    if (!db || !fake || !testApp) throw new Error('useStripeTestApp: used before its beforeAll has run');
    return { db, fake, testApp };
  };
  return {
    get db() {
      return running().db;
    },
    get fake() {
      return running().fake;
    },
    get testApp() {
      return running().testApp;
    },
    assertMoneyConsistent: (bookingId) => {
      const { testApp: app, fake: stripe } = running();
      return moneyConsistency(app.dataSource, stripe)(bookingId);
    },
  };
}
