import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { DeliveryQueue } from '../../delivery/delivery-queue';
import { isPaymentFailure, PaymentGateway, type PaymentFailureReason } from '../domain/payment-gateway';

export const CLOSE_CONNECT_ACCOUNT_QUEUE = 'payments.close_connect_account';

interface CloseConnectAccountJob {
  accountId: string;
  mechanicProfileId: string;
}

/** Failures worth another attempt; the others (e.g. an account already gone) will not change. */
const TRANSIENT: readonly PaymentFailureReason[] = ['unreachable', 'provider_error'];

/**
 * identity §2.1-14 step 4: a deleted mechanic's Stripe Connect account is closed. Scheduled in the
 * account-deletion transaction and closed after it commits, so no Stripe call is made under the
 * deletion's locks and a Stripe outage neither fails the deletion nor loses the closure (best
 * effort in the original; here retried with backoff).
 */
@Injectable()
export class ConnectAccountClosures implements OnModuleInit {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly gateway: PaymentGateway,
    private readonly queue: DeliveryQueue,
  ) {}

  onModuleInit(): void {
    this.queue.register<CloseConnectAccountJob>(CLOSE_CONNECT_ACCOUNT_QUEUE, (job) => this.close(job), {
      retryLimit: 5,
    });
  }

  schedule(manager: EntityManager, accountId: string, mechanicProfileId: string): Promise<void> {
    return this.queue.enqueue<CloseConnectAccountJob>(manager, CLOSE_CONNECT_ACCOUNT_QUEUE, {
      accountId,
      mechanicProfileId,
    });
  }

  private async close({ accountId, mechanicProfileId }: CloseConnectAccountJob): Promise<void> {
    const outcome = await this.gateway.deleteConnectAccount(accountId, { mechanicProfileId });
    if (!isPaymentFailure(outcome)) return;
    this.logger.warn({
      event: 'stripe_account_delete_failed',
      mechanic_profile_id: mechanicProfileId,
      reason: outcome.reason,
    });
    if (TRANSIENT.includes(outcome.reason))
      throw new Error(`Connect account closure failed: ${outcome.reason}`);
  }
}
