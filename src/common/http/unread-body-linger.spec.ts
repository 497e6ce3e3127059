import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import express from 'express';
import { contentLengthGuard } from './body-limits';
import { UnreadBodyLinger } from './unread-body-linger';

const LINGER_MS = 400;
const LIMIT_BYTES = 16;

/** A server refusing bodies declared over 16 bytes and answering the others after reading them. */
async function startServer(linger: UnreadBodyLinger, lingerMs: number): Promise<Server> {
  const app = express();
  app.use(linger.middleware(lingerMs));
  app.use(contentLengthGuard(LIMIT_BYTES));
  app.post('/', express.text({ type: () => true }), (_request, response) => {
    response.send('read');
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function post(contentLength: number): string {
  return `POST / HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: ${contentLength}\r\n\r\n`;
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
  return { socket, closed, answered, received: () => received };
}

/** The client goes on sending the gigabyte it declared, a chunk every 20 ms, until stopped. */
function keepSending(socket: Socket): () => void {
  const sending = setInterval(() => socket.write(Buffer.alloc(1024)), 20);
  return () => clearInterval(sending);
}

describe('UnreadBodyLinger', () => {
  let linger: UnreadBodyLinger;
  let server: Server;
  beforeEach(async () => {
    linger = new UnreadBodyLinger();
    server = await startServer(linger, LINGER_MS);
  });
  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('closes the connection once the linger has passed while the refused body keeps arriving', async () => {
    const client = await rawConnection(server);
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
    const client = await rawConnection(server);
    client.socket.write(post(LIMIT_BYTES + 4));
    await client.answered(1);
    client.socket.write('x'.repeat(LIMIT_BYTES + 4));
    client.socket.write(`${post(2)}ok`);
    await client.answered(2);

    expect(client.received()).toMatch(/^HTTP\/1\.1 413 [\s\S]*HTTP\/1\.1 200 [\s\S]*read$/);
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS + 200));
    expect(client.socket.destroyed).toBe(false);
    client.socket.destroy();
  });

  describe('at shutdown', () => {
    const LONG_LINGER_MS = 60_000;
    beforeEach(async () => {
      server.closeAllConnections();
      server.close();
      server = await startServer(linger, LONG_LINGER_MS);
    });

    it('closes at once a connection still receiving a refused body', async () => {
      const client = await rawConnection(server);
      client.socket.write(post(1_000_000_000));
      await client.answered(1);
      const stopSending = keepSending(client.socket);
      try {
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(client.socket.destroyed).toBe(false);
        const shutdownAt = Date.now();
        linger.beforeApplicationShutdown();
        expect((await client.closed) - shutdownAt).toBeLessThan(1_000);
      } finally {
        stopSending();
      }
    });

    it('keeps a connection whose refused body has ended', async () => {
      const client = await rawConnection(server);
      client.socket.write(post(LIMIT_BYTES + 4));
      await client.answered(1);
      client.socket.write('x'.repeat(LIMIT_BYTES + 4));
      client.socket.write(`${post(2)}ok`);
      await client.answered(2);

      linger.beforeApplicationShutdown();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(client.socket.destroyed).toBe(false);
      client.socket.destroy();
    });
  });
});
