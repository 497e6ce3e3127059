import { DiscoveryService } from '@nestjs/core';

/** Decision D11: the only job names there are. */
export const JOB_NAMES = [
  'release_payment',
  'check_pending_acceptances',
  'release_overdue_payments',
  'send_reminders',
  'cleanup_webhook_events',
  'reset_no_show_weekly',
  'notify_unverified_mechanics',
  'cleanup_blacklisted_tokens',
  'cleanup_old_notifications',
  'cleanup_expired_push_tokens',
  'detect_orphaned_files',
  'anonymize_old_bookings',
  'cleanup_old_audit_logs',
] as const;

export type JobName = (typeof JOB_NAMES)[number];

export interface JobRunOptions {
  /** `release_payment --booking <id>`: restrict the run to one booking. */
  bookingId?: string;
}

/**
 * A batch whose items succeed or fail one by one (§7.2, §7.3): `handled` as the number a batch
 * returns; `failed`, the items rolled back and left for a later attempt, which the runner counts as
 * `emecano_scheduler_job_runs_total{status="error"}`, one per failed attempt.
 */
export interface BatchOutcome {
  handled: number;
  failed: number;
}

/**
 * A scheduled job: stateless and database-driven. `runBatch` handles at most one bounded batch of due
 * work as of `now` and says how many items it handled (or a BatchOutcome); the runner calls it until
 * it finds none. It must be safe to run in several processes at once (claims with FOR UPDATE SKIP
 * LOCKED).
 */
export interface ScheduledJob {
  runBatch(now: Date, options: JobRunOptions): Promise<number | BatchOutcome>;
  /**
   * True for a job whose `runBatch` is a whole pass (the bucket sweep): the runner calls it once
   * instead of again until it handles nothing, which would repeat the pass for nothing.
   */
  readonly runsInOnePass?: boolean;
}

export interface JobTriggerOptions {
  /**
   * Whether a periodic run first takes the Redis lock `scheduler_lock:<name>` (I-14), so that of
   * the processes whose triggers fire together only one does the work. On by default; the lock is
   * an economy, never the correctness (it fails open), so every job must stay safe without it.
   */
  exclusive?: boolean;
}

export interface JobDefinition extends JobTriggerOptions {
  name: JobName;
  /** Cron expression in UTC, for the processes that run the triggers (JOBS_ENABLED); none: CLI only. */
  schedule?: string;
}

export const JobMarker = DiscoveryService.createDecorator<JobDefinition>();

/** Registers a provider as the implementation of a job, for the runner, the CLI and its schedule. */
export const Job = (name: JobName, schedule?: string, options: JobTriggerOptions = {}) =>
  JobMarker({ name, schedule, ...options });
