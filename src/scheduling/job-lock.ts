import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { RedisConnection } from '../common/redis/redis-connection';

/** §7: a run that outlives its lock loses it; the row claims keep a second run harmless anyway. */
export const JOB_LOCK_TTL_SECONDS = 300;

/** Deletes the lock only if it is still ours: after the TTL another process may hold it. */
const RELEASE_IF_OWNED = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export const jobLockKey = (jobName: string): string => `scheduler_lock:${jobName}`;

/**
 * The cross-process lock of §7 and I-14 around the periodic runs: `SET scheduler_lock:<job> NX EX`,
 * released in `finally` as HEAD does (§12.7). Fail-open: without Redis, or when it errors, the run
 * goes ahead, so a Redis outage never stops the jobs — which is why every job must also be safe
 * when several processes run it at once.
 */
@Injectable()
export class JobLock {
  private readonly logger = new Logger('JobLock');

  constructor(private readonly redis: RedisConnection) {}

  /** Runs `work` unless another process holds the job's lock; `skipped` then. */
  async exclusively<T>(
    jobName: string,
    work: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    const key = jobLockKey(jobName);
    const token = randomUUID();
    const acquired = await this.acquire(key, token);
    if (acquired === 'held_elsewhere') return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      if (acquired === 'acquired') await this.release(key, token);
    }
  }

  private async acquire(key: string, token: string): Promise<'acquired' | 'held_elsewhere' | 'no_redis'> {
    const client = this.redis.client;
    if (!client || client.status !== 'ready') return 'no_redis';
    try {
      const reply = await client.set(key, token, 'EX', JOB_LOCK_TTL_SECONDS, 'NX');
      return reply === 'OK' ? 'acquired' : 'held_elsewhere';
    } catch (error) {
      this.logger.warn({ event: 'job_lock_unavailable', key, err: error });
      return 'no_redis';
    }
  }

  private async release(key: string, token: string): Promise<void> {
    try {
      await this.redis.client?.eval(RELEASE_IF_OWNED, 1, key, token);
    } catch (error) {
      // The TTL frees it; the next run at worst skips once.
      this.logger.warn({ event: 'job_lock_release_failed', key, err: error });
    }
  }
}
