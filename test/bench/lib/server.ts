/**
 * Shared by the benches of test/bench/: the built server as a child process (started on a free port,
 * healthy once `GET /health` = 200, stopped with SIGTERM then SIGKILL), a throwaway database on the
 * admin PostgreSQL server, and small helpers. Every wait is bounded; children still running when the
 * runner exits (or is interrupted) are sent SIGTERM.
 */
import { existsSync, readFileSync } from 'node:fs';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** BENCH_ADMIN_DATABASE_URL: the PostgreSQL server on which benches create their databases. */
export const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * BENCH_SERVER_NODE_ARGS: extra flags for the server's `node`, space-separated, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it (NODE_OPTIONS refuses --cpu-prof).
 */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** The flags `npm start` gives node (package.json's `start`), so that a bench runs the server as production does. */
const START_NODE_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));

export const POLL_INTERVAL_MS = 25;
const REQUEST_TIMEOUT_MS = 2_000;
/** A cold embedded start runs initdb; nothing should take longer than this to answer. */
const BOOT_TIMEOUT_MS = 90_000;
/** Runtime contract: clean exit within 10 s of SIGTERM. We wait a little longer before SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;
const DATABASE_CONNECT_TIMEOUT_MS = 5_000;
const DATABASE_QUERY_TIMEOUT_MS = 60_000;

/** 40 characters each; for benches only. */
const JWT_SECRET = 'bench-jwt-secret-not-for-production-0001';
const CHECK_IN_HMAC_KEY = 'bench-check-in-hmac-key-not-for-prod-001';
/** The secrets every process a bench starts is given (servers, CLI workers). */
export const BENCH_SECRETS = { JWT_SECRET, CHECK_IN_HMAC_KEY };

/**
 * An access token for `userId`, signed with the secret startServer gives the server, as the login
 * would issue it (type, jti, issuer); valid for `ttlS` seconds. Benches skip bcrypt logins this way.
 */
export function accessToken(userId: string, ttlS = 3_600): string {
  const now = Math.floor(Date.now() / 1_000);
  return jwt.sign(
    { sub: userId, type: 'access', jti: randomUUID(), iat: now, exp: now + ttlS, iss: 'emecano' },
    JWT_SECRET,
    { algorithm: 'HS256' },
  );
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** From just before the spawn to the first `GET /health` = 200. */
  healthyMs: number;
  exited: Promise<Exit>;
  /** The last few thousand characters of the server's stdout and stderr. */
  output(): string;
}

export interface Stopped extends Exit {
  /** Still running STOP_TIMEOUT_MS after SIGTERM, so SIGKILLed. */
  killed: boolean;
  /** From SIGTERM to exit. */
  ms: number;
}

/** Children started by startServer and not exited yet. */
export const live = new Set<ChildProcess>();

let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const stopChildren = () => {
    for (const child of live) child.kill('SIGTERM');
  };
  process.once('exit', stopChildren);
  process.once('SIGINT', () => {
    stopChildren();
    process.exit(130);
  });
}

/**
 * Spawns `node dist/src/main.js` with `npm start`'s flags on a free port with APP_ENV=development (JSON logs), the bench secrets and no
 * DATABASE_URL (so the embedded PostgreSQL) unless `env` says otherwise; the rest of the environment
 * is inherited. Resolves once `GET /health` = 200; otherwise stops the child and rejects with the
 * tail of its output.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  installCleanup();
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.DATABASE_URL;
  Object.assign(childEnv, {
    APP_ENV: 'development',
    // Production's JSON lines: pretty-printing would bill the pino-pretty thread to the service.
    LOG_FORMAT: 'json',
    JWT_SECRET,
    CHECK_IN_HMAC_KEY,
    ...env,
    PORT: String(port),
  });

  const started = performance.now();
  const child = spawn(process.execPath, [...START_NODE_FLAGS, ...SERVER_NODE_ARGS, MAIN], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const output = keepTail(child);
  const exited = new Promise<Exit>((resolveExit) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolveExit({ code, signal });
    }),
  );
  const server = { child, port, baseUrl: `http://127.0.0.1:${port}`, healthyMs: 0, exited, output };

  try {
    server.healthyMs = await waitHealthy(server.baseUrl, started, exited);
  } catch (error) {
    await stopServer(server);
    throw new Error(`${(error as Error).message}\n--- server output (tail) ---\n${output()}`);
  }
  return server;
}

/** Resolves with the ms from `started` to the first `GET /health` = 200; rejects if the child exits first. */
async function waitHealthy(baseUrl: string, started: number, exited: Promise<Exit>): Promise<number> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = started + BOOT_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (hasExited) throw new Error(`the server exited before answering /health (last: ${last})`);
    try {
      const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`no GET /health = 200 within ${BOOT_TIMEOUT_MS} ms (last: ${last})`);
}

/** SIGTERM, then SIGKILL if the process is still there after STOP_TIMEOUT_MS. */
export async function stopServer(server: Pick<RunningServer, 'child' | 'exited'>): Promise<Stopped> {
  const { child, exited } = server;
  const stopping = performance.now();
  if (child.exitCode !== null || child.signalCode !== null)
    return { ...(await exited), killed: false, ms: 0 };
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), STOP_TIMEOUT_MS);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...first, killed: false, ms: performance.now() - stopping };
  child.kill('SIGKILL');
  return { ...(await exited), killed: true, ms: performance.now() - stopping };
}

function keepTail(child: ChildProcess, maxChars = 8_000): () => string {
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-maxChars);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail;
}

/** A client on `connectionString` for the duration of `work`; connection and queries time out. */
export async function withDatabase<T>(
  connectionString: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({
    connectionString,
    connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    query_timeout: DATABASE_QUERY_TIMEOUT_MS,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A client on the admin server (ADMIN_URL). */
export function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  return withDatabase(ADMIN_URL, work);
}

export interface BenchDatabase {
  name: string;
  /** ADMIN_URL pointing at the new database. */
  url: string;
}

/** An empty database on the admin server, named after the bench, the process and the time. */
export async function createDatabase(bench: string): Promise<BenchDatabase> {
  const name = `emecano_bench_${bench}_${process.pid}_${Date.now()}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** What every load bench starts with: the built server, and a fresh database of its own. */
export async function createLoadBenchDatabase(bench: string): Promise<BenchDatabase> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  try {
    return await createDatabase(bench);
  } catch (error) {
    throw new Error(`cannot create a database on ${redact(ADMIN_URL)}: ${String(error)}`);
  }
}

/**
 * The server a load bench measures: no jobs, no Redis (in-memory limits), one trusted proxy so that
 * each request can bring its own client address and no per-client limit answers 429.
 */
function startLoadServer(database: BenchDatabase, env: Record<string, string>): Promise<RunningServer> {
  return startServer({
    DATABASE_URL: database.url,
    JOBS_ENABLED: 'false',
    REDIS_URL: '',
    TRUSTED_PROXY_COUNT: '1',
    ...env,
  });
}

/**
 * What a load bench runs in: a fresh database and the built server on it (startLoadServer), for
 * `work`. An error from `work` carries the tail of the server's output; whatever happens, the server
 * is stopped (its output shown if it did not stop cleanly) and the database dropped.
 */
export async function withLoadServer<T>(
  bench: string,
  env: Record<string, string>,
  work: (server: RunningServer, database: BenchDatabase) => Promise<T>,
): Promise<T> {
  const database = await createLoadBenchDatabase(bench);
  let server: RunningServer | undefined;
  try {
    server = await startLoadServer(database, env);
    try {
      return await work(server, database);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- server output (tail) ---\n${server.output()}`);
    }
  } finally {
    if (server) {
      const stopped = await stopServer(server);
      if (stopped.killed || stopped.code !== 0)
        console.error(`the server did not stop cleanly\n--- server output (tail) ---\n${server.output()}`);
    }
    await dropDatabase(database).catch((error: unknown) =>
      console.error(`could not drop ${database.name}: ${String(error)}`),
    );
  }
}

/** Drops it even if connections remain. */
export async function dropDatabase(database: BenchDatabase): Promise<void> {
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`));
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The URL with its password masked, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
