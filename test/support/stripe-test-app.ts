import { type TestApp } from './app';
import { FakeStripe, type FakeStripeOptions } from './fake-stripe/fake-stripe';
import { moneyConsistency } from './money-consistency';
import { type TestAppContextOptions, type TestDatabase, useTestApp } from './test-app-context';

export interface StripeTestContext {
  /** The file's own migrated database. */
  readonly db: TestDatabase;
  readonly fake: FakeStripe;
  /** The real application, configured to call the fake. */
  readonly testApp: TestApp;
  /** money-consistency.ts for this app's database and this fake. */
  assertMoneyConsistent(bookingId: string): Promise<void>;
}

export interface StripeTestAppOptions extends Omit<TestAppContextOptions, 'env'> {
  /** Configuration on top of the test defaults and the fake's address. */
  env?: Record<string, string>;
  stripe?: FakeStripeOptions;
}

/**
 * The set-up of every test file that moves money: `useTestApp` with a fake Stripe that the app is
 * wired to. The fake's hooks are declared around the app's (Jest runs hooks in declaration order):
 * it is up before the app starts and until the app has closed.
 */
export function useStripeTestApp(options: StripeTestAppOptions = {}): StripeTestContext {
  const { env, stripe, ...appOptions } = options;
  const fake = new FakeStripe(stripe);

  beforeAll(() => fake.start());
  const app = useTestApp({ ...appOptions, env: () => ({ ...fake.env(), ...env }) });
  afterAll(() => fake.stop());

  return {
    get db() {
      return app.db;
    },
    fake,
    get testApp() {
      return app.testApp;
    },
    assertMoneyConsistent: (bookingId) => moneyConsistency(app.testApp.dataSource, fake)(bookingId),
  };
}
