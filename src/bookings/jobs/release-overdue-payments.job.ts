import { Injectable } from '@nestjs/common';
import { type BatchOutcome, Job, type JobRunOptions, type ScheduledJob } from '../../scheduling/job';
import { PaymentRelease } from './payment-release';

/**
 * §7.3 [H-008]: the safety net keeps its name and schedule (D11) but is the same claim as
 * `release_payment`, with the same key `release_{id}` (D6): with the due time in the row there is no
 * separate "lost job" to catch, and two names can never capture one booking twice.
 */
@Injectable()
@Job('release_overdue_payments', '*/10 * * * *')
export class ReleaseOverduePaymentsJob implements ScheduledJob {
  constructor(private readonly release: PaymentRelease) {}

  runBatch(now: Date, options: JobRunOptions): Promise<BatchOutcome> {
    return this.release.runBatch(now, options);
  }
}
