import { startTestApp } from '../support/app';
import { FixedClock } from '../support/clock';
import { productionTestConfig, testConfig } from '../support/config';
import {
  FlakyHandler,
  WEBHOOK_PROBE_TABLE,
  WebhookProbeModule,
} from '../support/fixtures/webhook-probe.module';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic } from '../support/mechanic-factories';
import { useStripeTestApp } from '../support/stripe-test-app';

const WEBHOOK = '/payments/webhooks/stripe';

describe('POST /payments/webhooks/stripe (bookings-payments §4.8)', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const ctx = useStripeTestApp({ clock, imports: [WebhookProbeModule] });

  beforeAll(async () => {
    await ctx.testApp.dataSource.query(`CREATE TABLE ${WEBHOOK_PROBE_TABLE} (event_id text NOT NULL)`);
  });

  const deliver = (event: Record<string, unknown>, ip = newIp()) =>
    ctx.fake.deliver(ctx.testApp.http, event, ip);
  const processed = async (eventId: string) =>
    (
      await ctx.testApp.dataSource.query(
        'SELECT count(*)::int AS n FROM processed_webhook_events WHERE event_id = $1',
        [eventId],
      )
    )[0].n;
  const effects = async (eventId: string) =>
    (
      await ctx.testApp.dataSource.query(
        `SELECT count(*)::int AS n FROM ${WEBHOOK_PROBE_TABLE} WHERE event_id = $1`,
        [eventId],
      )
    )[0].n;
  const raw = (body: string, headers: Record<string, string>) =>
    ctx.testApp.http.post(WEBHOOK).set('X-Forwarded-For', newIp()).set(headers).send(body);

  describe('verification before anything is parsed', () => {
    it('PAY-05: a bad signature is 400 "Invalid signature" and records nothing', async () => {
      const before = await ctx.testApp.dataSource.query(
        'SELECT count(*)::int AS n FROM processed_webhook_events',
      );
      const response = await raw('{}', { 'Content-Type': 'application/json', 'Stripe-Signature': 'invalid' });
      expectDomainError(response, 400, 'Invalid signature', 'invalid_signature');
      const missing = await raw('{}', { 'Content-Type': 'application/json' });
      expectDomainError(missing, 400, 'Invalid signature', 'invalid_signature');
      expect(
        await ctx.testApp.dataSource.query('SELECT count(*)::int AS n FROM processed_webhook_events'),
      ).toEqual(before);
    });

    it('a body signed with another secret, or altered after signing, is refused', async () => {
      const payload = JSON.stringify(ctx.fake.event('probe.recorded', {}));
      const otherSecret = await raw(payload, {
        'Content-Type': 'application/json',
        'Stripe-Signature': ctx.fake.sign(payload, 'whsec_someone_else_0123456789'),
      });
      const altered = await raw(payload.replace('probe.recorded', 'probe.flaky'), {
        'Content-Type': 'application/json',
        'Stripe-Signature': ctx.fake.sign(payload),
      });
      expect([otherSecret.status, altered.status]).toEqual([400, 400]);
    });

    it('N13.20 [REC]: a correctly signed body that is not JSON, or not an event, is 400, not 500', async () => {
      for (const body of [
        'not json at all',
        '[1, 2]',
        '{"id": "evt_1"}',
        '{"id": 42, "type": "x", "data": {"object": {}}}',
      ]) {
        const response = await raw(body, {
          'Content-Type': 'application/json',
          'Stripe-Signature': ctx.fake.sign(body),
        });
        expectDomainError(response, 400, 'Invalid payload', 'invalid_payload');
      }
    });

    it('PAY-07: a declared or real body above 64 KiB is 413; a non-numeric Content-Length is 400', async () => {
      const declared = await ctx.testApp.http
        .post(WEBHOOK)
        .set('X-Forwarded-For', newIp())
        .set('Content-Type', 'application/json')
        .set('Content-Length', '100000')
        .send('{}');
      expect(declared.status).toBe(413);
      expect(declared.body).toMatchObject({ detail: 'Payload too large' });

      const body = JSON.stringify({ padding: 'x'.repeat(65_537) }).slice(0, 65_537);
      const real = await raw(body, {
        'Content-Type': 'application/json',
        'Stripe-Signature': ctx.fake.sign(body),
      });
      expect(real.status).toBe(413);

      const exactly = 'x'.repeat(65_536);
      const atLimit = await raw(exactly, {
        'Content-Type': 'application/json',
        'Stripe-Signature': ctx.fake.sign(exactly),
      });
      expect(atLimit.status).toBe(400);

      // Node's HTTP parser refuses the request itself, before any middleware.
      const notANumber = await ctx.testApp.http
        .post(WEBHOOK)
        .set('Content-Length', 'not_a_number')
        .send('{}')
        .catch((error: { status?: number }) => error);
      expect(notANumber.status).toBe(400);
    });
  });

  describe('exactly-once application (I-11)', () => {
    it('applies an event, answers {"status":"ok"} and records its id', async () => {
      const event = ctx.fake.event('probe.recorded', {});
      const response = await deliver(event);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      expect(await processed(event.id as string)).toBe(1);
      expect(await effects(event.id as string)).toBe(1);
    });

    it('PAY-15: the same event again is 200 {"status":"already_processed"} with no new effect', async () => {
      const event = ctx.fake.event('probe.recorded', {}, 'evt_dup');
      await deliver(event);
      const again = await deliver(event);
      expect({ status: again.status, body: again.body }).toEqual({
        status: 200,
        body: { status: 'already_processed' },
      });
      expect(await processed('evt_dup')).toBe(1);
      expect(await effects('evt_dup')).toBe(1);
    });

    it('N13.20: 50 concurrent deliveries of one event apply it once, and every answer is 200', async () => {
      for (let round = 0; round < 20; round++) {
        const event = ctx.fake.event('probe.recorded', {});
        const ip = newIp();
        const answers = await Promise.all(Array.from({ length: 50 }, () => deliver(event, ip)));
        expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
        expect(answers.filter((a) => a.body.status === 'ok')).toHaveLength(1);
        expect(answers.filter((a) => a.body.status === 'already_processed')).toHaveLength(49);
        expect(await effects(event.id as string)).toBe(1);
        expect(await processed(event.id as string)).toBe(1);
      }
    });

    it('N13.20: a handler that throws rolls back its effects and the dedup row (5xx); the redelivery applies it', async () => {
      const flaky = ctx.testApp.app.get(FlakyHandler);
      flaky.failures = 1;
      const event = ctx.fake.event('probe.flaky', {});

      const failed = await deliver(event);
      expectDomainError(failed, 500, 'Webhook processing failed', 'webhook_processing_failed');
      expect(JSON.stringify(failed.body)).not.toContain('transient failure');
      expect(await processed(event.id as string)).toBe(0);
      expect(await effects(event.id as string)).toBe(0);

      const redelivered = await deliver(event);
      expect(redelivered.body).toEqual({ status: 'ok' });
      expect(await effects(event.id as string)).toBe(1);
      expect(await processed(event.id as string)).toBe(1);
    });

    it('an event type nobody handles is acknowledged and recorded', async () => {
      const event = ctx.fake.event('customer.created', { id: 'cus_1' });
      expect((await deliver(event)).body).toEqual({ status: 'ok' });
      expect(await processed(event.id as string)).toBe(1);
    });
  });

  describe('account.updated (§4.8, H-023)', () => {
    const profile = async (id: string) =>
      (await ctx.testApp.dataSource.query('SELECT is_active FROM mechanic_profiles WHERE id = $1', [id]))[0];
    const withAccount = async (overrides: Parameters<typeof createMechanic>[1]) => {
      const mechanic = await createMechanic(ctx.testApp.dataSource, { isActive: false, ...overrides });
      const accountId = `acct_${mechanic.profileId.slice(0, 8)}`;
      await ctx.testApp.dataSource.query(
        'UPDATE mechanic_profiles SET stripe_account_id = $2 WHERE id = $1',
        [mechanic.profileId, accountId],
      );
      return { profileId: mechanic.profileId, accountId };
    };
    const ready = (id: string, payouts = true) =>
      ctx.fake.event('account.updated', {
        id,
        object: 'account',
        charges_enabled: true,
        payouts_enabled: payouts,
      });

    it('PAY-13: activates a verified inactive mechanic once charges and payouts are enabled, and no one else', async () => {
      const verified = await withAccount({ isIdentityVerified: true });
      const unverified = await withAccount({ isIdentityVerified: false });
      const partial = await withAccount({ isIdentityVerified: true });

      for (const event of [
        ready(verified.accountId),
        ready(unverified.accountId),
        ready(partial.accountId, false),
      ]) {
        expect((await deliver(event)).body).toEqual({ status: 'ok' });
      }
      expect(await profile(verified.profileId)).toEqual({ is_active: true });
      expect(await profile(unverified.profileId)).toEqual({ is_active: false });
      expect(await profile(partial.profileId)).toEqual({ is_active: false });

      const unknown = await deliver(ready('acct_unknown'));
      expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 200, body: { status: 'ok' } });
    });

    it('N15: never lifts a running suspension', async () => {
      const suspended = await withAccount({
        isIdentityVerified: true,
        suspendedUntil: new Date(clock.now().getTime() + 86_400_000),
      });
      await deliver(ready(suspended.accountId));
      expect(await profile(suspended.profileId)).toEqual({ is_active: false });
    });

    it('H-023: finds the profile through the stripe_account_id index, which admits one profile per account', async () => {
      const indexes = await ctx.testApp.dataSource.query(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_mechanic_profiles_stripe_account_id'`,
      );
      expect(indexes).toEqual([
        { indexdef: expect.stringMatching(/^CREATE UNIQUE INDEX .*\(stripe_account_id\) WHERE/) },
      ]);
      const { accountId } = await withAccount({ isIdentityVerified: true });
      const other = await createMechanic(ctx.testApp.dataSource);
      await expect(
        ctx.testApp.dataSource.query('UPDATE mechanic_profiles SET stripe_account_id = $2 WHERE id = $1', [
          other.profileId,
          accountId,
        ]),
      ).rejects.toThrow(/ix_mechanic_profiles_stripe_account_id/);
    });
  });

  describe('C-010 D13: no usable secret, no processing', () => {
    it('PAY-06(a): without STRIPE_WEBHOOK_SECRET (development) the answer is 501', async () => {
      const unconfigured = await startTestApp({ config: testConfig(), databaseUrl: ctx.db.url });
      try {
        const payload = JSON.stringify(ctx.fake.event('probe.recorded', {}));
        const response = await unconfigured.http
          .post(WEBHOOK)
          .set('X-Forwarded-For', newIp())
          .set('Content-Type', 'application/json')
          .set('Stripe-Signature', ctx.fake.sign(payload))
          .send(payload);
        expectDomainError(
          response,
          501,
          'Webhook signature verification not configured',
          'webhook_not_configured',
        );
      } finally {
        await unconfigured.close();
      }
    });

    it('PAY-06(b): a placeholder secret in production is 500 "Webhook verification not configured"', async () => {
      const secret = 'whsec_PLACEHOLDER_replace_me_0123456789';
      const placeholder = await startTestApp({
        config: productionTestConfig({ STRIPE_WEBHOOK_SECRET: secret, TRUSTED_PROXY_COUNT: '1' }),
        databaseUrl: ctx.db.url,
      });
      try {
        const event = ctx.fake.event('probe.recorded', {});
        const payload = JSON.stringify(event);
        const response = await placeholder.http
          .post(WEBHOOK)
          .set('X-Forwarded-For', newIp())
          .set('Content-Type', 'application/json')
          .set('Stripe-Signature', ctx.fake.sign(payload, secret))
          .send(payload);
        expectDomainError(response, 500, 'Webhook verification not configured', 'webhook_misconfigured');
        expect(await processed(event.id as string)).toBe(0);
      } finally {
        await placeholder.close();
      }
    });
  });

  it('§3.0: 100 deliveries a minute per address, then 429', async () => {
    const ip = newIp();
    const answers = await Promise.all(
      Array.from({ length: 101 }, () =>
        raw('{}', { 'Content-Type': 'application/json', 'X-Forwarded-For': ip }),
      ),
    );
    expect(answers.filter((a) => a.status === 400)).toHaveLength(100);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(1);
  });
});
