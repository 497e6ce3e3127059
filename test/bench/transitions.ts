/**
 * Transitions benchmark (issue 7): booking cycles create → accept → cancel over HTTP against the
 * built server, which talks to the fake Stripe (test/support/fake-stripe, in this process), side by
 * side with `pgbench` running the cancel's SQL transaction shape on the same database in the same run.
 *
 * Three phases at 32 connections, each measured on its own with autocannon over a prepared list, so
 * that each endpoint gets its own throughput and latencies and every request is one the contract
 * answers with a 2xx (an interleaved mix would only give a blend, and a cancel could overtake its
 * own create):
 *   1. `POST /bookings`: CYCLES bookings, each on its own free slot (slots interleaved over the
 *      mechanics, so that concurrent requests never share a mechanic's buffer), buyers in turn;
 *   2. the buyer authorises the card: each PaymentIntent is confirmed on the fake Stripe and
 *      `payment_authorized_at` recorded as the `payment_intent.amount_capturable_updated` webhook
 *      does (one SQL statement; not measured);
 *   3. `PATCH /bookings/{id}/accept` by each booking's mechanic;
 *   4. `PATCH /bookings/{id}/cancel` by each buyer, 2 to 5 days ahead: the 100 % band, so the
 *      PaymentIntent is read and cancelled on the fake Stripe (key `cancel_{id}`), the slot released
 *      and the mechanic notified.
 * A warm-up of WARM_UP_CYCLES full cycles on other slots comes first and is not reported. After the
 * phases, every booking must be `cancelled` with 3 transition rows and its PaymentIntent `canceled`.
 *
 * Then pgbench, 32 clients for as long as the cancel phase took (at least 5 s), runs the transaction
 * every transition shares — `SELECT … FOR UPDATE` of the booking, `UPDATE bookings SET status …`,
 * `INSERT INTO booking_transitions` — over the bookings just cancelled, in the extended protocol
 * (parameters sent with each statement, as node-postgres sends them). That is the ceiling; the
 * ratio is cancel req/s ÷ pgbench tps. A second pgbench run, as long, sends the cancel's own statements
 * (as captured from the server, in their order) without the server: the most a cancel could reach.
 *
 * Targets (issue 7): the cancel endpoint at ≥ 35 % of the pgbench ceiling, its p99 < 50 ms. Returns
 * false on a contract violation (any non-2xx, error or timeout, or a wrong end state); a missed target
 * is reported, not failed. While each phase runs, pg_stat_activity is sampled every 100 ms, and the
 * server's warning and error log lines are counted; the whole machine's busy CPU and TCP segments
 * sent are read before and after each phase and pgbench, and reported per request (transaction).
 *
 * Run it with `npm run bench` or `node test/bench/run.js transitions` (after `npm run build`).
 * Environment: BENCH_ADMIN_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
 * BENCH_TRANSITIONS_CYCLES (default 3000), PGBENCH (default `pgbench`). Redis is not used.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { insertJob } from 'pg-boss/src/plans';
import { type Client } from 'pg';
import { NOTIFICATIONS } from '../../src/notifications/domain/notification-catalogue';
import { PUSH_QUEUE, type PushJob } from '../../src/notifications/push/push-delivery';
import { FakeStripe } from '../support/fake-stripe/fake-stripe';
import { machineBusySeconds, tcpSegmentsSent } from './lib/cpu';
import { describeStatusCodes, load, type LoadRequest, type LoadResult } from './lib/load';
import { pgbench, type PgbenchResult } from './lib/pgbench';
import {
  accessToken,
  type BenchDatabase,
  type RunningServer,
  withDatabase,
  withLoadServer,
} from './lib/server';

const CONNECTIONS = 32;
const CYCLES = Number(process.env.BENCH_TRANSITIONS_CYCLES ?? 3_000);
const WARM_UP_CYCLES = 320;
const BUYERS = 1_000;
/** 4 days (2 to 5 days ahead: the 100 % band, within the 6-day limit) × 6 one-hour slots, 1 h apart. */
const DAYS_AHEAD = [2, 5] as const;
const SLOT_HOURS = [8, 18, 2] as const; // from, to, step
const SLOTS_PER_MECHANIC = (DAYS_AHEAD[1] - DAYS_AHEAD[0] + 1) * 6;
const REQUEST_TIMEOUT_S = 10;
/** A phase of CYCLES requests that lasts longer than this has failed. */
const PHASE_DEADLINE_S = 300;
const PGBENCH_MIN_S = 5;
const PGBENCH_THREADS = 2;
const RATIO_TARGET = 0.35;
const P99_TARGET_MS = 50;
const TIME_ZONE = 'Europe/Paris';
const ACTIVITY_SAMPLE_MS = 100;

/** Toulouse, as the acceptance fixtures: the meeting point is 0.8 km from every mechanic. */
const MECHANIC_AT = { lat: 43.6047, lng: 1.4442 };
const MEETING_AT = { lat: 43.61, lng: 1.45 };

interface Slot {
  slotId: string;
  mechanicProfileId: string;
  mechanicUserId: string;
}

interface Seeded {
  buyers: string[];
  slots: Slot[];
}

interface Booking {
  id: string;
  buyerId: string;
  mechanicUserId: string;
  paymentIntentId: string;
}

/** pg_stat_activity of the bench database, sampled while a phase runs: backends per state. */
interface Activity {
  samples: number;
  /** Mean number of backends running a statement. */
  active: number;
  /** Mean number waiting on a heavyweight lock (row or transaction locks). */
  lockWaits: number;
  /** Mean number waiting on an LWLock or I/O (WAL, buffers). */
  ioWaits: number;
  /** Mean number idle inside a transaction: waiting for the server (or Stripe) between statements. */
  idleInTransaction: number;
  /** CPU seconds the whole machine was busy: client, fake Stripe, server, PostgreSQL (or pgbench). */
  machineCpuS: number;
  /** TCP segments sent on the whole machine: the messages between its processes, and their acks. */
  tcpSegments: number;
}

interface Phase {
  name: string;
  result: LoadResult;
  activity: Activity;
  /** The first few non-2xx answers, for the message. */
  rejected: string[];
  /** Requests beyond the prepared list (autocannon sent more than asked): a bench bug. */
  overflow: number;
  /** Answers per second, from the start of the run to its last answer (autocannon's own duration is rounded up to whole seconds). */
  throughput: number;
}

/** A pgbench script's run, and what the machine spent meanwhile. */
interface PgbenchRun {
  result: PgbenchResult;
  activity: Activity;
}

interface Measured {
  phases: Phase[];
  /** None when the warm-up failed. */
  pgbenchResults?: {
    /** The transaction every transition shares: the target's ceiling. */
    ceiling: PgbenchRun;
    /** The cancel's own statements, sent by pgbench. */
    cancelStatements: PgbenchRun;
  };
  endState: string[];
  seedMs: number;
  logLines: { total: number; warn: number; error: number; samples: string[] };
}

export async function run(): Promise<boolean> {
  const loadBefore = loadavg()[0];
  const fake = await new FakeStripe().start();
  try {
    const measured = await withLoadServer(
      'transitions',
      { APP_TIMEZONE: TIME_ZONE, ...fake.env() },
      (server, database) => measure(server.baseUrl, database, fake, countLogLines(server)),
    );
    return printReport(measured, loadBefore);
  } finally {
    await fake.stop();
  }
}

async function measure(
  baseUrl: string,
  database: BenchDatabase,
  fake: FakeStripe,
  logLines: Measured['logLines'],
): Promise<Measured> {
  const seedStarted = Date.now();
  const { buyers, slots } = await seed(database.url, WARM_UP_CYCLES + CYCLES);
  const seedMs = Date.now() - seedStarted;
  const tokens = new Map<string, string>();
  const token = (userId: string) => {
    let value = tokens.get(userId);
    if (!value) tokens.set(userId, (value = accessToken(userId)));
    return value;
  };

  const warmUp = await cycles(baseUrl, database.url, fake, token, buyers, slots.slice(0, WARM_UP_CYCLES));
  const warmUpProblems = await checkEndState(database.url, fake, warmUp.bookings);
  if (warmUp.phases.some(violated) || warmUpProblems.length > 0)
    return { phases: warmUp.phases, endState: warmUpProblems, seedMs, logLines };
  logLines.total = logLines.warn = logLines.error = 0;
  logLines.samples.length = 0;

  const measured = await cycles(baseUrl, database.url, fake, token, buyers, slots.slice(WARM_UP_CYCLES));
  const endState = await checkEndState(database.url, fake, measured.bookings);
  const cancel = measured.phases[measured.phases.length - 1];
  const durationS = Math.max(PGBENCH_MIN_S, Math.round(cancel.result.requests.total / cancel.throughput));
  await indexBookings(database.url, measured.bookings);
  // Each run starts from vacuumed tables, so that the second does not pay for the first's dead rows.
  const runScript = async (script: string) => {
    await withDatabase(database.url, (client) => client.query(`VACUUM ANALYZE ${PGBENCH_TABLES}`));
    return sampling(database.url, () =>
      pgbench({ url: database.url, script, clients: CONNECTIONS, threads: PGBENCH_THREADS, durationS }),
    );
  };
  const ceiling = await runScript(ceilingScript(measured.bookings.length));
  const cancelStatementsSince = await withDatabase(
    database.url,
    async (client) => (await client.query<{ now: Date }>('SELECT now()')).rows[0].now,
  );
  const cancelStatements = await runScript(cancelStatementsScript(measured.bookings.length));
  endState.push(
    ...(await checkCancelStatementsWrote(
      database.url,
      cancelStatementsSince,
      cancelStatements.result.transactions,
    )),
  );
  const pgbenchResults = { ceiling, cancelStatements };
  return { phases: measured.phases, pgbenchResults, endState, seedMs, logLines };
}

/**
 * BUYERS verified buyers; enough verified, active mechanics in Toulouse (50 km radius, a Connect
 * account each) for `count` slots at SLOTS_PER_MECHANIC each; their free one-hour slots 2 to 5 days
 * ahead on the APP_TIMEZONE calendar. Set-based SQL, then VACUUM ANALYZE. The slots come back
 * ordered by time, then mechanic: consecutive requests book different mechanics.
 */
async function seed(url: string, count: number): Promise<Seeded> {
  const mechanics = Math.ceil(count / SLOTS_PER_MECHANIC);
  return withDatabase(url, async (client) => {
    const buyers = await client.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, role, is_verified)
       SELECT format('bench.buyer.%s@bench.emecano.fr', n), 'not-a-bcrypt-hash', 'buyer', true
         FROM generate_series(1, $1::int) n
       RETURNING id`,
      [BUYERS],
    );
    await client.query(
      `WITH new_users AS (
         INSERT INTO users (email, password_hash, role, is_verified)
         SELECT format('bench.mechanic.%s@bench.emecano.fr', n), 'not-a-bcrypt-hash', 'mechanic', true
           FROM generate_series(1, $1::int) n
         RETURNING id
       )
       INSERT INTO mechanic_profiles (user_id, city, city_lat, city_lng, max_radius_km, free_zone_km,
              accepted_vehicle_types, is_identity_verified, is_active, stripe_account_id)
       SELECT id, 'Toulouse', $2, $3, 50, 10, '["car", "motorcycle"]'::jsonb, true, true,
              'acct_bench' || substr(md5(id::text), 1, 16)
         FROM new_users`,
      [mechanics, MECHANIC_AT.lat, MECHANIC_AT.lng],
    );
    await client.query(
      `INSERT INTO availabilities (mechanic_id, date, start_time, end_time)
       SELECT m.id, (now() AT TIME ZONE $1)::date + d, make_time(h, 0, 0), make_time(h + 1, 0, 0)
         FROM mechanic_profiles m
        CROSS JOIN generate_series($2::int, $3::int) d
        CROSS JOIN generate_series($4::int, $5::int, $6::int) h`,
      [TIME_ZONE, DAYS_AHEAD[0], DAYS_AHEAD[1], ...SLOT_HOURS],
    );
    await client.query('VACUUM ANALYZE users, mechanic_profiles, availabilities');
    const slots = await client.query<{ slot_id: string; profile_id: string; user_id: string }>(
      `SELECT a.id AS slot_id, m.id AS profile_id, m.user_id
         FROM availabilities a JOIN mechanic_profiles m ON m.id = a.mechanic_id
        ORDER BY a.date, a.start_time, m.id
        LIMIT $1`,
      [count],
    );
    if (slots.rows.length < count) throw new Error(`seeded ${slots.rows.length} slots, ${count} needed`);
    return {
      buyers: buyers.rows.map((row) => row.id),
      slots: slots.rows.map((row) => ({
        slotId: row.slot_id,
        mechanicProfileId: row.profile_id,
        mechanicUserId: row.user_id,
      })),
    };
  });
}

/** One booking per slot through the three phases; the bookings made, whatever the answers were. */
async function cycles(
  baseUrl: string,
  url: string,
  fake: FakeStripe,
  token: (userId: string) => string,
  buyers: string[],
  slots: Slot[],
): Promise<{ phases: Phase[]; bookings: Booking[] }> {
  const phases: Phase[] = [];
  phases.push(
    await phase(
      url,
      baseUrl,
      '`POST /bookings`',
      'POST',
      slots.map((slot, i) => {
        const buyerId = buyers[i % buyers.length];
        return {
          path: '/bookings',
          token: token(buyerId),
          body: JSON.stringify({
            mechanic_id: slot.mechanicProfileId,
            availability_id: slot.slotId,
            vehicle_type: 'car',
            vehicle_brand: 'Peugeot',
            vehicle_model: '308',
            vehicle_year: 2019,
            vehicle_plate: 'AB-123-CD',
            meeting_address: '2 rue Alsace-Lorraine, Toulouse',
            meeting_lat: MEETING_AT.lat,
            meeting_lng: MEETING_AT.lng,
          }),
        };
      }),
    ),
  );
  const bookings = await authorise(
    url,
    fake,
    slots.map((slot) => slot.slotId),
  );
  phases.push(
    await phase(
      url,
      baseUrl,
      '`PATCH /bookings/{id}/accept`',
      'PATCH',
      bookings.map((b) => ({ path: `/bookings/${b.id}/accept`, token: token(b.mechanicUserId) })),
    ),
  );
  phases.push(
    await phase(
      url,
      baseUrl,
      '`PATCH /bookings/{id}/cancel`',
      'PATCH',
      bookings.map((b) => ({ path: `/bookings/${b.id}/cancel`, token: token(b.buyerId) })),
    ),
  );
  return { phases, bookings };
}

/**
 * The buyer's app confirms each new booking's PaymentIntent with its client secret, and Stripe's
 * `payment_intent.amount_capturable_updated` makes the webhook handler record the authorisation:
 * done here directly on the fake and with the handler's statement, for all bookings of `slotIds`.
 */
async function authorise(url: string, fake: FakeStripe, slotIds: string[]): Promise<Booking[]> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{
      id: string;
      buyer_id: string;
      user_id: string;
      stripe_payment_intent_id: string;
    }>(
      `SELECT b.id, b.buyer_id, m.user_id, b.stripe_payment_intent_id
         FROM bookings b JOIN mechanic_profiles m ON m.id = b.mechanic_id
        WHERE b.availability_id = ANY($1::uuid[]) AND b.status = 'pending_acceptance'
        ORDER BY b.created_at`,
      [slotIds],
    );
    for (const row of rows) {
      const reply = fake.objects.confirmPaymentIntent(row.stripe_payment_intent_id, {
        payment_method: 'pm_card_visa',
      });
      if (reply.status !== 200)
        throw new Error(
          `the fake refused to confirm ${row.stripe_payment_intent_id}: ${JSON.stringify(reply.body)}`,
        );
    }
    await client.query(
      'UPDATE bookings SET payment_authorized_at = now() WHERE id = ANY($1::uuid[]) AND payment_authorized_at IS NULL',
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => ({
      id: row.id,
      buyerId: row.buyer_id,
      mechanicUserId: row.user_id,
      paymentIntentId: row.stripe_payment_intent_id,
    }));
  });
}

/** Exactly `requests.length` requests at CONNECTIONS connections, each one of the list once. */
async function phase(
  url: string,
  baseUrl: string,
  name: string,
  method: LoadRequest['method'],
  requests: { path: string; token: string; body?: string }[],
): Promise<Phase> {
  const rejected: string[] = [];
  let next = 0;
  let overflow = 0;
  const request: LoadRequest = {
    method,
    path: requests[0]?.path ?? '/',
    headers: { 'content-type': 'application/json' },
    setupRequest: (built) => {
      if (next >= requests.length) overflow++;
      const { path, token, body } = requests[next++ % requests.length];
      return {
        ...built,
        path,
        ...(body === undefined ? {} : { body }),
        headers: { ...built.headers, authorization: `Bearer ${token}` },
      };
    },
    onResponse: (status, body) => {
      lastAnswer = performance.now();
      if ((status < 200 || status >= 300) && rejected.length < 3) rejected.push(`${status} ${body}`);
    },
  };
  let lastAnswer = 0;
  const started = performance.now();
  if (requests.length < CONNECTIONS) throw new Error(`${name}: only ${requests.length} requests prepared`);
  const { result, activity } = await sampling(url, () =>
    load(baseUrl, request, {
      connections: CONNECTIONS,
      amount: requests.length,
      durationS: PHASE_DEADLINE_S,
      timeoutS: REQUEST_TIMEOUT_S,
    }),
  );
  const throughput = (1_000 * result.requests.total) / Math.max(lastAnswer - started, 1);
  return { name, result, activity, rejected, overflow, throughput };
}

/** Every booking cancelled by its buyer at 100 %, with its three transitions, and its PaymentIntent canceled. */
async function checkEndState(url: string, fake: FakeStripe, bookings: Booking[]): Promise<string[]> {
  const problems: string[] = [];
  const ids = bookings.map((b) => b.id);
  await withDatabase(url, async (client) => {
    const states = await client.query<{ state: string; count: string }>(
      `SELECT concat_ws(' ', status, cancelled_by, refund_percentage) AS state, count(*)
         FROM bookings WHERE id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [ids],
    );
    const summary = states.rows.map((row) => `${row.state}: ${row.count}`).join(', ');
    if (states.rows.length !== 1 || states.rows[0].state !== 'cancelled buyer 100')
      problems.push(`bookings end as ${summary || 'nothing'} (all cancelled buyer 100 expected)`);
    const transitions = await client.query<{ count: string }>(
      'SELECT count(*) FROM booking_transitions WHERE booking_id = ANY($1::uuid[])',
      [ids],
    );
    if (Number(transitions.rows[0].count) !== 3 * ids.length)
      problems.push(
        `${transitions.rows[0].count} transition rows for ${ids.length} bookings (3 each expected)`,
      );
    const stillBooked = await client.query<{ count: string }>(
      `SELECT count(*) FROM availabilities a JOIN bookings b ON b.availability_id = a.id
        WHERE b.id = ANY($1::uuid[]) AND a.is_booked`,
      [ids],
    );
    if (Number(stillBooked.rows[0].count) !== 0)
      problems.push(`${stillBooked.rows[0].count} slots still booked after the cancels`);
  });
  const notCanceled = bookings.filter(
    (b) => fake.objects.paymentIntents.get(b.paymentIntentId)?.status !== 'canceled',
  ).length;
  if (notCanceled > 0) problems.push(`${notCanceled} PaymentIntents not canceled on the fake Stripe`);
  return problems;
}

/**
 * The bookings just cancelled, numbered 1..n in a side table that pgbench's scripts look them up in
 * (inside their statements, so that the lookup adds no round trip), with the ids a cancel reads.
 */
async function indexBookings(url: string, bookings: Booking[]): Promise<void> {
  await withDatabase(url, async (client: Client) => {
    await client.query(
      `CREATE TABLE bench_cycle_bookings (n int PRIMARY KEY, id uuid NOT NULL, buyer_id uuid NOT NULL,
         availability_id uuid NOT NULL, mechanic_id uuid NOT NULL, mechanic_user_id uuid NOT NULL)`,
    );
    await client.query(
      `INSERT INTO bench_cycle_bookings (n, id, buyer_id, availability_id, mechanic_id, mechanic_user_id)
       SELECT row_number() OVER (), b.id, b.buyer_id, b.availability_id, b.mechanic_id, m.user_id
         FROM bookings b JOIN mechanic_profiles m ON m.id = b.mechanic_id WHERE b.id = ANY($1::uuid[])`,
      [bookings.map((b) => b.id)],
    );
  });
}

/** The tables pgbench's scripts read or write. */
const PGBENCH_TABLES =
  'bench_cycle_bookings, bookings, booking_transitions, availabilities, notifications, users, ' +
  'blacklisted_tokens, dispute_cases, mechanic_profiles, pgboss.job, pgboss.queue';

/** The cancel's writes to the booking (status and cancellation columns), as the cancel sets them. */
const CANCEL_COLUMNS =
  `status = 'cancelled', cancelled_at = now(), cancelled_by = 'buyer', refund_percentage = 100, ` +
  `refund_amount = total_price, mechanic_lat = NULL, mechanic_lng = NULL, ` +
  `mechanic_location_updated_at = NULL, updated_at = now()`;

/**
 * The ceiling: the transaction every transition shares — the booking locked, its status and
 * cancellation columns written, its transition appended.
 */
function ceilingScript(bookingCount: number): string {
  const booking = '(SELECT id FROM bench_cycle_bookings WHERE n = :n)';
  return [
    `\\set n random(1, ${bookingCount})`,
    'BEGIN;',
    `SELECT * FROM bookings WHERE id = ${booking} FOR UPDATE;`,
    `UPDATE bookings SET ${CANCEL_COLUMNS} WHERE id = ${booking} AND status = 'cancelled';`,
    `INSERT INTO booking_transitions (booking_id, from_status, to_status, event, actor_role, actor_id, ` +
      `machine_version, at) SELECT id, 'cancelled', 'cancelled', 'cancel', 'buyer', buyer_id, 1, now() ` +
      `FROM bench_cycle_bookings WHERE n = :n;`,
    'END;',
    '',
  ].join('\n');
}

/**
 * What a cancel asks of the database, sent by a client that costs nothing: the statements the server
 * sends for `PATCH /bookings/{id}/cancel`, in their order, without the HTTP request, the JWT and the
 * two Stripe calls. Ids are bound from pgbench variables, which the guard's statement reads from the
 * side table and the notification's insert returns (`\gset`); texts and constants are literals
 * (`BEGIN` stands for TypeORM's `START TRANSACTION`). The push job is pg-boss's own insert,
 * into the push queue's dead-letter queue, which no worker takes; its fetch and completion (one each
 * per batch of pushes) are left out. The list was captured from a bench run (2026-11-25) by a
 * `BENCH_SERVER_NODE_ARGS="--require …"` hook logging node-postgres's `Client.prototype.query`;
 * capture it again when the cancel's statements change.
 */
function cancelStatementsScript(bookingCount: number): string {
  // The catalogue's notification, as NotificationService writes it: the row's data, then the push job's.
  const notification = NOTIFICATIONS.bookingCancelled({
    bookingId: BOOKING_ID_PLACEHOLDER,
    cancelledBy: 'buyer',
  });
  const data = jsonbObject(
    Object.fromEntries(
      Object.entries<string | null>({ type: notification.type, ...notification.data }).map(([key, value]) => [
        key,
        value === BOOKING_ID_PLACEHOLDER ? sql(':booking_id::text') : value,
      ]),
    ),
  );
  const job = jsonbObject({
    notificationId: sql(':notification_id::text'),
    userId: sql(':mechanic_user_id::text'),
    title: notification.title,
    body: notification.body,
    data,
  } satisfies Record<keyof PushJob, string | Sql>);
  return [
    `\\set n random(1, ${bookingCount})`,
    `\\set jti random(1, 1000000000)`,
    `SELECT EXISTS (SELECT 1 FROM blacklisted_tokens WHERE jti = :jti::text) AS token_revoked, ` +
      `u.*, c.id AS booking_id, c.buyer_id, c.availability_id, c.mechanic_id, c.mechanic_user_id ` +
      `FROM bench_cycle_bookings c LEFT JOIN users u ON u.id = c.buyer_id WHERE c.n = :n \\gset`,
    'BEGIN;',
    `SELECT * FROM bookings WHERE id = :booking_id AND set_config('lock_timeout', '3000ms', true) IS NOT NULL ` +
      `FOR UPDATE;`,
    `SELECT (SELECT (date + start_time) AT TIME ZONE '${TIME_ZONE}' FROM availabilities ` +
      `WHERE id = :availability_id) AS starts_at, ` +
      `(SELECT reason FROM dispute_cases WHERE booking_id = :booking_id) AS dispute_reason, ` +
      `(SELECT user_id FROM mechanic_profiles WHERE id = :mechanic_id) AS mechanic_user_id;`,
    `WITH moved AS (UPDATE bookings SET ${CANCEL_COLUMNS} WHERE id = :booking_id AND status = 'cancelled' ` +
      `RETURNING id) INSERT INTO booking_transitions (booking_id, from_status, to_status, event, actor_role, ` +
      `actor_id, machine_version, at) SELECT id, 'cancelled', 'cancelled', 'cancel', 'buyer', :buyer_id, 1, ` +
      `now() FROM moved RETURNING booking_id;`,
    'SELECT id FROM availabilities WHERE id = :availability_id FOR UPDATE;',
    `UPDATE availabilities SET is_booked = false WHERE id = :availability_id AND NOT EXISTS ` +
      `(SELECT 1 FROM bookings WHERE availability_id = :availability_id AND id <> :booking_id ` +
      `AND status <> 'cancelled');`,
    `INSERT INTO notifications (id, user_id, type, title, body, data, is_read, created_at) VALUES ` +
      `(DEFAULT, :mechanic_user_id, ${sqlLiteral(notification.type)}, ${sqlLiteral(notification.title)}, ` +
      `${sqlLiteral(notification.body)}, ${data.sql}, DEFAULT, DEFAULT) ` +
      `RETURNING id AS notification_id, is_read, created_at \\gset`,
    `${pushJobInsert(PUSH_DEAD_LETTER_QUEUE, job)};`,
    'END;',
    'SELECT expo_push_token FROM users WHERE id = :mechanic_user_id;',
    '',
  ].join('\n');
}

/** Stands for the booking's id in the catalogue's notification; the script binds the real one. */
const BOOKING_ID_PLACEHOLDER = 'the booking id';

/** The queue the cancel's statements put their push job in: it exists, and no worker takes it. */
const PUSH_DEAD_LETTER_QUEUE = `${PUSH_QUEUE}.dead`;

/** A text literal. pgbench would take a `:name` even inside one for a variable, so none may hold one. */
function sqlLiteral(value: string): string {
  if (/:[A-Za-z_]/.test(value)) throw new Error(`pgbench would read a variable in the text ${value}`);
  return `'${value.replace(/'/g, "''")}'`;
}

/** An SQL expression (a pgbench variable, a nested object), where other values are text. */
interface Sql {
  sql: string;
}

const sql = (text: string): Sql => ({ sql: text });

function jsonbObject(fields: Record<string, string | null | Sql>): Sql {
  const value = (field: string | null | Sql) =>
    field === null ? 'NULL' : typeof field === 'string' ? sqlLiteral(field) : field.sql;
  const pairs = Object.entries(fields).map(([key, field]) => `${sqlLiteral(key)}, ${value(field)}`);
  return sql(`jsonb_build_object(${pairs.join(', ')})`);
}

/**
 * pg-boss's own insert of a job (what `send` runs) with its name and data filled in and its other
 * parameters NULL, so that the queue's settings apply (the server binds pg-boss's defaults, which
 * cost the same). Throws if pg-boss no longer takes the name and the data as its parameters 2 and 3.
 */
function pushJobInsert(queue: string, data: Sql): string {
  const text = insertJob('pgboss');
  if (!text.includes('$2 as name') || !text.includes('$3::jsonb as data'))
    throw new Error("pg-boss's job insert no longer takes the name and data as $2 and $3: update the bench");
  const values: Record<number, string> = { 2: sqlLiteral(queue), 3: data.sql };
  // Squashed before the values go in, so that the texts inside them stay as they are.
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\$(\d+)/g, (_, index: string) => values[Number(index)] ?? 'NULL');
}

/**
 * The cancel's statements must have written what a cancel writes: a notification and a push job per
 * transaction since `since`, the database's time (a client stopped between its COMMIT and its last
 * read wrote without being counted). The server writes neither meanwhile: its pushes of the phases
 * are delivered, and none fails into the dead-letter queue (the seeded users have no device).
 */
async function checkCancelStatementsWrote(url: string, since: Date, transactions: number): Promise<string[]> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ notifications: string; 'push jobs': string }>(
      `SELECT (SELECT count(*) FROM notifications WHERE created_at >= $1) AS notifications,
              (SELECT count(*) FROM pgboss.job WHERE name = $2 AND created_on >= $1) AS "push jobs"`,
      [since, PUSH_DEAD_LETTER_QUEUE],
    );
    const problems: string[] = [];
    for (const [what, count] of Object.entries(rows[0])) {
      const written = Number(count);
      if (written < transactions || written > transactions + CONNECTIONS)
        problems.push(`the cancel's statements wrote ${written} ${what} in ${transactions} transactions`);
    }
    return problems;
  });
}

/**
 * `work`, with pg_stat_activity of the bench database sampled every ACTIVITY_SAMPLE_MS meanwhile,
 * and what the whole machine spent on it: busy CPU and TCP segments.
 */
async function sampling<T>(url: string, work: () => Promise<T>): Promise<{ result: T; activity: Activity }> {
  return withDatabase(url, async (client) => {
    const totals = { samples: 0, active: 0, lockWaits: 0, ioWaits: 0, idleInTransaction: 0 };
    const busyBefore = machineBusySeconds();
    const segmentsBefore = tcpSegmentsSent();
    let running = true;
    const sampler = (async () => {
      while (running) {
        const { rows } = await client.query<{
          active: string;
          lock: string;
          io: string;
          idle_tx: string;
        }>(
          `SELECT count(*) FILTER (WHERE state = 'active') AS active,
                  count(*) FILTER (WHERE wait_event_type = 'Lock') AS lock,
                  count(*) FILTER (WHERE wait_event_type IN ('LWLock', 'IO')) AS io,
                  count(*) FILTER (WHERE state = 'idle in transaction') AS idle_tx
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        totals.samples++;
        totals.active += Number(rows[0].active);
        totals.lockWaits += Number(rows[0].lock);
        totals.ioWaits += Number(rows[0].io);
        totals.idleInTransaction += Number(rows[0].idle_tx);
        await new Promise((resolveSleep) => setTimeout(resolveSleep, ACTIVITY_SAMPLE_MS));
      }
    })();
    try {
      const result = await work();
      const machine = {
        machineCpuS: machineBusySeconds() - busyBefore,
        tcpSegments: tcpSegmentsSent() - segmentsBefore,
      };
      return { result, activity: { ...meanActivity(totals), ...machine } };
    } finally {
      running = false;
      await sampler;
    }
  });
}

function meanActivity(
  totals: Omit<Activity, 'machineCpuS' | 'tcpSegments'>,
): Omit<Activity, 'machineCpuS' | 'tcpSegments'> {
  const n = Math.max(totals.samples, 1);
  return {
    samples: totals.samples,
    active: totals.active / n,
    lockWaits: totals.lockWaits / n,
    ioWaits: totals.ioWaits / n,
    idleInTransaction: totals.idleInTransaction / n,
  };
}

/** Counts the server's log lines, and those at warn and error level and above; keeps a few of these. */
function countLogLines(server: RunningServer): Measured['logLines'] {
  const counts = { total: 0, warn: 0, error: 0, samples: [] as string[] };
  let partial = '';
  const scan = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      counts.total++;
      // The app writes the level's label ("warn"), pino's default is its number (40).
      const level = /"level":"?(\w+)/.exec(line)?.[1] ?? '';
      if (['error', 'fatal', '50', '60'].includes(level)) counts.error++;
      else if (['warn', '40'].includes(level)) counts.warn++;
      else continue;
      if (counts.samples.length < 3) counts.samples.push(line.slice(0, 400));
    }
  };
  server.child.stdout?.on('data', scan);
  server.child.stderr?.on('data', scan);
  return counts;
}

function violated(phase: Phase): boolean {
  const { result } = phase;
  return result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || phase.overflow > 0;
}

const number = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(1);
const percent = (value: number) => `${(100 * value).toFixed(1)} %`;

/** Prints the table, pgbench's lines, the ratios and the verdicts; false on a contract violation. */
function printReport(measured: Measured, loadBefore: number): boolean {
  const { phases, pgbenchResults, endState, seedMs, logLines } = measured;
  const pgbenchRuns = pgbenchResults
    ? [
        {
          name: `pgbench, the shared transaction (the ceiling), ${CONNECTIONS} clients`,
          run: pgbenchResults.ceiling,
        },
        {
          name: `pgbench, the cancel's own statements, ${CONNECTIONS} clients`,
          run: pgbenchResults.cancelStatements,
        },
      ]
    : [];
  const cpu = cpus();
  console.log(
    `## Transitions: ${number(CYCLES)} cycles create → accept → cancel, each phase at ${CONNECTIONS} ` +
      `connections (autocannon, after ${WARM_UP_CYCLES} warm-up cycles), fake Stripe; pgbench on the ` +
      `same database (latencies in ms)\n`,
  );
  console.log(
    `node ${process.version}, ${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `client, fake Stripe, server, PostgreSQL and pgbench on the same machine, ` +
      `1-min load average before the bench ${loadBefore.toFixed(2)}; seeding took ${number(seedMs)} ms\n`,
  );
  console.log(
    '| Endpoint | req/s | p50 | p99 | max | non-2xx | backends active / lock wait / idle in tx | ' +
      'machine CPU ms / TCP segments, per request |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---|---:|');
  for (const { name, result, activity, throughput } of phases) {
    console.log(
      `| ${name} | ${throughput.toFixed(1)} | ${ms(result.latency.p50)} | ${ms(result.latency.p99)} | ` +
        `${ms(result.latency.max)} | ${number(result.non2xx)} | ${describeActivity(activity)} | ` +
        `${describeCost(activity, result.requests.total)} |`,
    );
  }
  for (const { name, run } of pgbenchRuns) {
    const { result: pg, activity } = run;
    console.log(
      `| ${name} | ${pg.tps.toFixed(1)} tps | ${ms(pg.latency.p50)} | ${ms(pg.latency.p99)} | ` +
        `${ms(pg.latency.max)} | ${number(pg.failed)} failed | ${describeActivity(activity)} | ` +
        `${describeCost(activity, pg.transactions)} |`,
    );
  }
  console.log('');
  for (const { name, run } of pgbenchRuns) {
    const { result: pg } = run;
    console.log(
      `${name}: ${number(pg.transactions)} transactions, latency average ${pg.latency.average.toFixed(2)} ms; ` +
        `per statement (ms): ${pg.statements.map((s) => `${s.averageMs.toFixed(3)} ${s.statement.slice(0, 40)}`).join('; ')}`,
    );
  }
  console.log(
    `Server log lines during the measured cycles: ${logLines.total} ` +
      `(${(logLines.total / (3 * CYCLES)).toFixed(1)} per request), ${logLines.warn} warnings, ${logLines.error} errors` +
      (logLines.samples.length > 0 ? `, e.g.\n  ${logLines.samples.join('\n  ')}` : '.'),
  );

  let ok = true;
  for (const phase of phases) {
    if (!violated(phase)) continue;
    ok = false;
    const { result } = phase;
    console.log(
      `${phase.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ` +
        `${phase.overflow} requests beyond the prepared list (status codes: ${describeStatusCodes(result)})` +
        (phase.rejected.length > 0 ? `; e.g. ${phase.rejected.join(' | ')}` : ''),
    );
  }
  for (const problem of endState) {
    ok = false;
    console.log(`End state: ${problem}`);
  }
  for (const { name, run } of pgbenchRuns) {
    const { result: pg } = run;
    if (pg.failed === 0 && pg.transactions > 0) continue;
    ok = false;
    console.log(`${name}: ${pg.failed} failed of ${pg.transactions}\n${pg.output}`);
  }
  // Only when every check passed: both runs then have transactions, and the cancel phase requests.
  if (ok && pgbenchResults) printComparison(phases[phases.length - 1], pgbenchResults);
  return ok;
}

/** The cancel against both pgbench runs: costs, ratios and the targets' verdicts. */
function printComparison(
  cancelPhase: Phase,
  { ceiling, cancelStatements }: NonNullable<Measured['pgbenchResults']>,
): void {
  const { result: cancel, throughput: cancelThroughput, activity } = cancelPhase;
  const pg = ceiling.result;
  // Both runs keep the machine's cores busy, so their throughputs stand about as their costs do.
  const cpuPerCancel = activity.machineCpuS / cancel.requests.total;
  const cpuPerTransaction = ceiling.activity.machineCpuS / pg.transactions;
  console.log(
    `\nMachine CPU per cancel ÷ per pgbench transaction: ${(cpuPerCancel / cpuPerTransaction).toFixed(1)}×; ` +
      `TCP segments: ${(activity.tcpSegments / cancel.requests.total).toFixed(1)} per cancel, ` +
      `${(ceiling.activity.tcpSegments / pg.transactions).toFixed(1)} per transaction.`,
  );
  console.log(
    `The cancel's own statements, sent by pgbench: ${cancelStatements.result.tps.toFixed(1)} / ` +
      `${pg.tps.toFixed(1)} = ${percent(cancelStatements.result.tps / pg.tps)} of the ceiling: the most a ` +
      `cancel could reach if its HTTP request, JWT, Stripe calls and push delivery cost nothing.`,
  );
  const ratio = cancelThroughput / pg.tps;
  const ratioMet = ratio >= RATIO_TARGET;
  const p99Met = cancel.latency.p99 < P99_TARGET_MS;
  console.log(
    `\nCancel ÷ pgbench: ${cancelThroughput.toFixed(1)} / ${pg.tps.toFixed(1)} = ${percent(ratio)} ` +
      `(target ≥ ${100 * RATIO_TARGET} %: ${ratioMet ? 'met' : 'MISSED'}). Cancel p99 ${ms(cancel.latency.p99)} ms ` +
      `(target < ${P99_TARGET_MS} ms: ${p99Met ? 'met' : 'MISSED'}).`,
  );
}

function describeCost(activity: Activity, operations: number): string {
  const n = Math.max(operations, 1);
  return `${((1_000 * activity.machineCpuS) / n).toFixed(2)} / ${(activity.tcpSegments / n).toFixed(1)}`;
}

function describeActivity(activity: Activity): string {
  return (
    `${activity.active.toFixed(1)} / ${activity.lockWaits.toFixed(1)} / ` +
    `${activity.idleInTransaction.toFixed(1)} (LWLock+IO ${activity.ioWaits.toFixed(1)})`
  );
}
