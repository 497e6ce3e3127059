import { PRODUCTION_ENV } from '../support/config';
import { ContractProbeModule } from '../support/fixtures/contract-probe.module';
import { useTestApp } from '../support/test-app-context';

const EMAIL = 'jeanne.martin@example.fr';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEifQ.dGhpcy1pcy1hLXNpZ25hdHVyZQ';
const FORBIDDEN = [EMAIL, 'hunter2', JWT, '+33 6 12 34 56 78', '0611223344', 'reset-secret-value'];

describe('logs (M-011)', () => {
  const ctx = useTestApp({ env: PRODUCTION_ENV, imports: [ContractProbeModule] });

  it('M-011: a full request cycle leaves no e-mail, phone, password, token or Authorization header in any log line', async () => {
    await ctx.testApp.http
      .post(`/__probe/careless-log?token=reset-secret-value&phone=0611223344`)
      .set('Authorization', `Bearer ${JWT}`)
      .set('X-Request-ID', 'm011-cycle')
      .send({ email: EMAIL, count: 1, password: 'hunter2' })
      .expect(201);
    await ctx.testApp.http
      .post('/__probe/echo')
      .set('Authorization', `Bearer ${JWT}`)
      .send({ email: EMAIL, count: 9 })
      .expect(422);
    await ctx.testApp.http.get('/__probe/boom').set('Authorization', `Bearer ${JWT}`).expect(500);

    const text = ctx.testApp.logs.text;
    expect(text).toContain('m011-cycle');
    expect(text).toContain('j***@example.fr');
    expect(text).toContain('unhandled_exception');
    for (const secret of FORBIDDEN)
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    expect(text.toLowerCase()).not.toContain('"authorization"');
  });

  it('writes JSON lines with level, ISO time and the request id outside development', async () => {
    await ctx.testApp.http.get('/__probe/items?limit=2').set('X-Request-ID', 'json-lines-1').expect(200);
    const record = ctx.testApp.logs
      .records()
      .find((r) => (r.req as { id?: string } | undefined)?.id === 'json-lines-1');
    expect(record).toMatchObject({
      level: 'info',
      req: { method: 'GET', url: '/__probe/items?limit=2' },
      res: { statusCode: 200 },
    });
    expect(new Date(String(record?.time)).toISOString()).toBe(record?.time);
  });
});
