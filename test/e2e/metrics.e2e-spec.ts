import { randomUUID } from 'node:crypto';
import { METRIC } from '../../src/observability/metrics/metrics';
import { productionTestConfig, testConfig } from '../support/config';
import { type TestApp } from '../support/app';
import { ContractProbeModule } from '../support/fixtures/contract-probe.module';
import { useTestDatabase } from '../support/test-app-context';

const KEY = 'k';
const REQUESTS = 'emecano_http_requests_total';
const DURATION_COUNT = 'emecano_http_request_duration_seconds_count';
const PROBE_ITEM = '/__probe/items/{id}';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped, labels unescaped). */
function samples(text: string): Sample[] {
  const result: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`Unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, raw] of (match[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    result.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return result;
}

/** The value of the one series `name{labels}` (label order irrelevant), 0 when it does not exist yet. */
function valueOf(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels);
  const found = samples(text).filter(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === wanted.length &&
      wanted.every(([k, v]) => s.labels[k] === v),
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

/** The series of `name` whose value moved between two scrapes, with how much. */
function changedSeries(
  before: string,
  after: string,
  name: string,
): { labels: Record<string, string>; delta: number }[] {
  return samples(after)
    .filter((s) => s.name === name)
    .map((s) => ({ labels: s.labels, delta: s.value - valueOf(before, name, s.labels) }))
    .filter((s) => s.delta !== 0);
}

function handlersOf(text: string, name: string): string[] {
  return [...new Set(samples(text).flatMap((s) => (s.name === name ? [s.labels.handler] : [])))];
}

/**
 * `text/plain; version=0.0.4; charset=utf-8` (§2.4 #38) as a media type and its parameters: parameter
 * order carries no meaning (RFC 9110 §8.3.1) and Express writes `charset` first.
 */
function expectPrometheusContentType(header: unknown): void {
  expect(typeof header).toBe('string');
  const [type, ...parameters] = String(header)
    .split(';')
    .map((part) => part.trim().toLowerCase());
  expect(type).toBe('text/plain');
  expect(parameters.sort()).toEqual(['charset=utf-8', 'version=0.0.4']);
}

let scrapes = 0;

/**
 * GET /metrics from a fresh client address each time, so the 30/min limit of /metrics (keyed per IP)
 * never interferes with the tests that are not about it.
 */
async function scrape(app: TestApp, key?: string): Promise<string> {
  const request = app.http.get('/metrics').set('X-Forwarded-For', `198.51.100.${++scrapes % 250}`);
  if (key !== undefined) request.set('X-Metrics-Key', key);
  const response = await request;
  expect(response.status).toBe(200);
  return response.text;
}

/** Counters move on the response's `finish` event: poll briefly rather than race it. */
async function scrapeUntil(app: TestApp, done: (text: string) => boolean): Promise<string> {
  let text = await scrape(app);
  for (let attempt = 0; attempt < 50 && !done(text); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    text = await scrape(app);
  }
  return text;
}

describe('GET /metrics (identity-platform §2.4 #38, §6, §7.5; H-014, M-030)', () => {
  const ctx = useTestDatabase();
  let prodKeyed: TestApp;
  let prodKeyless: TestApp;
  let devOpen: TestApp;
  let devKeyed: TestApp;

  beforeAll(async () => {
    prodKeyed = await ctx.startApp({ config: productionTestConfig({ METRICS_API_KEY: KEY }) });
    // productionTestConfig refuses an empty key at load time: override after validation.
    prodKeyless = await ctx.startApp({ config: { ...productionTestConfig(), METRICS_API_KEY: '' } });
    devOpen = await ctx.startApp({ config: testConfig(), imports: [ContractProbeModule] });
    devKeyed = await ctx.startApp({ config: testConfig({ METRICS_API_KEY: KEY }) });
  });

  describe('OPS-07 H-014: key protection', () => {
    it('OPS-07 H-014: /metrics without a key → 403 Invalid metrics API key', async () => {
      const response = await prodKeyed.http.get('/metrics').set('X-Request-ID', 'ops-07-none');
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: 'Invalid metrics API key',
        code: 'metrics_key_invalid',
        request_id: 'ops-07-none',
      });
      expect(response.text).not.toContain('emecano_');
    });

    it('OPS-07 H-014: /metrics with a wrong key → 403 Invalid metrics API key', async () => {
      const response = await prodKeyed.http
        .get('/metrics')
        .set('X-Metrics-Key', 'wrong')
        .set('X-Request-ID', 'ops-07-wrong');
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: 'Invalid metrics API key',
        code: 'metrics_key_invalid',
        request_id: 'ops-07-wrong',
      });
    });

    it('OPS-07 H-014: a key that differs only by case, a suffix or is empty → 403', async () => {
      for (const key of ['K', `${KEY}${KEY}`, `${KEY} x`, '']) {
        const response = await prodKeyed.http.get('/metrics').set('X-Metrics-Key', key);
        expect({ key, status: response.status, detail: response.body.detail }).toEqual({
          key,
          status: 403,
          detail: 'Invalid metrics API key',
        });
      }
    });

    it('OPS-07 H-014: /metrics with the right key → 200 Prometheus text with emecano_ series and process metrics', async () => {
      const response = await prodKeyed.http.get('/metrics').set('X-Metrics-Key', KEY);
      expect(response.status).toBe(200);
      expectPrometheusContentType(response.headers['content-type']);
      expect(response.text).toMatch(/^# HELP /);
      expect(response.text).toMatch(/^# TYPE emecano_[a-z_]+ (counter|histogram)$/m);
      expect(response.text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(response.text).toMatch(/^process_start_time_seconds \d/m);
      expect(response.text).toMatch(/^nodejs_heap_size_total_bytes \d/m);
      expect(() => samples(response.text)).not.toThrow();
    });

    it('H-014 §10: production with no METRICS_API_KEY → 503 Metrics not available, whatever the header', async () => {
      for (const key of [undefined, '', 'anything']) {
        const request = prodKeyless.http.get('/metrics').set('X-Request-ID', 'ops-07-unset');
        if (key !== undefined) request.set('X-Metrics-Key', key);
        const response = await request;
        expect(response.status).toBe(503);
        expect(response.body).toEqual({
          detail: 'Metrics not available',
          code: 'metrics_unavailable',
          request_id: 'ops-07-unset',
        });
      }
    });

    it('H-014 §2.4: development with no METRICS_API_KEY → 200, open', async () => {
      const response = await devOpen.http.get('/metrics');
      expect(response.status).toBe(200);
      expectPrometheusContentType(response.headers['content-type']);
      expect(response.text).toContain(`# TYPE ${REQUESTS} counter`);
    });

    it('H-014 §2.4: development with a METRICS_API_KEY set is protected too', async () => {
      const none = await devKeyed.http.get('/metrics');
      expect(none.status).toBe(403);
      expect(none.body.detail).toBe('Invalid metrics API key');
      const wrong = await devKeyed.http.get('/metrics').set('X-Metrics-Key', 'wrong');
      expect(wrong.status).toBe(403);
      const right = await devKeyed.http.get('/metrics').set('X-Metrics-Key', KEY);
      expect(right.status).toBe(200);
      expect(right.text).toContain(`# TYPE ${REQUESTS} counter`);
    });

    it('H-014 §10: /metrics is limited to 30 per minute per client IP', async () => {
      const ip = '203.0.113.30';
      for (let i = 1; i <= 30; i++) {
        const response = await prodKeyed.http
          .get('/metrics')
          .set('X-Metrics-Key', KEY)
          .set('X-Forwarded-For', ip);
        expect({ i, status: response.status }).toEqual({ i, status: 200 });
      }
      const refused = await prodKeyed.http
        .get('/metrics')
        .set('X-Metrics-Key', KEY)
        .set('X-Forwarded-For', ip);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ error: 'Rate limit exceeded: 30 per 1 minute' });
      const other = await prodKeyed.http
        .get('/metrics')
        .set('X-Metrics-Key', KEY)
        .set('X-Forwarded-For', '203.0.113.31');
      expect(other.status).toBe(200);
    });
  });

  describe('OPS-07 §6: emecano_http_requests_total', () => {
    it('OPS-07 §6: a matched route is counted with its template, status class and method (and timed)', async () => {
      const id = randomUUID();
      const series = { method: 'GET', status: '2xx', handler: PROBE_ITEM };
      const before = await scrape(devOpen);

      const response = await devOpen.http.get(`/__probe/items/${id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id });

      const after = await scrapeUntil(
        devOpen,
        (t) => valueOf(t, REQUESTS, series) > valueOf(before, REQUESTS, series),
      );
      expect(after).toContain(`${REQUESTS}{method="GET",status="2xx",handler="/__probe/items/{id}"}`);
      expect(valueOf(after, REQUESTS, series) - valueOf(before, REQUESTS, series)).toBe(1);
      const timing = { method: 'GET', handler: PROBE_ITEM };
      expect(valueOf(after, DURATION_COUNT, timing) - valueOf(before, DURATION_COUNT, timing)).toBe(1);
      expect(after).not.toContain(id);
    });

    it('OPS-07 §6: 4xx, 5xx and other methods get their own status class and method labels', async () => {
      const clientError = { method: 'GET', status: '4xx', handler: PROBE_ITEM };
      const serverError = { method: 'GET', status: '5xx', handler: '/__probe/boom' };
      const created = { method: 'POST', status: '2xx', handler: '/__probe/echo' };
      const before = await scrape(devOpen);

      expect((await devOpen.http.get('/__probe/items/not-a-uuid')).status).toBe(400);
      expect((await devOpen.http.get('/__probe/boom')).status).toBe(500);
      expect((await devOpen.http.post('/__probe/echo').send({ email: 'a@b.fr', count: 1 })).status).toBe(201);

      const after = await scrapeUntil(
        devOpen,
        (t) => valueOf(t, REQUESTS, created) > valueOf(before, REQUESTS, created),
      );
      for (const series of [clientError, serverError, created]) {
        expect({
          series,
          delta: valueOf(after, REQUESTS, series) - valueOf(before, REQUESTS, series),
        }).toEqual({
          series,
          delta: 1,
        });
      }
      expect(after).not.toContain('not-a-uuid');
    });

    /**
     * Sends one request that is counted, waits until it shows (so every earlier response has
     * finished too), and asserts it is the only change since `before`.
     */
    async function expectOnlyAControlRequestCounted(before: string): Promise<string> {
      const control = { method: 'GET', status: '2xx', handler: PROBE_ITEM };
      expect((await devOpen.http.get(`/__probe/items/${randomUUID()}`)).status).toBe(200);
      const after = await scrapeUntil(
        devOpen,
        (t) => valueOf(t, REQUESTS, control) > valueOf(before, REQUESTS, control),
      );
      expect(changedSeries(before, after, REQUESTS)).toEqual([{ labels: control, delta: 1 }]);
      expect(changedSeries(before, after, DURATION_COUNT)).toEqual([
        { labels: { method: 'GET', handler: PROBE_ITEM }, delta: 1 },
      ]);
      return after;
    }

    it('OPS-07 §2.4: requests to /health and /metrics are not counted', async () => {
      const before = await scrape(devOpen);

      expect((await devOpen.http.get('/health')).status).toBe(200);
      expect((await prodKeyed.http.get('/health')).status).toBe(200);
      expect((await devOpen.http.get('/metrics')).status).toBe(200);
      expect((await prodKeyed.http.get('/metrics')).status).toBe(403);
      expect((await prodKeyless.http.get('/metrics')).status).toBe(503);
      const after = await expectOnlyAControlRequestCounted(before);
      const handlers = [...handlersOf(after, REQUESTS), ...handlersOf(after, DURATION_COUNT)];
      expect(handlers).not.toContain('/health');
      expect(handlers).not.toContain('/metrics');
    });

    it('OPS-07 §6: requests that match no route (404 unknown path, 405 DELETE /health) are not counted', async () => {
      const before = await scrape(devOpen);

      expect((await devOpen.http.get('/no/such/route')).status).toBe(404);
      expect((await devOpen.http.post('/no/such/route')).status).toBe(404);
      expect((await devOpen.http.delete('/health')).status).toBe(405);
      expect((await prodKeyed.http.get('/no/such/route')).status).toBe(404);
      const after = await expectOnlyAControlRequestCounted(before);
      expect(handlersOf(after, REQUESTS).filter((h) => h.includes('no/such') || h.includes('*'))).toEqual([]);
    });
  });

  describe('M-030: declared metrics are exposed', () => {
    it('M-030: every METRIC of src/observability/metrics/metrics.ts appears as a # TYPE line', async () => {
      const text = await scrape(prodKeyed, KEY);
      const names = Object.values(METRIC);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const type = name.endsWith('_seconds') ? 'histogram' : 'counter';
        expect({ name, exposed: text.includes(`\n# TYPE ${name} ${type}\n`) }).toEqual({
          name,
          exposed: true,
        });
      }
    });

    it('M-030 §6: the metrics table of identity-platform §6 (and HEAD disputes) is exposed with its types', async () => {
      const text = await scrape(prodKeyed, KEY);
      const spec: Record<string, 'counter' | 'histogram'> = {
        emecano_http_requests_total: 'counter',
        emecano_http_request_duration_seconds: 'histogram',
        emecano_bookings_created_total: 'counter',
        emecano_bookings_cancelled_total: 'counter',
        emecano_bookings_completed_total: 'counter',
        emecano_payments_captured_total: 'counter',
        emecano_payments_refunded_total: 'counter',
        emecano_stripe_call_duration_seconds: 'histogram',
        emecano_scheduler_job_runs_total: 'counter',
        emecano_users_registered_total: 'counter',
        emecano_disputes_opened_total: 'counter',
      };
      for (const [name, type] of Object.entries(spec)) {
        expect({ name, exposed: text.includes(`\n# TYPE ${name} ${type}\n`) }).toEqual({
          name,
          exposed: true,
        });
      }
    });
  });
});
