import { once } from 'node:events';
import { connect } from 'node:net';
import { settleWithin } from '../../src/common/concurrency/settle-within';
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

  it('closes at once a connection still sending the body of a request it has already refused', async () => {
    const db = await createTestDatabase();
    const testApp = await startTestApp({ config: testConfig(), databaseUrl: db.url });
    try {
      await testApp.app.listen(0, '127.0.0.1');
      const { port } = new URL(await testApp.app.getUrl());
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined); // the close may reset a connection still sending
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await once(socket, 'connect');
      socket.write('POST /auth/login HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000000\r\n\r\n');
      const [answer] = (await once(socket, 'data')) as [Buffer];
      expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 413 /);
      // The client goes on sending the gigabyte it declared: the connection lingers (30 s).
      const sending = setInterval(() => socket.write(Buffer.alloc(1024)), 20);
      // Raced against 5 s, so that a close waiting for the 30 s linger fails here, not on the test's timeout.
      try {
        const closed = Promise.all([testApp.app.close(), socketClosed]).then(() => 'closed');
        expect(await settleWithin(closed, 5_000, 'still open after 5 s')).toBe('closed');
      } finally {
        clearInterval(sending);
        socket.destroy();
      }
    } finally {
      await testApp.close().catch(() => undefined);
      await db.drop();
    }
  });
});
