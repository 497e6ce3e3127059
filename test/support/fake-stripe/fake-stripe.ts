import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import qs from 'qs';
import Stripe from 'stripe';
import type TestAgent from 'supertest/lib/agent';
import { STRIPE_API_VERSION } from '../../../src/payments/stripe/stripe-payment-gateway';
import { newId, type Params, StripeObjects, type StripeReply, stripeError } from './stripe-objects';

export const FAKE_STRIPE_SECRET_KEY = 'sk_test_fake_stripe_0123456789';
export const FAKE_WEBHOOK_SECRET = 'whsec_fake_stripe_webhook_secret_0123456789';

export interface RecordedRequest {
  method: string;
  /** Without the query string, e.g. `/v1/payment_intents/pi_123/capture`. */
  path: string;
  params: Params;
  idempotencyKey: string | undefined;
  /** The stored answer of an earlier request with the same key was sent again. */
  replayed: boolean;
  status: number;
}

export type Fault =
  | { kind: 'http_500' }
  | { kind: 'card_declined' }
  | { kind: 'connection_reset' }
  /** The request is answered (and its effect applied) only after `ms`: beyond a client timeout. */
  | { kind: 'delay'; ms: number };

export interface FakeStripeOptions {
  /** Every request is answered (and its effect applied) this long after it arrived: Stripe's round trip. */
  latencyMs?: number;
}

interface ScriptedFault {
  fault: Fault;
  remaining: number;
  matches: (method: string, path: string) => boolean;
}

interface StoredAnswer {
  fingerprint: string;
  reply: StripeReply;
}

/**
 * A local Stripe API for the real `stripe` SDK (STRIPE_API_URL): the endpoints the gateway uses,
 * with per-object state and Stripe's status rules (StripeObjects), idempotency as Stripe does it (a
 * repeated key replays the stored answer; the same key with other parameters is a 400
 * `idempotency_error`), a log of every request, scripted faults for
 * the next N calls, and signed webhook events sent to the app with the SDK's test-header helper.
 * Injected faults happen before the endpoint runs, so, unlike answers, they are never stored.
 */
export class FakeStripe {
  readonly objects = new StripeObjects();
  readonly requests: RecordedRequest[] = [];
  private readonly answers = new Map<string, StoredAnswer>();
  private faults: ScriptedFault[] = [];
  private readonly server: Server = createServer((request, response) => void this.serve(request, response));

  constructor(private readonly options: FakeStripeOptions = {}) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The variables that point the service at this fake. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
      STRIPE_API_URL: this.url,
    };
  }

  /** The real SDK pointed at the fake, for what the app or Stripe itself would do in a scenario. */
  client(): Stripe {
    return new Stripe(FAKE_STRIPE_SECRET_KEY, {
      apiVersion: STRIPE_API_VERSION,
      protocol: 'http',
      host: '127.0.0.1',
      port: (this.server.address() as AddressInfo).port,
      maxNetworkRetries: 0,
    });
  }

  /** Makes the next `count` matching requests fail with `fault`. */
  failNext(count: number, fault: Fault, match: { method?: string; path?: RegExp } = {}): void {
    this.faults.push({
      fault,
      remaining: count,
      matches: (method, path) =>
        (match.method === undefined || match.method === method) && (match.path?.test(path) ?? true),
    });
  }

  /** The logged requests, optionally only those whose `METHOD path` matches. */
  calls(pattern?: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => !pattern || pattern.test(`${r.method} ${r.path}`));
  }

  reset(): void {
    this.requests.length = 0;
    this.faults = [];
  }

  /** A Stripe event envelope around `object`. */
  event(type: string, object: Record<string, unknown>, id = newId('evt')): Record<string, unknown> {
    return {
      id,
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      data: { object },
    };
  }

  /** `Stripe-Signature` for `payload`, made by the SDK exactly as Stripe signs (t=…,v1=…). */
  sign(payload: string, secret = FAKE_WEBHOOK_SECRET): string {
    return Stripe.webhooks.generateTestHeaderString({ payload, secret });
  }

  /** Posts a signed event to the app's webhook endpoint, as Stripe would. */
  deliver(http: TestAgent, event: Record<string, unknown>, clientIp: string) {
    const payload = JSON.stringify(event);
    return http
      .post('/payments/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', this.sign(payload))
      .set('X-Forwarded-For', clientIp)
      .send(payload);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [path, query = ''] = (request.url ?? '/').split('?');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const params: Params = qs.parse(method === 'GET' || method === 'DELETE' ? query : body);
    const idempotencyKey = header(request, 'idempotency-key');
    const record = (reply: StripeReply, replayed = false) =>
      this.requests.push({ method, path, params, idempotencyKey, replayed, status: reply.status });

    const fault = this.takeFault(method, path);
    if (fault?.kind === 'connection_reset') {
      record({ status: 0, body: {} });
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'http_500' || fault?.kind === 'card_declined') {
      const reply =
        fault.kind === 'http_500'
          ? stripeError(500, 'api_error', 'An unknown error occurred')
          : stripeError(402, 'card_error', 'Your card was declined.', {
              code: 'card_declined',
              decline_code: 'generic_decline',
            });
      record(reply);
      send(response, reply);
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));

    if (header(request, 'authorization') !== `Bearer ${FAKE_STRIPE_SECRET_KEY}`) {
      const reply = stripeError(401, 'authentication_error', 'Invalid API Key provided');
      record(reply);
      send(response, reply);
      return;
    }
    if (method !== 'POST' || !idempotencyKey) {
      const reply = this.route(method, path, params, request);
      record(reply);
      send(response, reply);
      return;
    }
    const fingerprint = `${method} ${path} ${canonical(params)}`;
    const stored = this.answers.get(idempotencyKey);
    if (stored && stored.fingerprint !== fingerprint) {
      const reply = stripeError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
      );
      record(reply);
      send(response, reply);
      return;
    }
    const reply = stored?.reply ?? this.route(method, path, params, request);
    if (!stored) this.answers.set(idempotencyKey, { fingerprint, reply });
    record(reply, stored !== undefined);
    send(response, reply, stored !== undefined);
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const scripted = this.faults.find((f) => f.remaining > 0 && f.matches(method, path));
    if (!scripted) return undefined;
    scripted.remaining--;
    return scripted.fault;
  }

  private route(method: string, path: string, params: Params, request: IncomingMessage): StripeReply {
    const o = this.objects;
    const [, version, resource, id, action, sub] = path.split('/');
    if (version !== 'v1') return notFound(path);
    const is = (m: string, r: string, hasId: boolean, a?: string) =>
      method === m && resource === r && Boolean(id) === hasId && action === a && sub === undefined;
    if (is('POST', 'payment_intents', false)) return o.createPaymentIntent(params);
    if (is('GET', 'payment_intents', true)) return o.retrievePaymentIntent(id, params);
    if (is('POST', 'payment_intents', true, 'confirm')) return o.confirmPaymentIntent(id, params);
    if (is('POST', 'payment_intents', true, 'capture')) return o.capturePaymentIntent(id, params);
    if (is('POST', 'payment_intents', true, 'cancel')) return o.cancelPaymentIntent(id, params);
    if (is('POST', 'refunds', false)) return o.createRefund(params);
    if (is('POST', 'accounts', false)) return o.createAccount(params);
    if (is('GET', 'accounts', true)) return o.retrieveAccount(id);
    if (is('DELETE', 'accounts', true)) return o.deleteAccount(id);
    if (is('POST', 'accounts', true, 'login_links')) return o.createLoginLink(id);
    if (is('POST', 'account_links', false)) return o.createAccountLink(params);
    if (is('POST', 'customers', false)) return o.createCustomer(params);
    if (is('GET', 'customers', true)) return o.retrieveCustomer(id);
    if (is('POST', 'ephemeral_keys', false))
      return o.createEphemeralKey(params, header(request, 'stripe-version'));
    if (is('GET', 'payment_methods', false)) return o.listPaymentMethods(params);
    if (is('GET', 'payment_methods', true)) return o.retrievePaymentMethod(id);
    if (is('POST', 'payment_methods', true, 'detach')) return o.detachPaymentMethod(id);
    return notFound(path);
  }
}

function notFound(path: string): StripeReply {
  return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${path}).`);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Parameters in a stable order, so that the same request is recognised whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${k}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function send(response: ServerResponse, reply: StripeReply, replayed = false): void {
  if (response.destroyed) return;
  response.writeHead(reply.status, {
    'Content-Type': 'application/json',
    'Request-Id': newId('req'),
    ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
  });
  response.end(JSON.stringify(reply.body));
}
