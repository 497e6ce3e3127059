import { forEachConcurrently } from './for-each-concurrently';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('runs every item once with at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];

    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      seen.push(item);
      inFlight--;
    });

    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('lets the other lanes finish, then rethrows the first failure', async () => {
    const seen: number[] = [];
    const run = forEachConcurrently([1, 2, 3, 4], 2, async (item) => {
      await tick();
      if (item === 1) throw new Error('lane failed');
      seen.push(item);
    });

    await expect(run).rejects.toThrow('lane failed');
    expect(seen.sort()).toEqual([2, 3, 4]);
  });
});
