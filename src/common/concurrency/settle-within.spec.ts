import { settleWithin } from './settle-within';

describe('settleWithin', () => {
  afterEach(() => jest.useRealTimers());

  it("answers with the work's value and leaves no timer behind", async () => {
    jest.useFakeTimers();
    await expect(settleWithin(Promise.resolve('answer'), 3_000, 'late')).resolves.toBe('answer');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('answers with the fallback once the deadline passes, and leaves no timer behind', async () => {
    jest.useFakeTimers();
    const raced = settleWithin(new Promise<string>(() => undefined), 3_000, 'late');
    await jest.advanceTimersByTimeAsync(2_999);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(raced).resolves.toBe('late');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('passes on a rejection of the work', async () => {
    await expect(settleWithin(Promise.reject(new Error('down')), 3_000, false)).rejects.toThrow('down');
  });
});
