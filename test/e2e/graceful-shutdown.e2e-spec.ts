import { startTestApp } from '../support/app';
import { testConfig } from '../support/config';
import { createTestDatabase } from '../support/database';
import { ContractProbeModule, SlowGate } from '../support/fixtures/contract-probe.module';

describe('graceful shutdown (runtime contract)', () => {
  it('stops accepting connections, lets the in-flight request finish, then closes', async () => {
    const db = await createTestDatabase();
    const testApp = await startTestApp({
      config: testConfig(),
      databaseUrl: db.url,
      imports: [ContractProbeModule],
    });
    try {
      await testApp.app.listen(0, '127.0.0.1');
      const base = await testApp.app.getUrl();
      const gate = testApp.app.get(SlowGate);

      const inFlight = fetch(`${base}/__probe/slow`);
      await gate.entered;
      let closed = false;
      const closing = testApp.app.close().then(() => (closed = true));
      await new Promise((resolve) => setImmediate(resolve));

      await expect(fetch(`${base}/health`)).rejects.toThrow();
      expect(closed).toBe(false);

      gate.release();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ done: true });
      await closing;
      expect(closed).toBe(true);
    } finally {
      await testApp.close().catch(() => undefined);
      await db.drop();
    }
  });
});
