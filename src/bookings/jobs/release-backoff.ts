/** The first retry of a failed release, then doubling per failure. */
const FIRST_RETRY_MS = 60_000;
/** Capped so that a booking whose capture keeps failing is still retried every hour, never forgotten. */
const MAX_RETRY_MS = 3_600_000;

/**
 * When a release that failed `attempts` times (this one included, so ≥ 1) is due again: 1, 2, 4, …
 * minutes after `now`, at most an hour. Stripe's own retries (2 per call) have already run by then.
 */
export function nextReleaseAttemptAt(now: Date, attempts: number): Date {
  const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return new Date(now.getTime() + delay);
}
