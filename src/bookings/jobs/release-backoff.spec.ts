import { nextReleaseAttemptAt } from './release-backoff';

describe('release backoff (issue 9)', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  const minutesLater = (attempts: number) =>
    (nextReleaseAttemptAt(now, attempts).getTime() - now.getTime()) / 60_000;

  it('JOB-06: a failed release is retried 1, 2, 4, 8 … minutes later', () => {
    expect([1, 2, 3, 4, 5].map(minutesLater)).toEqual([1, 2, 4, 8, 16]);
  });

  it('JOB-06: the delay stops growing at one hour, however often it failed', () => {
    expect(minutesLater(7)).toBe(60);
    expect(minutesLater(1_000)).toBe(60);
  });
});
