import { type DataSource } from 'typeorm';

/** Jobs of `queue` not yet finished: waiting, scheduled for a retry, or being delivered. */
async function pendingDeliveries(dataSource: DataSource, queue: string): Promise<number> {
  const [{ count }]: { count: number }[] = await dataSource.query(
    `SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
    [queue],
  );
  return count;
}

/** Waits (bounded) until the delivery queue has finished every job of `queue`, whatever the outcome. */
export async function waitForIdleQueue(
  dataSource: DataSource,
  queue: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await pendingDeliveries(dataSource, queue)) > 0) {
    if (Date.now() > deadline) throw new Error(`Queue ${queue} still busy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
