import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Expo, type ExpoPushMessage } from 'expo-server-sdk';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { type DeliveryPolicy, DeliveryQueue } from '../../delivery/delivery-queue';
import { METRIC } from '../../observability/metrics/metrics';

export const PUSH_QUEUE = 'push.send';

/**
 * A crashed worker's push is retried once its lease expires and pg-boss's maintenance (every 10 s,
 * see DeliveryQueue) notices: at most 25 + 2×10 + 4 s after it was taken, so within the 60 s the
 * issue allows. The lease outlasts one Expo call with its timeouts (see expo-client.ts).
 */
export const PUSH_POLICY: DeliveryPolicy = {
  retryLimit: 10,
  retryDelaySeconds: 2,
  expireInSeconds: 25,
  batchSize: 20,
};

/** What the push worker needs; written in the notifying transaction (messaging §3.2.1). */
export interface PushJob {
  notificationId: string;
  userId: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export type PushOutcome = 'sent' | 'skipped' | 'device_not_registered' | 'rejected' | 'retry';

/** Expo's limits on what a device shows (messaging §3.2.3), counted in characters, not UTF-16 units. */
const TITLE_MAX = 50;
const BODY_MAX = 200;

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

export function pushMessage(job: PushJob, to: string): ExpoPushMessage {
  return {
    to,
    title: truncate(job.title, TITLE_MAX),
    body: truncate(job.body, BODY_MAX),
    sound: 'default',
    data: job.data,
    // The iOS actionable category of a booking request (accept / refuse from the notification).
    ...(job.data.type === 'booking_created' ? { categoryId: 'booking_request' } : {}),
  };
}

/**
 * Delivers one push per notification through Expo, at least once: transport errors and rate
 * limiting throw, so the queue retries with backoff; a dead device's token is cleared and that
 * change is committed (§9-6); a user without a token is skipped without retry.
 */
@Injectable()
export class PushDelivery implements OnModuleInit {
  private readonly logger = new Logger('Push');

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly expo: Expo,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectMetric(METRIC.pushDeliveries) private readonly deliveries: Counter<string>,
  ) {}

  onModuleInit(): void {
    this.queue.register<PushJob>(PUSH_QUEUE, (job) => this.deliver(job), PUSH_POLICY);
  }

  async deliver(job: PushJob): Promise<PushOutcome> {
    let outcome: PushOutcome;
    try {
      outcome = await this.attempt(job);
    } catch (error) {
      this.count('retry', job, error);
      throw error;
    }
    this.count(outcome, job);
    return outcome;
  }

  private async attempt(job: PushJob): Promise<PushOutcome> {
    const token = await this.tokenOf(job.userId);
    if (!token) return 'skipped';
    const [ticket] = await this.expo.sendPushNotificationsAsync([pushMessage(job, token)]);
    if (ticket.status === 'ok') return 'sent';
    switch (ticket.details?.error) {
      case 'DeviceNotRegistered':
        await this.forgetToken(job.userId, token);
        return 'device_not_registered';
      case 'MessageRateExceeded':
        throw new Error(`Expo rate-limited the push: ${ticket.message}`);
      default:
        // Credentials, size or provider errors: sending the same message again cannot succeed.
        this.logger.warn({ event: 'push_rejected', error: ticket.details?.error, message: ticket.message });
        return 'rejected';
    }
  }

  private async tokenOf(userId: string): Promise<string | null> {
    const rows: { expo_push_token: string | null }[] = await this.dataSource.query(
      'SELECT expo_push_token FROM users WHERE id = $1',
      [userId],
    );
    return rows[0]?.expo_push_token ?? null;
  }

  /**
   * Only the token Expo refused: a device registered meanwhile keeps its new token. Autocommitted,
   * unlike the original's (§9-6).
   */
  private async forgetToken(userId: string, token: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE users SET expo_push_token = NULL WHERE id = $1 AND expo_push_token = $2',
      [userId, token],
    );
  }

  private count(outcome: PushOutcome, job: PushJob, error?: unknown): void {
    this.deliveries.inc({ outcome });
    const entry = {
      event: 'push_delivery',
      outcome,
      notification_id: job.notificationId,
      user_id: job.userId,
    };
    if (error) this.logger.warn({ ...entry, err: error });
    else this.logger.log(entry);
  }
}
