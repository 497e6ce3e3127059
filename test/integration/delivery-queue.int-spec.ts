import { DeliveryQueue } from '../../src/delivery/delivery-queue';
import { waitForIdleQueue } from '../support/delivery';
import { useTestDataSource } from '../support/test-app-context';

const QUEUE = 'test.backlog';
const BATCH_SIZE = 2;
/** Far longer than the test's deadline: a worker that waited for it between batches would fail. */
const IDLE_POLLING_INTERVAL_S = 120;

describe('delivery queue', () => {
  const ctx = useTestDataSource();
  const started: DeliveryQueue[] = [];

  afterEach(async () => {
    await Promise.all(started.splice(0).map((queue) => queue.onApplicationShutdown()));
  });

  async function startDeliveryQueue(workersEnabled: boolean, delivered: number[]): Promise<DeliveryQueue> {
    const queue = new DeliveryQueue(ctx.dataSource, {
      workersEnabled,
      pollingIntervalSeconds: IDLE_POLLING_INTERVAL_S,
    });
    queue.register<{ n: number }>(QUEUE, ({ n }) => Promise.resolve(delivered.push(n)), {
      batchSize: BATCH_SIZE,
    });
    started.push(queue);
    await queue.onApplicationBootstrap();
    return queue;
  }

  it('drains a backlog batch after batch, without waiting for the polling interval between full batches', async () => {
    // A backlog of 3½ batches, enqueued by an instance that does not deliver (as the CLI does).
    const producer = await startDeliveryQueue(false, []);
    const backlog = [0, 1, 2, 3, 4, 5, 6];
    await ctx.dataSource.transaction(async (manager) => {
      for (const n of backlog) await producer.enqueue(manager, QUEUE, { n });
    });

    const delivered: number[] = [];
    await startDeliveryQueue(true, delivered);
    await waitForIdleQueue(ctx.dataSource, QUEUE, 20_000);

    expect([...delivered].sort()).toEqual(backlog);
  });
});
