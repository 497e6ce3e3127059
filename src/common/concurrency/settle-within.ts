/**
 * `work`'s value, or `fallback` if it has not settled within `timeoutMs`. The timer is cleared as
 * soon as the race is decided, so a probe answered in a millisecond leaves no timer behind.
 */
export async function settleWithin<T>(work: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
