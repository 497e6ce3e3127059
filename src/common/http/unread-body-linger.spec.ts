import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import express from 'express';
import { settleWithin } from '../concurrency/settle-within';
import { contentLengthGuard } from './body-limits';
import { UnreadBodyLinger } from './unread-body-linger';

const LINGER_MS = 400;
/** Long enough that the linger's own timer never closes a connection during a shutdown test. */
const LONG_LINGER_MS = 60_000;
const LIMIT_BYTES = 16;

interface TestServer {
  linger: UnreadBodyLinger;
  server: Server;
  /** Lets `POST /held` answer (a 413, its body unread). */
  release: () => void;
}

/**
 * A server refusing bodies declared over 16 bytes and answering the others after reading them, with
 * two routes that answer before their body has been read: `/held` once released, `/partial` after
 * the first chunk (it then pauses the request, so the rest is received but never read).
 */
async function startServer(lingerMs: number): Promise<TestServer> {
  const linger = new UnreadBodyLinger();
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const app = express();
  app.use(linger.middleware(lingerMs));
  app.post('/held', (_request, response) => {
    void released.then(() => response.status(413).send('held'));
  });
  app.post('/partial', (request, response) => {
    request.once('data', () => {
      request.pause();
      response.send('partial');
    });
  });
  app.use(contentLengthGuard(LIMIT_BYTES));
  app.post('/', express.text({ type: () => true }), (_request, response) => {
    response.send('read');
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { linger, server, release };
}

/** A fresh linger and server for each test of the block, closed after it. */
function serverPerTest(lingerMs: number): TestServer {
  const current = {} as TestServer;
  beforeEach(async () => {
    Object.assign(current, await startServer(lingerMs));
  });
  afterEach(async () => {
    current.server.closeAllConnections();
    current.server.close();
    await once(current.server, 'close');
  });
  return current;
}

function post(contentLength: number, path = '/'): string {
  return `POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: ${contentLength}\r\n\r\n`;
}

/** A raw connection that collects what the server answers and when it closes. */
async function rawConnection(server: Server) {
  const socket: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined); // the server's close may reset a connection still sending
  // Not events.once: it rejects on the reset the server's close may cause while the client sends.
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  const answered = async (count: number): Promise<void> => {
    while ((received.match(/HTTP\/1\.1 /g) ?? []).length < count) await once(socket, 'data');
  };
  /** 'closed', or 'still open' if the connection outlives `ms` (so a test fails on its assertion). */
  const closedWithin = (ms: number) =>
    settleWithin(
      closed.then(() => 'closed'),
      ms,
      'still open',
    );
  return { socket, closed, closedWithin, answered, received: () => received };
}

/** The client goes on sending the gigabyte it declared, a chunk every 20 ms, until stopped. */
function keepSending(socket: Socket): () => void {
  const sending = setInterval(() => socket.write(Buffer.alloc(1024)), 20);
  return () => clearInterval(sending);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UnreadBodyLinger', () => {
  const current = serverPerTest(LINGER_MS);

  it('closes the connection once the linger has passed while the refused body keeps arriving', async () => {
    const client = await rawConnection(current.server);
    client.socket.write(post(1_000_000_000));
    await client.answered(1);
    const answeredAt = Date.now();
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);

    const stopSending = keepSending(client.socket);
    try {
      const closedAt = await client.closed;
      expect(closedAt - answeredAt).toBeGreaterThanOrEqual(LINGER_MS - 50);
      expect(closedAt - answeredAt).toBeLessThan(LINGER_MS + 2_000);
    } finally {
      stopSending();
    }
  });

  it('keeps the connection for the next request when the refused body ends within the linger', async () => {
    const client = await rawConnection(current.server);
    client.socket.write(post(LIMIT_BYTES + 4));
    await client.answered(1);
    client.socket.write('x'.repeat(LIMIT_BYTES + 4));
    client.socket.write(`${post(2)}ok`);
    await client.answered(2);

    expect(client.received()).toMatch(/^HTTP\/1\.1 413 [\s\S]*HTTP\/1\.1 200 [\s\S]*read$/);
    await pause(LINGER_MS + 200);
    expect(client.socket.destroyed).toBe(false);
    client.socket.destroy();
  });
});

describe('UnreadBodyLinger at shutdown', () => {
  const current = serverPerTest(LONG_LINGER_MS);

  it('closes at once a connection still receiving a refused body', async () => {
    const client = await rawConnection(current.server);
    client.socket.write(post(1_000_000_000));
    await client.answered(1);
    const stopSending = keepSending(client.socket);
    try {
      await pause(100);
      expect(client.socket.destroyed).toBe(false);
      current.linger.beforeApplicationShutdown();
      expect(await client.closedWithin(1_000)).toBe('closed');
    } finally {
      stopSending();
    }
  });

  it('closes at once a connection answered after shutdown began while its body still arrives', async () => {
    const client = await rawConnection(current.server);
    client.socket.write(post(1_000_000_000, '/held'));
    const stopSending = keepSending(client.socket);
    try {
      await pause(100);
      current.linger.beforeApplicationShutdown();
      current.release();
      expect(await client.closedWithin(1_000)).toBe('closed');
    } finally {
      stopSending();
    }
  });

  it('keeps a connection whose earlier body was received in full, even if never read', async () => {
    const client = await rawConnection(current.server);
    client.socket.write(`${post(8, '/partial')}half`);
    await client.answered(1);
    client.socket.write('half');
    client.socket.write(`${post(2)}ok`);
    await client.answered(2);
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*partial[\s\S]*HTTP\/1\.1 200 [\s\S]*read$/);

    current.linger.beforeApplicationShutdown();
    await pause(200);
    expect(client.socket.destroyed).toBe(false);
    client.socket.destroy();
  });
});
