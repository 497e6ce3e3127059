import { type EntityManager } from 'typeorm';

/**
 * Claims a Stripe event for this transaction (§4.8-4, I-11). The row commits or rolls back with the
 * event's effects. A concurrent delivery of the same event waits on the primary key until the first
 * transaction ends: it then finds the row (duplicate, N13.20) or, after a rollback, claims it itself.
 */
export async function claimWebhookEvent(
  manager: EntityManager,
  eventId: string,
  now: Date,
): Promise<boolean> {
  const claimed: unknown[] = await manager.query(
    `INSERT INTO processed_webhook_events (event_id, processed_at) VALUES ($1, $2)
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [eventId, now],
  );
  return claimed.length === 1;
}
