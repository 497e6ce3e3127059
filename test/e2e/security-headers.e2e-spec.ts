import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { productionTestConfig, testConfig } from '../support/config';
import { type TestApp } from '../support/app';
import { ContractProbeModule } from '../support/fixtures/contract-probe.module';
import { useTestDatabase } from '../support/test-app-context';

/** identity-platform §10 / decision D10: the same strict policy in every environment. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PROCESS_TIME = /^\d+\.\dms$/;
const ALLOWED_ORIGIN = 'https://app.emecano.fr';
const EVIL_ORIGIN = 'https://evil.test';

/** The headers every response carries whatever the environment (OPS-05 as amended by D10). */
function expectCommonSecurityHeaders(response: Response): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(response.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
  expect(directivesOf(response.headers['content-security-policy'])).toEqual(directivesOf(API_CSP));
}

/**
 * A policy as its list of directives, in order: CSP allows optional whitespace around `;`, and helmet
 * writes `a;b` where the spec writes `a; b`. Everything else (names, sources, order, count) must match.
 */
function directivesOf(policy: unknown): string[] {
  expect(typeof policy).toBe('string');
  return String(policy)
    .split(';')
    .map((directive) => directive.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

function expectProductionHsts(response: Response): void {
  const directives = directivesOf(response.headers['strict-transport-security']);
  expect(directives).toEqual(expect.arrayContaining(['max-age=31536000', 'includeSubDomains', 'preload']));
}

describe('Security headers, request id and CORS (identity-platform §7.1, §7.2, §7.4)', () => {
  const ctx = useTestDatabase();
  let dev: TestApp;
  let prod: TestApp;

  beforeAll(async () => {
    dev = await ctx.startApp({ config: testConfig(), imports: [ContractProbeModule] });
    prod = await ctx.startApp({
      config: productionTestConfig({ CORS_ORIGINS: ALLOWED_ORIGIN }),
      imports: [ContractProbeModule],
    });
  });

  describe('OPS-05 D10: security headers', () => {
    it('OPS-05 D10: production 200 (/health) carries every security header, the strict CSP and HSTS with preload', async () => {
      const response = await prod.http.get('/health');
      expect(response.status).toBe(200);
      expectCommonSecurityHeaders(response);
      expectProductionHsts(response);
    });

    it('OPS-05 D10: production 404 carries every security header, the strict CSP and HSTS', async () => {
      const response = await prod.http.get('/no/such/route').set('X-Request-ID', 'ops-05-404');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: 'Not Found', request_id: 'ops-05-404' });
      expectCommonSecurityHeaders(response);
      expectProductionHsts(response);
    });

    it('OPS-05 D10: production 422 carries every security header, the strict CSP and HSTS', async () => {
      const response = await prod.http.post('/__probe/echo');
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
      ]);
      expectCommonSecurityHeaders(response);
      expectProductionHsts(response);
    });

    it('OPS-05 D10: production 403 (/metrics without a key) carries every security header and HSTS', async () => {
      const response = await prod.http.get('/metrics');
      expect(response.status).toBe(403);
      expectCommonSecurityHeaders(response);
      expectProductionHsts(response);
    });

    it('OPS-05 D10: development 200 (/health) carries the same headers and CSP but no Strict-Transport-Security', async () => {
      const response = await dev.http.get('/health');
      expect(response.status).toBe(200);
      expectCommonSecurityHeaders(response);
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });

    it('OPS-05 D10: development 404 carries the same headers and CSP but no Strict-Transport-Security', async () => {
      const response = await dev.http.get('/no/such/route');
      expect(response.status).toBe(404);
      expectCommonSecurityHeaders(response);
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });

    it('OPS-05 D10: development 422 carries the same headers and CSP but no Strict-Transport-Security', async () => {
      const response = await dev.http.post('/__probe/echo');
      expect(response.status).toBe(422);
      expectCommonSecurityHeaders(response);
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('OPS-06: request id and timing', () => {
    it('OPS-06: a safe X-Request-ID (abc-123) is echoed, in production and in development', async () => {
      for (const app of [prod, dev]) {
        const response = await app.http.get('/health').set('X-Request-ID', 'abc-123');
        expect(response.status).toBe(200);
        expect(response.headers['x-request-id']).toBe('abc-123');
      }
    });

    it('OPS-06: a caller-chosen UUID as X-Request-ID is echoed unchanged', async () => {
      const chosen = randomUUID();
      const response = await dev.http.get('/health').set('X-Request-ID', chosen);
      expect(response.headers['x-request-id']).toBe(chosen);
    });

    it('OPS-06: a 64-character X-Request-ID (the maximum) is echoed', async () => {
      const id = 'a'.repeat(32) + '-'.repeat(2) + 'B9'.repeat(15);
      expect(id).toHaveLength(64);
      const response = await prod.http.get('/health').set('X-Request-ID', id);
      expect(response.headers['x-request-id']).toBe(id);
    });

    it('OPS-06: a 65-character X-Request-ID is replaced by a fresh UUID v4', async () => {
      const id = 'a'.repeat(65);
      const response = await prod.http.get('/health').set('X-Request-ID', id);
      expect(response.status).toBe(200);
      expect(response.headers['x-request-id']).not.toBe(id);
      expect(response.headers['x-request-id']).toMatch(UUID_V4);
    });

    it('OPS-06: an X-Request-ID with a forbidden character (abc_123!) is replaced by a fresh UUID v4', async () => {
      const response = await prod.http.get('/health').set('X-Request-ID', 'abc_123!');
      expect(response.status).toBe(200);
      expect(response.headers['x-request-id']).toMatch(UUID_V4);
    });

    it('OPS-06: without an X-Request-ID each response gets its own fresh UUID v4', async () => {
      const first = await prod.http.get('/health');
      const second = await prod.http.get('/health');
      expect(first.headers['x-request-id']).toMatch(UUID_V4);
      expect(second.headers['x-request-id']).toMatch(UUID_V4);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('OPS-06: the replacement id is the one echoed in an error body request_id', async () => {
      const response = await prod.http.get('/no/such/route').set('X-Request-ID', 'abc_123!');
      expect(response.status).toBe(404);
      expect(response.headers['x-request-id']).toMatch(UUID_V4);
      expect(response.body).toEqual({ detail: 'Not Found', request_id: response.headers['x-request-id'] });
    });

    it('OPS-06: X-Process-Time "<ms with 1 decimal>ms" is on every response, errors included', async () => {
      const responses = [
        await prod.http.get('/health'),
        await prod.http.get('/no/such/route'),
        await prod.http.delete('/health'),
        await prod.http.post('/__probe/echo'),
        await prod.http.get('/metrics'),
        await prod.http.get('/__probe/boom'),
        await dev.http.get('/health'),
        await dev.http.post('/__probe/echo'),
        await prod.http
          .options('/health')
          .set('Origin', ALLOWED_ORIGIN)
          .set('Access-Control-Request-Method', 'GET'),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 404, 405, 422, 403, 500, 200, 422, 204]);
      for (const response of responses) {
        expect(response.headers['x-process-time']).toMatch(PROCESS_TIME);
        expect(response.headers['x-request-id']).toMatch(UUID_V4);
      }
    });
  });

  describe('OPS-16: CORS', () => {
    it('OPS-16: production preflight from the allowed origin echoes it and allows credentials, methods and headers', async () => {
      const response = await prod.http
        .options('/health')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'Authorization');
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(response.headers['access-control-allow-methods']).toBe('GET,POST,PUT,PATCH,DELETE');
      expect(response.headers['access-control-allow-headers']).toBe('Authorization,Content-Type');
    });

    it('OPS-16: production GET from the allowed origin echoes it with credentials and exposes no headers', async () => {
      const response = await prod.http.get('/health').set('Origin', ALLOWED_ORIGIN);
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(response.headers['access-control-expose-headers']).toBeUndefined();
    });

    it('OPS-16: production preflight from https://evil.test gets no Access-Control-Allow-Origin', async () => {
      const response = await prod.http
        .options('/health')
        .set('Origin', EVIL_ORIGIN)
        .set('Access-Control-Request-Method', 'GET');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('OPS-16: production GET from https://evil.test gets no Access-Control-Allow-Origin', async () => {
      const response = await prod.http.get('/health').set('Origin', EVIL_ORIGIN);
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('OPS-16: production never answers with a wildcard origin', async () => {
      const response = await prod.http.get('/health').set('Origin', 'null');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('OPS-16 §7.4: development allows http://localhost:5173 without credentials', async () => {
      const preflight = await dev.http
        .options('/health')
        .set('Origin', 'http://localhost:5173')
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'X-Custom-Header');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      expect(preflight.headers['access-control-allow-headers']).toBe('X-Custom-Header');

      const get = await dev.http.get('/health').set('Origin', 'http://localhost:5173');
      expect(get.status).toBe(200);
      expect(get.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('OPS-16 §7.4: development allows the other dev origins and refuses an unknown one', async () => {
      for (const origin of ['http://localhost:3000', 'http://localhost:8081', 'http://localhost:19006']) {
        const response = await dev.http.get('/health').set('Origin', origin);
        expect(response.headers['access-control-allow-origin']).toBe(origin);
      }
      const evil = await dev.http.get('/health').set('Origin', EVIL_ORIGIN);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
