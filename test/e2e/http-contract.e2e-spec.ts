import { randomUUID } from 'node:crypto';
import { productionTestConfig, testConfig } from '../support/config';
import { type TestApp } from '../support/app';
import { ContractProbeModule } from '../support/fixtures/contract-probe.module';
import { useTestDatabase } from '../support/test-app-context';

describe('HTTP error contract', () => {
  const ctx = useTestDatabase();
  let dev: TestApp;
  let prod: TestApp;

  beforeAll(async () => {
    dev = await ctx.startApp({ config: testConfig(), imports: [ContractProbeModule] });
    prod = await ctx.startApp({ config: productionTestConfig(), imports: [ContractProbeModule] });
  });

  it('answers an unknown route with 404 {"detail":"Not Found"}', async () => {
    const response = await dev.http.get('/no/such/route');
    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('Not Found');
  });

  it('answers a known path under another method with 405 {"detail":"Method Not Allowed"}', async () => {
    const response = await dev.http.delete('/health');
    expect(response.status).toBe(405);
    expect(response.body.detail).toBe('Method Not Allowed');
  });

  it('answers malformed JSON with a 422 json_invalid list, never a 500', async () => {
    const response = await dev.http
      .post('/__probe/echo')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(response.status).toBe(422);
    expect(response.body.detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body'] });
  });

  it('answers a missing body with 422 missing at ["body"]', async () => {
    const response = await dev.http.post('/__probe/echo');
    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual([
      { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
    ]);
  });

  it('answers a JSON array where an object is expected with 422', async () => {
    const response = await dev.http.post('/__probe/echo').send([1, 2]);
    expect(response.status).toBe(422);
    expect(response.body.detail[0]).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
  });

  it('lists every failing body field FastAPI-style with type, loc, msg and input', async () => {
    const response = await dev.http
      .post('/__probe/echo')
      .send({ email: 'not-an-email', address: { city: 'x'.repeat(11) } });
    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'value_error', loc: ['body', 'email'], input: 'not-an-email' }),
        expect.objectContaining({ loc: ['body', 'count'] }),
        expect.objectContaining({ type: 'string_too_long', loc: ['body', 'address', 'city'] }),
      ]),
    );
    for (const issue of response.body.detail) expect(typeof issue.msg).toBe('string');
  });

  it('reports query failures at ["query", field]', async () => {
    const response = await dev.http.get('/__probe/items?limit=zero');
    expect(response.status).toBe(422);
    expect(response.body.detail[0].loc).toEqual(['query', 'limit']);
  });

  it('accepts a valid body and drops unknown fields', async () => {
    const response = await dev.http.post('/__probe/echo').send({ email: 'a@b.fr', count: 2, admin: true });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ email: 'a@b.fr', count: 2 });
  });

  it('maps a domain error to its status with detail, stable code and request id', async () => {
    const response = await dev.http.get('/__probe/missing').set('X-Request-ID', 'req-42');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ detail: 'Booking not found', code: 'not_found', request_id: 'req-42' });
  });

  it('answers a malformed path parameter with a 400 detail, not a 500', async () => {
    const response = await dev.http.get('/__probe/items/not-a-uuid');
    expect(response.status).toBe(400);
    expect(typeof response.body.detail).toBe('string');
  });

  it('refuses a declared body over 10 MB with 413 before reading it', async () => {
    const response = await dev.http
      .post('/__probe/echo')
      .set('Content-Type', 'application/json')
      .set('Content-Length', String(10 * 1024 * 1024 + 1))
      .send('{}');
    expect(response.status).toBe(413);
    expect(response.body.detail).toBe('Payload too large');
  });

  it('refuses a streamed body over 10 MB with 413', async () => {
    const big = JSON.stringify({ email: 'a@b.fr', count: 1, pad: 'x'.repeat(10 * 1024 * 1024) });
    const response = await dev.http.post('/__probe/echo').set('Content-Type', 'application/json').send(big);
    expect(response.status).toBe(413);
  });

  it('OPS-15: answers an unexpected error outside development with a generic 500 and logs it with the request id', async () => {
    const requestId = randomUUID();
    const response = await prod.http.get('/__probe/boom').set('X-Request-ID', requestId);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ detail: 'Internal server error', request_id: requestId });
    expect(JSON.stringify(response.body)).not.toMatch(/secret_table|SELECT|stack/);
    const logged = prod.logs.records().find((r) => r.event === 'unhandled_exception');
    expect(logged).toMatchObject({ path: '/__probe/boom', req: expect.objectContaining({ id: requestId }) });
  });
});
