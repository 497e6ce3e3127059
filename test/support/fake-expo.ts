import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One message as Expo received it (expo-server-sdk's ExpoPushMessage). */
export interface ReceivedPush {
  to: string;
  title?: string;
  body?: string;
  sound?: string;
  data?: Record<string, unknown>;
  categoryId?: string;
}

/** How the fake answers a request. */
export type ExpoAnswer =
  | { kind: 'ok' }
  | { kind: 'ticket_error'; error: 'DeviceNotRegistered' | 'InvalidCredentials' | 'MessageRateExceeded' }
  | { kind: 'http_error'; status: number }
  | { kind: 'non_json' }
  /** Holds the request open until `releaseHeld()` or `close()`: a hung provider. */
  | { kind: 'hang' };

/**
 * A local Expo push service that the real expo-server-sdk talks to (EXPO_PUSH_URL). It records
 * every message it receives and the ones it accepted (an `ok` ticket), and can be scripted to
 * answer the next requests with ticket errors, HTTP errors, garbage or silence, or to answer slowly.
 */
export class FakeExpo {
  /** Every message received, whatever the answer. */
  readonly received: ReceivedPush[] = [];
  /** Messages answered with an `ok` ticket: the pushes Expo would deliver. */
  readonly accepted: ReceivedPush[] = [];
  private readonly script: ExpoAnswer[] = [];
  private readonly held = new Map<ServerResponse, ReceivedPush[]>();
  private delayMs = 0;
  private readonly server = createServer((request, response) => void this.handle(request, response));

  static async start(): Promise<FakeExpo> {
    const fake = new FakeExpo();
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  /** For EXPO_PUSH_URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` requests get `answer`; later ones are accepted again. */
  answerNext(answer: ExpoAnswer, times = 1): void {
    for (let i = 0; i < times; i++) this.script.push(answer);
  }

  /** Every answer waits this long (a slow provider). */
  delayAnswers(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Ends the held (`hang`) requests: with `answer`, as a provider that answers late; without, by
   * dropping the connections, as a provider that dies mid-request.
   */
  releaseHeld(answer?: Exclude<ExpoAnswer, { kind: 'hang' }>): void {
    for (const [response, messages] of this.held) {
      if (answer) this.respond(response, messages, answer);
      else response.destroy();
    }
    this.held.clear();
  }

  acceptedFor(token: string): ReceivedPush[] {
    return this.accepted.filter((push) => push.to === token);
  }

  /** Waits (bounded) until `count` messages have been accepted; delivery runs after commit. */
  async waitForAccepted(count: number, timeoutMs = 15_000): Promise<ReceivedPush[]> {
    return this.waitUntil(
      () => this.accepted.length >= count,
      timeoutMs,
      `${count} accepted pushes`,
      () => this.accepted.slice(0, count),
    );
  }

  /** Waits (bounded) until `count` messages have been received, whatever the answer. */
  async waitForReceived(count: number, timeoutMs = 15_000): Promise<ReceivedPush[]> {
    return this.waitUntil(
      () => this.received.length >= count,
      timeoutMs,
      `${count} received pushes`,
      () => this.received.slice(0, count),
    );
  }

  async close(): Promise<void> {
    this.releaseHeld();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async waitUntil<T>(
    done: () => boolean,
    timeoutMs: number,
    what: string,
    result: () => T,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`Fake Expo: no ${what} within ${timeoutMs} ms (received ${this.received.length})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return result();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    if (request.url !== '/--/api/v2/push/send' || request.method !== 'POST') {
      response.writeHead(404).end();
      return;
    }
    const messages = JSON.parse(raw.toString('utf8')) as ReceivedPush[];
    this.received.push(...messages);
    const answer = this.script.shift() ?? { kind: 'ok' };
    if (answer.kind === 'hang') {
      this.held.set(response, messages);
      return;
    }
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.respond(response, messages, answer);
  }

  private respond(
    response: ServerResponse,
    messages: ReceivedPush[],
    answer: Exclude<ExpoAnswer, { kind: 'hang' }>,
  ): void {
    switch (answer.kind) {
      case 'http_error':
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'fake outage' }] }));
        return;
      case 'non_json':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        return;
      case 'ticket_error':
        this.json(
          response,
          messages.map((message) => ({
            status: 'error',
            message: `"${message.to}" failed: ${answer.error}`,
            details: { error: answer.error, expoPushToken: message.to },
          })),
        );
        return;
      case 'ok':
        this.accepted.push(...messages);
        this.json(
          response,
          messages.map((_, index) => ({ status: 'ok', id: `ticket-${this.accepted.length}-${index}` })),
        );
    }
  }

  private json(response: ServerResponse, tickets: unknown[]): void {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: tickets }));
  }
}
