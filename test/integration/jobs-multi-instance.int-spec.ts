import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { createBookingParties, insertBookings } from '../support/booking-factories';
import { paymentIntentOn } from '../support/booking-payments';
import { bearer, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { jobFailures, type JobProcess, startJobProcess } from '../support/job-processes';
import { useStripeTestApp } from '../support/stripe-test-app';

const DUE = 1_000;
const OVERDUE = 1_000;
/** Pending bookings the client acts on while the jobs run: half accepted, half cancelled by the buyer. */
const CLIENT_ACTIONS = 100;
const INSTANCES = 3;
const CLIENT_CONCURRENCY = 10;
/** Mostly the boot of three processes from the TypeScript sources on a shared CI machine. */
const TIMEOUT_MS = 240_000;

interface Final {
  id: string;
  status: string;
  pi: string;
  transitions: string[];
}

/**
 * Issue 9 "done when": three application instances (separate Node processes, one database) run
 * `release_payment` and `check_pending_acceptances` at once over 2,000 due bookings while a client
 * accepts and cancels some of the pending ones. Every booking ends in exactly one state reached by
 * one transition, the fake Stripe saw exactly one capture or one cancel per booking that needed one,
 * and no job or request failed (I-2, I-3, I-4, I-5, I-14).
 */
describe('jobs on three instances at once (issue 9)', () => {
  // A Stripe round trip of a few ms, so that claims overlap across processes and lanes.
  const ctx = useStripeTestApp({ stripe: { latencyMs: 5 } });

  it(
    'I-4 / I-5 / I-14: 2,000 due bookings, 3 processes and a client → one state, one money call each, no failure',
    async () => {
      const { buyer, mechanic } = await createBookingParties(ctx.testApp.dataSource);
      const now = Date.now();
      const authorised = new Date(now - 4 * 3_600_000);
      const row = (status: BookingStatus, extra: Record<string, unknown>) => ({
        status,
        availability_id: null,
        payment_authorized_at: authorised,
        stripe_payment_intent_id: paymentIntentOn(ctx.fake, 4_000, 'requires_capture'),
        release_due_at: null,
        created_at: authorised,
        ...extra,
      });
      await insertBookings(ctx.testApp.dataSource, buyer.id, mechanic.profileId, [
        ...Array.from({ length: DUE }, () => row('validated', { release_due_at: new Date(now - 60_000) })),
        ...Array.from({ length: OVERDUE }, () => row('pending_acceptance', {})),
      ]);
      const pending: { id: string }[] = await ctx.testApp.dataSource.query(
        "SELECT id FROM bookings WHERE status = 'pending_acceptance' ORDER BY random() LIMIT $1",
        [CLIENT_ACTIONS],
      );

      const instances: JobProcess[] = Array.from({ length: INSTANCES }, () =>
        startJobProcess(['release_payment', 'check_pending_acceptances'], {
          DATABASE_URL: ctx.db.url,
          ...ctx.fake.env(),
        }),
      );
      // The client starts once the jobs have, so that its requests race them.
      await until(() => ctx.fake.requests.length > 0, instances);
      const answers = await clientActions(
        pending.map(({ id }, i) =>
          i % 2 === 0
            ? { path: `/bookings/${id}/accept`, token: mechanic.token }
            : { path: `/bookings/${id}/cancel`, token: forgeToken({ sub: buyer.id }) },
        ),
      );
      const exits = await Promise.all(instances.map((instance) => instance.exited));

      expect({ exits, failures: instances.flatMap((i) => jobFailures(i.output())) }).toEqual({
        exits: Array(INSTANCES).fill(0),
        failures: [],
      });
      expect(answers.filter((status) => status !== 200 && status !== 409)).toEqual([]);

      const finals: Final[] = await ctx.testApp.dataSource.query(
        `SELECT b.id, b.status, b.stripe_payment_intent_id AS pi,
              array_agg(t.from_status || '→' || t.to_status ORDER BY t.id) AS transitions
         FROM bookings b JOIN booking_transitions t ON t.booking_id = b.id
        GROUP BY b.id`,
      );
      const untouched = DUE + OVERDUE - finals.length;
      expect(untouched).toBe(0);
      const moneyCalls = new Map<string, string[]>();
      for (const call of ctx.fake.calls(/^POST \/v1\/payment_intents\/\w+\/(capture|cancel)$/)) {
        const [, , , pi, action] = call.path.split('/');
        moneyCalls.set(pi, [...(moneyCalls.get(pi) ?? []), action]);
      }
      const wrong = finals.filter(({ status, pi, transitions }) => {
        const expected = EXPECTED[status];
        return (
          !expected ||
          !expected.transitions.includes(transitions.join(' ')) ||
          (moneyCalls.get(pi) ?? []).join() !== expected.money
        );
      });
      expect(wrong.slice(0, 5).map((f) => ({ ...f, money: moneyCalls.get(f.pi) }))).toEqual([]);
      for (const { id } of finals) await ctx.assertMoneyConsistent(id);
    },
    TIMEOUT_MS,
  );

  /** `concurrency` requests at a time, each from its own address (rate limits are per address). */
  async function clientActions(requests: { path: string; token: string }[]): Promise<number[]> {
    const statuses: number[] = [];
    for (let start = 0; start < requests.length; start += CLIENT_CONCURRENCY) {
      const batch = requests.slice(start, start + CLIENT_CONCURRENCY);
      const answers = await Promise.all(
        batch.map(({ path, token }) =>
          ctx.testApp.http.patch(path).set('X-Forwarded-For', newIp()).set(bearer(token)),
        ),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    return statuses;
  }
});

/** Each final state, the one-step histories that may lead to it, and the money calls it takes. */
const EXPECTED: Record<string, { transitions: string[]; money: string }> = {
  completed: { transitions: ['validated→completed'], money: 'capture' },
  // Expired by a job or cancelled by the buyer: one release of the hold either way.
  cancelled: { transitions: ['pending_acceptance→cancelled'], money: 'cancel' },
  confirmed: { transitions: ['pending_acceptance→confirmed'], money: '' },
};

/** Polls `condition` every 50 ms; fails early if every instance has exited. */
async function until(condition: () => boolean, instances: JobProcess[]): Promise<void> {
  let exited = 0;
  for (const instance of instances) void instance.exited.then(() => exited++);
  while (!condition()) {
    if (exited === instances.length)
      throw new Error(
        `every instance exited first:\n${instances.map((i) => i.output().slice(-2_000)).join('\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
