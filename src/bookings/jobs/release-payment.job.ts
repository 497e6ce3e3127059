import { Injectable } from '@nestjs/common';
import { type BatchOutcome, Job, type JobRunOptions, type ScheduledJob } from '../../scheduling/job';
import { PaymentRelease } from './payment-release';

/**
 * §7.1 under D12: no one-shot timer to lose (N13.18). Validation sets `release_due_at`; every minute
 * the due bookings are released, so a release happens at most a minute after it is due.
 * `--booking <id>` releases that validated booking now, whatever its due time.
 */
@Injectable()
@Job('release_payment', '* * * * *')
export class ReleasePaymentJob implements ScheduledJob {
  constructor(private readonly release: PaymentRelease) {}

  runBatch(now: Date, options: JobRunOptions): Promise<BatchOutcome> {
    return this.release.runBatch(now, options);
  }
}
