import { Logger } from '@nestjs/common';
import { startTestApp } from '../support/app';
import { testConfig } from '../support/config';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, type MechanicFixture } from '../support/mechanic-factories';
import { useStripeTestApp } from '../support/stripe-test-app';

const ONBOARD = '/payments/onboard-mechanic';
const DASHBOARD = '/payments/mechanic-dashboard';

describe('Stripe Connect: onboarding and the Express dashboard (bookings-payments §3.14, §3.15)', () => {
  const ctx = useStripeTestApp();

  beforeEach(() => ctx.fake.reset());

  const onboard = (token: string, app = ctx.testApp, ip = newIp()) =>
    app.http.post(ONBOARD).set('X-Forwarded-For', ip).set(bearer(token));
  const dashboard = (token: string, app = ctx.testApp) =>
    app.http.get(DASHBOARD).set('X-Forwarded-For', newIp()).set(bearer(token));
  const accountOf = async (mechanic: MechanicFixture, app = ctx.testApp) =>
    (
      await app.dataSource.query('SELECT stripe_account_id FROM mechanic_profiles WHERE id = $1', [
        mechanic.profileId,
      ])
    )[0].stripe_account_id as string | null;
  const withAccount = async (fields: Record<string, unknown> = {}) => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const account = ctx.fake.objects.putAccount(`acct_test_${mechanic.profileId.slice(0, 8)}`, fields);
    await ctx.testApp.dataSource.query('UPDATE mechanic_profiles SET stripe_account_id = $2 WHERE id = $1', [
      mechanic.profileId,
      account.id,
    ]);
    return { mechanic, accountId: account.id as string };
  };

  describe('POST /payments/onboard-mechanic', () => {
    it('PAY-01: creates the Express account, stores it and answers the onboarding link', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource);
      const response = await onboard(mechanic.token);

      const accountId = await accountOf(mechanic);
      expect(accountId).toMatch(/^acct_/);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { onboarding_url: expect.stringContaining(`/setup/e/${accountId}/`) },
      });
      expect(ctx.fake.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
        'POST /v1/accounts',
        'POST /v1/account_links',
      ]);
      expect(ctx.fake.calls()[0]).toMatchObject({
        idempotencyKey: `connect_account_${mechanic.profileId}`,
        params: {
          type: 'express',
          country: 'FR',
          email: mechanic.email,
          capabilities: { card_payments: { requested: 'true' }, transfers: { requested: 'true' } },
        },
      });
      expect(ctx.fake.calls()[1].params).toEqual({
        account: accountId,
        type: 'account_onboarding',
        refresh_url: 'https://emecano.fr/stripe/refresh',
        return_url: 'https://emecano.fr/stripe/return',
      });
    });

    it('D9: is open to a mechanic still onboarding (inactive, not yet verified)', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource, {
        isActive: false,
        isIdentityVerified: false,
      });
      expect((await onboard(mechanic.token)).status).toBe(200);
      expect(await accountOf(mechanic)).toMatch(/^acct_/);
    });

    it('N13.27 D9: an account left unfinished gets a fresh link, and no second account', async () => {
      const { mechanic, accountId } = await withAccount();
      const first = await onboard(mechanic.token);
      const second = await onboard(mechanic.token);

      expect([first.status, second.status]).toEqual([200, 200]);
      expect(first.body.onboarding_url).not.toEqual(second.body.onboarding_url);
      expect(ctx.fake.calls(/POST \/v1\/accounts$/)).toEqual([]);
      expect(ctx.fake.calls(/account_links/).map((c) => c.params.account)).toEqual([accountId, accountId]);
      expect(await accountOf(mechanic)).toBe(accountId);
    });

    it('PAY-02 D9: once onboarding is complete, 409 "Stripe account already created" and nothing created', async () => {
      const { mechanic } = await withAccount({ details_submitted: true });
      expectDomainError(
        await onboard(mechanic.token),
        409,
        'Stripe account already created',
        'stripe_account_exists',
      );
      // Only the read that tells a finished onboarding from an abandoned one (D9).
      expect(ctx.fake.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
        expect.stringMatching(/^GET \/v1\/accounts\//),
      ]);
    });

    it('two onboardings of one mechanic at once create one account', async () => {
      for (let round = 0; round < 20; round++) {
        const mechanic = await createMechanic(ctx.testApp.dataSource);
        ctx.fake.reset();
        const answers = await Promise.all([onboard(mechanic.token), onboard(mechanic.token)]);
        expect(answers.map((a) => a.status)).toEqual([200, 200]);
        expect(ctx.fake.calls(/POST \/v1\/accounts$/)).toHaveLength(1);
      }
    });

    it('H-022: a Stripe failure is a generic 500, and a retry reuses the account Stripe already made', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const mechanic = await createMechanic(ctx.testApp.dataSource);
        ctx.fake.failNext(3, { kind: 'http_500' }, { path: /account_links/ });
        const failed = await onboard(mechanic.token);
        expectDomainError(failed, 500, 'Internal server error', 'payment_provider_error');
        const kept = await accountOf(mechanic);
        expect(kept).toMatch(/^acct_/);

        const retried = await onboard(mechanic.token);
        expect(retried.status).toBe(200);
        expect(await accountOf(mechanic)).toBe(kept);
        expect(ctx.fake.calls(/POST \/v1\/accounts$/)).toHaveLength(1);
        expect(errors).toHaveBeenCalledWith(
          expect.objectContaining({ event: 'stripe_call_failed', mechanic_profile_id: mechanic.profileId }),
        );
      } finally {
        errors.mockRestore();
      }
    });

    it('H-022: when the account cannot be created, nothing is stored', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const mechanic = await createMechanic(ctx.testApp.dataSource);
        ctx.fake.failNext(3, { kind: 'connection_reset' }, { path: /^\/v1\/accounts$/ });
        expectDomainError(
          await onboard(mechanic.token),
          500,
          'Internal server error',
          'payment_provider_error',
        );
        expect(await accountOf(mechanic)).toBeNull();
      } finally {
        errors.mockRestore();
      }
    });

    it('is for mechanics only, and 10 per hour', async () => {
      const buyer = await createUser(ctx.testApp.dataSource);
      expectDomainError(
        await onboard(forgeToken({ sub: buyer.id })),
        403,
        'Only mechanics can access this resource',
        'access_denied',
      );
      expect((await ctx.testApp.http.post(ONBOARD).set('X-Forwarded-For', newIp())).status).toBe(403);

      const { mechanic } = await withAccount({ details_submitted: true });
      const ip = newIp();
      for (let i = 0; i < 10; i++) expect((await onboard(mechanic.token, ctx.testApp, ip)).status).toBe(409);
      const limited = await onboard(mechanic.token, ctx.testApp, ip);
      expect({ status: limited.status, body: limited.body }).toEqual({
        status: 429,
        body: { error: 'Rate limit exceeded: 10 per 1 hour' },
      });
    });
  });

  describe('GET /payments/mechanic-dashboard', () => {
    it('PAY-03(a): without an account, 400 "No Stripe account found…"', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource);
      expectDomainError(
        await dashboard(mechanic.token),
        400,
        'No Stripe account found. Please complete onboarding first.',
        'stripe_account_missing',
      );
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('PAY-03(b): with an onboarded account, a login link', async () => {
      const { mechanic, accountId } = await withAccount({ details_submitted: true });
      const response = await dashboard(mechanic.token);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { dashboard_url: expect.stringMatching(/^https:\/\/connect\.stripe\.com\/express\//) },
      });
      expect(ctx.fake.calls(/login_links/).map((c) => c.path)).toEqual([
        `/v1/accounts/${accountId}/login_links`,
      ]);
    });

    it('an unfinished onboarding is a 400 that says so, not the 500 Stripe’s refusal would give', async () => {
      const { mechanic } = await withAccount();
      expectDomainError(
        await dashboard(mechanic.token),
        400,
        'Stripe onboarding is not complete. Please complete onboarding first.',
        'stripe_onboarding_incomplete',
      );
      expect(ctx.fake.calls(/login_links/)).toEqual([]);
    });

    it('PAY-03: an account from mock mode gets the mock dashboard without a Stripe call', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource);
      await ctx.testApp.dataSource.query(
        "UPDATE mechanic_profiles SET stripe_account_id = 'acct_mock_123' WHERE id = $1",
        [mechanic.profileId],
      );
      expect((await dashboard(mechanic.token)).body).toEqual({
        dashboard_url: 'https://connect.stripe.com/mock-dashboard',
      });
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('uses the strict mechanic guard: an inactive mechanic is refused', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource, {
        isActive: false,
        isIdentityVerified: false,
      });
      expectDomainError(
        await dashboard(mechanic.token),
        403,
        'Account has been deactivated',
        'account_deactivated',
      );
    });
  });

  it('PAY-04: without STRIPE_SECRET_KEY (development), onboarding and dashboard are simulated', async () => {
    const development = await startTestApp({ config: testConfig(), databaseUrl: ctx.db.url });
    try {
      const mechanic = await createMechanic(development.dataSource);
      const onboarded = await onboard(mechanic.token, development);
      expect({ status: onboarded.status, body: onboarded.body }).toEqual({
        status: 200,
        body: { onboarding_url: 'https://connect.stripe.com/mock-onboarding' },
      });
      expect(await accountOf(mechanic, development)).toMatch(/^acct_dev_[0-9a-f-]{36}$/);
      expect((await dashboard(mechanic.token, development)).body).toEqual({
        dashboard_url: 'https://connect.stripe.com/mock-dashboard',
      });
      expect(development.logs.records()).toEqual(
        expect.arrayContaining([expect.objectContaining({ event: 'development_payment_gateway' })]),
      );
      expect(ctx.fake.calls()).toEqual([]);
    } finally {
      await development.close();
    }
  });
});
