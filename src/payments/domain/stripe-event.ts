/**
 * A verified Stripe event, reduced to what handlers read. `data.object` stays untyped: each handler
 * reads the few fields it needs through the readers below, so a payload of an unexpected shape is
 * "not applicable" rather than a crash.
 */
export interface StripeEvent {
  readonly id: string;
  readonly type: string;
  readonly data: { readonly object: Readonly<Record<string, unknown>> };
}

export type WebhookVerification =
  | { readonly status: 'verified'; readonly event: StripeEvent }
  | { readonly status: 'invalid_signature' }
  | { readonly status: 'invalid_payload' };

/** Checks `Stripe-Signature` against the raw body before anything parses it (§4.8-3). */
export abstract class WebhookSignature {
  abstract verify(rawBody: Buffer, signatureHeader: string | undefined, secret: string): WebhookVerification;
}

/** The event's envelope, once the signature is known good: an object with a string id and type. */
export function asStripeEvent(parsed: unknown): StripeEvent | null {
  if (!isRecord(parsed) || typeof parsed.id !== 'string' || typeof parsed.type !== 'string') return null;
  const data = parsed.data;
  if (!isRecord(data) || !isRecord(data.object)) return null;
  return { id: parsed.id, type: parsed.type, data: { object: data.object } };
}

export function stringField(object: Readonly<Record<string, unknown>>, name: string): string | null {
  const value = object[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
