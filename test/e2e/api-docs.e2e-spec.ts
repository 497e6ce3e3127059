import { productionTestConfig, testConfig } from '../support/config';
import { type TestApp } from '../support/app';
import { useTestDatabase } from '../support/test-app-context';

const DOC_PATHS = ['/docs', '/docs/', '/openapi.json', '/redoc', '/docs-yaml', '/docs/swagger-ui-init.js'];

describe('API docs (identity-platform §0 "API docs", OPS-14)', () => {
  const ctx = useTestDatabase();
  let dev: TestApp;
  let prod: TestApp;
  let staging: TestApp;

  beforeAll(async () => {
    dev = await ctx.startApp({ config: testConfig() });
    prod = await ctx.startApp({ config: productionTestConfig() });
    staging = await ctx.startApp({
      config: productionTestConfig({ APP_ENV: 'staging', STRIPE_SECRET_KEY: 'sk_test_dummy_key' }),
    });
  });

  describe('OPS-14: development serves the docs', () => {
    it('OPS-14: development GET /docs → 200 Swagger UI HTML', async () => {
      const response = await dev.http.get('/docs');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toMatch(/<html/i);
      expect(response.text).toContain('swagger-ui');
    });

    it('OPS-14: development GET /openapi.json → 200 OpenAPI document listing /health', async () => {
      const response = await dev.http.get('/openapi.json');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(response.body.info).toMatchObject({ title: 'eMecano API' });
      expect(response.body.paths['/health']).toHaveProperty('get');
    });

    it('OPS-14 §2.4 #38: /metrics is not listed in the OpenAPI document', async () => {
      const response = await dev.http.get('/openapi.json');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).not.toContain('/metrics');
      expect(JSON.stringify(response.body)).not.toContain('/metrics');
    });

    it('OPS-14 D10: the development docs page still forbids framing and sniffing', async () => {
      const response = await dev.http.get('/docs');
      expect(response.status).toBe(200);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    });
  });

  describe('OPS-14: docs are hidden outside development', () => {
    for (const path of DOC_PATHS) {
      it(`OPS-14: production GET ${path} → 404 {"detail":"Not Found"}`, async () => {
        const response = await prod.http.get(path).set('X-Request-ID', 'ops-14-prod');
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({ detail: 'Not Found', request_id: 'ops-14-prod' });
      });
    }

    it('OPS-14: staging hides /docs, /docs/, /openapi.json and /redoc too (404 {"detail":"Not Found"})', async () => {
      for (const path of DOC_PATHS) {
        const response = await staging.http.get(path).set('X-Request-ID', 'ops-14-staging');
        expect({ path, status: response.status, body: response.body }).toEqual({
          path,
          status: 404,
          body: { detail: 'Not Found', request_id: 'ops-14-staging' },
        });
      }
    });
  });
});
