import Redis from 'ioredis';
import { settleWithin } from '../concurrency/settle-within';

/**
 * The process's shared client. Commands fail fast while disconnected (no offline queue) so that a
 * Redis outage degrades callers to their fallbacks instead of stalling requests; it reconnects alone.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 500,
    disconnectTimeout: 50,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
}

/** PING on a throwaway connection, as a health probe: true only if Redis answers within `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs: number): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    // ioredis otherwise keeps a dead socket (and the process) around for 2 s after disconnect().
    disconnectTimeout: 50,
  });
  probe.on('error', () => undefined);
  const answer = probe
    .connect()
    .then(() => probe.ping())
    .then((reply) => reply === 'PONG')
    .catch(() => false);
  try {
    // One deadline for connecting and answering together: a Redis that accepts but never replies
    // must not hold the probe for twice the timeout.
    return await settleWithin(answer, timeoutMs, false);
  } finally {
    probe.disconnect();
  }
}
