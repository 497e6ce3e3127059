/**
 * Auth benchmark (autocannon against the built server): throughput and latency of
 *   (a) `POST /auth/login` with the right password (bcrypt cost 12),
 *   (b) `GET /auth/me` with a bearer token,
 *   (c) logins again while a second client sends `GET /health` on 1 connection over the same window;
 *       bcrypt must not block the event loop, so that `/health` p99 must stay under 20 ms,
 * each at 32 connections for 10 s, after a reference run of `GET /health` alone on 1 connection.
 * Every response must be 2xx: the limits are per client IP and endpoint (development: auth 30/min,
 * health 60/min), so the server trusts one proxy and every request carries its own X-Forwarded-For.
 * Run it with `npm run bench` or `node test/bench/run.js auth` (after `npm run build`). Prints a
 * Markdown table; returns false on any non-2xx, error or timeout, or on `/health` p99 ≥ 20 ms.
 *
 * Environment: BENCH_ADMIN_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres), the
 * server on which the bench creates (and drops) its database. Redis is not used (in-memory limits).
 */
import { cpus, loadavg } from 'node:os';
import bcrypt from 'bcrypt';
import { type BenchDatabase, sleep, withDatabase, withLoadServer } from './lib/server';
import {
  describeStatusCodes,
  load as loadRun,
  type LoadRequest,
  type LoadResult,
  nextClientIp,
} from './lib/load';

const CONNECTIONS = 32;
const DURATION_S = 10;
/** Per request (autocannon's timeout, in seconds): logins queue for seconds behind bcrypt. */
const REQUEST_TIMEOUT_S = 30;
const HEALTH_P99_LIMIT_MS = 20;
/** How long a login may wait behind those a load run left queued (32 × ~0.5 s of CPU on 2 cores). */
const SETTLE_TIMEOUT_MS = 60_000;
/** prom-client's default eventLoopMonitoringPrecision, which the app keeps. */
const EVENT_LOOP_RESOLUTION_MS = 10;
const BCRYPT_COST = 12;

const EMAIL = 'bench.buyer@bench.emecano.fr';
const PASSWORD = 'Bench-password-1';

interface Row {
  scenario: string;
  connections: number;
  result: LoadResult;
}

interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Measured {
  rows: Row[];
  healthDuringLogins: LoadResult;
  /** The server's event-loop delay over scenario (c). */
  delay: EventLoopDelay;
}

export async function run(): Promise<boolean> {
  const loadBefore = loadavg()[0];
  const measured = await withLoadServer('auth', { METRICS_API_KEY: '' }, (server, database) =>
    measure(server.baseUrl, database),
  );
  return printReport(measured, loadBefore);
}

async function measure(baseUrl: string, database: BenchDatabase): Promise<Measured> {
  // The migrations ran when the server started; the buyer is inserted as the registration would leave it once verified.
  const passwordHash = await bcrypt.hash(PASSWORD, BCRYPT_COST);
  await withDatabase(database.url, (client) =>
    client.query(
      `INSERT INTO users (email, password_hash, role, is_verified) VALUES ($1, $2, 'buyer', true)`,
      [EMAIL, passwordHash],
    ),
  );
  const token = await login(baseUrl);

  const loginRequest: LoadRequest = {
    method: 'POST',
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  };
  const meRequest: LoadRequest = {
    method: 'GET',
    path: '/auth/me',
    headers: { authorization: `Bearer ${token}` },
  };
  const healthRequest: LoadRequest = { method: 'GET', path: '/health' };

  const rows: Row[] = [];
  rows.push({
    scenario: '`GET /health` alone (reference)',
    connections: 1,
    result: await load(baseUrl, healthRequest, 1),
  });
  rows.push({
    scenario: '(a) `POST /auth/login`',
    connections: CONNECTIONS,
    result: await load(baseUrl, loginRequest, CONNECTIONS),
  });
  await settle(baseUrl);
  rows.push({
    scenario: '(b) `GET /auth/me`',
    connections: CONNECTIONS,
    result: await load(baseUrl, meRequest, CONNECTIONS),
  });
  await eventLoopDelay(baseUrl); // resets the server's event-loop delay histogram
  const [logins, health] = await Promise.all([
    load(baseUrl, loginRequest, CONNECTIONS),
    load(baseUrl, healthRequest, 1),
  ]);
  const delay = await eventLoopDelay(baseUrl);
  await settle(baseUrl);
  rows.push({ scenario: '(c) `POST /auth/login` …', connections: CONNECTIONS, result: logins });
  rows.push({ scenario: '(c) … with `GET /health` alongside', connections: 1, result: health });
  return { rows, healthDuringLogins: health, delay };
}

/**
 * When a load run ends, the server still holds the logins it had accepted, queued for bcrypt on
 * libuv's thread pool. One more login queues behind them all; once it is answered, the pool is
 * almost idle, and a second later it is.
 */
async function settle(baseUrl: string): Promise<void> {
  await login(baseUrl, SETTLE_TIMEOUT_MS);
  await sleep(1_000);
}

/**
 * The server's own event-loop delay since the previous call, from prom-client's default metrics: a
 * monitorEventLoopDelay histogram that each scrape of `/metrics` resets (the route is open in
 * development when METRICS_API_KEY is empty). Its samples are the intervals between timer ticks
 * meant to be EVENT_LOOP_RESOLUTION_MS apart; the delay is what exceeds that.
 */
async function eventLoopDelay(baseUrl: string): Promise<EventLoopDelay> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { 'x-forwarded-for': nextClientIp() },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text}`);
  const seconds = (name: string) => {
    const value = new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1];
    if (value === undefined) throw new Error(`GET /metrics has no ${name}`);
    return Math.max(0, Number(value) * 1_000 - EVENT_LOOP_RESOLUTION_MS);
  };
  return {
    p50Ms: seconds('nodejs_eventloop_lag_p50_seconds'),
    p99Ms: seconds('nodejs_eventloop_lag_p99_seconds'),
    maxMs: seconds('nodejs_eventloop_lag_max_seconds'),
  };
}

/** The access token of the bench buyer. */
async function login(baseUrl: string, timeoutMs = 10_000): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextClientIp() },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /auth/login answered ${response.status}: ${text}`);
  const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') throw new Error(`POST /auth/login returned no access_token: ${text}`);
  return token;
}

/** DURATION_S of `request` on `connections` connections, each request from a new client address. */
function load(baseUrl: string, request: LoadRequest, connections: number): Promise<LoadResult> {
  return loadRun(baseUrl, request, { connections, durationS: DURATION_S, timeoutS: REQUEST_TIMEOUT_S });
}

/** Prints the table; true when every response was 2xx and `/health` p99 stayed under the limit. */
function printReport({ rows, healthDuringLogins, delay }: Measured, loadBefore: number): boolean {
  const number = (value: number) => Math.round(value).toLocaleString('en-US');
  const cpu = cpus();
  console.log(
    `## Auth: autocannon, ${DURATION_S} s per scenario, every request from its own X-Forwarded-For ` +
      `(latencies in whole milliseconds)\n`,
  );
  console.log(
    `node ${process.version}, ${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '(default 4)'}, bcrypt cost ${BCRYPT_COST}, ` +
      `client and server on the same machine, ` +
      `1-min load average before the bench ${loadBefore.toFixed(2)}\n`,
  );
  console.log('| Scenario | Connections | req/s | p50 (ms) | p99 (ms) | max (ms) | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const { scenario, connections, result } of rows) {
    const { requests, latency } = result;
    console.log(
      `| ${scenario} | ${connections} | ${requests.average.toFixed(1)} | ${number(latency.p50)} | ` +
        `${number(latency.p99)} | ${number(latency.max)} | ${number(result.non2xx)} |`,
    );
  }
  console.log('');

  let ok = true;
  for (const { scenario, result } of rows) {
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      ok = false;
      console.log(
        `${scenario}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts ` +
          `(status codes: ${describeStatusCodes(result)})`,
      );
    }
  }
  const health = healthDuringLogins.latency;
  const met = health.p99 < HEALTH_P99_LIMIT_MS;
  if (!met) ok = false;
  console.log(
    `\`GET /health\` while logins run: p50 ${number(health.p50)} ms, p99 ${number(health.p99)} ms, ` +
      `max ${number(health.max)} ms. Target p99 < ${HEALTH_P99_LIMIT_MS} ms: ${met ? 'met' : 'MISSED'}.`,
  );
  console.log(
    `The server's event-loop delay over (c), from its \`/metrics\`: p50 ${delay.p50Ms.toFixed(1)} ms, ` +
      `p99 ${delay.p99Ms.toFixed(1)} ms, max ${delay.maxMs.toFixed(1)} ms.`,
  );
  return ok;
}
