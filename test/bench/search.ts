/**
 * Search benchmark (issue 5): `GET /mechanics` (identity §2.2-16) against the built server, at 16
 * connections for 10 s, with 20,000 and then 100,000 verified, active mechanics spread over
 * metropolitan France, each with 10 future free slots. Half of the mechanics are drawn uniformly in
 * the bounding box of metropolitan France, half around its large cities (normal spread of 20 km);
 * max_radius_km 10–50 and the vehicle types vary. Each request searches around one of those cities
 * (jittered by up to ±0.15°) with a realistic mix of radius, vehicle type and page, from its own
 * X-Forwarded-For (the server trusts one proxy), so the per-client limit never answers 429.
 * Seeding is set-based SQL (generate_series) on a database created and dropped by the bench. First,
 * `GET /health` on the same connections shows the floor of the machine and framework; then each
 * size gets a 3 s warm-up before the measured run, and the plan of the search SQL (the server's own
 * statement, from dist/) is printed with EXPLAIN (ANALYZE, BUFFERS) at each size.
 *
 * Targets (issue 5): p99 < 50 ms at 20,000 mechanics, and p99 at 100,000 no more than 2× that at
 * 20,000. Returns false on a contract violation (any non-2xx, error or timeout, or fewer than 80 %
 * non-empty answers: a benchmark of empty answers proves nothing); a missed target is reported, not
 * failed.
 *
 * The server's database pool is sized for the host, as an operator would size it: two connections
 * per core. The search statement is all CPU and PostgreSQL shares the cores with the server and the
 * load generator; with the default pool of 15, up to 15 backends run at once on 2 cores, and the
 * kernel's scheduler rather than the pool's first-come queue decides which search waits.
 *
 * Run it with `npm run bench` or `node test/bench/run.js search` (after `npm run build`).
 * Environment: BENCH_ADMIN_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
 * BENCH_SEARCH_POOL (the server's pool, in connections; default two per core). Redis is not used
 * (in-memory limits).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as SearchSql from '../../src/mechanics/queries/search-mechanics/search-mechanics.sql';
import type * as WallClock from '../../src/common/clock/wall-clock';
import { describeStatusCodes, load, type LoadOptions, type LoadRequest, type LoadResult } from './lib/load';
import { ROOT, type RunningServer, withDatabase, withLoadServer } from './lib/server';

const SIZES = [20_000, 100_000] as const;
const SLOTS_PER_MECHANIC = 10;
const CONNECTIONS = 16;
const DURATION_S = 10;
const WARM_UP_S = 3;
const REQUEST_TIMEOUT_S = 10;
const P99_TARGET_MS = 50;
/** p99 at SIZES[1] over p99 at SIZES[0]. */
const SCALING_LIMIT = 2;
const MIN_NON_EMPTY_SHARE = 0.8;
const TIME_ZONE = 'Europe/Paris';
const POOL_CONNECTIONS = Number(process.env.BENCH_SEARCH_POOL ?? 2 * cpus().length);

/** Metropolitan France (Corsica included). */
const FRANCE = { latMin: 41.4, latMax: 51.1, lngMin: -4.8, lngMax: 9.6 };
/** Share of the mechanics drawn uniformly in FRANCE; the rest are spread around CITIES. */
const UNIFORM_SHARE = 0.5;
const CITY_SPREAD_KM = 20;
/** Requests search this far (in degrees, either way) around a city. */
const QUERY_JITTER_DEG = 0.15;

const CITIES: readonly { name: string; lat: number; lng: number }[] = [
  { name: 'Paris', lat: 48.8566, lng: 2.3522 },
  { name: 'Marseille', lat: 43.2965, lng: 5.3698 },
  { name: 'Lyon', lat: 45.764, lng: 4.8357 },
  { name: 'Toulouse', lat: 43.6047, lng: 1.4442 },
  { name: 'Nice', lat: 43.7102, lng: 7.262 },
  { name: 'Nantes', lat: 47.2184, lng: -1.5536 },
  { name: 'Montpellier', lat: 43.6108, lng: 3.8767 },
  { name: 'Strasbourg', lat: 48.5734, lng: 7.7521 },
  { name: 'Bordeaux', lat: 44.8378, lng: -0.5792 },
  { name: 'Lille', lat: 50.6292, lng: 3.0573 },
  { name: 'Rennes', lat: 48.1173, lng: -1.6778 },
  { name: 'Reims', lat: 49.2583, lng: 4.0317 },
  { name: 'Toulon', lat: 43.1242, lng: 5.928 },
  { name: 'Grenoble', lat: 45.1885, lng: 5.7245 },
  { name: 'Dijon', lat: 47.322, lng: 5.0415 },
  { name: 'Angers', lat: 47.4784, lng: -0.5632 },
  { name: 'Clermont-Ferrand', lat: 45.7772, lng: 3.087 },
  { name: 'Le Mans', lat: 48.0061, lng: 0.1996 },
  { name: 'Brest', lat: 48.3904, lng: -4.4861 },
  { name: 'Tours', lat: 47.3941, lng: 0.6848 },
  { name: 'Limoges', lat: 45.8336, lng: 1.2611 },
  { name: 'Amiens', lat: 49.8941, lng: 2.2958 },
  { name: 'Perpignan', lat: 42.6887, lng: 2.8948 },
  { name: 'Metz', lat: 49.1193, lng: 6.1757 },
  { name: 'Besançon', lat: 47.2378, lng: 6.0241 },
  { name: 'Orléans', lat: 47.9029, lng: 1.9093 },
  { name: 'Rouen', lat: 49.4432, lng: 1.0999 },
  { name: 'Caen', lat: 49.1829, lng: -0.3707 },
  { name: 'Pau', lat: 43.2951, lng: -0.3708 },
  { name: 'Ajaccio', lat: 41.9192, lng: 8.7386 },
];

/** Every request: a city, jittered; a radius, vehicle type and page as a buyer's app would send. */
function searchPath(random: () => number): string {
  const city = CITIES[Math.floor(random() * CITIES.length)];
  const jitter = () => (random() * 2 - 1) * QUERY_JITTER_DEG;
  const query = new URLSearchParams({
    lat: (city.lat + jitter()).toFixed(4),
    lng: (city.lng + jitter()).toFixed(4),
  });
  const radius = random();
  if (radius < 0.1) query.set('radius_km', '20');
  else if (radius < 0.3) query.set('radius_km', '30');
  else if (radius >= 0.9) query.set('radius_km', '100'); // otherwise the default, 50
  const vehicle = random();
  if (vehicle < 0.1) query.set('vehicle_type', 'utility');
  else if (vehicle < 0.15) query.set('vehicle_type', 'motorcycle');
  else if (vehicle < 0.3) query.set('vehicle_type', 'car'); // otherwise the default, car
  if (random() < 0.2) {
    query.set('limit', '20');
    query.set('offset', '20'); // the second page of a 20-per-page list; otherwise the first 50
  }
  return `/mechanics?${query.toString()}`;
}

/** mulberry32: the same request mix on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Answers {
  total: number;
  empty: number;
  items: number;
}

/** CPU time per answered request, in ms, during a measured run. */
interface CpuPerRequest {
  server: number;
  postgres: number;
}

interface Row {
  size: number;
  result: LoadResult;
  answers: Answers;
  cpu: CpuPerRequest;
  seedMs: number;
}

export async function run(): Promise<boolean> {
  const loadBefore = loadavg()[0];
  const { reference, rows, plans } = await withLoadServer(
    'search',
    // DB_MAX_OVERFLOW is at least 1 (runtime contract): the pool is DB_POOL_SIZE + 1.
    { APP_TIMEZONE: TIME_ZONE, DB_POOL_SIZE: String(POOL_CONNECTIONS - 1), DB_MAX_OVERFLOW: '1' },
    (server, database) => measure(server, database.url),
  );
  return printReport(reference, rows, plans, loadBefore);
}

/** `GET /health` for reference, then each size: seeded, warmed up, measured and its plan explained. */
async function measure(server: RunningServer, url: string) {
  const pid = server.child.pid!;
  const healthBefore = await cpuSnapshot(url, pid);
  const health = await load(server.baseUrl, { method: 'GET', path: '/health' }, loadOptions(DURATION_S));
  const reference = { result: health, cpu: cpuPerRequest(healthBefore, await cpuSnapshot(url, pid), health) };
  const rows: Row[] = [];
  const plans: string[] = [];
  let seeded = 0;
  for (const size of SIZES) {
    const started = performance.now();
    await seed(url, seeded + 1, size);
    seeded = size;
    const seedMs = performance.now() - started;
    await searchLoad(server.baseUrl, WARM_UP_S, seededRandom(size + 1));
    const before = await cpuSnapshot(url, pid);
    const { result, answers } = await searchLoad(server.baseUrl, DURATION_S, seededRandom(size));
    const cpu = cpuPerRequest(before, await cpuSnapshot(url, pid), result);
    rows.push({ size, result, answers, cpu, seedMs });
    plans.push(await explain(url, size));
  }
  return { reference, rows, plans };
}

/**
 * Mechanics number `from`..`to` (users, profiles, then 10 free slots each on distinct days from
 * tomorrow on, in APP_TIMEZONE), then VACUUM ANALYZE so the planner and the visibility map are
 * current, as they would be on a live database. The random draws are seeded, so every run seeds
 * the same data.
 */
async function seed(url: string, from: number, to: number): Promise<void> {
  await withDatabase(url, async (client) => {
    await client.query('SELECT setseed($1)', [from / 1_000_000]);
    await client.query(
      `WITH new_users AS (
         INSERT INTO users (email, password_hash, role, is_verified)
         SELECT format('bench.mechanic.%s@bench.emecano.fr', n), 'not-a-bcrypt-hash', 'mechanic', true
           FROM generate_series($1::int, $2::int) n
         RETURNING id
       ), drawn AS (
         SELECT id, random() < $3::float8 AS uniform, 1 + floor(random() * cardinality($4::text[]))::int AS city,
                random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS kind
           FROM new_users
       ), placed AS (
         SELECT d.*,
                CASE WHEN uniform THEN $7::float8 + u1 * ($8::float8 - $7::float8)
                     ELSE ($5::float8[])[city] + $11::float8 / 111.2 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2)
                END AS lat,
                CASE WHEN uniform THEN $9::float8 + u3 * ($10::float8 - $9::float8)
                     ELSE ($6::float8[])[city] + $11::float8 / (111.2 * cos(radians(($5::float8[])[city])))
                          * sqrt(-2 * ln(1 - u1)) * sin(2 * pi() * u2)
                END AS lng
           FROM drawn d
       )
       INSERT INTO mechanic_profiles (user_id, city, city_lat, city_lng, max_radius_km, free_zone_km,
              accepted_vehicle_types, rating_avg, total_reviews, has_obd_diagnostic, service_location,
              is_identity_verified, is_active)
       SELECT id, CASE WHEN uniform THEN 'Commune' ELSE ($4::text[])[city] END,
              round(least(greatest(lat, $7::float8), $8::float8)::numeric, 6), round(least(greatest(lng, $9::float8), $10::float8)::numeric, 6),
              10 + floor(u4 * 41)::int, floor(u4 * 11)::int,
              (CASE WHEN kind < 0.45 THEN '["car"]'
                    WHEN kind < 0.70 THEN '["car", "utility"]'
                    WHEN kind < 0.85 THEN '["car", "motorcycle"]'
                    WHEN kind < 0.93 THEN '["car", "motorcycle", "utility"]'
                    WHEN kind < 0.97 THEN '["motorcycle"]'
                    ELSE '["utility"]' END)::jsonb,
              round((3 + 2 * random())::numeric, 2), floor(random() * 120)::int, random() < 0.5,
              (ARRAY['mobile', 'garage', 'both'])[1 + floor(random() * 3)::int], true, true
         FROM placed`,
      [
        from,
        to,
        UNIFORM_SHARE,
        CITIES.map((c) => c.name),
        CITIES.map((c) => c.lat),
        CITIES.map((c) => c.lng),
        FRANCE.latMin,
        FRANCE.latMax,
        FRANCE.lngMin,
        FRANCE.lngMax,
        CITY_SPREAD_KM,
      ],
    );
    // Slot i (1..10) on day 2i-1 or 2i after today, one hour between 08:00 and 17:00: never overlapping.
    await client.query(
      `INSERT INTO availabilities (mechanic_id, date, start_time, end_time)
       SELECT id, (now() AT TIME ZONE $1)::date + 2 * i - 1 + skip, make_time(hour, 0, 0), make_time(hour + 1, 0, 0)
         FROM (SELECT m.id, i, (random() < 0.5)::int AS skip, 8 + floor(random() * 9)::int AS hour
                 FROM mechanic_profiles m CROSS JOIN generate_series(1, $2::int) i
                WHERE NOT EXISTS (SELECT FROM availabilities a WHERE a.mechanic_id = m.id)) s`,
      [TIME_ZONE, SLOTS_PER_MECHANIC],
    );
    await client.query('VACUUM ANALYZE users, mechanic_profiles, availabilities');
  });
}

/** A load run of varied searches; counts the empty answers and the items of the others. */
async function searchLoad(
  baseUrl: string,
  durationS: number,
  random: () => number,
): Promise<{ result: LoadResult; answers: Answers }> {
  const answers: Answers = { total: 0, empty: 0, items: 0 };
  const request: LoadRequest = {
    method: 'GET',
    path: '/mechanics',
    setupRequest: (built) => ({ ...built, path: searchPath(random) }),
    onResponse: (status, body) => {
      if (status !== 200) return;
      answers.total++;
      if (body === '[]') answers.empty++;
      else answers.items += countItems(body);
    },
  };
  const result = await load(baseUrl, request, loadOptions(durationS));
  return { result, answers };
}

/** Linux reports /proc/<pid>/stat times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const MS_PER_TICK = 10;

/** utime + stime of a process in ms; 0 once it is gone. */
function processCpuMs(pid: number): number {
  try {
    // The fields after the command name, which is in parentheses and may contain spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

interface CpuSnapshot {
  server: number;
  /** Per PostgreSQL backend connected to the bench database (the server's pool). */
  backends: Map<number, number>;
}

/**
 * The CPU the server and its PostgreSQL backends have used so far (PostgreSQL on this machine: the
 * bench reads the backends' /proc entries; the snapshot's own backend is left out).
 */
async function cpuSnapshot(url: string, serverPid: number): Promise<CpuSnapshot> {
  const pids = await withDatabase(url, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  });
  return { server: processCpuMs(serverPid), backends: new Map(pids.map((pid) => [pid, processCpuMs(pid)])) };
}

/** A backend that connected during the run counts from zero; one that left it is not counted. */
function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, result: LoadResult): CpuPerRequest {
  let postgres = 0;
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  const requests = Math.max(result.requests.total, 1);
  return { server: (after.server - before.server) / requests, postgres: postgres / requests };
}

function loadOptions(durationS: number): LoadOptions {
  return { connections: CONNECTIONS, durationS, timeoutS: REQUEST_TIMEOUT_S };
}

/** Items of a MechanicListItem array, without parsing it (the client shares the CPU with the server). */
function countItems(body: string): number {
  let count = 0;
  for (let at = body.indexOf('"user_id":'); at !== -1; at = body.indexOf('"user_id":', at + 1)) count++;
  return count;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the server's search statement for a typical request: Lyon, the
 * default radius (50 km), a car, the first page of 50; prepared and run under the server's planner
 * settings, so the plan shown is the generic plan the server runs.
 */
async function explain(url: string, size: number): Promise<string> {
  const dist = join(ROOT, 'dist', 'src');
  const { searchMechanicsSql, prepareSearchStatement, executeSearchStatement, SEARCH_PLANNER_SETTINGS } =
    (await import(
      join(dist, 'mechanics', 'queries', 'search-mechanics', 'search-mechanics.sql.js')
    )) as typeof SearchSql;
  const { wallClock } = (await import(join(dist, 'common', 'clock', 'wall-clock.js'))) as typeof WallClock;
  const lyon = CITIES.find((c) => c.name === 'Lyon')!;
  const { text, values } = searchMechanicsSql(
    { lat: lyon.lat, lng: lyon.lng, radius_km: 50, vehicle_type: 'car', limit: 50, offset: 0 },
    wallClock(new Date(), TIME_ZONE),
  );
  const rows = await withDatabase(url, async (client) => {
    // The server's statements: the statement prepared, its planner settings, its execution.
    await client.query(prepareSearchStatement(text));
    await client.query(`BEGIN; ${SEARCH_PLANNER_SETTINGS}`);
    const execute = executeSearchStatement(values, (literal) => client.escapeLiteral(literal));
    await client.query(execute); // warm, as in the load runs
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${execute}`);
    await client.query('COMMIT');
    return plan.rows;
  });
  return [
    `EXPLAIN (ANALYZE, BUFFERS) at ${size.toLocaleString('en-US')} mechanics, Lyon, 50 km, car, limit 50:`,
    ...rows.map((row) => row['QUERY PLAN']),
  ].join('\n');
}

const formatCpu = ({ server, postgres }: CpuPerRequest) => `${server.toFixed(2)}, ${postgres.toFixed(2)}`;

/** Prints the table, the plans and the verdicts on the targets; false on a contract violation. */
function printReport(
  { result: reference, cpu: referenceCpu }: { result: LoadResult; cpu: CpuPerRequest },
  rows: Row[],
  plans: string[],
  loadBefore: number,
): boolean {
  const number = (value: number) => Math.round(value).toLocaleString('en-US');
  const cpu = cpus();
  console.log(
    `## Search: autocannon, \`GET /mechanics\` with varied searches around French cities, ` +
      `${CONNECTIONS} connections, ${DURATION_S} s per size after a ${WARM_UP_S} s warm-up ` +
      `(latencies in whole milliseconds)\n`,
  );
  console.log(
    `node ${process.version}, ${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `client, server and PostgreSQL on the same machine, server pool of ${POOL_CONNECTIONS} connections, ` +
      `1-min load average before the bench ${loadBefore.toFixed(2)}\n`,
  );
  console.log(
    '| Mechanics | Slots | Connections | req/s | p50 (ms) | p99 (ms) | max (ms) | non-2xx | non-empty answers | mean results | CPU/request: server, PostgreSQL (ms) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| \`GET /health\` (reference) | | ${CONNECTIONS} | ${reference.requests.average.toFixed(1)} | ` +
      `${number(reference.latency.p50)} | ${number(reference.latency.p99)} | ${number(reference.latency.max)} | ` +
      `${number(reference.non2xx)} | | | ${formatCpu(referenceCpu)} |`,
  );
  let ok = true;
  if (reference.non2xx > 0 || reference.errors > 0 || reference.timeouts > 0) {
    ok = false;
    console.log(
      `\`GET /health\`: status codes ${describeStatusCodes(reference)}, ${reference.errors} errors`,
    );
  }
  for (const { size, result, answers, cpu } of rows) {
    const { requests, latency } = result;
    const nonEmpty = answers.total - answers.empty;
    console.log(
      `| ${number(size)} | ${number(size * SLOTS_PER_MECHANIC)} | ${CONNECTIONS} | ${requests.average.toFixed(1)} | ` +
        `${number(latency.p50)} | ${number(latency.p99)} | ${number(latency.max)} | ${number(result.non2xx)} | ` +
        `${((100 * nonEmpty) / Math.max(answers.total, 1)).toFixed(1)} % | ` +
        `${(answers.items / Math.max(nonEmpty, 1)).toFixed(1)} | ${formatCpu(cpu)} |`,
    );
  }
  console.log('');
  for (const { size, result, answers, seedMs } of rows) {
    console.log(`Seeding up to ${number(size)} mechanics took ${number(seedMs)} ms.`);
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      ok = false;
      console.log(
        `${number(size)} mechanics: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} ` +
          `timeouts (status codes: ${describeStatusCodes(result)})`,
      );
    }
    const nonEmptyShare = (answers.total - answers.empty) / Math.max(answers.total, 1);
    if (answers.total === 0 || nonEmptyShare < MIN_NON_EMPTY_SHARE) {
      ok = false;
      console.log(
        `${number(size)} mechanics: only ${(100 * nonEmptyShare).toFixed(1)} % non-empty answers ` +
          `(at least ${100 * MIN_NON_EMPTY_SHARE} % required)`,
      );
    }
  }
  console.log('');
  for (const plan of plans) console.log(`${plan}\n`);

  const [small, large] = rows.map((row) => row.result.latency.p99);
  const ratio = large / Math.max(small, 1);
  const p99Met = small < P99_TARGET_MS;
  const scalingMet = ratio <= SCALING_LIMIT;
  console.log(
    `Target p99 < ${P99_TARGET_MS} ms at ${number(SIZES[0])} mechanics: ${number(small)} ms, ` +
      `${p99Met ? 'met' : 'MISSED'}.`,
  );
  console.log(
    `Target p99(${number(SIZES[1])}) ≤ ${SCALING_LIMIT} × p99(${number(SIZES[0])}): ` +
      `${number(large)} / ${number(small)} ms = ${ratio.toFixed(2)}×, ${scalingMet ? 'met' : 'MISSED'}.`,
  );
  return ok;
}
