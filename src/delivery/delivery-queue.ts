import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { type DataSource, type EntityManager } from 'typeorm';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { ADVISORY_LOCK, withAdvisoryLock } from '../database/advisory-lock';
import { DELIVERY_OPTIONS, type DeliveryOptions } from './delivery.options';

export interface DeliveryPolicy {
  /** Attempts after the first one before the job goes to the dead-letter queue. */
  retryLimit: number;
  /** First retry delay in seconds; doubles at each retry (pg-boss backoff). */
  retryDelaySeconds: number;
  /** A job still active after this long is considered lost (crashed worker) and retried. */
  expireInSeconds: number;
  /** Jobs of this queue a worker takes per fetch and delivers at once. */
  batchSize: number;
}

export type DeliveryHandler<T> = (data: T) => Promise<unknown>;

const DEFAULT_POLICY: DeliveryPolicy = {
  retryLimit: 12,
  retryDelaySeconds: 5,
  expireInSeconds: 60,
  batchSize: 1,
};
export const MAINTENANCE_INTERVAL_SECONDS = 10;
/** How long a graceful stop waits for the jobs in hand before leaving them to expire and retry. */
const STOP_TIMEOUT_MS = 8_000;

/**
 * After-commit work (e-mail, push, retryable Stripe calls) as pg-boss jobs. A job is enqueued with
 * the business transaction's EntityManager, so it exists if and only if that transaction commits;
 * workers deliver it at least once, with retries, exponential backoff and a dead-letter queue.
 * Modules never import pg-boss: they `register` a handler at init and `enqueue` in a transaction.
 */
@Injectable()
export class DeliveryQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryQueue');
  private readonly handlers = new Map<string, { handler: DeliveryHandler<never>; policy: DeliveryPolicy }>();
  /** pg-boss's worker id for each queue this instance delivers. */
  private readonly workerIds = new Map<string, string>();
  private readonly boss: PgBoss;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
  ) {
    const connection = dataSource.options as PostgresConnectionOptions;
    this.boss = new PgBoss({
      connectionString: connection.url,
      ssl: connection.ssl,
      max: 4,
      application_name: 'emecano-delivery',
      // Short maintenance cycle so that jobs held by a crashed process expire and resume quickly
      // (the expiry check is part of maintenance; pg-boss's default cycle is 2 minutes).
      supervise: true,
      maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
      schedule: false,
    });
    this.boss.on('error', (error) => this.logger.error({ event: 'delivery_queue_error', err: error }));
  }

  /** Declares a queue and the handler that delivers its jobs (call from a module's onModuleInit). */
  register<T>(queue: string, handler: DeliveryHandler<T>, policy: Partial<DeliveryPolicy> = {}): void {
    if (this.handlers.has(queue)) throw new Error(`Delivery queue ${queue} is registered twice`);
    this.handlers.set(queue, {
      handler: handler as DeliveryHandler<never>,
      policy: { ...DEFAULT_POLICY, ...policy },
    });
  }

  /** Adds a job inside the caller's transaction: it is delivered only if that transaction commits. */
  async enqueue<T extends object>(manager: EntityManager, queue: string, data: T): Promise<void> {
    if (!this.handlers.has(queue)) throw new Error(`Delivery queue ${queue} is not registered`);
    await this.boss.send(queue, data, {
      db: {
        executeSql: async (text, values) => ({ rows: (await manager.query(text, values)) as unknown[] }),
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.boss.start();
    // pg-boss's createQueue deadlocks when several instances create the same queue at once.
    await withAdvisoryLock(this.dataSource, ADVISORY_LOCK.deliveryQueues, () => this.createQueues());
    if (!this.options.workersEnabled) return;
    for (const [queue, { handler, policy }] of this.handlers) {
      const workerId = await this.boss.work<never>(
        queue,
        { batchSize: policy.batchSize, pollingIntervalSeconds: this.options.pollingIntervalSeconds },
        async (jobs) => {
          await this.deliverBatch(queue, handler, jobs);
          if (jobs.length === policy.batchSize) this.fetchAgainAtOnce(queue);
        },
      );
      this.workerIds.set(queue, workerId);
    }
  }

  /**
   * pg-boss's worker waits out the rest of its polling interval after every batch, full or not,
   * which caps a queue at one batch per interval (push: 40 jobs/s) and lets a backlog grow under
   * load. A full batch means more may be waiting, so the worker is told to fetch again straight away;
   * only a short or empty fetch waits for the interval. (The id is set before the first batch can
   * come back: `work` resolves before its first fetch returns; without it, the worker just waits.)
   */
  private fetchAgainAtOnce(queue: string): void {
    const workerId = this.workerIds.get(queue);
    if (workerId) this.boss.notifyWorker(workerId);
  }

  /**
   * pg-boss completes or fails a fetched batch as a whole; each job here succeeds or fails on its
   * own instead. Failed jobs are marked for retry first, and the batch completion that follows only
   * touches jobs still active, so one bad delivery does not resend the others.
   */
  private async deliverBatch(
    queue: string,
    handler: DeliveryHandler<never>,
    jobs: PgBoss.Job<never>[],
  ): Promise<void> {
    const results = await Promise.allSettled(jobs.map((job) => handler(job.data)));
    await Promise.all(
      results.map((result, index) =>
        result.status === 'rejected'
          ? this.boss.fail(queue, jobs[index].id, { message: String(result.reason) })
          : undefined,
      ),
    );
  }

  private async createQueues(): Promise<void> {
    for (const [queue, { policy }] of this.handlers) {
      const deadLetter = `${queue}.dead`;
      if (!(await this.boss.getQueue(deadLetter))) await this.boss.createQueue(deadLetter);
      const options = {
        name: queue,
        retryLimit: policy.retryLimit,
        retryDelay: policy.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: policy.expireInSeconds,
        deadLetter,
      };
      if (await this.boss.getQueue(queue)) await this.boss.updateQueue(queue, options);
      else await this.boss.createQueue(queue, options);
    }
  }

  /** Stops taking jobs and waits (bounded) for those in hand; unfinished ones stay queued. */
  async onApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
  }
}
